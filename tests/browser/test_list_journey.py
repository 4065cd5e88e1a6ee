"""Finding your work and reassigning several enquiries at once (issue 15 C10, C12) in a real
browser, by the words on the pages: the Head of Highways filters the service queue by ward,
ticks two enquiries, finds a colleague in the searchable picker and reassigns both with a
reason; a councillor searches My enquiries. axe-core checks every page on the way against
WCAG 2.2 AA."""

import pytest
from playwright.sync_api import Page, expect

from cases.enquiries import services
from cases.models import Enquiry, Purpose, TimelineEvent
from tests.browser.accessibility import Accessibility
from tests.browser.pickers import choose
from tests.browser.test_cover_journey import switch_to
from tests.browser.test_enquiry_journey import sign_in, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def filed(org, subject: str, *, ward, member=None) -> Enquiry:
    return services.enquiry_file(
        member=member or org.councillor,
        service=org.highways,
        subject=subject,
        details="When will it be done?",
        purpose=Purpose.INFORMATION,
        ward=ward,
    )


def test_a_head_of_service_filters_the_queue_and_reassigns_two_enquiries(page: Page, org):
    audit = Accessibility(page)
    pothole = filed(org, "Pothole on Mill Lane", ward=org.ward)
    gully = filed(org, "Blocked gully on Mill Lane", ward=org.ward, member=org.councillor2)
    elsewhere = filed(org, "Overgrown verge on Hill Road", ward=org.other_ward)

    sign_in(page, "head")
    page.get_by_role("link", name="Service queue", exact=True).click()
    expect(page.get_by_role("table", name="Enquiries, soonest due first")).to_be_visible()
    audit.check("service queue")

    # Filter by ward: the verge in Hilltop leaves the list.
    page.get_by_label("Ward", exact=True).select_option(label=org.ward.name)
    page.get_by_role("button", name="Filter").click()
    table = page.get_by_role("table", name="Enquiries, soonest due first")
    expect(table).to_contain_text(pothole.reference)
    expect(table).to_contain_text(gully.reference)
    expect(table).not_to_contain_text(elsewhere.reference)
    audit.check("service queue filtered by ward")

    # Sent with nothing ticked: the error summary says what to do.
    page.get_by_role("button", name="Reassign the ticked enquiries").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick the enquiries to reassign")
    audit.check("service queue, reassigning nothing")

    page.get_by_label(f"Reassign {pothole.reference}").check()
    page.get_by_label(f"Reassign {gully.reference}").check()
    choose(page, "Who should own them?", str(org.colleague), typed=org.colleague.user.last_name)
    page.get_by_label("Why?", exact=True).fill("The engineer is looking after drainage on Mill Lane.")
    page.get_by_role("button", name="Reassign the ticked enquiries").click()
    expect(success_banner(page)).to_contain_text(f"2 enquiries reassigned to {org.colleague.name}")
    # Back on the queue, still filtered by the ward.
    expect(page.get_by_label("Ward", exact=True)).to_have_value(str(org.ward.pk))
    audit.check("service queue after reassigning")

    for enquiry in (pothole, gully):
        enquiry.refresh_from_db()
        assert enquiry.owner == org.colleague
        assert enquiry.timeline.filter(kind=TimelineEvent.Kind.REASSIGNED).count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.owner == org.liaison

    # --- A councillor searches My enquiries ------------------------------------------------
    switch_to(page, "councillor")
    page.get_by_role("link", name="My enquiries", exact=True).click()
    page.get_by_label("Search by reference, subject, councillor or ward").fill("verge")
    page.get_by_role("button", name="Filter").click()
    table = page.get_by_role("table", name="Your enquiries, newest received first")
    expect(table).to_contain_text(elsewhere.reference)
    expect(table).not_to_contain_text(pothole.reference)
    audit.check("my enquiries searched")
    page.get_by_label("Search by reference, subject, councillor or ward").fill("swimming pool")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("None of your enquiries match.")).to_be_visible()
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("table", name="Your enquiries, newest received first")).to_contain_text(pothole.reference)
    audit.assert_no_violations()
