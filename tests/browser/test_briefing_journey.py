"""A briefing offered to one political group appears as offered to every group (issue 8;
001 §9.5.2), in a real browser, by the words on the pages: an officer records it for one
group, the page shows the offer to all three, another group's leader sees their group's offer
and accepts it, and the Monitoring Officer finds a briefing a newly formed group was left out
of and offers it to them. axe-core checks every page added on the way against WCAG 2.2 AA."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Briefing, BriefingResponse
from people.services import role_groups_sync
from tests.browser.accessibility import Accessibility
from tests.browser.pickers import choose
from tests.browser.test_enquiry_journey import sign_in, sign_out, success_banner
from tests.factories import MemberFactory, PoliticalGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def parties(org):
    """Three groups: the councillor leads the Civic Party, councillor2 leads the Green Group,
    and the Residents Group has a whip; one independent councillor."""
    civic = org.councillor.group
    civic.leader = org.councillor
    civic.save()
    green = org.councillor2.group
    green.name = "Green Group"
    green.leader = org.councillor2
    green.save()
    residents = org.standards_member.group
    residents.name = "Residents Group"
    residents.save()
    residents.whips.set([MemberFactory(user__username="residents.whip", group=residents)])
    MemberFactory(user__username="independent", group=None)
    role_groups_sync()
    return {"civic": civic, "green": green, "residents": residents}


def offers_table(page: Page):
    return page.get_by_role("table", name="Offers to the political groups")


def test_a_briefing_offered_to_one_group_appears_as_offered_to_every_group(page: Page, org, parties):
    audit = Accessibility(page)
    day = timezone.localdate() + timedelta(days=14)

    # --- The liaison officer records a briefing offered to the Civic Party ----------------
    sign_in(page, "liaison")
    page.get_by_role("link", name="Briefings", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefings")
    audit.check("briefings, none yet (officer)")
    page.get_by_role("link", name="Record a briefing").click()
    audit.check("record a briefing")

    page.get_by_role("button", name="Record the briefing and offer it to every group").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what the briefing is about")
    audit.check("record a briefing, with errors")

    page.get_by_label("What is the briefing about?").fill("Highways capital programme 2027")
    page.get_by_label("A private briefing for the group").check()
    page.get_by_label("Which political group was it offered to?").select_option(label="Civic Party")
    choose(page, "Which officer is giving it?", f"{org.head.name}, {org.head.job_title}", typed=org.head.name)
    dates = page.get_by_role("group", name="Date of the briefing")
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))
    page.get_by_role("group", name="Is it for the group's leadership only?").get_by_label("No").check()
    page.get_by_role("button", name="Record the briefing and offer it to every group").click()

    briefing = Briefing.objects.get()
    expect(success_banner(page)).to_contain_text(
        f"Briefing {briefing.reference} recorded and offered to every political group (3)."
    )
    table = offers_table(page)
    for name in ("Civic Party", "Green Group", "Residents Group"):
        expect(table.get_by_role("rowheader", name=name)).to_be_visible()
    expect(table.get_by_text("No reply yet")).to_have_count(3)
    expect(page.get_by_text("Offered to every group", exact=True)).to_be_visible()
    audit.check("briefing, offered to every group (officer)")
    page.get_by_role("link", name="Back to briefings").click()
    expect(page.get_by_role("link", name=briefing.reference)).to_be_visible()
    audit.check("briefings, one (officer)")
    sign_out(page)

    # --- The Green Group's leader sees the offer to their group and accepts it ------------
    sign_in(page, "councillor2")
    page.get_by_role("link", name="See briefings offered to your group and record its response").click()
    expect(page.get_by_role("table")).to_contain_text("Green Group: No reply yet")
    audit.check("briefings offered to your group (leader)")
    page.get_by_role("link", name=briefing.reference).click()
    table = offers_table(page)
    expect(table.get_by_role("row", name="Green Group")).to_contain_text("No reply yet")
    expect(table.get_by_role("row", name="Civic Party")).to_contain_text("Offered the same")
    audit.check("briefing (another group's leader)")
    page.get_by_role("link", name="Record response for the Green Group").click()
    audit.check("record a group's response")
    page.get_by_label("Accepted").check()
    page.get_by_role("button", name="Record the response").click()
    expect(success_banner(page)).to_contain_text("Green Group's response recorded: accepted.")
    expect(offers_table(page).get_by_role("row", name="Green Group")).to_contain_text("Accepted")
    sign_out(page)

    # --- The Residents Group's whip was told, in the portal ---------------------------------
    sign_in(page, "residents.whip")
    page.get_by_role("link", name="Notifications (1)").click()
    page.get_by_role("link", name=f"{briefing.reference}: a briefing offered to the Residents Group").click()
    expect(offers_table(page).get_by_role("row", name="Residents Group")).to_contain_text("No reply yet")
    sign_out(page)

    # --- A group formed since is left out: the Monitoring Officer offers it to them ---------
    PoliticalGroupFactory(name="Breakaway Group", formed_on=timezone.localdate())
    sign_in(page, "monitoring.officer")
    page.get_by_role("link", name="See briefings not offered to every political group").click()
    expect(page.get_by_role("table")).to_contain_text("Breakaway Group")
    audit.check("briefings not offered to every group")
    page.get_by_role("link", name=briefing.reference).click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Not offered to every group: Breakaway Group")
    audit.check("briefing, a group left out (Monitoring Officer)")
    page.get_by_role("link", name="Offer it to the groups left out").click()
    audit.check("offer it to the groups left out")
    page.get_by_role("button", name="Offer it to the groups left out").click()
    expect(success_banner(page)).to_contain_text(f"{briefing.reference} offered to Breakaway Group.")
    expect(offers_table(page).get_by_role("rowheader")).to_have_count(4)
    page.get_by_role("link", name="Back to briefings").click()
    page.get_by_role("link", name="Briefings not offered to every group").click()
    expect(page.get_by_text("Every briefing was offered to every political group")).to_be_visible()
    audit.check("briefings not offered to every group, none")

    assert briefing.offers.get(group=parties["green"]).response == BriefingResponse.ACCEPTED
    audit.assert_no_violations()
