"""An administrator reads the retention schedule and its runs in Django admin
(docs/retention.md). The list page, whose schedule is the portal's own markup,
passes axe (WCAG 2.2 AA); a run's page is Django's read-only change page, one of the kinds
tests/browser/test_accessibility_crawl.py checks."""

import pytest
from playwright.sync_api import expect

from protocol_portal.retention.services import retention_run
from tests.browser.accessibility import Accessibility, preload_axe
from tests.browser.test_accessibility_crawl import ADMIN_EXCLUDED
from tests.browser.test_enquiry_journey import sign_in
from tests.factories import UserFactory
from tests.retention.conftest import NOW, london, notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_reads_the_schedule_and_what_the_last_run_did(page, org):
    UserFactory(username="administrator", is_staff=True, is_superuser=True)
    notification(org, at=london(2030, 1, 1))
    retention_run(dry_run=True, trigger="command", now=NOW)
    # axe in every page from the start, as the crawl has it for the admin's pages.
    preload_axe(page.context)
    accessibility = Accessibility(page)
    sign_in(page, "administrator")

    page.goto("/admin/")
    page.get_by_role("link", name="Retention runs").click()
    expect(page.get_by_role("heading", name="The retention schedule")).to_be_visible()
    schedule = page.get_by_role("table", name="The retention schedule")
    expect(schedule.get_by_role("rowheader", name="The audit log")).to_contain_text("audit_log")
    row = schedule.get_by_role("row").filter(has_text="In-app notifications")
    expect(row).to_contain_text("1 year")
    expect(row).to_contain_text("Delete")
    accessibility.check("retention runs", exclude=list(ADMIN_EXCLUDED))

    page.get_by_role("rowheader", name="22 Nov 2032").get_by_role("link").click()
    expect(page.get_by_text("In-app notifications (and the e-mail outbox): 1 would be deleted")).to_be_visible()
    accessibility.assert_no_violations()
