"""The Standards Committee's dashboard in a real browser (DESIGN §7; 000 §II.A, 004).

A Standards Committee member sees the dashboard with its charts and tables and no
names anywhere on the page, reads how "answered by the date promised" is counted (issue 15
B7), sees a good month's rate as a band on the chart's line and in the table (B9), and
downloads a table as CSV and the annual report as PDF; the Monitoring Officer drills from a
figure down to the cases behind it, the agreed extensions among them. axe-core checks every
page against WCAG 2.2 AA.
"""

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.concerns import services as concern_services
from cases.enquiries.services import Agreement, enquiry_answer, enquiry_file, enquiry_hold
from cases.models import Enquiry, Marking, Purpose
from reporting import summaries
from reporting.periods import municipal_year_of
from tests.browser.accessibility import Accessibility
from tests.browser.test_enquiry_journey import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_good_month(org) -> None:
    """October 2026: twenty enquiries to Highways, two never answered, eighteen answered in time,
    two of them after a later date the councillor agreed to by phone (issue 15 A3). November:
    six, answered the next day."""
    october = datetime(2026, 10, 5, 9, tzinfo=ZoneInfo("Europe/London"))
    for number in range(20):
        enquiry = enquiry_file(
            member=org.councillor, subject=f"Bin not collected {number}", details="Missed again.",
            service=org.highways, purpose=Purpose.INFORMATION, now=october + timedelta(minutes=number),
        )  # fmt: skip
        if number < 2:
            enquiry = enquiry_hold(
                enquiry=enquiry, actor=org.liaison.user, reason="The crew's records.", target_on=date(2026, 10, 30),
                agreement=Agreement.RECORDED, agreement_note="By phone.", now=october + timedelta(days=1),
            )  # fmt: skip
        if number < 18:
            enquiry_answer(
                enquiry=Enquiry.objects.get(pk=enquiry.pk), actor=org.liaison.user, text="Collected.",
                marking=Marking.PUBLIC, contains_personal_data=False, now=october + timedelta(days=2),
            )  # fmt: skip
    november = october.replace(month=11, day=2)
    for number in range(6):
        enquiry = enquiry_file(
            member=org.councillor, subject=f"Gully blocked {number}", details="Flooding.",
            service=org.highways, purpose=Purpose.INFORMATION, now=november + timedelta(minutes=number),
        )  # fmt: skip
        enquiry_answer(
            enquiry=enquiry, actor=org.liaison.user, text="Cleared.", marking=Marking.PUBLIC,
            contains_personal_data=False, now=november + timedelta(days=1),
        )  # fmt: skip


@pytest.fixture
def history(org):
    """Seven enquiries to Highways (six answered), two concerns, all this municipal year; and
    October 2026's good month (a_good_month)."""
    a_good_month(org)
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

    # Issue 15 B7: the new figure beside the five working days, with how it is counted.
    promised = page.locator(".govuk-summary-list__row", has_text="Answered by the date promised")
    # 2 of 32 answered after it: fewer than 5, so the rate shows as its band (B9).
    expect(promised.locator("dd p").first).to_have_text("85% or more")
    promised.get_by_text("How this is counted").click()
    expect(promised.locator(".govuk-details__text")).to_contain_text("a later date the councillor agreed to")
    extensions = page.locator(".govuk-summary-list__row", has_text="Agreed extensions")
    expect(extensions.locator("dd p").first).to_have_text("fewer than 5")
    expect(page.locator("#table-promised")).to_contain_text("Answered by the date promised, by month")
    # Issue 15 B9: October's 2 missed of 20 are fewer than 5, so its rate shows as a band, the
    # same in the table and on the chart, whose line runs through it instead of stopping.
    october = page.locator("#table-by_month tr", has_text="October 2026")
    expect(october.locator("td").nth(3)).to_have_text("80% or more")
    trend = page.locator("svg#chart-trend")
    expect(trend.locator("rect.app-chart__band")).to_have_count(1)
    expect(trend.locator("text", has_text="≥80%")).to_have_count(1)
    assert trend.locator("path[stroke-dasharray]").count() >= 1  # the line, dashed to and from the band
    expect(trend.locator("desc")).to_contain_text("drawn as its band")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download this table \(CSV\).*Enquiries by month")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert ["October 2026", "20", "suppressed", "fewer than 5", "80% or more"] in rows

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
    page.get_by_role("link", name="33 – show the cases: Enquiries received").click()
    audit.check("drill-down: enquiries received")
    table = page.locator("main table")
    expect(table.locator("tbody tr")).to_have_count(33)
    expect(table).to_contain_text("Street light 0 out on Mill Lane")
    page.get_by_role("link", name="Back to the dashboard").click()
    # The agreed extensions, exact for the Monitoring Officer, lead to the enquiries they were agreed on.
    expect(page.locator("#table-by_month tr", has_text="October 2026").locator("td").nth(3)).to_have_text("90.0%")
    page.get_by_role("link", name="2 – show the cases: Agreed extensions").click()
    audit.check("drill-down: agreed extensions")
    expect(page.locator("main h1")).to_contain_text("later date with the councillor's agreement")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    sign_out(page)

    audit.assert_no_violations()
