"""{% scrolling_table %}: a table too wide for a phone scrolls in its own named region (issue 15 C15).

tests/browser/test_reflow.py and the accessibility crawl check the pages at 320 px; these check
the tag's markup, and that every table the portal draws is in one.
"""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


def test_it_wraps_the_table_in_a_named_region_that_takes_the_focus():
    html = render("{% scrolling_table caption %}<table></table>{% endscrolling_table %}", caption="Your enquiries")
    assert html == (
        '<div class="app-table-region" role="region" aria-label="Your enquiries" tabindex="0"><table></table></div>'
    )


def test_it_escapes_the_name_and_leaves_the_table_as_rendered():
    html = render(
        "{% scrolling_table caption %}<table><caption>{{ caption }}</caption></table>{% endscrolling_table %}",
        caption='Ward "A" & <b>',
    )
    assert 'aria-label="Ward &quot;A&quot; &amp; &lt;b&gt;"' in html
    assert "<table><caption>Ward &quot;A&quot; &amp; &lt;b&gt;</caption></table>" in html


@pytest.mark.parametrize("source", ["{% scrolling_table %}", '{% scrolling_table "a" "b" %}'])
def test_it_wants_one_name(source):
    with pytest.raises(TemplateSyntaxError, match="takes one argument"):
        Template("{% load tables %}" + source + "<table></table>{% endscrolling_table %}")


def test_every_table_in_the_templates_is_in_a_scrolling_region():
    unwrapped = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for table in re.finditer(r"<table\b", text):
            before = text[: table.start()]
            if before.count("{% scrolling_table ") <= before.count("{% endscrolling_table %}"):
                unwrapped.append(f"{path.relative_to(TEMPLATES)} at character {table.start()}")
    assert not unwrapped, "tables outside {% scrolling_table %}:\n" + "\n".join(unwrapped)
