"""The periods the Standards Committee reads figures by (DESIGN §7): month, quarter and
municipal year.

A council's **municipal year** runs from 1 May to 30 April (the annual meeting is in
May). Quarters are the municipal year's: May–July, August–October, November–January,
February–April, so four quarters make the year the committee reports on. Every
period is a range of whole days, ``start`` included and ``end`` excluded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MUNICIPAL_YEAR_STARTS = 5  # May


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter", "municipal_year" or "custom"
    start: date
    end: date  # exclusive
    label: str

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.end.toordinal() - 1)

    @property
    def key(self) -> str:
        """What the period is called in a URL: 2026-27, 2026-27-q2, 2026-11."""
        if self.kind == "municipal_year":
            return f"{self.start.year}-{(self.start.year + 1) % 100:02d}"
        if self.kind == "quarter":
            year = municipal_year_of(self.start)
            return f"{year.key}-q{quarter_number(self.start)}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y%m%d}-{self.last_day:%Y%m%d}"

    def previous(self) -> Period:
        """The same kind of period just before this one (for comparisons)."""
        if self.kind == "municipal_year":
            return municipal_year(self.start.year - 1)
        if self.kind == "quarter":
            return quarter_of(date.fromordinal(self.start.toordinal() - 1))
        if self.kind == "month":
            return month_of(date.fromordinal(self.start.toordinal() - 1))
        length = self.end.toordinal() - self.start.toordinal()
        start = date.fromordinal(self.start.toordinal() - length)
        return custom(start, date.fromordinal(self.start.toordinal() - 1))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def municipal_year(starting: int) -> Period:
    """The municipal year that starts on 1 May ``starting``: "2026/27"."""
    start = date(starting, MUNICIPAL_YEAR_STARTS, 1)
    return Period(
        "municipal_year", start, date(starting + 1, MUNICIPAL_YEAR_STARTS, 1), f"{starting}/{(starting + 1) % 100:02d}"
    )


def municipal_year_of(day: date) -> Period:
    """The municipal year ``day`` falls in: 30 April 2027 is in 2026/27, 1 May 2027 in 2027/28."""
    return municipal_year(day.year if day.month >= MUNICIPAL_YEAR_STARTS else day.year - 1)


def quarter_number(day: date) -> int:
    return (day.month - MUNICIPAL_YEAR_STARTS) % 12 // 3 + 1


def quarter_of(day: date) -> Period:
    """The municipal-year quarter ``day`` falls in (Q1 is May–July)."""
    year = municipal_year_of(day)
    number = quarter_number(day)
    start = _add_months(year.start, 3 * (number - 1))
    end = _add_months(start, 3)
    last = date.fromordinal(end.toordinal() - 1)
    return Period("quarter", start, end, f"Q{number} {year.label} ({start:%B} to {last:%B %Y})")


def month_of(day: date) -> Period:
    start = day.replace(day=1)
    return Period("month", start, _add_months(start, 1), f"{start:%B %Y}")


def custom(first: date, last: date) -> Period:
    end = date.fromordinal(last.toordinal() + 1)
    return Period("custom", first, end, f"{first:%-d %B %Y} to {last:%-d %B %Y}")


def months_in(period: Period) -> list[Period]:
    months, day = [], period.start.replace(day=1)
    while day < period.end:
        months.append(month_of(day))
        day = _add_months(day, 1)
    return months


def parse(key: str, *, today: date) -> Period:
    """A period from its URL key (see ``Period.key``); the current municipal year when the
    key is empty or not understood."""
    try:
        parts = key.split("-")
        if len(parts) == 2 and len(parts[1]) == 2 and parts[1].isdigit() and len(parts[0]) == 4:
            if key == f"{parts[0]}-{(int(parts[0]) + 1) % 100:02d}":
                return municipal_year(int(parts[0]))
            return month_of(date(int(parts[0]), int(parts[1]), 1))
        if len(parts) == 3 and parts[2].startswith("q") and parts[2][1:] in {"1", "2", "3", "4"}:
            year = municipal_year(int(parts[0]))
            return quarter_of(_add_months(year.start, 3 * (int(parts[2][1:]) - 1)))
    except ValueError:  # a month or year that does not exist: fall back below
        return municipal_year_of(today)
    return municipal_year_of(today)


def recent_periods(*, today: date, years: int = 10) -> list[Period]:
    """The periods to offer in a filter, newest first: municipal years, then this and last
    year's quarters and months."""
    this_year = municipal_year_of(today)
    periods = [municipal_year(this_year.start.year - n) for n in range(years)]
    for year in periods[:2]:
        quarters = [quarter_of(_add_months(year.start, 3 * n)) for n in range(4)]
        periods += [quarter for quarter in reversed(quarters) if quarter.start <= today]
    for year in periods[:2]:
        periods += [month for month in reversed(months_in(year)) if month.start <= today]
    return periods
