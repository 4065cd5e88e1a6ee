"""The dashboard pages through Django's test client (issue 6; DESIGN §7): who sees which
view, disclosure control and no names for the Standards Committee, drill-down links and
the cases behind them for the Monitoring Officer, CSV downloads, the period and
directorate filters (with the 30 April / 1 May municipal-year boundary), and query
counts that do not grow with the data."""

import csv
import io
import re
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.concerns import services as cs
from cases.enquiries import services
from cases.enquiries.deadlines import enquiry_deadline_sweep
from cases.models import Behaviour, Enquiry, Marking, Purpose
from reporting import summaries
from reporting.dashboards.drilldown import Drill, concerns_behind, enquiries_behind
from reporting.dashboards.forms import DrilldownForm
from reporting.figures import OPERATIONAL, dashboard
from reporting.periods import municipal_year
from tests.factories import DirectorateFactory, OfficerFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DASHBOARD = reverse("reporting:dashboard")
DRILLDOWN = reverse("reporting:drilldown")


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


@pytest.fixture
def finance(org):
    """A second directorate, Resources, with its Finance service."""
    director = OfficerFactory(user__username="resources.director", job_title="Director of Resources", service=None)
    resources = DirectorateFactory(name="Resources", director=director)
    head = OfficerFactory(user__username="finance.head", job_title="Head of Finance", service=None)
    finance = ServiceFactory(name="Finance", directorate=resources, head_of_service=head)
    head.service = finance
    head.save()
    liaison = OfficerFactory(user__username="finance.liaison", job_title="Liaison Officer", service=finance)
    finance.liaison_officers.set([liaison])
    finance.liaison = liaison
    return finance


def file_enquiry(org, *, at: datetime, service=None, subject: str = "Pothole on Mill Lane") -> Enquiry:
    return services.enquiry_file(
        member=org.councillor,
        subject=subject,
        details="When will it be repaired?",
        service=service or org.highways,
        purpose=Purpose.INFORMATION,
        now=at,
    )


def answer(enquiry: Enquiry, *, at: datetime) -> Enquiry:
    return services.enquiry_answer(
        enquiry=enquiry,
        actor=enquiry.owner.user,
        text="Done.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
        now=at,
    )


def raise_concern(org, *, at: datetime, by=None, about=None, **kwargs):
    by = by or org.liaison.user
    about = about or org.councillor
    party = {"about_officer": about} if hasattr(about, "job_title") else {"about_member": about}
    return cs.concern_raise(
        raised_by=by,
        occurred_on=at.date() - timedelta(days=1),
        what_happened="Spoke to me rudely.",
        feels_able_to_talk=kwargs.pop("feels_able_to_talk", True),
        now=at,
        **party,
        **kwargs,
    )


@pytest.fixture
def year(org, finance):
    """A municipal year (2026/27) of cases, with the summaries rebuilt.

    Enquiries: Highways 7 received on Monday 1 June 2026 (5 answered the next day, 2 after
    the five working days); Finance 2 received on Wednesday 1 July 2026 (1 answered on
    time, 1 never: missed, and overdue now). Concerns raised in June 2026, with the
    stages each reached: A {1}; B {2, 3}; C {1} resolved; D {3, 4} (safeguarding);
    E {1} about the Monitoring Officer (who may not see it); F {1, 2}.
    """
    june = london(2026, 6, 1)
    highways = [file_enquiry(org, at=june, subject=f"Highways {n}") for n in range(7)]
    for enquiry in highways[:5]:
        answer(enquiry, at=june + timedelta(days=1))
    for enquiry in highways[5:]:
        answer(enquiry, at=june + timedelta(days=14))
    july = london(2026, 7, 1)
    on_time, unanswered = (file_enquiry(org, at=july, service=finance, subject=f"Finance {n}") for n in range(2))
    answer(on_time, at=july + timedelta(days=1))

    behaviours = list(Behaviour.objects.order_by("pk")[:2])
    mo = org.monitoring.user
    at = london(2026, 6, 10)
    concerns = {
        "A": raise_concern(org, at=at, behaviours=behaviours),
        "B": raise_concern(org, at=at, feels_able_to_talk=False),
        "C": raise_concern(org, at=at, by=org.councillor.user, about=org.liaison),
        "D": raise_concern(org, at=at, safeguarding=True, behaviours=behaviours[:1]),
        "E": raise_concern(org, at=at, by=org.councillor.user, about=org.monitoring),
        "F": raise_concern(org, at=at, by=org.councillor2.user, about=org.liaison),
    }
    later = at + timedelta(days=2)
    concerns["B"] = cs.concern_escalate(concern=concerns["B"], actor=mo, reason="Carries on.", now=later)
    concerns["C"] = cs.concern_resolve(
        concern=concerns["C"], actor=org.councillor.user, outcome="We talked.", now=later
    )
    concerns["D"] = cs.concern_propose_formal_action(concern=concerns["D"], actor=mo, reason="Serious.", now=later)
    concerns["F"] = cs.concern_escalate(concern=concerns["F"], actor=org.councillor2.user, reason="No.", now=later)
    summaries.rebuild()
    return {"highways": highways, "finance": [on_time, unanswered], "concerns": concerns}


def signed_in(client, person):
    client.force_login(person.user if hasattr(person, "user") else person)
    return client


def figure(html: str, label: str) -> str:
    """A headline figure as the page shows it."""
    match = re.search(
        rf'<dt class="govuk-summary-list__key">{re.escape(label)}</dt>\s*<dd[^>]*>\s*<p[^>]*>\s*(?:<a [^>]*>)?([^<]+)',
        html,
    )
    assert match, f"No figure {label!r} on the page"
    return match.group(1).strip()


def table(html: str, slug: str) -> dict[str, list[str]]:
    """A dashboard table as the page shows it: row label → cell texts."""
    found = re.search(rf'<table [^>]*id="table-{slug}">(.*?)</table>', html, re.S)
    assert found, f"No table {slug!r} on the page"
    rows = {}
    for row in re.findall(r"<tr [^>]*>(.*?)</tr>", found.group(1), re.S)[1:]:
        label = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        cells = re.findall(r"<td [^>]*>(.*?)</td>", row, re.S)
        if label:
            rows[label.group(1).strip()] = [re.sub(r"<span.*?</span>|<[^>]+>", "", cell).strip() for cell in cells]
    return rows


def case_references(html: str) -> set[str]:
    return set(re.findall(r'<a class="govuk-link" href="/(?:enquiries|concerns)/[^"]+">([^<]+)</a>', html))


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- Who sees what ---------------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize("person", ["councillor", "liaison", "head", "director", "stranger"])
    def test_it_refuses_everyone_but_the_committee_and_the_statutory_officers(self, client, org, person):
        signed_in(client, getattr(org, person))
        assert client.get(DASHBOARD).status_code == 403
        assert client.get(reverse("reporting:table_csv", args=["by_service"])).status_code == 403
        assert client.get(DRILLDOWN, {"metric": "received"}).status_code == 403

    def test_it_sends_someone_signed_out_to_sign_in(self, client, org):
        response = client.get(DASHBOARD)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("person", ["standards_member", "monitoring", "chief"])
    def test_it_links_the_dashboard_from_the_header_for_those_who_may_see_it(self, client, org, person):
        html = signed_in(client, getattr(org, person)).get("/").content.decode()
        assert f'href="{DASHBOARD}">Reports</a>' in html
        assert client.get(DASHBOARD).status_code == 200

    @pytest.mark.parametrize("person", ["councillor", "liaison", "head"])
    def test_it_does_not_link_the_dashboard_for_anyone_else(self, client, org, person):
        html = signed_in(client, getattr(org, person)).get("/").content.decode()
        assert ">Reports</a>" not in html

    def test_it_keeps_the_cases_behind_the_figures_from_the_committee(self, client, org):
        signed_in(client, org.standards_member)
        assert client.get(DRILLDOWN, {"metric": "received"}).status_code == 403


# --- The committee's view --------------------------------------------------------------------


class TestCommitteeView:
    def test_it_shows_small_counts_as_fewer_than_5_and_no_names(self, client, org, year):
        html = signed_in(client, org.standards_member).get(DASHBOARD).content.decode()

        assert "Standards Committee view" in html
        assert figure(html, "Enquiries received") == "9"
        assert figure(html, "Concerns opened") == "6"
        directorates = table(html, "by_directorate")
        assert directorates["Resources"][:4] == ["fewer than 5", "fewer than 5", "fewer than 5", "too few to show"]
        assert table(html, "ladder")["Stage 4: formal sanction"] == ["fewer than 5"]
        # Not a name from the data anywhere on the page: councillors, officers, or anyone else.
        for user in get_user_model().objects.all():
            for name in (user.get_full_name(), user.first_name, user.last_name):
                assert not re.search(rf"\b{re.escape(name)}\b", html), f"{name!r} is on the committee's page"
        assert "Cllr" not in html
        # No links to cases, nor to the drill-down.
        assert DRILLDOWN not in html
        assert not re.search(r'href="/(enquiries|concerns)/[A-Z]', html)

    def test_it_explains_every_figure_and_table_and_offers_each_table_as_csv(self, client, org, year):
        html = signed_in(client, org.standards_member).get(DASHBOARD).content.decode()
        headline_labels = [
            "Enquiries received",
            "Overdue now",
            "Concerns opened",
            "Positive examples recorded",
            "Briefings not offered to every group",
        ]
        for label in headline_labels:
            assert f'How this is counted<span class="govuk-visually-hidden">: {label}</span>' in html
        slugs = [
            "by_month",
            "promised",
            "by_directorate",
            "by_service",
            "escalations",
            "concerns_by_kind",
            "ladder",
            "briefings",
        ]
        for slug in slugs:
            assert f'<table class="govuk-table app-table--figures" id="table-{slug}">' in html
            assert f'href="{reverse("reporting:table_csv", args=[slug])}?period=2026-27&amp;directorate="' in html
        assert html.count("Download this table (CSV)") == 10
        assert html.count("<caption ") == 10
        assert "Counts from 1 to 4 show as “fewer than 5”" in html

    def test_it_draws_the_charts_beside_their_tables(self, client, org, year):
        html = signed_in(client, org.standards_member).get(DASHBOARD).content.decode()
        for chart, slug in (
            ("chart-trend", "by_month"),
            ("chart-directorates", "by_directorate"),
            ("ladder", "ladder"),
        ):
            svg_at = html.index(f'id="{chart}' if chart != "ladder" else 'id="chart-ladder"')
            assert svg_at < html.index(f'id="table-{slug}"')
        assert html.count('role="img"') == 3
        assert "<script" not in html.split('<main class="govuk-main-wrapper"')[1].split("</main>")[0]

    def test_it_says_when_the_figures_were_last_refreshed(self, client, org, year):
        summaries.rebuild(now=london(2026, 11, 20, 9, 15))
        html = signed_in(client, org.standards_member).get(DASHBOARD).content.decode()
        assert "Figures last refreshed on 20 November 2026 at 09:15." in html

    def test_it_lets_the_chair_of_standards_see_the_committee_view(self, client, org, year):
        from people.models import Committee
        from people.services import role_groups_sync
        from tests.factories import MemberFactory

        chair = MemberFactory(user__username="standards.chair", wards=[org.other_ward])
        Committee.objects.filter(kind=Committee.Kind.STANDARDS).update(chair=chair)
        role_groups_sync()
        html = signed_in(client, chair).get(DASHBOARD).content.decode()
        assert "Standards Committee view" in html
        assert figure(html, "Concerns opened") == "6"
        assert DRILLDOWN not in html


# --- The operational view --------------------------------------------------------------------


class TestOperationalView:
    def test_it_shows_every_number_with_links_to_the_cases_behind_them(self, client, org, year, finance):
        html = signed_in(client, org.monitoring).get(DASHBOARD).content.decode()

        assert "Operational view" in html
        assert "fewer than 5" not in html
        directorates = table(html, "by_directorate")
        assert directorates["Resources"][:4] == ["2", "1", "1", "50.0%"]
        assert directorates["Place"][:4] == ["7", "5", "2", "71.4%"]
        assert figure(html, "Overdue now") == "1"
        assert f'href="{DRILLDOWN}?period=2026-27&amp;metric=received">9<' in html
        resources = finance.directorate_id
        assert f'href="{DRILLDOWN}?period=2026-27&amp;directorate={resources}&amp;metric=late">1<' in html
        assert f'href="{DRILLDOWN}?period=2026-27&amp;metric=concerns&amp;stage=4">1<' in html

    def test_it_gives_the_chief_executive_the_operational_view(self, client, org, year):
        html = signed_in(client, org.chief).get(DASHBOARD).content.decode()
        assert "Operational view" in html
        assert figure(html, "Enquiries received") == "9"


# --- Filters ---------------------------------------------------------------------------------


class TestFilters:
    def test_it_counts_30_april_in_the_old_municipal_year_and_1_may_in_the_new(self, client, org):
        file_enquiry(org, at=london(2026, 4, 30, 23, 30), subject="Last of the old year")
        file_enquiry(org, at=london(2026, 5, 1, 0, 30), subject="First of the new year")
        file_enquiry(org, at=london(2026, 5, 1, 9, 0), subject="Also the new year")
        summaries.rebuild()
        signed_in(client, org.monitoring)

        old = client.get(DASHBOARD, {"period": "2025-26"}).content.decode()
        new = client.get(DASHBOARD, {"period": "2026-27"}).content.decode()
        default = client.get(DASHBOARD).content.decode()
        assert figure(old, "Enquiries received") == "1"
        assert "Figures for <strong>2025/26</strong> (1 May 2025 to 30 April 2026)" in old
        assert figure(new, "Enquiries received") == "2"
        assert "Figures for <strong>2026/27</strong> (1 May 2026 to 30 April 2027)" in new
        assert figure(default, "Enquiries received") == "2"
        assert table(old, "by_month")["April 2026"][0] == "1"
        assert table(new, "by_month")["May 2026"][0] == "2"

        listed = client.get(DRILLDOWN, {"metric": "received", "period": "2025-26"}).content.decode()
        assert "Last of the old year" in listed and "new year" not in listed
        listed = client.get(DRILLDOWN, {"metric": "received", "period": "2026-27"}).content.decode()
        assert "Last of the old year" not in listed and "First of the new year" in listed

    def test_it_filters_by_month_and_quarter(self, client, org, year):
        signed_in(client, org.monitoring)
        june = client.get(DASHBOARD, {"period": "2026-06"}).content.decode()
        july = client.get(DASHBOARD, {"period": "2026-07"}).content.decode()
        q1 = client.get(DASHBOARD, {"period": "2026-27-q1"}).content.decode()
        q2 = client.get(DASHBOARD, {"period": "2026-27-q2"}).content.decode()
        assert (figure(june, "Enquiries received"), figure(july, "Enquiries received")) == ("7", "2")
        assert (figure(june, "Concerns opened"), figure(july, "Concerns opened")) == ("6", "0")
        assert (figure(q1, "Enquiries received"), figure(q2, "Enquiries received")) == ("9", "0")

    def test_it_filters_by_directorate(self, client, org, year, finance):
        signed_in(client, org.monitoring)
        html = client.get(DASHBOARD, {"directorate": finance.directorate_id}).content.decode()
        assert figure(html, "Enquiries received") == "2"
        assert re.search(r"\),\s+Resources directorate\.", html)
        assert set(table(html, "by_directorate")) == {"Resources", "All"}
        assert set(table(html, "by_service")) == {"Finance", "All"}
        # Concerns are counted in the directorate of the officer party's service.
        assert figure(html, "Concerns opened") == "0"
        place = client.get(DASHBOARD, {"directorate": org.highways.directorate_id}).content.decode()
        assert figure(place, "Enquiries received") == "7"
        assert figure(place, "Concerns opened") == "5"

    def test_it_offers_recent_periods_and_keeps_the_choice_selected(self, client, org, year, finance):
        signed_in(client, org.standards_member)
        html = client.get(DASHBOARD, {"period": "2026-06", "directorate": finance.directorate_id}).content.decode()
        assert '<optgroup label="Municipal years (May to April)">' in html
        assert '<option value="2025-26">2025/26</option>' in html
        assert '<option value="2026-06" selected>June 2026</option>' in html
        assert f'<option value="{finance.directorate_id}" selected>Resources</option>' in html

    def test_it_shows_the_error_summary_for_a_period_not_offered_and_the_current_year_instead(self, client, org):
        signed_in(client, org.standards_member)
        response = client.get(DASHBOARD, {"period": "last-week", "directorate": "999999"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: Protocol dashboard" in html
        assert "There is a problem" in html
        assert '<a href="#id_period">Select a period from the list</a>' in html
        assert '<a href="#id_directorate">Select a directorate from the list</a>' in html
        assert "Figures for <strong>2026/27</strong>" in html


# --- CSV -------------------------------------------------------------------------------------


class TestCsv:
    def test_it_downloads_a_table_with_the_committees_suppression(self, client, org, year):
        signed_in(client, org.standards_member)
        response = client.get(reverse("reporting:table_csv", args=["by_directorate"]), {"period": "2026-27"})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="enquiries-by-directorate-2026-27.csv"'
        rows = read_csv(response)
        assert rows[0] == [
            "Directorate",
            "Received",
            "On time",
            "Missed",
            "On time %",
            "Median working days to answer",
            "Escalations",
        ]
        by_name = {row[0]: row[1:] for row in rows[1:]}
        assert by_name["Resources"][:4] == ["fewer than 5", "fewer than 5", "fewer than 5", "too few to show"]
        assert by_name["All"][0] == "9"

    def test_it_downloads_the_monitoring_officers_table_unsuppressed(self, client, org, year):
        signed_in(client, org.monitoring)
        response = client.get(reverse("reporting:table_csv", args=["by_directorate"]), {"period": "2026-27"})
        by_name = {row[0]: row[1:] for row in read_csv(response)[1:]}
        assert by_name["Resources"][:4] == ["2", "1", "1", "50"]
        assert by_name["Place"][:4] == ["7", "5", "2", "71.4"]
        assert "fewer than 5" not in response.content.decode()

    def test_it_names_the_file_for_the_period_and_directorate(self, client, org, year, finance):
        signed_in(client, org.monitoring)
        url = reverse("reporting:table_csv", args=["ladder"])
        response = client.get(url, {"period": "2026-06", "directorate": finance.directorate_id})
        assert (
            response["Content-Disposition"] == 'attachment; filename="how-far-concerns-climbed-resources-2026-06.csv"'
        )
        assert read_csv(response)[0] == ["Stage", "Concerns that reached it"]

    def test_it_offers_every_table_on_the_page(self, client, org, year):
        signed_in(client, org.standards_member)
        html = client.get(DASHBOARD).content.decode()
        for url in set(re.findall(r'href="(/reports/csv/[^"]+)"', html)):
            response = client.get(url.replace("&amp;", "&"))
            assert response.status_code == 200, url
            assert len(read_csv(response)) >= 2

    def test_it_refuses_an_unknown_table_or_directorate(self, client, org):
        signed_in(client, org.monitoring)
        assert client.get(reverse("reporting:table_csv", args=["salaries"])).status_code == 404
        url = reverse("reporting:table_csv", args=["ladder"])
        assert client.get(url, {"directorate": "999999"}).status_code == 404

    def test_it_writes_a_label_a_spreadsheet_would_run_as_a_formula_as_text(self, client, org):
        ServiceFactory(name="=HYPERLINK(1)", directorate=org.highways.directorate)
        signed_in(client, org.monitoring)
        response = client.get(reverse("reporting:table_csv", args=["by_service"]))
        assert "'=HYPERLINK(1)" in [row[0] for row in read_csv(response)]


# --- Drill-down ------------------------------------------------------------------------------


class TestDrilldown:
    def test_it_lists_the_enquiries_received(self, client, org, year):
        html = signed_in(client, org.monitoring).get(DRILLDOWN, {"metric": "received", "period": "2026-27"})
        html = html.content.decode()
        expected = {enquiry.reference for enquiry in year["highways"] + year["finance"]}
        assert case_references(html) == expected
        assert "9 enquiries, newest first" in html
        assert "Highways 0" in html and org.liaison.name in html

    def test_it_lists_the_enquiries_that_missed_the_five_working_days(self, client, org, year, finance):
        signed_in(client, org.monitoring)
        html = client.get(DRILLDOWN, {"metric": "late", "period": "2026-27"}).content.decode()
        late = {enquiry.reference for enquiry in year["highways"][5:]} | {year["finance"][1].reference}
        assert case_references(html) == late
        scoped = client.get(DRILLDOWN, {"metric": "late", "period": "2026-27", "directorate": finance.directorate_id})
        assert case_references(scoped.content.decode()) == {year["finance"][1].reference}

    def test_it_counts_an_answer_at_the_end_of_the_fifth_working_day_on_time(self, client, org):
        # Received Monday 1 June 2026: due by the end of Monday 8 June.
        received = london(2026, 6, 1)
        just_in_time, just_late = file_enquiry(org, at=received), file_enquiry(org, at=received)
        answer(just_in_time, at=london(2026, 6, 8, 23, 59))
        answer(just_late, at=london(2026, 6, 9, 0, 1))
        summaries.rebuild()
        html = signed_in(client, org.monitoring).get(DRILLDOWN, {"metric": "late", "period": "2026-06"})
        assert case_references(html.content.decode()) == {just_late.reference}
        dashboard = client.get(DASHBOARD, {"period": "2026-06"}).content.decode()
        assert table(dashboard, "by_service")["Highways"][1:3] == ["1", "1"]

    def test_it_lists_the_enquiries_overdue_now_whenever_received(self, client, org, year):
        old = file_enquiry(org, at=london(2025, 6, 2), subject="From last year")
        html = signed_in(client, org.monitoring).get(DRILLDOWN, {"metric": "overdue", "period": "2026-27"})
        assert case_references(html.content.decode()) == {year["finance"][1].reference, old.reference}

    def test_it_lists_escalated_declined_and_disputed_enquiries(self, client, org):
        june = london(2026, 6, 1)
        climbed, declined, disputed, plain = (file_enquiry(org, at=june, subject=f"E{n}") for n in range(4))
        for enquiry in (declined, disputed, plain):
            answer(enquiry, at=june + timedelta(hours=1)) if enquiry is plain else None
        services.enquiry_decline(enquiry=declined, actor=org.head.user, reasons="Not ours.", now=june)
        services.enquiry_decline(enquiry=disputed, actor=org.head.user, reasons="Not ours.", now=june)
        services.enquiry_dispute(enquiry=disputed, actor=org.councillor.user, reasons="It is.", now=june)
        enquiry_deadline_sweep(now=london(2026, 6, 20))
        summaries.rebuild()
        signed_in(client, org.monitoring)

        def listed(**params):
            return case_references(client.get(DRILLDOWN, {"period": "2026-27", **params}).content.decode())

        assert listed(metric="escalated") == {climbed.reference}
        assert listed(metric="escalated", rung="1") == {climbed.reference}
        assert listed(metric="declined") == {declined.reference, disputed.reference}
        assert listed(metric="disputed") == {disputed.reference}
        html = client.get(DASHBOARD).content.decode()
        assert f'href="{DRILLDOWN}?period=2026-27&amp;metric=escalated&amp;rung=1">1<' in html

    def test_it_lists_the_concerns_that_reached_each_stage_as_the_ladder_counts_them(self, client, org, year):
        signed_in(client, org.monitoring)
        refs = {name: concern.reference for name, concern in year["concerns"].items()}

        def listed(**params):
            return case_references(client.get(DRILLDOWN, {"metric": "concerns", **params}).content.decode())

        # E is about the Monitoring Officer: counted on the ladder, but not theirs to see.
        assert listed(stage="1") == {refs["A"], refs["C"], refs["F"]}
        assert listed(stage="2") == {refs["B"], refs["F"]}
        assert listed(stage="3") == {refs["B"], refs["D"]}
        assert listed(stage="4") == {refs["D"]}
        assert listed() == {refs[name] for name in "ABCDF"}
        assert listed(kind="member_about_officer") == {refs["C"], refs["F"]}
        assert listed(outcome="resolved") == {refs["C"]}
        ladder = table(client.get(DASHBOARD).content.decode(), "ladder")
        assert [ladder[stage][0] for stage in ladder] == ["4", "2", "2", "1"]

    def test_it_lists_no_concerns_for_the_chief_executive(self, client, org, year):
        signed_in(client, org.chief)
        html = client.get(DRILLDOWN, {"metric": "concerns", "period": "2026-27"}).content.decode()
        assert case_references(html) == set()
        assert "There are no cases here that you may see." in html
        enquiries = client.get(DRILLDOWN, {"metric": "received", "period": "2026-27"}).content.decode()
        assert len(case_references(enquiries)) == 9

    def test_it_paginates_fifty_to_a_page(self, client, org):
        june = london(2026, 6, 1)
        for n in range(53):
            file_enquiry(org, at=june + timedelta(minutes=n), subject=f"Enquiry {n}")
        signed_in(client, org.monitoring)
        first = client.get(DRILLDOWN, {"metric": "received", "period": "2026-06"}).content.decode()
        second = client.get(DRILLDOWN, {"metric": "received", "period": "2026-06", "page": 2}).content.decode()
        assert len(case_references(first)) == 50 and len(case_references(second)) == 3
        assert "Showing 1 to 50 of 53 enquiries." in first and "53 enquiries, newest first" in first
        assert 'href="?metric=received&amp;period=2026-06&amp;page=2" rel="next"' in first
        late = client.get(DRILLDOWN, {"metric": "late", "period": "2026-06", "page": 2}).content.decode()
        assert len(case_references(late)) == 3

    def test_it_stops_counting_a_long_list_and_says_there_are_more(self, client, org, monkeypatch):
        june = london(2026, 6, 1)
        for n in range(53):
            file_enquiry(org, at=june + timedelta(minutes=n), subject=f"Enquiry {n}")
        signed_in(client, org.monitoring)
        monkeypatch.setattr("reporting.dashboards.views.DRILLDOWN_COUNT_CAP", 50)
        params = {"metric": "late", "period": "2026-06"}
        first = client.get(DRILLDOWN, params).content.decode()
        assert "More than 50 enquiries, newest first" in first
        assert "Showing 1 to 50 of more than 50 enquiries. Use the filters to find the others." in first
        # The newest first, so the ones past the cap are the oldest.
        assert "Enquiry 52" in first and "Enquiry 2<" not in first

    @pytest.mark.parametrize(
        "params", [{"metric": "salaries"}, {"metric": "received", "stage": "9"}, {"metric": "late", "period": "x"}]
    )
    def test_it_answers_not_found_for_a_figure_that_does_not_exist(self, client, org, params):
        assert signed_in(client, org.monitoring).get(DRILLDOWN, params).status_code == 404


def test_it_lists_as_many_cases_as_every_linked_figure_counts(org, finance):
    """Each figure and the list behind it share one definition: for every linked cell on
    the operational dashboard, all directorates and one, the drill-down finds that many."""
    add_cases(org, finance, 40)
    unanswered = Enquiry.objects.filter(service=org.highways, state="submitted").order_by("pk")
    for n, enquiry in enumerate(unanswered[:6]):
        enquiry = services.enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="Not ours.")
        if n % 2:
            services.enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="It is.")
    # Withdrawn before the deadline is not missed; withdrawn after it, unanswered, is.
    withdrawn = Enquiry.objects.filter(service=finance, state="submitted").order_by("pk")[:4]
    for n, enquiry in enumerate(withdrawn):
        later = enquiry.received_at + timedelta(days=1 if n % 2 else 20)
        services.enquiry_withdraw(enquiry=enquiry, actor=org.councillor.user, now=later)
    summaries.rebuild()
    user, today = org.monitoring.user, timezone.localdate()
    checked = Counter()
    for directorate in (None, finance.directorate):
        figures = dashboard(municipal_year(2026), directorate=directorate, audience=OPERATIONAL)
        cells = [(label, cell) for label, cell, _ in figures.headline + figures.concern_headline]
        cells += [
            (f"{t.title}: {label}", cell) for t in figures.tables.values() for label, row in t.rows for cell in row
        ]
        for label, cell in cells:
            if not cell.drill:
                continue
            form = DrilldownForm(QueryDict(cell.drill), today=today)
            assert form.is_valid(), (label, cell.drill, form.errors)
            drill = Drill(**form.cleaned_data)
            if drill.metric == "escalated" and drill.rung is None:
                continue  # the figure counts climbs; the list, the enquiries that climbed
            if drill.metric == "concerns":
                found = concerns_behind(user, drill).count()
            else:
                found = enquiries_behind(user, drill).count()
            assert found == cell.value, f"{label} ({cell.drill}): the figure is {cell.value}, the list has {found}"
            checked[drill.metric] += 1
    assert set(checked) == {"received", "late", "overdue", "escalated", "declined", "disputed", "concerns", "extended"}


# --- Query counts ----------------------------------------------------------------------------


def get_counted(client, url: str, params: dict | None = None) -> CaptureQueriesContext:
    client.get(url, params)  # warm the process-wide caches (content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return queries


def assert_same_cost(few: CaptureQueriesContext, many: CaptureQueriesContext) -> None:
    repeated = Counter(query["sql"] for query in many.captured_queries)
    detail = "\n".join(f"{n}× {sql}" for sql, n in repeated.most_common() if n > 1)
    assert len(many) == len(few), f"{len(few)} queries with few cases but {len(many)} with many.\n{detail}"


def add_cases(org, finance, count: int, *, start: int = 0) -> None:
    """``count`` enquiries and ``count`` concerns, spread over months, services and outcomes."""
    behaviours = list(Behaviour.objects.order_by("pk")[:3])
    for n in range(start, start + count):
        at = london(2026, 5 + n % 6, 1 + n % 27, 9)
        enquiry = file_enquiry(org, at=at, service=finance if n % 3 == 0 else org.highways, subject=f"E{n}")
        if n % 4:
            answer(enquiry, at=at + timedelta(days=n % 12))
        concern = raise_concern(
            org, at=at, feels_able_to_talk=n % 2 == 0, safeguarding=n % 7 == 3, behaviours=behaviours[: n % 4]
        )
        if n % 5 == 1:
            cs.concern_resolve(concern=concern, actor=org.monitoring.user, outcome="Settled.", now=at)
    # The unanswered ones climb the ladder.
    enquiry_deadline_sweep()


@pytest.mark.parametrize(("viewer", "pinned"), [("standards_member", 18), ("monitoring", 20)])
def test_it_costs_the_dashboard_the_same_for_5_or_50_cases(
    client, org, finance, django_assert_max_num_queries, viewer, pinned
):
    signed_in(client, getattr(org, viewer))
    add_cases(org, finance, 5)
    summaries.rebuild()
    few = get_counted(client, DASHBOARD)
    add_cases(org, finance, 45, start=5)
    summaries.rebuild()
    many = get_counted(client, DASHBOARD)
    assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(DASHBOARD)


@pytest.mark.parametrize(
    ("params", "pinned"),
    [
        # Each: the capped count, the page's keys, then its rows (cases.shared.pages.paginate).
        ({"metric": "received"}, 12),
        ({"metric": "late"}, 12),
        ({"metric": "overdue"}, 12),
        ({"metric": "escalated", "rung": "1"}, 12),
        ({"metric": "concerns", "stage": "2"}, 11),
        ({"metric": "concerns", "kind": "officer_about_member", "outcome": "resolved"}, 11),
    ],
)
def test_it_costs_the_drilldown_the_same_for_5_or_50_cases(
    client, org, finance, django_assert_max_num_queries, params, pinned
):
    signed_in(client, org.monitoring)
    params = {"period": "2026-27", **params}
    add_cases(org, finance, 5)
    few = get_counted(client, DRILLDOWN, params)
    add_cases(org, finance, 45, start=5)
    many = get_counted(client, DRILLDOWN, params)
    assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(DRILLDOWN, params)
