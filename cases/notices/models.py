"""Ward notices (DESIGN §6; 001 §9.4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from people.models import Member, Ward


class WardNoticeKind(models.TextChoices):
    """What 001 §9.4 says ward members are told about."""

    SIGNIFICANT_INCIDENT = "significant_incident", "A significant incident in the ward"  # §9.4.1
    PUBLIC_CONSULTATION = "public_consultation", "A public consultation"  # §9.4.1 (a), §9.4.5
    SERVICE_CHANGE = "service_change", "A proposed change to a service in the ward"  # §9.4.1 (b)
    APPLICATION = "application", "An application or proposal in the ward"  # §9.4.1 (c)
    PUBLIC_EVENT = "public_event", "An invitation to a public event"  # §9.4.2
    PUBLIC_MEETING = "public_meeting", "A public meeting about a ward issue"  # §9.4.4
    CONTROVERSIAL = "controversial", "A potentially controversial matter"  # §9.4.6


class WardNotice(models.Model):
    """An officer tells every member of one or more wards about something there (001 §9.4),
    whatever their political group. Its recipients, each with the time they were told, are
    the evidence that the protocol was kept. Nothing edits a notice once it is sent."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=WardNoticeKind.choices)
    title = models.CharField(max_length=200)
    # The date the notice is about: for a consultation, the day it starts (001 §9.4.5).
    concerns_on = models.DateField()
    summary = models.TextField()
    wards = models.ManyToManyField(Ward, related_name="notices")
    # "Notices I have sent" reads by sender, newest first, through the index below.
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    sent_at = models.DateTimeField(default=timezone.now)
    # 001 §9.4.5: ward members are consulted at the start of a consultation. Set when the
    # officer confirmed sending a consultation notice after its start date had passed.
    sent_late = models.BooleanField(default=False)
    # One optional file, checked as every attachment is (cases.shared.attachments) and served only
    # to those who may see the notice.
    attachment = models.FileField(upload_to="ward-notices/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    # The key of the form that created it (cases.shared.forms.SubmittedOnceForm): the same form sent
    # twice, as by a double click, sends one notice.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            #   Notices I have sent: WHERE sent_by_id = %s ORDER BY sent_at DESC, id DESC LIMIT 50 OFFSET …
            models.Index(fields=["sent_by", "sent_at", "id"], name="ward_notice_by_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:ward_notice", args=[self.reference])

    @property
    def is_consultation(self) -> bool:
        return self.kind == WardNoticeKind.PUBLIC_CONSULTATION


class WardNoticeRecipient(models.Model):
    """One member told about a notice, and when: a row per member, however many of the
    notice's wards they represent. Their group and wards are kept as they were then, so the
    record still shows that every group was told after a member moves or leaves."""

    notice = models.ForeignKey(WardNotice, on_delete=models.PROTECT, related_name="recipients")
    # "Notices for my wards" finds a member's notices through the index below.
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", db_index=False)
    group_name = models.CharField(max_length=100, blank=True, help_text="Empty for an independent councillor.")
    ward_names = models.CharField(max_length=500, help_text="The notice's wards this member represented.")
    notified_at = models.DateTimeField()
    notification = models.OneToOneField(
        "Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["notice", "pk"]
        indexes = [models.Index(fields=["member", "notice"], name="ward_notice_by_member")]
        constraints = [
            # 001 §9.4: one notification per member, however many of the wards they represent.
            models.UniqueConstraint(fields=["notice", "member"], name="one_recipient_row_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} to {self.member_id}"
