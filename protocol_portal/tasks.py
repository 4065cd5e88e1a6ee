from celery import shared_task

from protocol_portal.retention.services import retention_run


@shared_task
def retention_nightly() -> int:
    """Queued by beat each night (RETENTION_HOUR): anonymise or delete what has passed its
    period, or with RETENTION_DRY_RUN count it. Returns the run record's id."""
    return retention_run(trigger="beat").pk
