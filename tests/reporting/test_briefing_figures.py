"""The Standards Committee's count of briefings not offered to every political group
(DESIGN §6, §7; 001 §9.5.2): for the period, counts only, fewer than five shown as such."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.briefings import services as briefing_services
from cases.models import BriefingOffer
from reporting.disclosure import FEWER_THAN
from reporting.figures import COMMITTEE, OPERATIONAL, dashboard
from reporting.periods import municipal_year
from tests.factories import DirectorateFactory, MemberFactory, PoliticalGroupFactory

pytestmark = pytest.mark.django_db

YEAR = municipal_year(2026)


@pytest.fixture
def parties(org):
    others = [PoliticalGroupFactory(name=name) for name in ("Green Group", "Residents Group")]
    for group in others:
        group.leader = MemberFactory(group=group)
        group.save()
    return [org.councillor.group, *others]


def briefings(org, parties, *, on: date, count: int, left_out: int):
    """``count`` briefings on ``on``, the first ``left_out`` of them with one group's offer missing
    (as a briefing entered outside the portal's pages would be)."""
    made = []
    for n in range(count):
        briefing = briefing_services.briefing_record(
            recorded_by=org.head.user,
            subject=f"Briefing {n}",
            given_by=org.head,
            takes_place_on=on,
            offered_to=parties[0],
        )
        if n < left_out:
            BriefingOffer.objects.filter(briefing=briefing, group=parties[-1]).delete()
        made.append(briefing)
    return made


def figures_of(result) -> dict:
    return {label: cell for label, cell, _ in result.briefing_headline}


def test_it_counts_the_briefings_of_the_period_not_offered_to_every_group(org, parties):
    briefings(org, parties, on=date(2026, 6, 1), count=7, left_out=6)
    briefings(org, parties, on=date(2025, 6, 1), count=2, left_out=2)  # the year before: not counted

    result = dashboard(YEAR, audience=OPERATIONAL)

    assert figures_of(result)["Briefings offered to political groups"].value == 7
    assert figures_of(result)["Briefings not offered to every group"].value == 6
    rows = {label: cells[0].value for label, cells in result.tables["briefings"].rows}
    assert rows == {"Offered to every group": 1, "Not offered to every group": 6, "All": 7}


def test_it_shows_the_committee_fewer_than_5_and_hides_what_would_give_it_away(org, parties):
    briefings(org, parties, on=date(2026, 6, 1), count=8, left_out=2)

    result = dashboard(YEAR, audience=COMMITTEE)

    left_out = figures_of(result)["Briefings not offered to every group"]
    assert left_out.suppressed and left_out.text == FEWER_THAN
    rows = {label: cells[0] for label, cells in result.tables["briefings"].rows}
    assert rows["Not offered to every group"].suppressed
    # 8 − 6 would give the 2 back: the other figure of the table is hidden too.
    assert rows["Offered to every group"].suppressed or rows["All"].suppressed


def test_it_counts_by_the_directorate_of_the_officer_giving_it(org, parties):
    briefings(org, parties, on=date(2026, 6, 1), count=5, left_out=5)
    elsewhere = DirectorateFactory(name="Resources")

    assert (
        figures_of(dashboard(YEAR, audience=OPERATIONAL, directorate=elsewhere))[
            "Briefings not offered to every group"
        ].value
        == 0
    )
    assert (
        figures_of(dashboard(YEAR, audience=OPERATIONAL, directorate=org.highways.directorate))[
            "Briefings not offered to every group"
        ].value
        == 5
    )


def test_it_offers_the_briefings_table_as_csv_with_the_committees_suppression(client, org, parties):
    briefings(org, parties, on=date.today() - timedelta(days=1), count=6, left_out=3)
    client.force_login(org.standards_member.user)

    response = client.get(reverse("reporting:table_csv", args=["briefings"]))

    lines = response.content.decode().splitlines()
    assert lines[0] == "Briefings,Briefings"
    assert lines[2] == f"Not offered to every group,{FEWER_THAN}"
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Briefings not offered to every group" in page
