from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from escalation.models import ClosureDay, SchedulerHeartbeat
from escalation.signals import working_days_changed


def scheduler_heartbeat_record(*, name: str = "beat", at: datetime | None = None) -> SchedulerHeartbeat:
    heartbeat, _ = SchedulerHeartbeat.objects.update_or_create(
        name=name, defaults={"last_beat_at": at or timezone.now()}
    )
    return heartbeat


# Closure days change which days are working days, so every change tells the apps that
# keep deadlines (working_days_changed) in the same transaction (001 §7.1).


def _closure_save(closure: ClosureDay) -> None:
    closure.full_clean(validate_unique=False)
    try:
        # A savepoint, so a clash leaves the caller's transaction usable.
        with transaction.atomic():
            closure.save()
    except IntegrityError as error:
        day = dateformat.format(closure.date, "l j F Y")
        raise ValidationError({"date": f"{day} is already a closure day."}) from error


@transaction.atomic
def closure_day_add(*, day: date, reason: str, actor: User) -> ClosureDay:
    closure = ClosureDay(date=day, reason=reason)
    _closure_save(closure)
    working_days_changed.send(sender=ClosureDay, days=[day], actor=actor)
    return closure


@transaction.atomic
def closure_day_change(*, closure: ClosureDay, day: date, reason: str, actor: User) -> ClosureDay:
    """Move a closure day or change its reason. Moving it is a removal and an addition:
    both dates change; a new reason alone changes no working day, so nothing is sent."""
    old_day = ClosureDay.objects.select_for_update().values_list("date", flat=True).get(pk=closure.pk)
    closure.date, closure.reason = day, reason
    _closure_save(closure)
    if day != old_day:
        working_days_changed.send(sender=ClosureDay, days=sorted([old_day, day]), actor=actor)
    return closure


@transaction.atomic
def closure_day_remove(*, closure: ClosureDay, actor: User) -> None:
    day = closure.date
    closure.delete()
    working_days_changed.send(sender=ClosureDay, days=[day], actor=actor)
