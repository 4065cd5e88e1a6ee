from django.core.exceptions import ValidationError
from django.db import models
from django.utils import dateformat

from escalation.years import FIRST_YEAR, LAST_YEAR


class SchedulerHeartbeat(models.Model):
    """When a scheduled task last ran on a worker.

    Celery beat queues a heartbeat every minute; a worker records it here. A
    stale heartbeat tells an administrator that deadlines are not being enforced
    because the worker, beat or the broker is down.
    """

    name = models.CharField(max_length=50, unique=True)
    last_beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_beat_at:%Y-%m-%d %H:%M:%S}"


class ClosureDay(models.Model):
    """A day the council is closed (e.g. the Christmas shutdown): not a working day."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=150, help_text="For example: Christmas shutdown.")

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{dateformat.format(self.date, 'l j F Y')}: {self.reason}"

    def clean(self) -> None:
        if self.date is not None and not FIRST_YEAR <= self.date.year <= LAST_YEAR:
            raise ValidationError({"date": f"Choose a date in a year from {FIRST_YEAR} to {LAST_YEAR}."})
