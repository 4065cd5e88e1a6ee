"""The 320 px check itself (tests/browser/reflow.py) finds what stops a page reflowing, and only that.

The accessibility crawl trusts it on every page; here it is shown small pages, each with one fault
or none, in Chromium at its standard size, which it must put back.
"""

import pytest

from tests.browser.reflow import reflow_problems

pytestmark = pytest.mark.browser

WIDE = '<div style="width: 400px">Wide</div>'
REGION = 'role="region" aria-label="Wide things" tabindex="0"'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>Fits.</p>", []),
        (WIDE, ["the page is 408 px wide in a 320 px window", 'sticking out: div "Wide" (8 to 408 px)']),
        (
            f'<div style="overflow: hidden">{WIDE}</div>',
            ['cut off: div "Wide" (8 to 408 px) in div "Wide" (8 to 312 px)'],
        ),
        (
            f'<div class="box" style="overflow-x: auto">{WIDE}</div>',
            ['scrolls sideways but is no named region with tabindex=0: div.box "Wide" (8 to 312 px)'],
        ),
        (f'<div style="overflow-x: auto" {REGION}>{WIDE}</div>', []),
        # Positioned text escapes a region that is not positioned, and widens the page.
        (
            f'<div style="overflow-x: auto" {REGION}><span style="position: absolute; left: 350px">Far</span></div>',
            ["the page is 371 px wide in a 320 px window", 'sticking out: span "Far" (350 to 371 px)'],
        ),
        (
            f'<div style="overflow-x: auto; position: relative" {REGION}>'
            '<span style="position: absolute; left: 350px">Far</span></div>',
            [],
        ),
        # GOV.UK's text for screen readers only: a 1 px box hiding its overflow.
        ('<span style="position: absolute; width: 1px; height: 1px; overflow: hidden">Screen reader text</span>', []),
    ],
)
def test_it_finds_what_stops_a_page_reflowing(chromium, body, expected):
    page = chromium.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.set_content(f"<!DOCTYPE html><html><body style='margin: 8px'>{body}</body></html>")
        problems = reflow_problems(page)
        assert page.viewport_size == {"width": 1280, "height": 720}
    finally:
        page.close()
    assert problems == expected
