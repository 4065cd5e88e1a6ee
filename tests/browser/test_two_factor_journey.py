"""Two-factor sign-in in a real browser (docs/security.md).

The Monitoring Officer signs in with a password and is sent to set up an authenticator
app: the page shows a QR code and the key as text, refuses an empty code, and takes the
app's code. At the next sign-in a wrong code is refused and the right one lets them in.
The test is the app: it computes the codes from the key the page shows. axe-core checks
every page against WCAG 2.2 AA.
"""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from people.models import AuditEvent
from tests.browser.test_enquiry_journey import Accessibility, sign_out
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


def app_code(key: bytes, *, steps_ahead: int = 0) -> str:
    return f"{totp(key, drift=steps_ahead):06d}"


def password_step(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def error_summary(page: Page):
    return page.locator(".govuk-error-summary")


def test_the_monitoring_officer_sets_up_two_factor_sign_in_and_signs_in_with_a_code(page: Page, org):
    audit = Accessibility(page)

    # --- Sent to set up, before anything else ----------------------------------------------
    password_step(page, "monitoring.officer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Your role means you sign in with a code")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    audit.check("set up two-factor sign-in")
    page.goto("/monitoring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")

    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page).to_have_title(re.compile(r"^Error: Set up two-factor sign-in"))
    expect(error_summary(page)).to_contain_text("Enter the 6-digit code from your authenticator app")
    audit.check("set up two-factor sign-in, with errors")

    key = b32decode(page.locator("#two-factor-key").inner_text().replace(" ", ""))
    page.get_by_label("Code from your authenticator app").fill(app_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page).to_have_url(re.compile(r"/monitoring/$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Two-factor sign-in is on")
    page.get_by_role("link", name="Your account", exact=True).click()
    page.get_by_role("link", name="Two-factor sign-in", exact=True).click()
    expect(page.locator(".govuk-tag")).to_have_text("On")
    expect(page.get_by_text("Your role needs two-factor sign-in, so it cannot be turned off.")).to_be_visible()
    audit.check("two-factor sign-in, on")
    sign_out(page)

    # --- The next sign-in asks for a code ----------------------------------------------------
    password_step(page, "monitoring.officer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    audit.check("enter your sign-in code")

    near = {app_code(key, steps_ahead=steps) for steps in range(-2, 4)}
    wrong = next(code for code in ("000000", "111111", "222222", "333333") if code not in near)
    page.get_by_label("Code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: Enter your sign-in code"))
    expect(error_summary(page)).to_contain_text("The code is not correct")
    audit.check("enter your sign-in code, with errors")

    # A wrong code makes the next try wait a second (django-otp's throttling).
    page.wait_for_timeout(1_100)
    # The set-up used the current step's code, and each code works once: the app's next one.
    page.get_by_label("Code from your authenticator app").fill(app_code(key, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.get_by_role("link", name="Monitoring Officer", exact=True).click()
    expect(page).to_have_url(re.compile(r"/monitoring/$"))

    kinds = set(AuditEvent.objects.filter(user=org.monitoring.user).values_list("kind", flat=True))
    assert {AuditEvent.Kind.TWO_FACTOR_SET_UP, AuditEvent.Kind.TWO_FACTOR_FAILED} <= kinds
    assert AuditEvent.Kind.TWO_FACTOR_VERIFIED in kinds
    assert audit.violations == [], "\n".join(audit.violations)
