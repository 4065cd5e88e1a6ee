"""The audit log: signing in, refused cases and subject access exports, kept for administrators
(docs/security.md). Written by ``people.audit.audit_event_record`` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    """The audit log is append-only: a queryset cannot change or remove its rows either."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("The audit log is append-only: its events cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("The audit log is append-only: its events cannot be deleted.")


class AuditEvent(models.Model):
    """Something about signing in, or a refused case, kept for administrators (docs/security.md).

    Append-only three times over: ``save`` refuses an existing row, the queryset refuses
    ``update``/``delete``, and on PostgreSQL a trigger rejects UPDATE and DELETE (migration 0003).
    The one exception: the retention schedule deletes events past their period (people.retention).
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        SIGN_OUT = "sign_out", "Signed out"
        SESSION_EXPIRED = "session_expired", "Session expired"
        TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor sign-in set up"
        TWO_FACTOR_VERIFIED = "two_factor_verified", "Two-factor code accepted"
        TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
        TWO_FACTOR_REMOVED = "two_factor_removed", "Two-factor sign-in turned off"
        CASE_REFUSED = "case_refused", "Case refused (403 or 404)"
        # UK GDPR Art. 15: who produced an export, for whom (the detail) and when (reporting.subject_access).
        SUBJECT_ACCESS_EXPORT = "subject_access_export", "Subject access export produced"

    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # PROTECT: someone with a history is made inactive, never deleted, so the history stays.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    username = models.CharField("username given", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # An administrator's "what has this person done" in the admin (list filter on user).
            models.Index(fields=["user", "-at"], name="auditevent_user_at"),
        ]

    def __str__(self) -> str:
        who = self.username or (str(self.user) if self.user_id else "someone")
        return f"{self.get_kind_display()}: {who} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("The audit log is append-only: its events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("The audit log is append-only: its events cannot be deleted.")
