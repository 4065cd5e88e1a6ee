"""The figures on the dashboards and in the annual report (DESIGN §7; 000 §VII, 004).

``dashboard(period, directorate=…, audience=…)`` answers everything from the summary
tables (``reporting.summaries``) plus a few small live counts, in a fixed number of
queries whatever the data size. Each table carries its definition: the "how this is
counted" note the page shows beside it. For the Standards Committee (``COMMITTEE``)
every table goes through disclosure control and carries no names; the Monitoring
Officer and Chief Executive (``OPERATIONAL``) see the numbers as they are, with
drill-down to the cases behind them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.briefings.selectors import briefings_not_offered_to_every_group
from cases.concerns.selectors import patterns
from cases.models import (
    AWAITING_RESPONSE,
    Behaviour,
    Briefing,
    ConcernKind,
    ConcernState,
    Enquiry,
    PositiveExample,
    PositiveExampleState,
    Sanction,
)
from escalation.calendar import local_date
from people.models import ContactProhibition, Directorate, Service
from reporting.disclosure import (
    Cell,
    Table,
    protect_lines,
    same_figure,
    suppress,
    suppress_figure,
    withhold_rate,
)
from reporting.models import DailyCount
from reporting.periods import Period, months_in

COMMITTEE = "committee"
OPERATIONAL = "operational"

RUNG_NAMES = {"1": "To the Head of Service", "2": "To the Director", "3": "To the Chief Executive"}
STAGE_NAMES = {
    "1": "Stage 1: direct conversation",
    "2": "Stage 2: line management",
    "3": "Stage 3: Monitoring Officer review",
    "4": "Stage 4: formal sanction",
}
OUTCOME_NAMES = {
    ConcernState.RESOLVED: "Resolved",
    ConcernState.INFORMAL_ACTION: "Informal action",
    ConcernState.FORMAL_ACTION: "Formal action",
    ConcernState.REFERRED: "Referred outside the council",
    ConcernState.WITHDRAWN: "Withdrawn",
}

DEFINITIONS = {
    "enquiries": "Enquiries received in the period, as they stand today. “On time” means answered or given a "
    "holding reply by the end of the fifth working day after receipt (001 §7.1); enquiries still open after "
    "that day count as missed, not left out; those not yet due, or withdrawn unanswered before their "
    "deadline, count in neither.",
    "median": "Working days from receipt to the answer, for enquiries received in the period and answered; the "
    "receipt day does not count, weekends, bank holidays and closure days are skipped.",
    "overdue": "Enquiries open now, awaiting an answer or holding reply, whose deadline has passed.",
    "escalations": "Climbs of the ladder (001 §7.1) by enquiries received in the period: first to the Head of "
    "Service, then the Director, then the Chief Executive.",
    "declines": "Enquiries received in the period that a Head of Service or above declined as inappropriate "
    "(001 §7.1); Chief Executive referrals are those the councillor disputed (001 §7.4).",
    "concerns": "Concerns raised in the period, by who raised them about whom (000 §VII, 001 §6).",
    "ladder": "How far concerns raised in the period have climbed: each counts at every stage it reached "
    "(a concern can start at stage 2 when the complainant did not feel able to talk, or at stage 3 with a "
    "safeguarding flag).",
    "outcomes": "Concerns raised in the period that have left the ladder, by how they ended and the stage they "
    "were at (000 §VIII).",
    "behaviours": "Behaviours cited by concerns raised in the period: a concern may cite several.",
    "resolve": "Working days from raising a concern to its outcome, for concerns raised in the period that have "
    "ended other than by withdrawal.",
    "patterns": "Councillors or officers with three or more concerns ended in informal action in the last twelve "
    "months (000 §VIII), today.",
    "sanctions": "Sanctions in force today: contact prohibitions started and not yet ended; other sanctions "
    "recorded in the last twelve months.",
    "positive": "Examples of good member-officer working recorded in the period (000 §VI).",
    "briefings": "Briefings officers offered to a political group, by the date they take place in the period. "
    "One counts as not offered to every group when a group that existed on its day has no offer of it "
    "(001 §9.5.2: a briefing offered to one group is offered to the others); independent councillors are in no "
    "group. By directorate: the directorate of the officer giving it.",
    "trend": "For each month of the period, the share of enquiries received that month answered or given a "
    "holding reply within five working days.",
}


def _median(histogram: Counter) -> float | None:
    """The median of a histogram {value: how many}, without listing every case (a year at
    scale is a hundred thousand answers, and each directorate and service has a median)."""
    ordered = sorted((int(key), count) for key, count in histogram.items() if count)
    total = sum(count for _, count in ordered)
    if not total:
        return None

    def at(position: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                return value
        raise IndexError(position)

    if total % 2:
        return float(at(total // 2))
    return (at(total // 2 - 1) + at(total // 2)) / 2


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _pct(part: int, whole: int, *, drill: str = "") -> Cell:
    value = _rate(part, whole)
    return Cell(value, text="–" if value is None else f"{value:.1f}%", is_count=False, base=whole, drill=drill)


@dataclass
class Dashboard:
    period: Period
    audience: str
    directorate: Directorate | None
    headline: list[tuple[str, Cell, str]] = field(default_factory=list)  # (label, figure, definition key)
    concern_headline: list[tuple[str, Cell, str]] = field(default_factory=list)
    briefing_headline: list[tuple[str, Cell, str]] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    trend: list[tuple[str, float | None, int]] = field(default_factory=list)  # (month label, on-time %, base)
    definitions: dict[str, str] = field(default_factory=lambda: dict(DEFINITIONS))


def _sums(period: Period, services: list[int] | None) -> dict[str, dict[tuple[int | None, str], int]]:
    """metric → {(service id, key): total} over the period: one query."""
    rows = DailyCount.objects.filter(day__gte=period.start, day__lt=period.end)
    if services is not None:
        rows = rows.filter(service_id__in=services)
    totals: dict[str, dict[tuple[int | None, str], int]] = defaultdict(dict)
    for metric, service_id, key, value in rows.values_list("metric", "service_id", "key").annotate(value=Sum("value")):
        totals[metric][service_id, key] = value
    return totals


def _total(sums: dict, metric: str, *, service_ids=None, key=None) -> int:
    return sum(
        value
        for (service_id, k), value in sums.get(metric, {}).items()
        if (service_ids is None or service_id in service_ids) and (key is None or k == key)
    )


def _by_key(sums: dict, metric: str, *, service_ids=None) -> Counter:
    counter: Counter = Counter()
    for (service_id, key), value in sums.get(metric, {}).items():
        if service_ids is None or service_id in service_ids:
            counter[key] += value
    return counter


def _drill(audience: str, **params) -> str:
    if audience != OPERATIONAL:
        return ""
    return "&".join(f"{name}={value}" for name, value in params.items() if value not in (None, ""))


def dashboard(
    period: Period,
    *,
    directorate: Directorate | None = None,
    audience: str = COMMITTEE,
    now: datetime | None = None,
) -> Dashboard:
    """Every figure of DESIGN §7 for ``period`` (and ``directorate``), for ``audience``."""
    now = now or timezone.now()
    result = Dashboard(period=period, audience=audience, directorate=directorate)
    services = list(Service.objects.select_related("directorate").order_by("directorate__name", "name"))
    in_scope = [s.pk for s in services if directorate is None or s.directorate_id == directorate.pk]
    scope = None if directorate is None else in_scope
    sums = _sums(period, scope)
    p = period.key
    d = directorate.pk if directorate else ""

    def drill(**params) -> str:
        return _drill(audience, **{"period": p, "directorate": d, **params})

    # --- Enquiries ---------------------------------------------------------------------------
    received = _total(sums, "enq.received")
    on_time, late = _total(sums, "enq.on_time"), _total(sums, "enq.late")
    answer_days = _by_key(sums, "enq.answer_days")
    overdue = Enquiry.objects.filter(state__in=AWAITING_RESPONSE, due_at__lt=now)
    if scope is not None:
        overdue = overdue.filter(service_id__in=scope)
    median = _median(answer_days)
    result.headline = [
        ("Enquiries received", Cell(received, drill=drill(metric="received")), "enquiries"),
        ("Answered or holding reply within five working days", _pct(on_time, on_time + late), "enquiries"),
        (
            "Median working days to answer",
            Cell(median, is_count=False, base=sum(answer_days.values()), text="–" if median is None else f"{median:g}"),
            "median",
        ),
        ("Overdue now", Cell(overdue.count(), drill=drill(metric="overdue")), "overdue"),
        ("Escalations", Cell(_total(sums, "enq.escalations"), drill=drill(metric="escalated")), "escalations"),
        ("Declined as inappropriate", Cell(_total(sums, "enq.declined"), drill=drill(metric="declined")), "declines"),
        (
            "Chief Executive referrals",
            Cell(_total(sums, "enq.ce_referrals"), drill=drill(metric="disputed")),
            "declines",
        ),
    ]

    rungs = _by_key(sums, "enq.escalations")
    result.tables["escalations"] = Table(
        slug="escalations",
        title="Escalations by rung",
        columns=["Escalations"],
        rows=[
            (
                RUNG_NAMES.get(rung, f"Rung {rung}"),
                [Cell(rungs.get(rung, 0), drill=drill(metric="escalated", rung=rung))],
            )
            for rung in ("1", "2", "3")
        ]
        # The headline's total is on the page: shown as the table's total, so suppression allows for it.
        + [("All", [Cell(sum(rungs.values()), drill=drill(metric="escalated"))])],
        definition=DEFINITIONS["escalations"],
        total_row=3,
    )

    # By directorate and by service: received, on time, late, on-time %, median, escalations.
    def line(service_ids, **params) -> list[Cell]:
        ids = set(service_ids)
        got = _total(sums, "enq.received", service_ids=ids)
        good, missed = _total(sums, "enq.on_time", service_ids=ids), _total(sums, "enq.late", service_ids=ids)
        days = _by_key(sums, "enq.answer_days", service_ids=ids)
        middle = _median(days)
        return [
            Cell(got, drill=drill(metric="received", **params)),
            Cell(good),
            Cell(missed, drill=drill(metric="late", **params)),
            _pct(good, good + missed),
            Cell(middle, is_count=False, base=sum(days.values()), text="–" if middle is None else f"{middle:g}"),
            Cell(_total(sums, "enq.escalations", service_ids=ids), drill=drill(metric="escalated", **params)),
        ]

    columns = ["Received", "On time", "Missed", "On time %", "Median working days to answer", "Escalations"]
    directorates: dict[int, list[Service]] = defaultdict(list)
    for service in services:
        if service.pk in in_scope:
            directorates[service.directorate_id].append(service)
    directorate_rows = [
        (members[0].directorate.name, line([s.pk for s in members], directorate=members[0].directorate_id))
        for members in directorates.values()
    ]
    directorate_rows.append(("All", line(in_scope)))
    result.tables["by_directorate"] = Table(
        slug="by_directorate",
        title="Enquiries by directorate",
        columns=columns,
        rows=directorate_rows,
        definition=DEFINITIONS["enquiries"],
        total_row=len(directorate_rows) - 1,
    )
    service_cells = {
        service.pk: line([service.pk], service=service.pk) for service in services if service.pk in in_scope
    }
    service_rows = [(service.name, service_cells[service.pk]) for service in services if service.pk in in_scope]
    service_rows.append(("All", line(in_scope)))
    result.tables["by_service"] = Table(
        slug="by_service",
        title="Enquiries by service",
        columns=columns,
        rows=service_rows,
        definition=DEFINITIONS["enquiries"],
        total_row=len(service_rows) - 1,
    )

    # The trend: on-time % by month (one query).
    monthly = (
        DailyCount.objects.filter(
            day__gte=period.start, day__lt=period.end, metric__in=["enq.on_time", "enq.late", "enq.received"]
        )
        .filter(Q(service_id__in=scope) if scope is not None else Q())
        .annotate(month=TruncMonth("day"))
        .values_list("month", "metric")
        .annotate(value=Sum("value"))
    )
    by_month: dict[date, Counter] = defaultdict(Counter)
    for month, metric, value in monthly:
        by_month[month if isinstance(month, date) else month.date()][metric] += value
    month_rows = []
    for month in months_in(period):
        counts = by_month.get(month.start, Counter())
        good, missed = counts["enq.on_time"], counts["enq.late"]
        result.trend.append((f"{month.start:%b %Y}", _rate(good, good + missed), good + missed))
        month_rows.append(
            (month.label, [Cell(counts["enq.received"]), Cell(good), Cell(missed), _pct(good, good + missed)])
        )
    # The period's totals are on the page (the headline, the directorate table): shown here as well.
    month_totals = [sum(cells[n].value for _, cells in month_rows) for n in range(3)]
    month_rows.append(("All", [*(Cell(total) for total in month_totals), _pct(month_totals[1], sum(month_totals[1:]))]))
    result.tables["by_month"] = Table(
        slug="by_month",
        title="Enquiries by month",
        columns=["Received", "On time", "Missed", "On time %"],
        rows=month_rows,
        definition=DEFINITIONS["trend"],
        total_row=len(month_rows) - 1,
    )

    # --- Concerns -------------------------------------------------------------------------------
    kinds = _by_key(sums, "con.opened")
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
    reached = _by_key(sums, "con.reached")
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
    closed = _by_key(sums, "con.closed")
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
    cited = _by_key(sums, "con.behaviour")
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
    resolve_days = _by_key(sums, "con.resolve_days")
    resolve_median = _median(resolve_days)
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
        ("Safeguarding flags", Cell(_total(sums, "con.safeguarding")), "concerns"),
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
    # --- Briefings (001 §9.5.2) -------------------------------------------------------------------
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
    if audience == COMMITTEE:
        _control_disclosure(
            result,
            directorate_parts=[
                (cells, [service_cells[service.pk] for service in directorates[directorate_id]])
                for (_, cells), directorate_id in zip(directorate_rows, directorates, strict=False)
            ],
        )
    return result


def _control_disclosure(result: Dashboard, *, directorate_parts: list[tuple[list[Cell], list[list[Cell]]]]) -> None:
    """Disclosure control over the committee's whole page, not table by table: a count
    hidden in one place must not be worked out from figures elsewhere on the page.

    - The same figure in several places (the period's received, on time, missed and
      escalations in the headline and in the totals of the directorate, service and month
      tables; concerns opened) is hidden everywhere if hidden anywhere.
    - A directorate's row is the sum of its services' rows in the other table; received
      is on time plus missed (once nothing is pending): these are lines with a total too.
    - A percentage is withheld with fewer than five cases, or when its on time or missed
      count is hidden (with the base beside it, it would give them back); the headline and
      the trend follow the tables.
    """
    tables = result.tables
    enquiry_tables = [tables[slug] for slug in ("by_directorate", "by_service", "by_month")]
    totals = [table.rows[table.total_row][1] for table in enquiry_tables]
    headline = {label: cell for label, cell, _ in result.headline}
    concern_headline = {label: cell for label, cell, _ in result.concern_headline}
    briefing_headline = {label: cell for label, cell, _ in result.briefing_headline}
    briefing_rows = tables["briefings"].rows
    same = [
        [headline["Enquiries received"], *(cells[0] for cells in totals)],
        [cells[1] for cells in totals],
        [cells[2] for cells in totals],
        [headline["Escalations"], tables["escalations"].rows[-1][1][0], *(cells[5] for cells in totals[:2])],
        [concern_headline["Concerns opened"], tables["concerns_by_kind"].rows[-1][1][0]],
        [briefing_headline["Briefings offered to political groups"], briefing_rows[2][1][0]],
        [briefing_headline["Briefings not offered to every group"], briefing_rows[1][1][0]],
    ]
    lines = [cells[:3] for table in enquiry_tables for _, cells in table.rows]
    for total, parts in directorate_parts:
        lines += [[total[column], *(cells[column] for cells in parts)] for column in (0, 1, 2, 5)]
    for _, cell, _ in [*result.headline, *result.concern_headline, *result.briefing_headline]:
        suppress_figure(cell)
    changed = True
    while changed:
        for table in tables.values():
            suppress(table)
        changed = protect_lines(lines)
        for cells in same:
            changed |= same_figure(cells)
    for table in enquiry_tables:
        for _, cells in table.rows:
            withhold_rate(cells[3], cells[1], cells[2])
    withhold_rate(headline["Answered or holding reply within five working days"], totals[0][3])
    months = tables["by_month"].rows
    result.trend = [
        (label, None if cells[3].suppressed else rate, base)
        for (label, rate, base), (_, cells) in zip(result.trend, months, strict=False)
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
