"""Contact prohibitions: who may not contact whom (000 §VIII; DESIGN §5)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from people.models.members import Member
from people.models.officers import Officer
from people.models.organisation import Service


class ContactProhibitionQuerySet(models.QuerySet["ContactProhibition"]):
    def active(self, *, on: date | None = None) -> ContactProhibitionQuerySet:
        """Prohibitions in force on ``on``: started, and not yet past their last day. Expiry
        needs no job: a prohibition simply stops matching the day after ``ends_on``."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)

    def overlapping(
        self,
        *,
        member_id: int,
        scope: str,
        officer_id: int | None,
        service_id: int | None,
        starts_on: date,
        ends_on: date | None,
    ) -> ContactProhibitionQuerySet:
        """The member's prohibitions on the same officer, the same service or all officers
        whose days meet ``starts_on`` to ``ends_on`` (None: indefinitely) anywhere (issue 15 A6)."""
        meets = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        if ends_on is not None:
            meets &= Q(starts_on__lte=ends_on)
        same = {"officer": {"officer_id": officer_id}, "service": {"service_id": service_id}}.get(scope, {})
        return self.filter(meets, member_id=member_id, scope=scope, **same)


class ContactProhibition(models.Model):
    """A councillor may not contact an officer, a service's officers or any officer (000 §VIII).

    A fact about who may contact whom, so it lives here and routing honours it
    without knowing about cases (DESIGN §5). The sanction that imposed it is in
    ``cases`` and points here.
    """

    class Scope(models.TextChoices):
        OFFICER = "officer", "A named officer"
        SERVICE = "service", "Every officer in a service"
        ALL = "all", "All officers"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="contact_prohibitions")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The last day it applies. Empty: indefinitely.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContactProhibitionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="officer", officer__isnull=False, service__isnull=True)
                    | Q(scope="service", officer__isnull=True, service__isnull=False)
                    | Q(scope="all", officer__isnull=True, service__isnull=True)
                ),
                name="contact_prohibition_names_what_it_covers",
            ),
            models.CheckConstraint(
                # The day before it starts is allowed: a prohibition ended early before it came into
                # force, or on the day it started (cases.concerns.services.prohibition_end_early).
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on") - timedelta(days=1)),
                name="contact_prohibition_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: no contact with {self.covers}, {self.period}"

    @property
    def covers(self) -> str:
        if self.scope == self.Scope.OFFICER:
            return self.officer.name
        if self.scope == self.Scope.SERVICE:
            return f"the officers of {self.service}"
        return "any officer"

    @property
    def period(self) -> str:
        start = f"{self.starts_on:%-d %B %Y}"
        if self.ends_on is not None and self.ends_on < self.starts_on:
            return f"ended before it came into force on {start}"
        return f"from {start} until {self.ends_on:%-d %B %Y}" if self.ends_on else f"from {start}, indefinitely"

    def is_active(self, *, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def forbids(self, *, officer_id: int, service_id: int | None) -> bool:
        """Whether this prohibition covers the officer (whose service is ``service_id``)."""
        if self.scope == self.Scope.ALL:
            return True
        if self.scope == self.Scope.SERVICE:
            return service_id is not None and service_id == self.service_id
        return officer_id == self.officer_id

    def clean(self) -> None:
        if self.scope == self.Scope.OFFICER and self.officer_id is None:
            raise ValidationError({"officer": "Choose the officer the councillor may not contact."})
        if self.scope == self.Scope.SERVICE and self.service_id is None:
            raise ValidationError({"service": "Choose the service whose officers the councillor may not contact."})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})
