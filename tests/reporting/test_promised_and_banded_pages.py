"""The dashboard, its CSV downloads and the annual report with issue 15's new figures: answered
by the date promised and the agreed extensions (B7), and a good month's on-time rate shown as
a band where the exact rate would give away its fewer than 5 missed (B9), in the table, the CSV
and the chart alike.

October 2026: 24 enquiries to Highways, 19 answered the next day, 5 never. November 2026: 31,
2 never answered, 29 answered in time, 5 of them after a later date agreed with the councillor
by phone (001 §7.4).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.enquiries.services import Agreement, enquiry_answer, enquiry_file, enquiry_hold
from cases.models import Enquiry, Marking, Purpose
from reporting import summaries
from reporting.disclosure import FEWER_THAN, TOO_FEW
from reporting.figures import COMMITTEE, dashboard
from reporting.periods import municipal_year
from tests.reporting.disclosure_checks import month_table_pinned
from tests.reporting.test_views import figure, read_csv, signed_in, table

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DASHBOARD = reverse("reporting:dashboard")


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"
    settings.HOLDING_REPLY_MAX_WORKING_DAYS = 10


def answer(enquiry: Enquiry, at: datetime) -> None:
    enquiry = Enquiry.objects.get(pk=enquiry.pk)
    enquiry_answer(
        enquiry=enquiry, actor=enquiry.owner.user, text="Done.", marking=Marking.PUBLIC,
        contains_personal_data=False, now=at,
    )  # fmt: skip


@pytest.fixture
def good_months(org):
    def file(at: datetime, n: int) -> Enquiry:
        return enquiry_file(
            member=org.councillor, subject=f"Street light {n}", details="Out again.", service=org.highways,
            purpose=Purpose.INFORMATION, now=at + timedelta(minutes=n),
        )  # fmt: skip

    october = [file(london(2026, 10, 5), n) for n in range(24)]
    for enquiry in october[:19]:
        answer(enquiry, london(2026, 10, 6))
    november = [file(london(2026, 11, 2), n) for n in range(31)]
    for enquiry in november[:24]:
        answer(enquiry, london(2026, 11, 3))
    for enquiry in november[24:29]:
        # Due 9 November; ten working days after it is 23 November: the 30th needs agreement.
        enquiry_hold(
            enquiry=Enquiry.objects.get(pk=enquiry.pk), actor=org.liaison.user, reason="Survey.",
            target_on=date(2026, 11, 30), agreement=Agreement.RECORDED, agreement_note="By phone.",
            now=london(2026, 11, 4),
        )  # fmt: skip
        answer(enquiry, london(2026, 11, 27))
    summaries.rebuild()


def test_the_committee_sees_a_good_month_as_a_band_that_gives_nothing_away(org, good_months):
    figures = dashboard(municipal_year(2026), audience=COMMITTEE)
    months = dict(figures.tables["by_month"].rows)
    # 2 of 31 missed: fewer than 5, and 29 of 31 would give them away; 27 of 31 is 87.1%.
    assert [cell.text for cell in months["November 2026"]] == ["31", "suppressed", FEWER_THAN, "85% or more"]
    # October's 5 missed are withheld beside November's (the year's 7 would give them away), and its
    # 19 on time with them: both hidden, neither small, so no band holds its rate.
    assert [cell.text for cell in months["October 2026"]] == ["24", "suppressed", "suppressed", TOO_FEW]
    assert [cell.text for cell in months["All"]] == ["55", "48", "7", "87.3%"]
    trend = dict(figures.trend)
    assert trend["Nov 2026"].band.text == "85% or more" and trend["Oct 2026"].band is None
    promised = dict(figures.tables["promised"].rows)
    assert [cell.text for cell in promised["November 2026"]] == ["suppressed", FEWER_THAN, "85% or more", "5"]
    assert [cell.text for cell in promised["All"]] == ["48", "7", "87.3%", "5"]
    # No hidden count of the month table that only one value fits, to a reader who knows the rule.
    assert month_table_pinned(figures.tables["by_month"]) == set()


def test_the_committees_dashboard_shows_the_new_figures_the_band_and_the_line_through_it(client, org, good_months):
    html = signed_in(client, org.standards_member).get(DASHBOARD).content.decode()
    assert figure(html, "Answered by the date promised") == "87.3%"
    assert figure(html, "Agreed extensions") == "5"
    for label in ("Answered by the date promised", "Agreed extensions"):
        assert f'How this is counted<span class="govuk-visually-hidden">: {label}</span>' in html
    assert table(html, "by_month")["November 2026"] == ["31", "suppressed", FEWER_THAN, "85% or more"]
    assert table(html, "promised")["November 2026"] == ["suppressed", FEWER_THAN, "85% or more", "5"]
    assert "Where an exact percentage would give a count of fewer than 5 away, it shows as a band" in html
    trend = html.split('id="chart-trend"')[1].split("</svg>")[0]
    # November drawn as its band, a range labelled "≥85%" with a hollow point at its middle (October is
    # withheld and December has no figure, so no line joins it).
    assert trend.count('class="app-chart__band"') == 1
    assert "≥85%" in trend
    assert 'fill="#ffffff"' in trend


def test_the_committees_csv_says_the_same_band(client, org, good_months):
    signed_in(client, org.standards_member)
    for slug, row in (
        ("by_month", ["November 2026", "31", "suppressed", FEWER_THAN, "85% or more"]),
        ("promised", ["November 2026", "suppressed", FEWER_THAN, "85% or more", "5"]),
    ):
        response = client.get(reverse("reporting:table_csv", args=[slug]), {"period": "2026-27"})
        assert row in read_csv(response)
    response = client.get(reverse("reporting:table_csv", args=["promised"]), {"period": "2026-27"})
    assert (
        response["Content-Disposition"] == 'attachment; filename="answered-by-the-date-promised-by-month-2026-27.csv"'
    )
    assert read_csv(response)[0] == [
        "Month",
        "By the date promised",
        "After it",
        "By the date promised %",
        "Agreed extensions",
    ]


def test_the_monitoring_officer_sees_every_number_and_the_enquiries_behind_the_extensions(client, org, good_months):
    html = signed_in(client, org.monitoring).get(DASHBOARD).content.decode()
    assert table(html, "by_month")["November 2026"] == ["31", "29", "2", "93.5%"]
    assert table(html, "promised")["November 2026"] == ["29", "2", "93.5%", "5"]
    assert "≥85%" not in html
    drill = reverse("reporting:drilldown")
    assert f'href="{drill}?period=2026-27&amp;metric=extended">5<' in html
    listed = client.get(drill, {"period": "2026-27", "metric": "extended"}).content.decode()
    assert listed.count("Street light ") == 5


def test_the_annual_report_compares_the_new_figures_and_prints_the_band(client, org, good_months):
    html = signed_in(client, org.standards_member).get(reverse("reporting:annual_report", args=[2026])).content.decode()
    summary = html.split('id="summary"')[1].split('id="enquiries"')[0]
    assert "Answered by the date promised" in summary
    assert "Later dates agreed with the councillor or approved by a manager" in summary
    assert "87.3%" in summary
    enquiries = html.split('id="enquiries"')[1].split('id="concerns"')[0]
    assert "Answered by the date promised, by month, 2026/27" in enquiries
    assert enquiries.count("85% or more") >= 2  # the month table and the promised table
    assert 'class="app-chart__band"' in enquiries
    annex = html.split("Annex: how these are counted")[1]
    assert "Agreed extensions" in annex and "it shows as a band" in annex
