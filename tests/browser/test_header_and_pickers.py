"""The header and the searchable pickers in a real browser (issue 15 C14, C16).

The header: on a desktop the account area sits beside the service name and the service
navigation (at most seven sections) is one line; at 320 px the navigation folds behind a Menu
button that opens it. The pickers: with JavaScript the Monitoring Officer's "Which officer?"
filters as they type and sends the officer chosen; a question with an error keeps GOV.UK's
red border and its message; names are shown as text; with JavaScript turned off the plain
select does the same job. axe-core checks the pages, and the Content-Security-Policy guard
(tests/browser/conftest.py) fails the test on any inline script or style.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.concerns.services import concern_propose_formal_action, concern_raise
from cases.enquiries.services import enquiry_file
from cases.models import Enquiry, Purpose
from people.models import ContactProhibition
from tests.browser.accessibility import Accessibility
from tests.browser.pickers import choose
from tests.browser.test_enquiry_journey import sign_in, sign_out, success_banner
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED = "rgb(212, 53, 28)"  # GOV.UK's error colour, #d4351c
ROW = """selector => [...document.querySelectorAll(selector)].map(e => {
  const r = e.getBoundingClientRect(); return {top: Math.round(r.top), bottom: Math.round(r.bottom)};
})"""


# --- The header (C16) ------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 1024])
def test_on_a_desktop_the_header_and_the_navigation_are_one_line_each(page: Page, org, width):
    page.set_viewport_size({"width": width, "height": 800})
    # The Monitoring Officer has the most sections (and the longest names); the others for their own.
    for username in ("monitoring.officer", "head", "councillor", "standards.member"):
        sign_in(page, username)
        items = page.evaluate(ROW, ".govuk-service-navigation__item")
        assert 1 <= len(items) <= 7, (username, len(items))
        assert len({item["top"] for item in items}) == 1, f"{username}: the navigation wraps at {width} px: {items}"
        (navigation,) = page.evaluate(ROW, ".govuk-service-navigation__list")
        assert navigation["bottom"] - navigation["top"] <= items[0]["bottom"] - items[0]["top"] + 1
        (name,) = page.evaluate(ROW, ".govuk-header__service-name")
        (account,) = page.evaluate(ROW, ".app-account-nav")
        assert account["top"] < name["bottom"] and account["bottom"] > name["top"], (
            f"{username}: the account area is not beside the service name at {width} px"
        )
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        sign_out(page)


def test_on_a_phone_the_menu_button_opens_the_navigation(page: Page, org):
    audit = Accessibility(page)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, "head")

    menu = page.get_by_role("button", name="Menu")
    queue = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Service queue")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(queue).to_be_hidden()
    assert page.evaluate("document.querySelector('header').scrollWidth") <= 320
    audit.check("home at 320 px, menu closed")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(queue).to_be_visible()
    audit.check("home at 320 px, menu open")
    queue.click()
    expect(page).to_have_url(re.compile(r"/work/service/$"))

    # The account area needs no menu: its links are in the header.
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    audit.assert_no_violations()


# --- The pickers (C14) -----------------------------------------------------------------------


@pytest.fixture
def officers(org):
    """Enough officers that a list is long, two that look alike, and one whose name is markup."""
    for _ in range(30):
        OfficerFactory(service=org.libraries, job_title="Library Assistant", line_manager=org.other_head)
    target = OfficerFactory(
        user__first_name="Rosalind", user__last_name="Pennington", job_title="Parks Officer", service=org.libraries
    )
    OfficerFactory(user__first_name="Ross", user__last_name="Penn", job_title="Porter", service=org.libraries)
    markup = OfficerFactory(user__first_name="<b>Bold</b>", user__last_name="Smith", job_title="Clerk", service=None)
    return {"target": target, "markup": markup}


@pytest.fixture
def at_sanction(org):
    """A concern about the councillor at stage 4, waiting for the Monitoring Officer's sanctions."""
    concern = concern_raise(
        raised_by=org.colleague.user,
        about_member=org.councillor,
        occurred_on=timezone.localdate(),
        what_happened="Shouted at me in the lobby.",
        feels_able_to_talk=False,
        safeguarding=True,
    )
    return concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="Repeated.")


def open_sanctions(page: Page, concern) -> None:
    page.goto(f"/concerns/{concern.reference}/sanctions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the sanctions")
    page.get_by_label(re.compile("Prohibition on contact")).check()
    page.get_by_role("radio", name="A named officer").check()
    page.get_by_label("The outcome the complainant is told").fill("The councillor may not contact the officer.")


def test_with_javascript_the_officer_picker_filters_as_you_type_and_sends_the_choice(
    page: Page, org, officers, at_sanction
):
    audit = Accessibility(page)
    target = officers["target"]
    sign_in(page, "monitoring.officer")
    open_sanctions(page, at_sanction)

    box = page.get_by_role("combobox", name="Which officer? (if a named officer)")
    expect(page.locator("select#id_officer-select")).to_be_hidden()  # the select is still there, hidden
    box.fill("penn")
    matches = page.get_by_role("listbox").get_by_role("option")
    expect(matches).to_have_text(["Ross Penn, Porter (Libraries)", "Rosalind Pennington, Parks Officer (Libraries)"])
    audit.check("record the sanctions, the officer picker open")
    # Several words, in any order.
    box.fill("parks penn")
    expect(matches).to_have_text(["Rosalind Pennington, Parks Officer (Libraries)"])
    box.fill("zzz")
    expect(page.get_by_role("listbox")).to_contain_text("No match")
    # A name is shown as the text it is, never as markup.
    box.fill("bold")
    expect(matches).to_have_text(["<b>Bold</b> Smith, Clerk"])
    expect(page.get_by_role("listbox").locator("b")).to_have_count(0)

    choose(page, "Which officer? (if a named officer)", f"{target.name}, Parks Officer (Libraries)", typed="rosalind")
    page.get_by_role("button", name="Record sanctions").click()
    expect(success_banner(page)).to_contain_text("Sanctions recorded on the register.")
    assert ContactProhibition.objects.get().officer == target
    audit.assert_no_violations()


@pytest.fixture
def enquiry(org):
    return enquiry_file(
        member=org.councillor, service=org.highways, subject="Streetlight out", details="Outside the school.",
        purpose=Purpose.INFORMATION,
    )  # fmt: skip


def test_with_javascript_a_picker_with_an_error_shows_it_and_what_is_seen_is_sent(page: Page, org, enquiry):
    audit = Accessibility(page)
    assert enquiry.owner == org.liaison
    sign_in(page, "liaison")
    page.goto(f"/enquiries/{enquiry.reference}/reassign/")
    page.get_by_role("button", name="Reassign").click()

    box = page.get_by_role("combobox", name="Who should own it?")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who should own the enquiry")
    expect(box).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    assert box.evaluate("e => getComputedStyle(e).borderTopColor") == RED
    expect(box).to_have_attribute("aria-describedby", re.compile(r"\bid_new_owner_1_error\b"))
    audit.check("reassign, with errors")
    # The error summary's link takes the focus to the box.
    page.locator(".govuk-error-summary").get_by_role("link", name="Choose who should own the enquiry").click()
    expect(box).to_be_focused()
    box.fill("engin")  # the message stays tied to the box while typing
    expect(box).to_have_attribute("aria-describedby", re.compile(r"\bid_new_owner_1_error\b"))

    # Chosen, then cleared: what the box shows (nothing) is what is sent.
    choose(page, "Who should own it?", str(org.colleague), typed="engin")
    box.fill("")
    page.get_by_role("button", name="Reassign").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who should own the enquiry")
    assert Enquiry.objects.get().owner == org.liaison

    choose(page, "Who should own it?", str(org.colleague), typed="engineer")
    page.get_by_role("button", name="Reassign").click()
    expect(success_banner(page)).to_be_visible()
    assert Enquiry.objects.get().owner == org.colleague
    audit.assert_no_violations()


def test_without_javascript_the_plain_select_works(chromium, live_server, org, officers, at_sanction, enquiry):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, "monitoring.officer")
        open_sanctions(page, at_sanction)
        picker = page.get_by_label("Which officer? (if a named officer)")
        assert picker.evaluate("e => e.tagName") == "SELECT"
        expect(page.get_by_role("combobox", name="Which officer? (if a named officer)")).to_have_count(1)
        picker.select_option(label=f"{officers['target'].name}, Parks Officer (Libraries)")
        page.get_by_role("button", name="Record sanctions").click()
        expect(success_banner(page)).to_contain_text("Sanctions recorded on the register.")
        assert ContactProhibition.objects.get().officer == officers["target"]
        sign_out(page)

        sign_in(page, "liaison")
        page.goto(f"/enquiries/{enquiry.reference}/reassign/")
        page.get_by_role("button", name="Reassign").click()
        select = page.get_by_label("Who should own it?")
        assert select.evaluate("e => e.tagName") == "SELECT"
        assert select.evaluate("e => getComputedStyle(e).borderTopColor") == RED
        select.select_option(label=str(org.colleague))
        page.get_by_role("button", name="Reassign").click()
        expect(success_banner(page)).to_be_visible()
        assert Enquiry.objects.get().owner == org.colleague
    finally:
        context.close()
