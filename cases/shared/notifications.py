"""Notifications: the in-app list and the e-mail outbox (DESIGN §8).

A notification is written in the transaction of the change it tells about, and e-mailed
after commit by a task queued by name (cases.shared.dispatch); beat sends whatever is
left in the outbox (``emailed_at`` empty), so a lost task loses no e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.shared.dispatch import NOTIFICATION_EMAIL_SEND, task_queue_on_commit
from cases.shared.models import Notification

logger = logging.getLogger(__name__)

_recording_history: ContextVar[bool] = ContextVar("recording_history", default=False)


@contextmanager
def recording_history() -> Iterator[None]:
    """Services called inside this record their notifications without e-mailing them:
    for writing history that happened in the past, such as the demo council's year."""
    token = _recording_history.set(True)
    try:
        yield
    finally:
        _recording_history.reset(token)


def display_name(user) -> str:
    return user.get_full_name() or user.username


def letter(recipient, text: str, path: str) -> str:
    """An e-mail's body: to ``recipient``, ``text``, a link to ``path`` in the portal, signed."""
    return f"Dear {display_name(recipient)},\n\n{text}\n\n{settings.PORTAL_BASE_URL}{path}\n\n" + (
        f"{settings.COUNCIL_NAME} Protocol Portal"
    )


def notification_create(*, recipient, template: str, subject: str, body: str, at: datetime, **about) -> Notification:
    """Tell ``recipient`` in the portal now and by e-mail after commit. ``about`` names the
    case it is about (``enquiry=``, ``concern=``, ``positive_example=``, ``briefing=``,
    ``ward_notice=``)."""
    notification = Notification.objects.create(
        recipient=recipient, template=template, subject=subject, body=body, created_at=at, **about
    )
    if _recording_history.get():
        # Written into the past (the demo's year of history): recorded as sent then, not e-mailed now.
        Notification.objects.filter(pk=notification.pk).update(emailed_at=at)
    else:
        task_queue_on_commit(NOTIFICATION_EMAIL_SEND, notification.pk)
    return notification


def notification_render(*, recipient, template: str, context: dict, at: datetime, **about) -> Notification:
    """``notification_create`` with the subject and body from ``emails/<template>_subject.txt``
    and ``_body.txt``; the context gains ``recipient`` and ``council_name``."""
    context = {**context, "recipient": recipient, "council_name": settings.COUNCIL_NAME}
    return notification_create(
        recipient=recipient,
        template=template,
        subject=render_to_string(f"emails/{template}_subject.txt", context).strip(),
        body=render_to_string(f"emails/{template}_body.txt", context).strip(),
        at=at,
        **about,
    )


def notification_email(notification_id: int) -> None:
    """E-mail one notification, once.

    The row is claimed with a conditional UPDATE before sending, so a task run
    twice (a redelivery after a worker died) sends nothing more. A failure gives
    the claim back and raises, for the task to retry.
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


OUTBOX_BATCH_SIZE = 100


def notifications_email_pending() -> int:
    """E-mail every notification not yet sent (the outbox), a batch at a time. Returns how many."""
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
            notification_email(notification_id)
            sent += 1
