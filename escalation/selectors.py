from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from escalation.models import SchedulerHeartbeat


@dataclass(frozen=True)
class SchedulerStatus:
    last_beat_at: datetime | None
    is_running: bool


def scheduler_status(*, name: str = "beat", now: datetime | None = None) -> SchedulerStatus:
    """Whether the scheduler has beaten recently: within three heartbeat intervals."""
    now = now or timezone.now()
    heartbeat = SchedulerHeartbeat.objects.filter(name=name).first()
    if heartbeat is None:
        return SchedulerStatus(last_beat_at=None, is_running=False)
    allowed = timedelta(seconds=3 * settings.SCHEDULER_HEARTBEAT_SECONDS)
    return SchedulerStatus(last_beat_at=heartbeat.last_beat_at, is_running=now - heartbeat.last_beat_at <= allowed)
