"""The accessibility statement says what was tested and how (issue 7), in the GOV.UK model's
order, and keeps in step with the tests that do the testing (tests/browser/)."""

import re
from datetime import datetime
from importlib.metadata import version

import pytest
from django.urls import reverse
from django.utils import timezone

from protocol_portal.demo import DEMO_ACCOUNTS
from tests.browser.accessibility import AXE_CORE_VERSION, AXE_TAGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(client, settings) -> str:
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@northbridge.example"
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("‘", "'").replace("’", "'").split())


def test_it_follows_the_gov_uk_model_statement(statement):
    assert re.findall(r'<h2 class="govuk-heading-m">(.*?)</h2>', statement) == [
        "How accessible this portal is",
        "Feedback and contact information",
        "Reporting accessibility problems with this portal",
        "Enforcement procedure",
        "Technical information about this portal’s accessibility",
        "Non-accessible content",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]
    text = text_of(statement)
    assert "Accessibility statement for the Northbridge City Council Protocol Portal" in text
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018" in text
    assert "Equality Advisory and Support Service (EASS)" in text


def test_it_targets_wcag_2_2_aa_and_says_what_does_not_meet_it(statement):
    text = text_of(statement)
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    non_compliance = text.split("Non-compliance with the accessibility regulations")[1].split("Disproportionate")[0]
    # tests/browser/test_accessibility_crawl.py ADMIN_EXCLUDED, and the PDF's charts.
    assert "administration pages" in non_compliance
    assert "4.1.2" in non_compliance
    assert "annual report's PDF" in non_compliance
    assert "1.1.1" in non_compliance


def test_it_says_how_to_report_a_problem(statement):
    assert statement.count('href="mailto:access@northbridge.example"') == 2
    assert "If you find any problems not listed on this page" in text_of(statement)


def test_it_names_the_checks_the_tests_run(statement):
    text = text_of(statement)
    assert f"axe-core {AXE_CORE_VERSION}, run by axe-playwright-python {version('axe-playwright-python')}" in text
    assert f"the rules tagged {', '.join(AXE_TAGS[:-1])} and {AXE_TAGS[-1]}" in text
    assert "WCAG 2.0, 2.1 and 2.2 at levels A and AA" in text


def test_it_says_what_was_tested_and_how(statement):
    text = text_of(statement)
    # tests/browser/test_accessibility_crawl.py
    assert f"signs in as each of its {len(DEMO_ACCOUNTS)} demonstration accounts" in text
    assert "It sends every form" in text
    assert "checks the page that shows the errors too" in text
    assert "the sign-in page, empty and with errors, the 'Page not found' and 'You cannot do this' pages" in text
    # tests/browser/reflow.py, run by the crawl; tests/browser/test_reflow.py
    assert "narrows the browser to 320 pixels" in text
    assert "A table too wide for the screen scrolls sideways in its own area" in text
    # tests/browser/test_keyboard_journey.py
    assert "files an enquiry as a councillor and answers it as an officer using only the keyboard" in text
    assert "moves the focus to the list of errors" in text
    # tests/browser/conftest.py
    assert "Chromium browser" in text


def test_it_dates_its_last_review(statement):
    dates = re.search(r"prepared on (\d+ \w+ \d{4})\. It was last reviewed on (\d+ \w+ \d{4})\.", text_of(statement))
    prepared, reviewed = (datetime.strptime(date, "%d %B %Y").date() for date in dates.groups())
    assert prepared <= reviewed <= timezone.localdate()
    assert f"last tested on {reviewed:%-d %B %Y}" in text_of(statement)
