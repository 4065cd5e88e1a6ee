"""A councillor's enquiries on a phone: the page reflows at 320 CSS px (WCAG 2.2 1.4.10, issue 15 C15).

At 390 px wide /enquiries/ was 600 px wide and its Overdue and Due soon tags were cut off at the
window's edge. Now the page never scrolls sideways: the table scrolls inside its own region, named
for the table, which a keyboard reaches and scrolls, with GOV.UK's focus style; and the tags, once
scrolled to, show whole. The accessibility crawl checks every page at 320 px the same way
(tests/browser/reflow.py); this pins the page the issue named even without it.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.enquiries.services import enquiry_file
from cases.models import Enquiry, Purpose
from tests.browser.accessibility import Accessibility
from tests.browser.reflow import REFLOW_WIDTH, reflow_problems
from tests.browser.test_enquiry_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YELLOW = "rgb(255, 221, 0)"  # GOV.UK's focus colour, #ffdd00


@pytest.fixture
def enquiries(org):
    """Three of the councillor's enquiries to Highways: one overdue, one due soon, one not yet."""
    now = timezone.now()
    for subject, due_at in (
        ("Pothole outside 124 Elm Road", now - timedelta(days=2)),
        ("Street lights out on Willow Close", now + timedelta(hours=1)),
        ("Dropped kerb for a resident of Brunswick Street", now + timedelta(days=30)),
    ):
        enquiry = enquiry_file(
            member=org.councillor,
            subject=subject,
            details="Reported by residents.",
            service=org.highways,
            purpose=Purpose.INFORMATION,
        )
        Enquiry.objects.filter(pk=enquiry.pk).update(due_at=due_at)
    return org


def test_it_shows_a_councillors_enquiries_at_320_px_without_scrolling_the_page(page: Page, enquiries):
    sign_in(page, "councillor")
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    page.goto("/enquiries/")

    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] == REFLOW_WIDTH
    assert reflow_problems(page) == []

    # The table scrolls in its own region, named for it, which the keyboard reaches.
    region = page.get_by_role("region", name="Your enquiries, newest received first")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region.get_by_role("table", name="Your enquiries, newest received first")).to_be_visible()
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the table fits: nothing to scroll"
    page.get_by_role("button", name="Filter").focus()  # the last control before the table (issue 15 C10)
    page.keyboard.press("Tab")
    expect(region).to_be_focused()
    assert YELLOW in region.evaluate("r => getComputedStyle(r).boxShadow"), "no visible focus style"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())

    # Scrolled to, each tag shows whole: inside the region and the window, its text not cut.
    for name in ("Overdue", "Due soon"):
        tag = region.locator(".govuk-tag").filter(has_text=re.compile(f"^{name}$"))
        expect(tag).to_have_count(1)
        tag.scroll_into_view_if_needed()
        box, frame = tag.bounding_box(), region.bounding_box()
        assert frame["x"] - 0.5 <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5, name
        assert box["x"] + box["width"] <= REFLOW_WIDTH, name
        assert tag.evaluate("t => t.scrollWidth <= t.clientWidth && t.scrollHeight <= t.clientHeight"), name

    # axe-core at this width too: its scrollable-region-focusable rule sees the region scroll.
    audit = Accessibility(page)
    audit.check("councillor /enquiries/ at 320 px")
    audit.assert_no_violations()
