"""Counting from the summary tables (``reporting.models.DailyCount``): a period's sums in
one query, and the totals, medians and rates the figures are made of."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Sum

from reporting.disclosure import Cell
from reporting.figures.audiences import OPERATIONAL
from reporting.models import DailyCount
from reporting.periods import Period


def period_sums(period: Period, services: list[int] | None) -> dict[str, dict[tuple[int | None, str], int]]:
    """metric → {(service id, key): total} over the period: one query."""
    rows = DailyCount.objects.filter(day__gte=period.start, day__lt=period.end)
    if services is not None:
        rows = rows.filter(service_id__in=services)
    totals: dict[str, dict[tuple[int | None, str], int]] = defaultdict(dict)
    for metric, service_id, key, value in rows.values_list("metric", "service_id", "key").annotate(value=Sum("value")):
        totals[metric][service_id, key] = value
    return totals


def total_of(sums: dict, metric: str, *, service_ids=None, key=None) -> int:
    return sum(
        value
        for (service_id, k), value in sums.get(metric, {}).items()
        if (service_ids is None or service_id in service_ids) and (key is None or k == key)
    )


def by_key(sums: dict, metric: str, *, service_ids=None) -> Counter:
    counter: Counter = Counter()
    for (service_id, key), value in sums.get(metric, {}).items():
        if service_ids is None or service_id in service_ids:
            counter[key] += value
    return counter


def median_of(histogram: Counter) -> float | None:
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


def rate_of(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def percentage(part: int, whole: int, *, drill: str = "") -> Cell:
    value = rate_of(part, whole)
    return Cell(value, text="–" if value is None else f"{value:.1f}%", is_count=False, base=whole, drill=drill)


def drill_link(audience: str, **params) -> str:
    if audience != OPERATIONAL:
        return ""
    return "&".join(f"{name}={value}" for name, value in params.items() if value not in (None, ""))
