"""Filing an enquiry and answering it with the keyboard alone (issue 7; WCAG 2.1.1, 2.4.1, 2.4.3,
2.4.7, 3.3.1).

A councillor signs in, files an enquiry and fixes its errors; the Liaison Officer signs in and
answers it. Nothing is clicked: Tab, Shift+Tab, Enter, Space, the arrow keys and typing only.
On the way the test asserts that the skip link is the first thing Tab reaches and moves the
focus to the main content; that Tab goes through each form's questions and button in the order
they are on the page (DOM order and top-to-bottom, left-to-right); that everything the focus
lands on shows the GOV.UK focus style (yellow #ffdd00), which it does not show unfocused; that
sending a form with errors moves the focus to the error summary; and that each link in the
summary moves the focus to its question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cases.models import Enquiry, EnquiryState, Marking, Purpose
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YELLOW = "rgb(255, 221, 0)"  # GOV.UK's focus colour, #ffdd00

# What has the focus, and how it looks focused and unfocused. GOV.UK draws a radio's or a
# checkbox's focus ring on its label's ::before (the input itself is invisible). The unfocused
# look is read from a copy placed beside it (ids and names removed, so the copy joins no radio
# group), because blurring the real element would move the keyboard's place on the page.
FOCUSED = """() => {
  const el = document.activeElement;
  const toggle = ['radio', 'checkbox'].includes(el.type);
  const look = (e, label) => [getComputedStyle(e), ...(label ? [getComputedStyle(label, '::before')] : [])]
    .map(s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.borderColor].join(' '))
    .join(' | ');
  let plain = null;
  if (el !== document.body && el.tagName !== 'MAIN') {
    const host = toggle ? el.parentElement : el;
    const copy = host.cloneNode(true);
    for (const e of [copy, ...copy.querySelectorAll('*')]) { e.removeAttribute('id'); e.removeAttribute('name'); }
    host.after(copy);
    plain = toggle ? look(copy.querySelector('input'), copy.querySelector('label')) : look(copy, null);
    copy.remove();
  }
  const rect = el.getBoundingClientRect();
  return {
    id: el.id, tag: el.tagName.toLowerCase(), type: el.type || '', className: String(el.className),
    text: (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
    label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : '',
    checked: !!el.checked, focused: look(el, toggle ? el.labels[0] : null), plain,
    top: rect.top + scrollY, left: rect.left + scrollX, width: rect.width, height: rect.height,
    order: [...document.querySelectorAll('*')].indexOf(el),
  };
}"""

# A form's tab stops in DOM order: each field (one per radio group: the chosen radio, or the
# first) and its button.
TAB_STOPS = """form => {
  const stops = [...form.elements].filter(e => !e.disabled && e.type !== 'hidden' && e.tagName !== 'FIELDSET');
  return stops.filter(e => e.type !== 'radio'
      || e === (stops.find(r => r.name === e.name && r.checked) || stops.find(r => r.name === e.name)))
    .map(e => e.id);
}"""


class Keyboard:
    """Presses keys, and keeps every element the focus lands on to check how it looks."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.seen: list[dict] = []  # every element the focus landed on
        self.unseen: list[str] = []  # those without a visible focus indicator

    def focused(self) -> dict:
        element = self.page.evaluate(FOCUSED)
        self.seen.append(element)
        if element["plain"] is not None:
            looks_focused = YELLOW in element["focused"] and element["focused"] != element["plain"]
            if not (looks_focused and element["width"] > 0 and element["height"] > 0):
                self.unseen.append(f"{self.page.url}: {element['tag']}#{element['id']} {element['text']!r}")
        return element

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        return self.focused()

    def press_to_next_page(self, key: str) -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state("load")

    def tab_to(self, matches: Callable[[dict], bool], *, shift: bool = False, limit: int = 60) -> list[dict]:
        """Tab (or Shift+Tab) until the focused element matches; every element passed on the way."""
        passed = []
        for _ in range(limit):
            passed.append(self.press("Shift+Tab" if shift else "Tab"))
            if matches(passed[-1]):
                return passed
        raise AssertionError(f"{limit} presses of Tab never reached it; passed {[e['text'] for e in passed]}")

    def skip_to_main_content(self) -> None:
        """On a page just opened, the skip link is the first thing Tab reaches, and Enter on it
        moves the focus to <main>."""
        skip = self.press("Tab")
        assert ("govuk-skip-link" in skip["className"], skip["text"]) == (True, "Skip to main content")
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main-content"

    def tab_through_form(self, button: str) -> list[dict]:
        """From <main>, Tab to the form's button; the fields passed are its tab stops in page order."""
        passed = self.tab_to(lambda e: e["text"] == button)
        stops = self.page.locator("main form").last.evaluate(TAB_STOPS)
        assert [element["id"] for element in passed] == stops
        orders = [element["order"] for element in passed]
        assert orders == sorted(orders), "the focus went back up the page"
        places = [(round(element["top"]), round(element["left"])) for element in passed]
        assert places == sorted(places), f"the focus does not go top to bottom, left to right: {places}"
        return passed

    def expect_error_summary_focused(self) -> None:
        expect(self.page).to_have_title(re.compile(r"^Error: "))
        self.page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
        self.focused()

    def follow_error_link(self, message: str, field_id: str, *, shift: bool = False) -> None:
        """Tab to the summary's link for ``message``; Enter moves the focus to the question."""
        self.tab_to(lambda e: e["text"] == message and "govuk-error-summary" not in e["className"], shift=shift)
        self.page.keyboard.press("Enter")
        self.page.wait_for_function(f"document.activeElement.id === {field_id!r}")
        self.focused()


def sign_in(keyboard: Keyboard, username: str) -> None:
    keyboard.page.goto("/sign-in/")
    keyboard.skip_to_main_content()
    assert keyboard.press("Tab")["label"] == "Username"
    keyboard.page.keyboard.type(username)
    assert keyboard.press("Tab")["label"] == "Password"
    keyboard.page.keyboard.type(PASSWORD)
    assert keyboard.press("Tab")["text"] == "Sign in"
    keyboard.press_to_next_page("Enter")
    expect(keyboard.page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def sign_out(keyboard: Keyboard) -> None:
    keyboard.tab_to(lambda e: e["text"] == "Sign out")
    keyboard.press_to_next_page("Space")
    expect(keyboard.page.get_by_role("heading", level=1)).to_have_text("Sign in")


def follow_link(keyboard: Keyboard, text: str) -> None:
    keyboard.tab_to(lambda e: e["tag"] == "a" and e["text"] == text)
    keyboard.press_to_next_page("Enter")


def test_a_councillor_files_an_enquiry_and_an_officer_answers_it_by_keyboard_alone(page: Page, org):
    keyboard = Keyboard(page)

    # --- The councillor files the enquiry ------------------------------------------------------
    sign_in(keyboard, "councillor")
    follow_link(keyboard, "My enquiries")
    follow_link(keyboard, "File a new enquiry")
    keyboard.skip_to_main_content()
    passed = keyboard.tab_through_form("Send enquiry")
    assert [element["label"] or element["text"] for element in passed][:4] == [
        "Subject",
        "What do you want to know?",
        "Which service is it about?",
        "Committee business",
    ]
    # Shift+Tab goes back the same way.
    assert keyboard.press("Shift+Tab")["id"] == passed[-2]["id"]
    assert keyboard.press("Tab")["text"] == "Send enquiry"
    keyboard.press_to_next_page("Enter")

    keyboard.expect_error_summary_focused()
    keyboard.follow_error_link("Enter a subject", "id_subject")
    page.keyboard.type("Pothole on Mill Lane")
    # Each link in the summary takes the focus to its question; the summary is above the form.
    keyboard.follow_error_link("Choose what the enquiry is for", "id_purpose_1", shift=True)
    for _ in range(3):  # the arrow keys choose a radio: Committee business, …, General information
        chosen = keyboard.press("ArrowDown")
    assert (chosen["label"], chosen["checked"]) == ("General information", True)
    keyboard.follow_error_link("Choose the service your enquiry is about", "id_service", shift=True)
    page.keyboard.press("ArrowDown")  # from "Choose a service" to the first service, Highways
    keyboard.follow_error_link("Enter the details of your enquiry", "id_details", shift=True)
    page.keyboard.type("When will the pothole outside number 12 be repaired?")
    keyboard.tab_to(lambda e: e["text"] == "Send enquiry")
    keyboard.press_to_next_page("Enter")

    enquiry = Enquiry.objects.get()
    assert (enquiry.subject, enquiry.service, enquiry.purpose) == (
        "Pothole on Mill Lane",
        org.highways,
        Purpose.INFORMATION,
    )
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Enquiry {enquiry.reference} sent")
    sign_out(keyboard)

    # --- The Liaison Officer answers it ---------------------------------------------------------
    sign_in(keyboard, "liaison")
    follow_link(keyboard, "My work")
    follow_link(keyboard, enquiry.reference)
    follow_link(keyboard, "Answer")
    keyboard.skip_to_main_content()
    passed = keyboard.tab_through_form("Send answer")
    assert [element["label"] or element["text"] for element in passed][:3] == [
        "Your answer",
        "Confidential",
        "The answer contains a constituent's personal data",
    ]
    keyboard.press_to_next_page("Enter")

    keyboard.expect_error_summary_focused()
    keyboard.follow_error_link("Enter your answer", "id_text")
    page.keyboard.type("The repair is booked for Monday.")
    keyboard.follow_error_link(
        "Say whether the answer is confidential or may be shared with the public", "id_marking_1", shift=True
    )
    chosen = keyboard.press("Space")
    assert (chosen["label"], chosen["checked"]) == ("Confidential", True)
    keyboard.tab_to(lambda e: e["text"] == "Send answer")
    keyboard.press_to_next_page("Enter")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Answer sent to the councillor.")
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.ANSWERED
    assert enquiry.answers.get().marking == Marking.CONFIDENTIAL
    kinds = {(element["tag"], element["type"]) for element in keyboard.seen}
    assert {("a", ""), ("input", "text"), ("textarea", "textarea"), ("select", "select-one")} <= kinds
    assert {("input", "radio"), ("input", "checkbox"), ("input", "file"), ("input", "submit")} <= kinds
    assert {("button", "submit"), ("div", "")} <= kinds  # signing out; the error summary
    assert not keyboard.unseen, "focused without a visible focus indicator:\n" + "\n".join(keyboard.unseen)
