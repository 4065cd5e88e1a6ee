"""An enquiry's whole life in a real browser, driven by the words on the pages (DESIGN §3).

A councillor files it; the liaison officer sends a holding reply, then a confidential
answer; the councillor follows up; the Head of Service declines the follow-up; the
councillor disputes; the Chief Executive directs an answer, which nobody may then decline
again (001 §7.4). A misrouted enquiry is moved to the service that answers it (issue 15
A2); an escalated one says where it stands (A4); a later date than the protocol allows is
asked for and agreed (A3). axe-core checks every page on the way
against WCAG 2.2 AA.
"""

import re
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.enquiries import services
from cases.enquiries.deadlines import enquiry_deadline_sweep
from cases.models import Enquiry, EnquiryState, Purpose
from escalation.calendar import council_calendar
from people.roles import Role, role_group_name
from tests.browser.accessibility import Accessibility
from tests.browser.pickers import choose
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(org):
    """org's people, with the role groups' view-everything permission checked after the
    previous transactional test's flush (post_migrate runs again after a flush)."""
    view = Permission.objects.get(content_type__app_label="cases", codename="view_enquiry")
    for role in (Role.CHIEF_EXECUTIVE, Role.MONITORING_OFFICER):
        assert view in Group.objects.get(name=role_group_name(role)).permissions.all()
    return org


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def success_banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def status_tag(page: Page):
    return page.locator("main .govuk-tag").first


def open_enquiry(page: Page, menu: str, reference: str) -> None:
    page.get_by_role("link", name=menu, exact=True).click()
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.locator(".govuk-caption-l")).to_have_text(reference)


def test_an_enquiry_from_filing_to_a_directed_answer(page: Page, people):
    org = people
    audit = Accessibility(page)

    # --- The councillor files an enquiry ---------------------------------------------
    page.goto("/sign-in/")
    audit.check("sign-in")
    sign_in(page, "councillor")
    audit.check("home (councillor)")
    page.get_by_role("link", name="My enquiries", exact=True).click()
    audit.check("my enquiries, none yet")
    page.get_by_role("link", name="File a new enquiry").click()
    audit.check("file an enquiry")

    page.get_by_role("button", name="Send enquiry").click()
    expect(page).to_have_title(re.compile(r"^Error: File an enquiry"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    subject_error = summary.get_by_role("link", name="Enter a subject")
    expect(subject_error).to_have_attribute("href", "#id_subject")
    page.wait_for_load_state("load")
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    assert "govuk-error-summary" in page.evaluate("document.activeElement.className")
    audit.check("file an enquiry, with errors")
    subject_error.click()
    assert page.evaluate("document.activeElement.id") == "id_subject"

    page.get_by_label("Subject", exact=True).fill("Pothole on Mill Lane")
    page.get_by_label("What do you want to know?").fill("When will the pothole outside number 12 be repaired?")
    page.get_by_label("Which service is it about?").select_option(label="Highways")
    page.get_by_label("General information").check()
    page.get_by_role("button", name="Send enquiry").click()

    enquiry = Enquiry.objects.get()
    reference, liaison = enquiry.reference, org.liaison
    due = f"{enquiry.due_on:%A %-d %B %Y}"
    expect(success_banner(page)).to_contain_text(
        f"Enquiry {reference} sent to {liaison.name}, Liaison Officer. It is due by the end of {due}."
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text(f"{liaison.name}, Liaison Officer")
    expect(page.locator(".govuk-summary-list")).to_contain_text(f"End of {enquiry.due_on:%A %-d %B %Y}")
    expect(status_tag(page)).to_have_text("Awaiting answer")
    audit.check("enquiry, awaiting answer (councillor)")
    page.get_by_role("link", name="My enquiries", exact=True).click()
    audit.check("my enquiries, one")
    sign_out(page)

    # --- The liaison officer sends a holding reply, then a confidential answer ----------
    sign_in(page, "liaison")
    page.get_by_role("link", name="My work", exact=True).click()
    audit.check("my work")
    page.get_by_role("link", name=reference, exact=True).click()
    audit.check("enquiry, awaiting answer (owner)")

    page.get_by_role("link", name="Send a holding reply").click()
    audit.check("holding reply form")
    target = council_calendar().next_working_day(timezone.localdate() + timedelta(days=1))
    page.get_by_label("Why can you not answer in full yet?").fill("The contractor's survey is due next week.")
    page.get_by_label("Day").fill(str(target.day))
    page.get_by_label("Month").fill(str(target.month))
    page.get_by_label("Year").fill(str(target.year))
    page.get_by_role("button", name="Send holding reply").click()
    expect(success_banner(page)).to_contain_text(f"Holding reply sent. The new target is {target:%A %-d %B %Y}.")
    expect(status_tag(page)).to_have_text("Holding reply sent")
    audit.check("enquiry, holding reply sent (owner)")

    page.get_by_role("link", name="Answer", exact=True).click()
    audit.check("answer form")
    page.get_by_label("Your answer").fill("The repair is booked for Monday. Please keep the date to yourself for now.")
    page.get_by_label("Confidential", exact=True).check()
    page.get_by_role("button", name="Send answer").click()
    expect(success_banner(page)).to_contain_text("Answer sent to the councillor.")
    expect(status_tag(page)).to_have_text("Answered")
    sign_out(page)

    # --- The councillor reads the answer and follows it up -----------------------------
    sign_in(page, "councillor")
    open_enquiry(page, "My enquiries", reference)
    expect(page.get_by_text("The repair is booked for Monday.")).to_be_visible()
    marking = page.locator(".govuk-inset-text")
    expect(marking).to_contain_text("This answer is marked Confidential.")
    expect(marking).to_contain_text("Treat it as confidential")
    audit.check("enquiry, answered (councillor)")

    page.get_by_role("link", name="Follow up (reopen)").click()
    audit.check("follow-up form")
    page.get_by_label("What is still unanswered?").fill("Which contractor, and will the road be closed?")
    page.get_by_role("button", name="Send follow-up").click()
    expect(success_banner(page)).to_contain_text("Follow-up sent.")
    expect(status_tag(page)).to_have_text("Awaiting answer")
    sign_out(page)

    # --- The Head of Service declines the follow-up -----------------------------------
    sign_in(page, "head")
    page.get_by_role("link", name="Service queue", exact=True).click()
    audit.check("service queue")
    page.get_by_role("link", name=reference, exact=True).click()
    audit.check("enquiry, reopened (head of service)")
    page.get_by_role("link", name="Decline as inappropriate").click()
    audit.check("decline form")
    page.get_by_label("Why is the enquiry inappropriate?").fill("Contractors' names are commercially confidential.")
    page.get_by_role("button", name="Decline enquiry").click()
    expect(success_banner(page)).to_contain_text("Enquiry declined.")
    expect(status_tag(page)).to_have_text("Declined")
    sign_out(page)

    # --- The councillor disputes the decline -------------------------------------------
    sign_in(page, "councillor")
    open_enquiry(page, "My enquiries", reference)
    expect(page.get_by_text("Contractors' names are commercially confidential.", exact=True)).to_be_visible()
    audit.check("enquiry, declined (councillor)")
    page.get_by_role("link", name="Dispute the decline").click()
    audit.check("dispute form")
    page.get_by_label("Why should the enquiry be answered?").fill("Residents need to know about the road closure.")
    page.get_by_role("button", name="Send dispute").click()
    expect(success_banner(page)).to_contain_text("Dispute sent to the Chief Executive")
    expect(status_tag(page)).to_have_text("Disputed")
    sign_out(page)

    # --- The Chief Executive directs an answer -----------------------------------------
    sign_in(page, "chief.executive")
    open_enquiry(page, "My work", reference)
    audit.check("enquiry, disputed (chief executive)")
    page.get_by_role("link", name="Decide the dispute").click()
    audit.check("decide form")
    page.get_by_label("Answer directed").check()
    page.get_by_label("Your reasons").fill("The closure affects residents; answer that part.")
    page.get_by_role("button", name="Record decision").click()
    # Issue 15 C17: who must answer, and by when.
    directed = Enquiry.objects.get(reference=reference)
    expect(success_banner(page)).to_contain_text(
        f"Decision recorded: an answer is directed. {liaison.name}, Liaison Officer, must answer by the end of "
        f"{directed.due_on:%A %-d %B %Y}."
    )
    expect(status_tag(page)).to_have_text("Awaiting answer")
    sign_out(page)

    # --- The councillor sees the decision ----------------------------------------------
    sign_in(page, "councillor")
    open_enquiry(page, "My enquiries", reference)
    expect(status_tag(page)).to_have_text("Awaiting answer")
    expect(page.get_by_text(f"Answer directed by {org.chief.name}")).to_be_visible()
    expect(page.get_by_text("The closure affects residents; answer that part.").first).to_be_visible()
    audit.check("enquiry, answer directed (councillor)")
    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    expect(page.get_by_role("link", name=f"{reference}: your enquiry has been received")).to_be_visible()
    audit.check("notifications")
    sign_out(page)

    # --- The ruling is final: the Head of Service cannot decline it again (001 §7.4) -------
    sign_in(page, "head")
    page.get_by_role("link", name="Service queue", exact=True).click()
    page.get_by_role("link", name=reference, exact=True).click()
    expect(status_tag(page)).to_have_text("Awaiting answer")
    expect(page.get_by_text(f"Answer directed by {org.chief.name}")).to_be_visible()
    expect(page.get_by_role("link", name="Decline as inappropriate")).to_have_count(0)
    audit.check("enquiry, answer directed (head of service)")

    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.owner) == (EnquiryState.SUBMITTED, org.liaison)
    audit.assert_no_violations()


def test_a_misrouted_enquiry_is_moved_to_the_service_that_answers_it(page: Page, people):
    # Issue 15 A2: the liaison officer moves it; the Head of Libraries finds it in their work,
    # due when it always was; the councillor reads who owns it now and why.
    org = people
    audit = Accessibility(page)
    enquiry = services.enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Library opening hours",
        details="Why does the Mill Road library close at four on Saturdays?",
        purpose=Purpose.INFORMATION,
    )
    reference, due = enquiry.reference, f"End of {enquiry.due_on:%A %-d %B %Y}"

    sign_in(page, "liaison")
    open_enquiry(page, "My work", reference)
    page.get_by_role("link", name="Move to another service").click()
    audit.check("move to another service form")
    page.get_by_role("button", name="Move enquiry").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the service that should answer the enquiry")
    expect(summary).to_contain_text("Enter why the enquiry belongs to that service")
    audit.check("move to another service form, with errors")
    choose(page, "Which service should answer it?", "Libraries")
    page.get_by_label("Why does it belong there?").fill("Opening hours are set by Libraries.")
    page.get_by_role("button", name="Move enquiry").click()
    expect(success_banner(page)).to_contain_text(
        f"Enquiry moved to Libraries. {org.other_head.name}, Head of Libraries, owns it now."
    )
    sign_out(page)

    sign_in(page, "other.head")
    open_enquiry(page, "My work", reference)
    summary_list = page.locator(".govuk-summary-list")
    expect(summary_list).to_contain_text("Libraries")
    expect(summary_list).to_contain_text(due)
    expect(page.get_by_role("link", name="Answer", exact=True)).to_be_visible()
    audit.check("enquiry, moved (new owner)")
    sign_out(page)

    sign_in(page, "councillor")
    open_enquiry(page, "My enquiries", reference)
    expect(page.locator(".govuk-summary-list")).to_contain_text(f"{org.other_head.name}, Head of Libraries")
    expect(page.get_by_text("Why: Opening hours are set by Libraries.")).to_be_visible()
    audit.check("enquiry, moved (councillor)")
    audit.assert_no_violations()


def test_the_councillor_sees_where_an_escalated_enquiry_stands(page: Page, people):
    # Issue 15 A4: unanswered by the end of the last working day, it has climbed once, to the
    # Head of Service. Filed on the day that makes that its deadline, whatever today is.
    org = people
    audit = Accessibility(page)
    calendar = council_calendar()
    missed_on = timezone.localdate() - timedelta(days=1)
    while not calendar.is_working_day(missed_on):
        missed_on -= timedelta(days=1)
    filed_on = missed_on
    while calendar.add_working_days(filed_on, 5) > missed_on:
        filed_on -= timedelta(days=1)
    enquiry = services.enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Broken streetlight on Mill Lane",
        details="The streetlight outside number 3 has been out for a month.",
        purpose=Purpose.INFORMATION,
        now=timezone.make_aware(datetime.combine(filed_on, time(10))),
    )
    assert enquiry.due_on == missed_on
    enquiry_deadline_sweep(now=enquiry.escalate_at)  # the first climb, and only that
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.head, 1)
    climbs = f"{timezone.localtime(enquiry.escalate_at):%A %-d %B %Y}"

    sign_in(page, "councillor")
    page.get_by_role("link", name="My enquiries", exact=True).click()
    row = page.get_by_role("row").filter(has_text=enquiry.reference)
    expect(row).to_contain_text(f"Missed {enquiry.due_on:%-d %b %Y}")
    expect(row).to_contain_text(f"Climbs {timezone.localtime(enquiry.escalate_at):%-d %b %Y}")
    expect(row).to_contain_text(org.head.name)
    audit.check("my enquiries, one escalated")
    page.get_by_role("link", name=enquiry.reference, exact=True).click()
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text(f"Deadline missed End of {enquiry.due_on:%A %-d %B %Y}")
    expect(summary).to_contain_text(f"Accountable now {org.head.name}, Head of Highways (escalated 1 time)")
    expect(summary).to_contain_text(f"Climbs next At the start of {climbs}, to {org.director.name}, Director of Place")
    audit.check("enquiry, escalated (councillor)")
    audit.assert_no_violations()


def test_a_later_date_than_the_protocol_allows_is_asked_for_and_agreed(page: Page, people):
    # Issue 15 A3: the liaison officer asks for a date beyond ten working days past the
    # deadline; the councillor agrees to it on the enquiry's page.
    org = people
    audit = Accessibility(page)
    enquiry = services.enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Resurfacing Mill Lane",
        details="When will Mill Lane be resurfaced?",
        purpose=Purpose.INFORMATION,
    )
    later = council_calendar().add_working_days(enquiry.due_on, 15)
    reference = enquiry.reference

    sign_in(page, "liaison")
    open_enquiry(page, "My work", reference)
    page.get_by_role("link", name="Send a holding reply").click()
    page.get_by_label("Why can you not answer in full yet?").fill("The resurfacing programme is set in spring.")
    page.get_by_label("Day").fill(str(later.day))
    page.get_by_label("Month").fill(str(later.month))
    page.get_by_label("Year").fill(str(later.year))
    page.get_by_role("button", name="Send holding reply").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("needs the councillor's agreement")
    audit.check("holding reply form, a later date needing agreement")
    page.get_by_label("Ask the councillor to agree").check()
    page.get_by_role("button", name="Send holding reply").click()
    expect(success_banner(page)).to_contain_text(f"The councillor has been asked to agree to {later:%A %-d %B %Y}.")
    expect(status_tag(page)).to_have_text("Awaiting answer")
    sign_out(page)

    sign_in(page, "councillor")
    open_enquiry(page, "My enquiries", reference)
    expect(page.locator(".govuk-inset-text").first).to_contain_text(f"the end of {later:%A %-d %B %Y}")
    audit.check("enquiry, a later date asked for (councillor)")
    page.get_by_role("link", name="Agree or not to the later date").click()
    audit.check("agree to a later date form")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Send").click()
    expect(success_banner(page)).to_contain_text(f"Agreed. The enquiry is now due by the end of {later:%A %-d %B %Y}.")
    expect(status_tag(page)).to_have_text("Holding reply sent")
    audit.check("enquiry, later date agreed (councillor)")
    audit.assert_no_violations()
