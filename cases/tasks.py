import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cases.models import Notification

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def notification_email_send(notification_id: int) -> None:
    """E-mail one notification, once.

    The row is claimed with a conditional UPDATE before sending, so a task run
    twice (a redelivery after a worker died) sends nothing more. A failure gives
    the claim back and retries.
    """
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not notification.recipient.email:
        logger.warning(
            "Notification %s not e-mailed: %s has no e-mail address", notification_id, notification.recipient
        )
        return
    try:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise


@shared_task
def deadline_sweep() -> None:
    """Run by beat every DEADLINE_SWEEP_SECONDS: reminders and climbs that are due (001 §7.1)."""
    from cases.concern_services import contact_prohibitions_enforce
    from cases.deadlines import concern_deadline_sweep, enquiry_deadline_sweep

    moved = contact_prohibitions_enforce()
    if moved:
        logger.info("Contact prohibitions: %s open enquiries moved to the Monitoring Officer's office", moved)

    for name, run in (("enquiries", enquiry_deadline_sweep), ("concerns", concern_deadline_sweep)):
        report = run()
        if report.reminders or report.climbs:
            logger.info("Deadline sweep (%s): %s reminders, %s climbs", name, report.reminders, report.climbs)


OUTBOX_BATCH_SIZE = 100


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def notifications_send_pending() -> int:
    """E-mail every notification not yet sent (the outbox), a batch at a time.

    Queued after a sweep commits, and run by beat too, so a notification whose own
    task was lost (the broker was down when it was queued) is still sent.
    """
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(emailed_at__isnull=True)
                .order_by("created_at", "pk")
                .values_list("pk", flat=True)[:OUTBOX_BATCH_SIZE]
            )
        if not batch:
            return sent
        for notification_id in batch:
            notification_email_send.run(notification_id)
            sent += 1


@shared_task
def escalations_notify() -> int:
    """Queued after each sweep batch commits, and run by beat: tell everyone about new climbs."""
    from cases.deadlines import escalations_notify as notify

    return notify()
