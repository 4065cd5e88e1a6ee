from celery import shared_task

from escalation.services import scheduler_heartbeat_record


@shared_task
def scheduler_heartbeat() -> None:
    """Queued by beat; proves beat, the broker and a worker are all running."""
    scheduler_heartbeat_record(name="beat")
