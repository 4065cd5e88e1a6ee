from datetime import datetime

from django.utils import timezone

from escalation.models import SchedulerHeartbeat


def scheduler_heartbeat_record(*, name: str = "beat", at: datetime | None = None) -> SchedulerHeartbeat:
    heartbeat, _ = SchedulerHeartbeat.objects.update_or_create(
        name=name, defaults={"last_beat_at": at or timezone.now()}
    )
    return heartbeat
