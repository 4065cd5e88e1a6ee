"""Concerns up the ladder in a real browser, driven by the words on the pages (DESIGN §4–§5).

1. An officer raises a concern about a councillor; talking directly does not help; the
   Head of Service sends it to the Monitoring Officer, who reviews it with the Whip (the
   Whip adds a note, which the Monitoring Officer reads and the complainant never sees) and
   records a formal sanction: a contact prohibition with that officer. The Whip can then no
   longer add notes. The councillor's next enquiry to the officer's service then goes to the
   Monitoring Officer's office, and the councillor is told why (000 §VIII, DESIGN §5).
2. A councillor's concern about an officer is resolved at line management, and the
   councillor reads the outcome (001 §6.1, §6.2).

axe-core checks every page on the way against WCAG 2.2 AA.
"""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Concern, ConcernState, Enquiry
from people.models import ContactProhibition
from tests.browser.accessibility import Accessibility
from tests.browser.pickers import choose
from tests.browser.test_enquiry_journey import sign_in, sign_out, status_tag, success_banner
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(org):
    # A transactional test's flush empties the behaviours list its data migration seeded.
    import_module("cases.migrations.0004_behaviours").add_behaviours(apps, None)
    whip = MemberFactory(
        user__username="whip", user__first_name="Daniel", user__last_name="Okafor", wards=[org.ward],
        group=org.councillor.group,
    )  # fmt: skip
    org.councillor.group.whips.add(whip)
    org.whip = whip
    return org


def fill_date(page: Page, day) -> None:
    page.get_by_label("Day").first.fill(str(day.day))
    page.get_by_label("Month").first.fill(str(day.month))
    page.get_by_label("Year").first.fill(str(day.year))


def open_concern(page: Page, reference: str) -> None:
    page.get_by_role("link", name="Concerns", exact=True).click()
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.locator(".govuk-caption-l")).to_have_text(reference)


def test_a_concern_climbs_to_a_contact_prohibition_that_reroutes_enquiries(page: Page, people):
    org = people
    audit = Accessibility(page)
    today = timezone.localdate()

    # --- The officer raises a concern about the councillor -------------------------------
    sign_in(page, "liaison")
    page.get_by_role("link", name="Concerns", exact=True).click()
    audit.check("concerns, none yet (officer)")
    page.get_by_role("link", name="Raise a concern").click()
    audit.check("raise a concern")
    page.get_by_role("button", name="Raise concern").click()
    expect(page).to_have_title(re.compile(r"^Error: Raise a concern"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    audit.check("raise a concern, with errors")

    choose(page, "Which councillor is your concern about?", f"{org.councillor} (Civic Party)")
    page.locator("input[name=duties][value=no]").check()
    fill_date(page, today)
    page.get_by_label("What happened?").fill("The councillor shouted at me in the lobby about the Mill Lane pothole.")
    page.get_by_label("Bullying, harassment or intimidation").check()
    page.locator("input[name=feels_able_to_talk][value=yes]").check()
    page.get_by_role("button", name="Raise concern").click()

    concern = Concern.objects.get()
    reference = concern.reference
    expect(success_banner(page)).to_contain_text(
        f"Concern {reference} recorded. The first step is a direct conversation"
    )
    expect(status_tag(page)).to_contain_text("Stage 1")
    audit.check("concern, stage 1 (complainant)")

    # --- Talking did not help: line management ------------------------------------------
    page.get_by_role("link", name="Talking directly did not help: take it to line management").click()
    audit.check("escalate to line management")
    page.get_by_label("What happened when you talked, and why did it not settle things?").fill(
        "I tried to talk to the councillor after the meeting; they repeated it in front of colleagues."
    )
    page.get_by_role("button", name="Take it to line management").click()
    expect(success_banner(page)).to_contain_text(
        f"{reference} is now at Stage 2: line management, with {org.head.name}"
    )
    sign_out(page)

    # --- The Head of Service sends it to the Monitoring Officer --------------------------
    sign_in(page, "head")
    open_concern(page, reference)
    audit.check("concern, stage 2 (head of service)")
    page.get_by_role("link", name="Add a note").click()
    page.get_by_label("Note").fill("Spoke to the Group Leader (002); no change in behaviour.")
    page.get_by_role("button", name="Add note").click()
    expect(success_banner(page)).to_contain_text("Note added.")
    page.get_by_role("link", name="Send to the Monitoring Officer").click()
    audit.check("escalate to the monitoring officer")
    page.get_by_label("Why can line management not settle it?").fill("A second incident after I spoke to the Leader.")
    page.get_by_role("button", name="Send to the Monitoring Officer").click()
    expect(success_banner(page)).to_contain_text(f"{reference} is now at Stage 3: Monitoring Officer review")
    sign_out(page)

    # --- The Whip joins the review, sees their part and adds a note (issue 15 C13) ----------
    sign_in(page, "whip")
    open_concern(page, reference)
    expect(status_tag(page)).to_contain_text("Stage 3")
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        f"You are reviewing this concern as Whip, Civic Party, with {org.monitoring.name}, Monitoring Officer, "
        "who leads the review"
    )
    reviewed_by = page.locator(".govuk-summary-list__row", has_text="Reviewed by")
    expect(reviewed_by).to_contain_text(f"{org.monitoring.name}, Monitoring Officer: leads the review")
    expect(reviewed_by).to_contain_text("Cllr Daniel Okafor, Whip, Civic Party")
    audit.check("concern, stage 3 (whip)")
    page.get_by_role("link", name="Add a note").click()
    audit.check("add a note (whip)")
    page.get_by_role("button", name="Add note").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a note"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the note")
    audit.check("add a note, with errors (whip)")
    page.get_by_label("Note").fill("Spoke to the councillor after the group meeting: they accept they shouted.")
    page.get_by_role("button", name="Add note").click()
    expect(success_banner(page)).to_contain_text("Note added.")
    expect(page.get_by_text("they accept they shouted")).to_be_visible()
    sign_out(page)

    # --- The Monitoring Officer triages it and records a contact prohibition -------------
    sign_in(page, "monitoring.officer")
    page.get_by_role("link", name="Monitoring Officer", exact=True).click()
    audit.check("triage queue")
    page.get_by_role("link", name=reference, exact=True).click()
    audit.check("concern, stage 3 (monitoring officer)")
    expect(page.get_by_text("Spoke to the Group Leader (002)")).to_be_visible()
    # The Whip's note, with who wrote it.
    whips_note = page.locator(".app-timeline li", has_text="they accept they shouted")
    expect(whips_note).to_contain_text("Daniel Okafor")
    expect(whips_note).to_contain_text("Internal")
    page.get_by_role("link", name="Propose formal action").click()
    audit.check("propose formal action")
    page.get_by_label("Why is formal action needed?").fill("Repeated intimidation of a junior officer.")
    page.get_by_role("button", name="Move to stage 4").click()
    expect(status_tag(page)).to_contain_text("Stage 4")

    page.get_by_role("link", name="Record the sanctions").click()
    audit.check("record the sanctions")
    page.get_by_role("button", name="Record sanctions").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    audit.check("record the sanctions, with errors")
    page.get_by_label(re.compile("Prohibition on contact")).check()
    page.get_by_role("radio", name="A named officer").check()
    choose(page, "Which officer? (if a named officer)", f"{org.liaison.name}, Liaison Officer (Highways)")
    page.get_by_label("The outcome the complainant is told").fill(
        "The councillor may not contact you for six months; their enquiries go through the Monitoring Officer."
    )
    page.get_by_role("button", name="Record sanctions").click()
    expect(success_banner(page)).to_contain_text("Sanctions recorded on the register.")
    expect(status_tag(page)).to_have_text("Formal action taken")
    page.get_by_role("link", name="Monitoring Officer", exact=True).click()
    page.goto("/monitoring/sanctions/")
    expect(page.locator("main")).to_contain_text(org.liaison.name)
    audit.check("sanctions register")
    sign_out(page)

    prohibition = ContactProhibition.objects.get()
    assert (prohibition.member, prohibition.officer, prohibition.starts_on) == (org.councillor, org.liaison, today)

    # --- The review has ended: the Whip reads it, and can add nothing more ------------------
    sign_in(page, "whip")
    open_concern(page, reference)
    expect(page.locator(".govuk-inset-text").first).to_contain_text("The review has ended (Formal action taken")
    expect(page.get_by_role("link", name="Add a note")).to_have_count(0)
    page.goto(f"/concerns/{reference}/note/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot add a note")
    expect(page.locator("main")).to_contain_text("notes can no longer be added")
    audit.check("add a note, after the review ended (whip)")
    sign_out(page)

    # --- The complainant reads the outcome, not the Whip's note (001 §6.1) ----------------
    sign_in(page, "liaison")
    open_concern(page, reference)
    expect(page.locator("main")).to_contain_text("The councillor may not contact you for six months")
    expect(page.locator("main")).not_to_contain_text("they accept they shouted")
    expect(page.locator("main")).not_to_contain_text("Daniel Okafor")
    sign_out(page)

    # --- The councillor's next enquiry to Highways goes to the Monitoring Officer -------
    sign_in(page, "councillor")
    page.get_by_role("link", name="My enquiries", exact=True).click()
    page.get_by_role("link", name="File a new enquiry").click()
    page.get_by_label("Subject", exact=True).fill("Gritting on Mill Lane")
    page.get_by_label("What do you want to know?").fill("Will Mill Lane be gritted this winter?")
    page.get_by_label("Which service is it about?").select_option(label="Highways")
    page.get_by_label("General information").check()
    page.get_by_role("button", name="Send enquiry").click()
    # Issue 15 A5: the banner says why, not only whom.
    expect(success_banner(page)).to_contain_text(
        f"sent to {org.monitoring.name}, Monitoring Officer, the Monitoring Officer's office, because a contact "
        f"prohibition is in force (no contact with {org.liaison.name}"
    )
    expect(page.locator("main")).to_contain_text("because a contact prohibition is in force")
    audit.check("enquiry routed to the monitoring officer's office (councillor)")
    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    expect(page.locator("main")).to_contain_text("your enquiry has been received")
    audit.check("notifications (councillor)")

    enquiry = Enquiry.objects.get()
    assert enquiry.owner == org.monitoring
    audit.assert_no_violations()


def test_a_councillors_concern_is_resolved_by_line_management(page: Page, people):
    org = people
    audit = Accessibility(page)

    # --- The councillor raises a concern about an officer, not feeling able to talk ---------
    sign_in(page, "councillor")
    page.get_by_role("link", name="Concerns", exact=True).click()
    page.get_by_role("link", name="Raise a concern").click()
    audit.check("raise a concern (councillor)")
    choose(page, "Which officer is your concern about?", f"{org.colleague.name}, Engineer (Highways)")
    page.locator("input[name=duties][value=no]").check()
    fill_date(page, timezone.localdate())
    page.get_by_label("What happened?").fill("The engineer criticised me in front of residents at a site visit.")
    page.get_by_label(re.compile(r"Dignity and courtesy")).check()
    page.locator("input[name=feels_able_to_talk][value=no]").check()
    page.get_by_role("button", name="Raise concern").click()

    concern = Concern.objects.get()
    reference = concern.reference
    expect(success_banner(page)).to_contain_text(f"It has gone to {org.head.name}")
    expect(status_tag(page)).to_contain_text("Stage 2")
    audit.check("concern, stage 2 (councillor)")
    sign_out(page)

    # --- The Head of Service resolves it with an outcome ------------------------------------
    sign_in(page, "head")
    open_concern(page, reference)
    page.get_by_role("link", name="Resolve with an outcome").click()
    audit.check("resolve a concern")
    page.get_by_role("button", name="Resolve concern").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    audit.check("resolve a concern, with errors")
    page.get_by_label(re.compile("outcome", re.IGNORECASE)).first.fill(
        "I have spoken to the engineer, who accepts the remark was unfair and will apologise in writing."
    )
    page.get_by_role("button", name="Resolve concern").click()
    expect(success_banner(page)).to_contain_text("Concern resolved. The complainant has been told the outcome.")
    sign_out(page)

    # --- The councillor reads the outcome (001 §6.1) -----------------------------------------
    sign_in(page, "councillor")
    open_concern(page, reference)
    expect(status_tag(page)).to_have_text("Resolved")
    expect(page.get_by_text("will apologise in writing").first).to_be_visible()
    audit.check("concern, resolved (councillor)")
    sign_out(page)

    concern.refresh_from_db()
    assert concern.state == ConcernState.RESOLVED
    audit.assert_no_violations()
