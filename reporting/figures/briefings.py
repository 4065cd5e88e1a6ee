"""The briefing figures (001 §9.5.2: a briefing offered to one political group is offered to
the others): briefings offered, and those not offered to every group."""

from __future__ import annotations

from django.db.models import Count, Q

from cases.briefings.selectors import briefings_not_offered_to_every_group
from cases.models import Briefing
from reporting.disclosure import Cell, Table
from reporting.figures.definitions import DEFINITIONS, Dashboard


def briefing_figures(result: Dashboard) -> None:
    """Fill in the briefing headline and table."""
    period, directorate = result.period, result.directorate
    briefings = Briefing.objects.filter(takes_place_on__gte=period.start, takes_place_on__lt=period.end)
    if directorate is not None:
        briefings = briefings.filter(given_by__service__directorate=directorate)
    # One query for both counts.
    counts = briefings.aggregate(
        every=Count("pk"), left_out=Count("pk", filter=Q(pk__in=briefings_not_offered_to_every_group().values("pk")))
    )
    briefing_count, left_out = counts["every"], counts["left_out"]
    result.briefing_headline = [
        ("Briefings offered to political groups", Cell(briefing_count), "briefings"),
        ("Briefings not offered to every group", Cell(left_out), "briefings"),
    ]
    result.tables["briefings"] = Table(
        slug="briefings",
        title="Briefings offered to political groups",
        columns=["Briefings"],
        rows=[
            ("Offered to every group", [Cell(briefing_count - left_out)]),
            ("Not offered to every group", [Cell(left_out)]),
            ("All", [Cell(briefing_count)]),
        ],
        definition=DEFINITIONS["briefings"],
        total_row=2,
    )
