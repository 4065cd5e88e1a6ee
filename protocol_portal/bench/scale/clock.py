"""When things happen over the decade: the moments cases are filed, and the council's
working-day calendar, cached by day."""

from __future__ import annotations

import functools
import random
from bisect import bisect_left
from collections.abc import Callable
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.conf import settings
from django.utils import timezone

from escalation.calendar import WorkingDayCalendar, end_of_day, local_date

YEARS = 10
# How much busier the latest year is than the first: the density of cases rises linearly.
GROWTH = 1.5
# The share of cases filed on a day the council is closed that stay on it (e-mail at the
# weekend); the rest move to the next working day.
CLOSED_DAY_SHARE = 0.25
TZ = timezone.get_default_timezone()


class Clock:
    """The calendar's answers, cached by day for the instance's life (a few thousand days)."""

    def __init__(self, calendar: WorkingDayCalendar, now: datetime) -> None:
        self.calendar, self.now = calendar, now
        self.today = local_date(now)
        self.starts = settings.WORKING_DAY_STARTS_AT
        self.interval = settings.ESCALATION_INTERVAL_WORKING_DAYS
        self.add = functools.cache(calendar.add_working_days)
        self.next_working_day = functools.cache(calendar.next_working_day)
        self.is_working_day = functools.cache(calendar.is_working_day)
        self.start = functools.cache(lambda day: datetime.combine(day, self.starts, tzinfo=TZ))
        self.end = functools.cache(end_of_day)
        self.climbs = functools.cache(self._climbs)
        self.reminder = functools.cache(self._reminder)

    def at(self, day: date, minute: int) -> datetime:
        """``minute`` minutes after midnight on ``day``, local time."""
        return self.start(day) + timedelta(minutes=minute - self.starts.hour * 60 - self.starts.minute)

    def _climbs(self, due_day: date) -> tuple[datetime, ...]:
        """When a case due on ``due_day`` climbs: the start of the next working day, then
        every five working days (escalation.deadlines)."""
        first = self.next_working_day(due_day)
        second = self.add(first, self.interval)
        return self.start(first), self.start(second), self.start(self.add(second, self.interval))

    def _reminder(self, due_day: date) -> datetime:
        """The start of the working day before the due day (escalation.deadlines.reminder_time)."""
        previous = due_day - timedelta(days=1)
        while not self.is_working_day(previous):
            previous -= timedelta(days=1)
        return self.start(previous)

    def remind_at(self, due_at: datetime) -> datetime | None:
        return None if due_at <= self.now else self.reminder(local_date(due_at))


def moments(rng: random.Random, count: int, clock: Clock) -> list[tuple[date, int]]:
    """``count`` (day, minute) pairs over the last ten years, in order, more recent years busier."""
    today = clock.today
    first = today.replace(year=today.year - YEARS) + timedelta(days=1)
    span = (today - first).days + 1
    a = GROWTH - 1
    picked = []
    for _ in range(count):
        # Inverse of the CDF of a density rising linearly from 1 to GROWTH over the span.
        u = rng.random()
        x = u if a == 0 else ((1 + a * (2 + a) * u) ** 0.5 - 1) / a
        day = first + timedelta(days=min(int(x * span), span - 1))
        if not clock.is_working_day(day) and rng.random() > CLOSED_DAY_SHARE:
            day = clock.next_working_day(day)
        minute = int(min(max(rng.gauss(12.5 * 60, 150), 7 * 60), 21 * 60))
        picked.append((day, minute))
    # Moving a day forward can pass today: those move back to today, before now.
    now_minute = clock.now.astimezone(TZ).hour * 60 + clock.now.astimezone(TZ).minute
    picked = [
        (today, min(minute, max(now_minute - 1, 0))) if day > today or (day == today and minute >= now_minute)
        else (day, minute)
        for day, minute in picked
    ]  # fmt: skip
    picked.sort()
    return picked


def weighted(rng: random.Random, items: list, weights: list[float]) -> Callable[[], object]:
    cumulative = list(accumulate(weights))
    total = cumulative[-1]

    def pick():
        return items[bisect_left(cumulative, rng.random() * total)]

    return pick
