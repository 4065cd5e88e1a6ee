"""What every kind of case shares: the reference numbers, the append-only timeline, the notifications
(the in-app list and the e-mail outbox) and the attached files.

The models of the domains (``cases.enquiries``, ``cases.concerns``…) are named here by their label
("cases.Enquiry"), never imported: the shared machinery knows no domain.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from people.models import Officer


class ReferenceSequence(models.Model):
    """The last number given in a year, so references read ENQ-2026-00042."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_sequence_per_prefix_and_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class Attachment(models.Model):
    """A file on an enquiry (or its answer) or, as evidence, on a concern."""

    enquiry = models.ForeignKey(
        "cases.Enquiry", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    concern = models.ForeignKey(
        "cases.Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    answer = models.ForeignKey(
        "cases.Answer", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="enquiries/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enquiry__isnull=False, concern__isnull=True)
                | Q(enquiry__isnull=True, concern__isnull=False),
                name="attachment_on_one_case",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TimelineEvent(models.Model):
    """One append-only line in an enquiry's or a concern's history: who, when, what, why.

    Nothing edits or deletes an event: ``save`` refuses an update and ``delete``
    refuses outright, the admin is read-only, and enquiries are never deleted
    (PROTECT). The one exception is the retention schedule, which anonymises the events
    of a case past its period (cases.retention; the trigger lets it alone through).
    """

    class Kind(models.TextChoices):
        FILED = "filed", "Filed"
        REASSIGNED = "reassigned", "Reassigned"
        MOVED = "moved", "Moved to another service"
        HOLDING_REPLY = "holding_reply", "Holding reply sent"
        EXTENSION_ASKED = "extension_asked", "Later date asked for"
        EXTENSION_DECIDED = "extension_decided", "Later date agreed or not"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"
        DISPUTED = "disputed", "Disputed"
        DECLINE_UPHELD = "decline_upheld", "Decline upheld"
        ANSWER_DIRECTED = "answer_directed", "Answer directed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REOPENED = "reopened", "Reopened"
        CLOSED = "closed", "Closed"
        CONSENT_RECORDED = "consent_recorded", "Consent recorded"
        REMINDED = "reminded", "Reminder sent"
        ESCALATED = "escalated", "Escalated"
        DUE_DATE_CHANGED = "due_date_changed", "Due date recalculated"
        NOTIFIED = "notified", "Notification sent"
        # Concerns (DESIGN §4)
        RAISED = "raised", "Concern raised"
        STAGE_CHANGED = "stage_changed", "Moved to the next stage"
        RESOLVED = "resolved", "Resolved"
        INFORMAL_ACTION = "informal_action", "Informal action taken"
        FORMAL_ACTION_PROPOSED = "formal_action_proposed", "Formal action proposed"
        SANCTION_RECORDED = "sanction_recorded", "Sanction recorded"
        REFERRED = "referred", "Referred outside the council"
        SHARED = "shared", "Shared with the subject"
        NOTE = "note", "Note"
        PROHIBITION_LIFTED = "prohibition_lifted", "Contact prohibition ended early"
        PROHIBITION_EXTENDED = "prohibition_extended", "Contact prohibition extended"
        # The filing member left office (003; cases.leavers).
        HANDED_OVER = "handed_over", "Handed to another councillor"

    enquiry = models.ForeignKey(
        "cases.Enquiry", on_delete=models.PROTECT, null=True, blank=True, related_name="timeline"
    )
    concern = models.ForeignKey(
        "cases.Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="timeline"
    )
    at = models.DateTimeField(default=timezone.now)
    # Events are read by enquiry only: the other keys carry no index to keep up.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    from_owner = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    to_owner = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    note = models.TextField(blank=True, help_text="What happened and why, in words the member can read.")
    # Events only officers see, such as a notification sent to an officer.
    internal = models.BooleanField(default=False)
    # Set by the retention schedule (cases.retention), the one change an event may undergo.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enquiry__isnull=False, concern__isnull=True)
                | Q(enquiry__isnull=True, concern__isnull=False),
                name="timeline_event_on_one_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enquiry_id or self.concern_id} {self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Timeline events are append-only: an event cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Timeline events are append-only: an event cannot be deleted.")


class Notification(models.Model):
    """An in-app notification, and the e-mail outbox: ``emailed_at`` is set when the e-mail
    is handed to the mail server (or found to have no address to go to)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    enquiry = models.ForeignKey("cases.Enquiry", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    concern = models.ForeignKey("cases.Concern", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    positive_example = models.ForeignKey(
        "cases.PositiveExample", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    briefing = models.ForeignKey("cases.Briefing", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    ward_notice = models.ForeignKey(
        "cases.WardNotice", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    template = models.CharField(max_length=50)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The header's unread count: SELECT count(*) … WHERE recipient_id = %s AND read_at IS NULL.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            # The outbox sweep: … WHERE emailed_at IS NULL ORDER BY created_at.
            models.Index(fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notification_unsent"),
        ]

    def __str__(self) -> str:
        return self.subject
