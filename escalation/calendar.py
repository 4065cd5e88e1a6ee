"""The council's working days (DESIGN §3, 001 §7.1: members' enquiries are answered
within five working days).

A working day is a weekday that is neither a bank holiday of the council's nation
(from the `holidays` package, substitute days included) nor a council closure day
set by an administrator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays
from django.conf import settings
from django.utils import timezone

from escalation.models import ClosureDay

# settings.COUNCIL_NATION → the `holidays` package's subdivision of GB.
SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
WEEKEND = {5: "Saturday", 6: "Sunday"}
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


@dataclass(frozen=True)
class DeadlineExplanation:
    start: date  # the receipt day, not counted
    counted: tuple[date, ...]
    skipped: tuple[SkippedDay, ...]
    due_on: date


class WorkingDayCalendar:
    def __init__(self, *, nation: str, closures: Mapping[date, str] | None = None):
        if nation not in SUBDIVISIONS:
            raise ValueError(f"Unknown nation {nation!r}: expected one of {', '.join(SUBDIVISIONS)}.")
        self.nation = nation
        self._closures = dict(closures or {})
        self._bank_holidays_by_year: dict[int, dict[date, str]] = {}

    def _bank_holidays(self, year: int) -> dict[date, str]:
        """The nation's bank holidays in `year`, built the first time the year is asked for."""
        if year not in self._bank_holidays_by_year:
            calendar = holidays.country_holidays("GB", subdiv=SUBDIVISIONS[self.nation], years=year)
            self._bank_holidays_by_year[year] = dict(calendar)
        return self._bank_holidays_by_year[year]

    def non_working_reason(self, day: date) -> str | None:
        # Weekend first: the package lists a bank holiday that falls on a weekend as well as
        # its weekday substitute, and such a day is off because it is the weekend.
        if day.weekday() in WEEKEND:
            return WEEKEND[day.weekday()]
        if name := self._bank_holidays(day.year).get(day):
            return f"{name} (bank holiday)"
        if reason := self._closures.get(day):
            return f"Council closure: {reason}"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.non_working_reason(day) is None

    def explain(self, start: date, days: int) -> DeadlineExplanation:
        """Count `days` working days after `start`; 001 §7.1: the day of receipt does not count."""
        if days < 1:
            raise ValueError("Count at least one working day.")
        counted: list[date] = []
        skipped: list[SkippedDay] = []
        day = start
        while len(counted) < days:
            day += ONE_DAY
            if reason := self.non_working_reason(day):
                skipped.append(SkippedDay(day=day, reason=reason))
            else:
                counted.append(day)
        return DeadlineExplanation(start=start, counted=tuple(counted), skipped=tuple(skipped), due_on=day)

    def add_working_days(self, start: date, days: int) -> date:
        return self.explain(start, days).due_on

    def next_working_day(self, day: date) -> date:
        return self.add_working_days(day, 1)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`.

        Counted without visiting each day, so a report over years of enquiries stays cheap.
        """
        if end <= start:
            return 0
        weeks, extra = divmod((end - start).days, 7)
        weekdays = 5 * weeks + sum((start + timedelta(days=n)).weekday() not in WEEKEND for n in range(1, extra + 1))
        days_off = set(self._closures)
        for year in range(start.year, end.year + 1):
            days_off.update(self._bank_holidays(year))
        return weekdays - sum(start < day <= end and day.weekday() not in WEEKEND for day in days_off)


def council_calendar() -> WorkingDayCalendar:
    """The calendar for settings.COUNCIL_NATION with every ClosureDay (one query)."""
    closures = dict(ClosureDay.objects.values_list("date", "reason"))
    return WorkingDayCalendar(nation=settings.COUNCIL_NATION, closures=closures)


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in Europe/London: 001 §7.1 deadlines run to the end of the working day."""
    return datetime.combine(day, time.max, tzinfo=timezone.get_default_timezone())


def local_date(moment: datetime) -> date:
    """The calendar date of an aware datetime in Europe/London, whatever time zone is active."""
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())
