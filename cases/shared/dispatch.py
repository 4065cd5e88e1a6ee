"""Services queue Celery tasks by name, never by importing them: the tasks import the
services (cases.tasks), so the services cannot import the tasks back.

``signature(name).delay()`` runs the registered task's own ``apply_async`` (so
``task_always_eager`` holds in the tests); the tasks are registered when Django starts
(cases.apps imports cases.tasks)."""

from __future__ import annotations

from celery import signature
from django.db import transaction

NOTIFICATION_EMAIL_SEND = "cases.tasks.notification_email_send"
NOTIFICATIONS_SEND_PENDING = "cases.tasks.notifications_send_pending"
ESCALATIONS_NOTIFY = "cases.tasks.escalations_notify"


def task_queue(name: str, *args) -> None:
    """Queue the task ``name`` now."""
    signature(name, args=args).delay()


def task_queue_on_commit(name: str, *args) -> None:
    """Queue the task ``name`` once the current transaction commits. Robust: the change is
    saved whether or not the broker answers (beat runs the outboxes anyway)."""
    transaction.on_commit(lambda: task_queue(name, *args), robust=True)
