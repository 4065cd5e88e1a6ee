"""The Celery tasks of cases: thin, idempotent, each loading by id and calling a service.

Services never import this module (it imports them): they queue these tasks by name
(cases.shared.dispatch). The names are the module's, so messages already queued under
them keep working."""

import logging
import smtplib

from celery import shared_task

from cases.concerns.deadlines import concern_deadline_sweep
from cases.enquiries.deadlines import enquiry_deadline_sweep
from cases.enquiries.deadlines import escalations_notify as enquiry_escalations_notify
from cases.enquiries.services import contact_prohibitions_enforce
from cases.shared.notifications import notification_email, notifications_email_pending

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def notification_email_send(notification_id: int) -> None:
    """E-mail one notification, once (cases.shared.notifications.notification_email)."""
    notification_email(notification_id)


@shared_task
def deadline_sweep() -> None:
    """Run by beat every DEADLINE_SWEEP_SECONDS: reminders and climbs that are due (001 §7.1)."""
    moved = contact_prohibitions_enforce()
    if moved:
        logger.info("Contact prohibitions: %s open enquiries moved to the Monitoring Officer's office", moved)

    for name, run in (("enquiries", enquiry_deadline_sweep), ("concerns", concern_deadline_sweep)):
        report = run()
        if report.reminders or report.climbs:
            logger.info("Deadline sweep (%s): %s reminders, %s climbs", name, report.reminders, report.climbs)


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def notifications_send_pending() -> int:
    """E-mail every notification not yet sent (the outbox), a batch at a time.

    Queued after a sweep commits, and run by beat too, so a notification whose own
    task was lost (the broker was down when it was queued) is still sent.
    """
    return notifications_email_pending()


@shared_task
def escalations_notify() -> int:
    """Queued after each sweep batch commits, and run by beat: tell everyone about new climbs."""
    return enquiry_escalations_notify()
