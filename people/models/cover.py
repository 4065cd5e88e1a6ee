"""Cover while away: a colleague covers an officer's work for a range of days (issue 15 C11).

A fact about who acts for whom, so it lives here beside the management chain, and routing
and the deadline sweep honour it without knowing about cases. A cover is in force on the
days from ``starts_on`` to ``ends_on``, both included: it ends by itself, with no job to
run, since everything that asks reads the dates (``CoverQuerySet.in_force``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from people.models.officers import Officer

# A cover names its last day and ends by itself: at most this many days, so that none is
# forgotten in force. A longer absence is a change of line management.
COVER_MOST_DAYS = 366


class CoverQuerySet(models.QuerySet["Cover"]):
    def in_force(self, *, on: date | None = None) -> CoverQuerySet:
        """Covers in force on ``on`` (today): started and not past their last day, by a
        colleague still serving that day."""
        on = on or timezone.localdate()
        serving = Q(covered_by__left_on__isnull=True) | Q(covered_by__left_on__gte=on)
        return self.filter(serving, starts_on__lte=on, ends_on__gte=on)

    def not_over(self, *, on: date | None = None) -> CoverQuerySet:
        """Covers in force on ``on`` or yet to start: those a page still lists."""
        on = on or timezone.localdate()
        return self.filter(ends_on__gte=on).filter(ends_on__gte=F("starts_on"))

    def overlapping(self, *, starts_on: date, ends_on: date) -> CoverQuerySet:
        """Covers with a day in common with ``starts_on`` to ``ends_on`` (none ended before they began)."""
        return self.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).filter(ends_on__gte=F("starts_on"))


class Cover(models.Model):
    """``covered_by`` covers ``officer``'s work from ``starts_on`` to ``ends_on`` (issue 15 C11):
    new enquiries routed to the officer, climbs that would reach them and their reminders go
    to the colleague, who also sees and acts on the officer's open enquiries meanwhile.

    Set by the officer or their line manager (cases.cover.services); ended early by either,
    which brings ``ends_on`` forward (to the day before it started, for one never begun)."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="covers")
    covered_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="covering")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_early_at = models.DateTimeField(null=True, blank=True)
    # The key of the form that set it (cases.shared.forms.SubmittedOnceForm): sent twice, one cover.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Incremented by every change, so a form sent from an out-of-date page is refused.
    version = models.PositiveIntegerField(default=1)

    objects = CoverQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [
            # Routing and the sweep: … WHERE officer_id IN (…) AND starts_on <= %s AND ends_on >= %s
            models.Index(fields=["officer", "ends_on"], name="cover_by_officer"),
            # What a colleague covers today (the enquiry selector, My work): … WHERE covered_by_id = %s …
            models.Index(fields=["covered_by", "ends_on"], name="cover_by_colleague"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(officer=F("covered_by")), name="cover_by_someone_else"),
            models.CheckConstraint(
                # The day before it starts: a cover ended before it came into force.
                condition=Q(ends_on__gte=F("starts_on") - timedelta(days=1)),
                name="cover_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.covered_by.name} covers for {self.officer.name}, {self.period}"

    @property
    def period(self) -> str:
        if self.ends_on < self.starts_on:
            return f"cancelled before it began on {self.starts_on:%A %-d %B %Y}"
        if self.ends_on == self.starts_on:
            return f"on {self.starts_on:%A %-d %B %Y}"
        return f"from {self.starts_on:%A %-d %B %Y} to {self.ends_on:%A %-d %B %Y}"

    def is_in_force(self, *, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on <= self.ends_on and self.covered_by.is_serving(on=on)

    def has_started(self, *, on: date | None = None) -> bool:
        return self.starts_on <= (on or timezone.localdate())
