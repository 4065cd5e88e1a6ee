"""Cover while away (issue 15 C11) in a real browser, by the words on the pages: the liaison
officer sets up cover from My work, finding their colleague in the searchable picker (issue 15
C14); a councillor's
new enquiry goes to the colleague; the colleague finds it and the liaison officer's own open
enquiry in My work and answers the latter, the timeline saying who covered; the liaison
officer comes back early and ends the cover, and the colleague no longer sees the enquiry
they did not act on. axe-core checks every page on the way against WCAG 2.2 AA."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.enquiries import services
from cases.models import Enquiry, Purpose
from tests.browser.accessibility import Accessibility
from tests.browser.pickers import choose
from tests.browser.test_enquiry_journey import sign_in, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def filed(org, subject: str) -> Enquiry:
    return services.enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject=subject,
        details="When will it be repaired?",
        purpose=Purpose.INFORMATION,
    )


def fill_date(page: Page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def switch_to(page: Page, username: str) -> None:
    """Sign in as someone else in the same browser (the sign-out button's place is the header's)."""
    page.context.clear_cookies()
    sign_in(page, username)


def test_an_officer_sets_up_cover_and_the_colleague_sees_and_answers_their_enquiry(page: Page, org):
    audit = Accessibility(page)
    today = timezone.localdate()
    waiting, untouched = filed(org, "Pothole on Mill Lane"), filed(org, "Broken street light")
    assert waiting.owner == org.liaison

    # --- The liaison officer sets up cover from My work --------------------------------------
    sign_in(page, "liaison")
    page.get_by_role("link", name="My work", exact=True).click()
    expect(page.get_by_text("Nobody covers for you, and you cover for nobody.")).to_be_visible()
    page.get_by_role("link", name="Set up cover while you are away").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cover while I am away")
    audit.check("cover while I am away")
    page.get_by_role("button", name="Set up cover").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the colleague who will cover")
    audit.check("cover while I am away, sent empty")

    choose(page, "Who will cover?", f"{org.colleague.name}, Engineer (Highways)", typed=org.colleague.user.last_name)
    fill_date(page, "First day", today)
    fill_date(page, "Last day", today + timedelta(days=4))
    page.get_by_role("button", name="Set up cover").click()
    expect(success_banner(page)).to_contain_text(f"{org.colleague.name} will cover for you")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("In force")
    audit.check("cover set up")

    # A councillor's new enquiry meanwhile goes to the colleague.
    arrived = filed(org, "Overgrown hedge on School Lane")
    assert arrived.owner == org.colleague

    # --- The colleague sees both in My work and answers the liaison officer's ---------------
    switch_to(page, "colleague")
    page.get_by_role("link", name="My work", exact=True).click()
    expect(page.get_by_text(f"You are covering for {org.liaison.name}")).to_be_visible()
    table = page.get_by_role("table", name="Open enquiries you own or cover")
    for enquiry in (waiting, untouched, arrived):
        expect(table.get_by_role("link", name=enquiry.reference, exact=True)).to_be_visible()
    audit.check("my work, covering")
    table.get_by_role("link", name=waiting.reference, exact=True).click()
    page.get_by_role("link", name="Answer", exact=True).click()
    audit.check("answer, as cover")
    page.get_by_label("Your answer").fill("The repair is booked for Monday.")
    page.get_by_label("May be shared with the public").check()
    page.get_by_role("button", name="Send answer").click()
    expect(success_banner(page)).to_contain_text("Answer sent to the councillor.")
    expect(
        page.get_by_text(f"Answered by {org.colleague.name}, covering for {org.liaison.name} while they are away.")
    ).to_be_visible()
    audit.check("answered, as cover")

    # --- Back early, the liaison officer ends the cover ---------------------------------------
    switch_to(page, "liaison")
    page.get_by_role("link", name="My work", exact=True).click()
    page.get_by_role("link", name="Set up cover while you are away").click()
    page.get_by_role("link", name=f"End early the cover by {org.colleague.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End cover early")
    audit.check("end cover early")
    page.get_by_role("button", name="End the cover now").click()
    expect(success_banner(page)).to_contain_text("has ended")

    # The colleague keeps the enquiry that came to them and the one they answered, and loses the other.
    switch_to(page, "colleague")
    page.get_by_role("link", name="My work", exact=True).click()
    expect(page.get_by_role("link", name=arrived.reference, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=untouched.reference, exact=True)).to_have_count(0)
    assert page.goto(untouched.get_absolute_url()).status == 404
    assert page.goto(waiting.get_absolute_url()).status == 200
    audit.assert_no_violations()
