"""Tables too wide for a phone scroll inside their own region (WCAG 2.2 1.4.10, issue 15 C15).

    {% load tables %}
    {% scrolling_table caption %}<table class="govuk-table">…</table>{% endscrolling_table %}

wraps the table in a ``role="region"`` named by the argument (the table's caption, or a shorter
name for it), with ``tabindex="0"`` so that a keyboard user can scroll it with the arrow keys
(axe-core's scrollable-region-focusable). static/portal/reflow.css lets the region scroll sideways
and gives it GOV.UK's focus style, so the page around it never scrolls sideways at 320 px.
Every table in templates/ is wrapped (tests/protocol_portal/test_tables.py).
"""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import format_html

register = template.Library()


class ScrollingTableNode(template.Node):
    def __init__(self, label: FilterExpression, nodelist: NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        return format_html(
            '<div class="app-table-region" role="region" aria-label="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def scrolling_table(parser: Parser, token: Token) -> ScrollingTableNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the table's name, usually its caption")
    nodelist = parser.parse(("endscrolling_table",))
    parser.delete_first_token()
    return ScrollingTableNode(parser.compile_filter(bits[1]), nodelist)
