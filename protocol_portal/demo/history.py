"""The demo's past on the council's calendar: the working days its stories' moments fall on,
and the notifications its history wrote."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from escalation.calendar import WorkingDayCalendar


class WorkingDays:
    """Working days counted from today: 1 is the last working day before today, 0 the first
    from today on, -1 the next, and so on."""

    def __init__(self, calendar: WorkingDayCalendar, *, today: date, back: int, ahead: int = 30) -> None:
        self.past: list[date] = []
        day = today
        while len(self.past) < back:
            day -= timedelta(days=1)
            if calendar.is_working_day(day):
                self.past.append(day)
        self.future: list[date] = []
        day = today
        while len(self.future) < ahead:
            if calendar.is_working_day(day):
                self.future.append(day)
            day += timedelta(days=1)

    def date(self, day: int) -> date:
        return self.past[day - 1] if day >= 1 else self.future[-day]

    def moment(self, day: int, minute: int) -> datetime:
        """The moment ``minute`` minutes after midnight, council time, on working day ``day``."""
        return datetime.combine(self.date(day), time(minute // 60, minute % 60), tzinfo=timezone.get_default_timezone())


def settle_notifications(days: WorkingDays, notifications: QuerySet) -> None:
    """The history's notifications were (but for the last few days') read long ago; they were
    recorded as e-mailed when written (``recording_history``), so nothing is sent now."""
    history = notifications.filter(read_at__isnull=True)
    read_before = datetime.combine(days.date(3), time.min, tzinfo=timezone.get_default_timezone())
    history.filter(created_at__lt=read_before).update(read_at=F("created_at") + timedelta(hours=1))
