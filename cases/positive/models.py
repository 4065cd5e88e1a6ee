"""Positive examples (000 §VI): member-officer working that went well, passed on by the
relevant Assistant Director to the Monitoring Officer, and counted in the reports.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition

from cases.shared.selectors import is_monitoring_officer, officer_of
from people.models import Member, Officer, Service


class PositiveExampleState(models.TextChoices):
    WITH_ASSISTANT_DIRECTOR = "with_assistant_director", "With the Assistant Director"
    WITH_MONITORING_OFFICER = "with_monitoring_officer", "With the Monitoring Officer"
    RECORDED = "recorded", "Recorded for the protocol's reports"


class PositiveExample(models.Model):
    """000 §VI: member-officer working that went well, highlighted through the relevant
    Assistant Director to the Monitoring Officer, and counted in the reports."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    what_happened = models.TextField()
    happened_on = models.DateField()
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(Member, blank=True, related_name="+")
    officers = models.ManyToManyField(Officer, blank=True, related_name="+")
    # The key of the form that created it (cases.shared.forms.SubmittedOnceForm): the same form sent
    # twice, as by a double click, creates one example.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    state = FSMField(
        max_length=30,
        choices=PositiveExampleState.choices,
        default=PositiveExampleState.WITH_ASSISTANT_DIRECTOR,
        protected=True,
    )
    assistant_director = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    assistant_director_comment = models.TextField(blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    monitoring_officer_comment = models.TextField(blank=True)
    # Approved by the Monitoring Officer for the annual report (DESIGN §7).
    publishable = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # Set by the retention schedule (cases.retention): personal text blanked, people replaced.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:positive_example", args=[self.reference])

    @transition(
        field=state,
        source=PositiveExampleState.WITH_ASSISTANT_DIRECTOR,
        target=PositiveExampleState.WITH_MONITORING_OFFICER,
        permission=lambda example, user: (
            officer_of(user) is not None and officer_of(user).pk == example.assistant_director_id
        ),
    )
    def forward(self, *, comment: str, at: datetime) -> None:
        self.assistant_director_comment = comment
        self.forwarded_at = at

    @transition(
        field=state,
        source=PositiveExampleState.WITH_MONITORING_OFFICER,
        target=PositiveExampleState.RECORDED,
        permission=lambda example, user: is_monitoring_officer(user),
    )
    def acknowledge(self, *, comment: str, publishable: bool, at: datetime) -> None:
        self.monitoring_officer_comment = comment
        self.publishable = publishable
        self.acknowledged_at = at
