"""The Standards Committee's dashboard in a real browser (DESIGN §7; 000 §II.A, 004).

A Standards Committee member sees the dashboard with its charts and tables and no
names anywhere on the page, and downloads a table as CSV and the annual report as
PDF; the Monitoring Officer drills from a figure down to the cases behind it.
axe-core checks every page against WCAG 2.2 AA.
"""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.concerns import services as concern_services
from cases.enquiries.services import enquiry_answer, enquiry_file
from cases.models import Marking, Purpose
from reporting import summaries
from reporting.periods import municipal_year_of
from tests.browser.accessibility import Accessibility
from tests.browser.test_enquiry_journey import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def history(org):
    """Seven enquiries to Highways (six answered), two concerns, all this municipal year."""
    now = timezone.now()
    for number in range(7):
        enquiry = enquiry_file(
            member=org.councillor,
            subject=f"Street light {number} out on Mill Lane",
            details="Dark since Tuesday.",
            service=org.highways,
            purpose=Purpose.INFORMATION,
            now=now - timedelta(minutes=10 - number),
        )
        if number < 6:
            enquiry_answer(
                enquiry=enquiry, actor=org.liaison.user, text="Fixed.", marking=Marking.PUBLIC,
                contains_personal_data=False, now=now - timedelta(minutes=3),
            )  # fmt: skip
    for _ in range(2):
        concern_services.concern_raise(
            raised_by=org.liaison.user,
            about_member=org.councillor,
            occurred_on=date.today(),
            what_happened="Raised voice in the lobby.",
            feels_able_to_talk=False,
        )
    summaries.rebuild()
    return org


def names_in_the_data() -> list[str]:
    return [
        name
        for first, last in get_user_model().objects.values_list("first_name", "last_name")
        for name in (f"{first} {last}".strip(),)
        if name
    ]


def test_the_committee_reads_the_dashboard_and_the_monitoring_officer_drills_down(page: Page, history):
    audit = Accessibility(page)
    year = municipal_year_of(timezone.localdate())

    # --- A Standards Committee member: charts, tables, no names, CSV and PDF ---------------
    sign_in(page, "standards.member")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protocol dashboard")
    expect(page.locator(".govuk-caption-l").first).to_have_text("Standards Committee view")
    expect(page.locator("main svg[role=img]").first).to_be_visible()
    assert page.locator("main svg[role=img]").count() >= 3
    assert page.locator("main table").count() >= 8
    main = page.locator("main").inner_text()
    assert "fewer than 5" in main  # two concerns
    for name in names_in_the_data():
        assert name not in main, f"the committee's dashboard shows the name {name}"
    assert page.locator("main a[href*='/reports/cases/']").count() == 0  # no drill-down to cases
    audit.check("dashboard (standards committee)")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download this table \(CSV\).*Concerns opened")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert rows[0][0] != "" and ["All", "fewer than 5"] in rows
    assert download.value.suggested_filename.endswith(f"{year.key}.csv")

    page.get_by_role("link", name="Annual protocol-effectiveness reports (HTML and PDF)").click()
    audit.check("annual reports")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the {year.label} report as a PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF") and len(pdf) > 10_000
    assert download.value.suggested_filename == f"protocol-report-{year.key}.pdf"
    page.get_by_role("link", name=f"Report for {year.label}").click()
    expect(page.locator("main")).to_contain_text("Member-Officer Protocol")
    audit.check("annual report (html)")
    sign_out(page)

    # --- The Monitoring Officer drills from a figure to the cases behind it ----------------
    sign_in(page, "monitoring.officer")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.locator(".govuk-caption-l").first).to_have_text("Operational view")
    audit.check("dashboard (monitoring officer)")
    page.get_by_role("link", name="7 – show the cases: Enquiries received").click()
    audit.check("drill-down: enquiries received")
    table = page.locator("main table")
    expect(table.locator("tbody tr")).to_have_count(7)
    expect(table).to_contain_text("Street light 0 out on Mill Lane")
    sign_out(page)

    audit.assert_no_violations()
