"""Headless Chromium (Debian's package) driven by Playwright's sync API against pytest-django's live server."""

import os

import pytest
from playwright.sync_api import sync_playwright

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


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def plain_http_cookies(settings):
    # The live server runs with DEBUG off, so cookies default to Secure and the
    # browser would drop them over http://127.0.0.1.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
