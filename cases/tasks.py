import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
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
