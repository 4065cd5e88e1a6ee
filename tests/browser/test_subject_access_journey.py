"""A subject access request in a real browser (UK GDPR Art. 15; issue 8).

A Democratic Services administrator follows the link on their home page, is told what to
enter when they search for nothing, finds the councillor by name, is told to choose someone
when they press the button without, then downloads the ZIP; axe-core checks each page.
"""

import io
import re
import zipfile

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from people.models import AuditEvent
from people.roles import Role
from tests.browser.accessibility import Accessibility
from tests.browser.test_enquiry_journey import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_democratic_services_find_a_councillor_and_download_their_records(page: Page, org):
    audit = Accessibility(page)
    org.councillor.user.first_name, org.councillor.user.last_name = "Priya", "Shah"
    org.councillor.user.save()
    administrator = UserFactory(username="dem.services", first_name="Dana", last_name="Admin")
    administrator.groups.add(Group.objects.get_or_create(name=Role.DEMOCRATIC_SERVICES.label)[0])

    sign_in(page, "dem.services")
    page.get_by_role("link", name="Answer a subject access request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access export")
    audit.check("subject access export")

    page.get_by_role("button", name="Search").click()
    expect(page).to_have_title(re.compile(r"^Error: Subject access export"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name, username or e-mail address")
    audit.check("subject access export, empty search")

    page.get_by_label("Name, username or e-mail address").fill("shah")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Download the export (ZIP)").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the person the request is about")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    audit.check("subject access export, no person chosen")

    page.get_by_label("Priya Shah").check()
    page.get_by_label("Request reference (optional)").fill("SAR-2026-014")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export (ZIP)").click()

    assert re.fullmatch(r"subject-access-councillor-\d{4}-\d{2}-\d{2}\.zip", download.value.suggested_filename)
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as archive:
        readme = next(name for name in archive.namelist() if name.endswith("/README.txt"))
        assert "Priya Shah" in archive.read(readme).decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SUBJECT_ACCESS_EXPORT)
    assert event.user == administrator and event.detail.endswith("request reference SAR-2026-014")
    audit.assert_no_violations()
