"""Headless Chromium (Debian's package) driven by Playwright's sync API against pytest-django's live server."""

import os

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, sync_playwright

# Playwright's sync API runs an event loop in the test's thread, so Django would refuse
# the test's own database queries (SynchronousOnlyOperation) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


# Reports every Content-Security-Policy violation as a console error. Chromium also logs
# "Refused to … because it violates the following Content Security Policy directive"
# itself; the event adds what it blocked where the log might not say. Playwright's init
# scripts are not subject to the page's policy.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`Content Security Policy violation: ${event.effectiveDirective} blocked `
    + `${event.blockedURI || 'inline code'} at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


class CspViolations(list):
    """Every Content-Security-Policy violation any page of a browser context reports."""

    def __init__(self, context: BrowserContext) -> None:
        super().__init__()
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.append(f"{message.page.url if message.page else '?'}: {message.text}")


@pytest.fixture
def page(chromium, live_server):
    """A page in a fresh context; the test fails (at teardown) if any page it opened broke
    the Content-Security-Policy, so every journey proves the pages need no inline code."""
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    violations = CspViolations(context)
    page = context.new_page()
    yield page
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture(autouse=True)
def plain_http_cookies(settings):
    # The live server runs with DEBUG off, so cookies default to Secure and the
    # browser would drop them over http://127.0.0.1.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
