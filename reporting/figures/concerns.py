"""The concern figures (000 §VII–VIII, 001 §6): concerns opened, how far they climbed the
ladder, their outcomes, the behaviours cited, patterns and sanctions; and positive
examples of good working (000 §VI)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cases.concerns.selectors import patterns
from cases.models import Behaviour, ConcernKind, PositiveExample, PositiveExampleState, Sanction
from escalation.calendar import local_date
from people.models import ContactProhibition
from reporting.disclosure import Cell, Table
from reporting.figures.counting import by_key, median_of, total_of
from reporting.figures.definitions import DEFINITIONS, OUTCOME_NAMES, STAGE_NAMES, Dashboard
from reporting.periods import Period


def concern_figures(
    result: Dashboard,
    *,
    sums: dict,
    scope: list[int] | None,
    now: datetime,
    drill: Callable[..., str],
) -> None:
    """Fill in the concern headline and tables."""
    period = result.period
    kinds = by_key(sums, "con.opened")
    opened = sum(kinds.values())
    result.tables["concerns_by_kind"] = Table(
        slug="concerns_by_kind",
        title="Concerns opened, by kind",
        columns=["Concerns"],
        rows=[
            (label, [Cell(kinds.get(kind, 0), drill=drill(metric="concerns", kind=kind))])
            for kind, label in ConcernKind.choices
        ]
        + [("All", [Cell(opened, drill=drill(metric="concerns"))])],
        definition=DEFINITIONS["concerns"],
        total_row=len(ConcernKind.choices),
    )
    reached = by_key(sums, "con.reached")
    result.tables["ladder"] = Table(
        slug="ladder",
        title="How far concerns climbed",
        columns=["Concerns that reached it"],
        rows=[
            (STAGE_NAMES[stage], [Cell(reached.get(stage, 0), drill=drill(metric="concerns", stage=stage))])
            for stage in ("1", "2", "3", "4")
        ],
        definition=DEFINITIONS["ladder"],
    )
    closed = by_key(sums, "con.closed")
    outcome_rows = []
    for state, label in OUTCOME_NAMES.items():
        cells = [Cell(closed.get(f"{state}:{stage}", 0)) for stage in ("1", "2", "3", "4")]
        cells.append(Cell(sum(cell.value for cell in cells), drill=drill(metric="concerns", outcome=state)))
        outcome_rows.append((label, cells))
    totals = [Cell(sum(cells[n].value for _, cells in outcome_rows)) for n in range(5)]
    outcome_rows.append(("All", totals))
    result.tables["outcomes"] = Table(
        slug="outcomes",
        title="Outcomes, by the stage reached",
        columns=["At stage 1", "At stage 2", "At stage 3", "At stage 4", "All stages"],
        rows=outcome_rows,
        definition=DEFINITIONS["outcomes"],
        total_column=4,
        total_row=len(outcome_rows) - 1,
    )
    cited = by_key(sums, "con.behaviour")
    names = dict(Behaviour.objects.filter(pk__in=[int(k) for k in cited]).values_list("pk", "name"))
    result.tables["behaviours"] = Table(
        slug="behaviours",
        title="Behaviours cited",
        columns=["Concerns citing it"],
        rows=sorted(
            ((names.get(int(key), key), [Cell(count)]) for key, count in cited.items()),
            key=lambda row: (-row[1][0].value, row[0]),
        ),
        definition=DEFINITIONS["behaviours"],
    )
    resolve_days = by_key(sums, "con.resolve_days")
    resolve_median = median_of(resolve_days)
    today = local_date(now)
    in_force = ContactProhibition.objects.active(on=today).count()
    year_ago = (
        now.replace(year=now.year - 1)
        if not (now.month == 2 and now.day == 29)
        else now.replace(year=now.year - 1, day=28)
    )
    other_sanctions = Sanction.objects.exclude(kind=Sanction.Kind.CONTACT_PROHIBITION).filter(recorded_at__gte=year_ago)
    examples = PositiveExample.objects.filter(recorded_at__date__gte=period.start, recorded_at__date__lt=period.end)
    if scope is not None:
        examples = examples.filter(service_id__in=scope)
    example_count = examples.count()
    result.concern_headline = [
        ("Concerns opened", Cell(opened, drill=drill(metric="concerns")), "concerns"),
        ("Safeguarding flags", Cell(total_of(sums, "con.safeguarding")), "concerns"),
        (
            "Median working days to an outcome",
            Cell(
                resolve_median,
                is_count=False,
                base=sum(resolve_days.values()),
                text="–" if resolve_median is None else f"{resolve_median:g}",
            ),
            "resolve",
        ),
        ("Patterns flagged now", Cell(len(patterns(now=now))), "patterns"),
        ("Contact prohibitions in force", Cell(in_force), "sanctions"),
        ("Other sanctions in the last twelve months", Cell(other_sanctions.count()), "sanctions"),
        ("Positive examples recorded", Cell(example_count), "positive"),
    ]


def publishable_examples(period: Period) -> list[PositiveExample]:
    """Positive examples the Monitoring Officer approved for publication (the annual report)."""
    return list(
        PositiveExample.objects.filter(
            state=PositiveExampleState.RECORDED,
            publishable=True,
            recorded_at__date__gte=period.start,
            recorded_at__date__lt=period.end,
        )
        .select_related("service", "recorded_by")
        .prefetch_related("members__user", "officers__user")
        .order_by("happened_on")
    )
