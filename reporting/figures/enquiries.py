"""The enquiry figures (001 §7.1, §7.4): received, answered on time, answered by the date
promised and the extensions agreed (issue 15 B7), the median working days to answer, overdue
now, escalations and declines; by directorate, by service and by month."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from cases.models import AWAITING_RESPONSE, Enquiry
from people.models import Service
from reporting.disclosure import Cell, Table
from reporting.figures.counting import by_key, median_of, percentage, total_of
from reporting.figures.definitions import DEFINITIONS, RUNG_NAMES, Dashboard
from reporting.models import DailyCount
from reporting.periods import months_in

MONTHLY_METRICS = ["enq.received", "enq.on_time", "enq.late", "enq.promise_kept", "enq.promise_missed", "enq.extended"]


def enquiry_figures(
    result: Dashboard,
    *,
    sums: dict,
    services: list[Service],
    in_scope: list[int],
    scope: list[int] | None,
    now: datetime,
    drill: Callable[..., str],
) -> list[tuple[list[Cell], list[list[Cell]]]]:
    """Fill in the enquiry headline, tables and trend; return each directorate's row with its
    services' rows, for disclosure control over the whole page (``committee``)."""
    period = result.period
    received = total_of(sums, "enq.received")
    on_time, late = total_of(sums, "enq.on_time"), total_of(sums, "enq.late")
    kept, broken = total_of(sums, "enq.promise_kept"), total_of(sums, "enq.promise_missed")
    extended = total_of(sums, "enq.extended")
    answer_days = by_key(sums, "enq.answer_days")
    overdue = Enquiry.objects.filter(state__in=AWAITING_RESPONSE, due_at__lt=now)
    if scope is not None:
        overdue = overdue.filter(service_id__in=scope)
    median = median_of(answer_days)
    result.headline = [
        ("Enquiries received", Cell(received, drill=drill(metric="received")), "enquiries"),
        ("Answered or holding reply within five working days", percentage(on_time, on_time + late), "enquiries"),
        ("Answered by the date promised", percentage(kept, kept + broken), "promised"),
        ("Agreed extensions", Cell(extended, drill=drill(metric="extended")), "extensions"),
        (
            "Median working days to answer",
            Cell(median, is_count=False, base=sum(answer_days.values()), text="–" if median is None else f"{median:g}"),
            "median",
        ),
        ("Overdue now", Cell(overdue.count(), drill=drill(metric="overdue")), "overdue"),
        ("Escalations", Cell(total_of(sums, "enq.escalations"), drill=drill(metric="escalated")), "escalations"),
        ("Declined as inappropriate", Cell(total_of(sums, "enq.declined"), drill=drill(metric="declined")), "declines"),
        (
            "Chief Executive referrals",
            Cell(total_of(sums, "enq.ce_referrals"), drill=drill(metric="disputed")),
            "declines",
        ),
    ]

    rungs = by_key(sums, "enq.escalations")
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
        got = total_of(sums, "enq.received", service_ids=ids)
        good, missed = total_of(sums, "enq.on_time", service_ids=ids), total_of(sums, "enq.late", service_ids=ids)
        days = by_key(sums, "enq.answer_days", service_ids=ids)
        middle = median_of(days)
        return [
            Cell(got, drill=drill(metric="received", **params)),
            Cell(good),
            Cell(missed, drill=drill(metric="late", **params)),
            percentage(good, good + missed),
            Cell(middle, is_count=False, base=sum(days.values()), text="–" if middle is None else f"{middle:g}"),
            Cell(total_of(sums, "enq.escalations", service_ids=ids), drill=drill(metric="escalated", **params)),
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

    # By month: on time, and by the date promised (one query).
    monthly = (
        DailyCount.objects.filter(day__gte=period.start, day__lt=period.end, metric__in=MONTHLY_METRICS)
        .filter(Q(service_id__in=scope) if scope is not None else Q())
        .annotate(month=TruncMonth("day"))
        .values_list("month", "metric")
        .annotate(value=Sum("value"))
    )
    by_month: dict[date, Counter] = defaultdict(Counter)
    for month, metric, value in monthly:
        by_month[month if isinstance(month, date) else month.date()][metric] += value
    month_rows, promise_rows = [], []
    for month in months_in(period):
        counts = by_month.get(month.start, Counter())
        good, missed = counts["enq.on_time"], counts["enq.late"]
        rate = percentage(good, good + missed)
        # The trend reads the table's own cell, so the chart shows what the table shows.
        result.trend.append((f"{month.start:%b %Y}", rate))
        month_rows.append((month.label, [Cell(counts["enq.received"]), Cell(good), Cell(missed), rate]))
        kept_then, broken_then = counts["enq.promise_kept"], counts["enq.promise_missed"]
        promise_rows.append(
            (
                month.label,
                [
                    Cell(kept_then),
                    Cell(broken_then),
                    percentage(kept_then, kept_then + broken_then),
                    Cell(counts["enq.extended"]),
                ],
            )
        )
    # The period's totals are on the page (the headline, the directorate table): shown here as well.
    month_totals = [sum(cells[n].value for _, cells in month_rows) for n in range(3)]
    month_rows.append(
        ("All", [*(Cell(total) for total in month_totals), percentage(month_totals[1], sum(month_totals[1:]))])
    )
    result.tables["by_month"] = Table(
        slug="by_month",
        title="Enquiries by month",
        columns=["Received", "On time", "Missed", "On time %"],
        rows=month_rows,
        definition=DEFINITIONS["trend"],
        total_row=len(month_rows) - 1,
    )
    promise_rows.append(
        (
            "All",
            [
                Cell(kept),
                Cell(broken),
                percentage(kept, kept + broken),
                Cell(extended, drill=drill(metric="extended")),
            ],
        )
    )
    result.tables["promised"] = Table(
        slug="promised",
        title="Answered by the date promised, by month",
        columns=["By the date promised", "After it", "By the date promised %", "Agreed extensions"],
        rows=promise_rows,
        definition=DEFINITIONS["promised"],
        total_row=len(promise_rows) - 1,
    )
    return [
        (cells, [service_cells[service.pk] for service in directorates[directorate_id]])
        for (_, cells), directorate_id in zip(directorate_rows, directorates, strict=False)
    ]
