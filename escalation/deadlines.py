"""The deadline machinery for any case with a deadline (DESIGN §3 "Escalation", §8).

A case model mixes in ``Deadline``: ``due_at`` (the deadline), ``remind_at``
(when to remind the owner: the start of the working day before the deadline)
and ``escalate_at`` (when the case next climbs a rung: the start of the first
working day after the deadline, then every five working days), plus ``rung``,
the number of climbs so far. Services set ``due_at`` and call ``schedule``;
the sweep (``escalation.sweep``) acts on the other two.

Nothing here knows about enquiries or concerns: the cases app supplies what
happens on a reminder or a climb.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from escalation.calendar import WorkingDayCalendar, council_calendar
from people.models import Officer, Service, StatutoryAppointment, StatutoryRole


class Deadline(models.Model):
    due_at = models.DateTimeField(null=True, blank=True, help_text="The end of the day a response is due.")
    remind_at = models.DateTimeField(null=True, blank=True, help_text="When the owner is reminded; empty once sent.")
    escalate_at = models.DateTimeField(
        null=True, blank=True, help_text="When the case next climbs a rung; empty when it cannot or need not."
    )
    rung = models.PositiveSmallIntegerField(default=0, help_text="How many rungs the case has climbed.")

    class Meta:
        abstract = True

    def schedule(self, *, calendar: WorkingDayCalendar | None = None, climbs: bool = True, now: datetime) -> None:
        """Set the reminder and the next climb from ``due_at`` (None clears both)."""
        if self.due_at is None:
            self.remind_at = self.escalate_at = None
            return
        calendar = calendar or council_calendar()
        self.remind_at = reminder_time(self.due_at, calendar=calendar, now=now)
        self.escalate_at = first_climb_time(self.due_at, calendar=calendar) if climbs else None

    def unschedule(self) -> None:
        """Answered, declined, withdrawn or closed: nothing more to remind or climb."""
        self.remind_at = self.escalate_at = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, settings.WORKING_DAY_STARTS_AT, tzinfo=timezone.get_default_timezone())


def _last_working_day_before(day: date, calendar: WorkingDayCalendar) -> date:
    previous = day
    while True:
        previous = date.fromordinal(previous.toordinal() - 1)
        if calendar.is_working_day(previous):
            return previous


def reminder_time(due_at: datetime, *, calendar: WorkingDayCalendar, now: datetime) -> datetime | None:
    """The start of the working day before the due day (001 §7.1 reminder); None if the
    deadline has already passed, since then the climb, not a reminder, is next."""
    if due_at <= now:
        return None
    due_on = timezone.localdate(due_at, timezone=timezone.get_default_timezone())
    return _start_of(_last_working_day_before(due_on, calendar))


def first_climb_time(due_at: datetime, *, calendar: WorkingDayCalendar) -> datetime:
    """The start of the first working day after a missed deadline (001 §7.1)."""
    due_on = timezone.localdate(due_at, timezone=timezone.get_default_timezone())
    return _start_of(calendar.next_working_day(due_on))


def next_climb_time(climbed_at: datetime, *, calendar: WorkingDayCalendar) -> datetime:
    """Five further working days without a response (001 §7.1)."""
    climbed_on = timezone.localdate(climbed_at, timezone=timezone.get_default_timezone())
    return _start_of(calendar.add_working_days(climbed_on, settings.ESCALATION_INTERVAL_WORKING_DAYS))


# --- The ladder: owner → Head of Service → Director → Chief Executive ---------------


def service_ladders(service_ids: Iterable[int], *, on: date | None = None) -> dict[int, tuple[int | None, ...]]:
    """For each service, its rungs above the owner: Head of Service, Director, Chief
    Executive (officer ids; None where a post is empty or its holder has left by ``on``).
    Three queries."""
    on = on or timezone.localdate()
    serving = set(Officer.objects.current(on=on).values_list("pk", flat=True))
    chief_id = (
        StatutoryAppointment.objects.filter(role=StatutoryRole.HEAD_OF_PAID_SERVICE, is_deputy=False)
        .values_list("officer_id", flat=True)
        .first()
    )
    rows = Service.objects.filter(pk__in=set(service_ids)).values_list(
        "pk", "head_of_service_id", "directorate__director_id"
    )

    def serving_or_none(officer_id: int | None) -> int | None:
        return officer_id if officer_id in serving else None

    chief_id = serving_or_none(chief_id)
    return {pk: (serving_or_none(head), serving_or_none(director), chief_id) for pk, head, director in rows}


def next_rung(
    ladder: tuple[int | None, ...],
    owner_id: int,
    *,
    reached_id: int | None = None,
    acting: tuple[int | None, ...] | None = None,
    reached_for_id: int | None = None,
) -> int | None:
    """Who is accountable after ``owner_id``: the next post above them on the ladder,
    skipping a post that is empty or held by the same person; None at the top.

    ``reached_id`` is the officer the case last climbed to: a Head of Service who hands
    an escalated case to a colleague does not bring the next climb back to themselves.

    ``acting`` and ``reached_for_id``: see ``next_post``.
    """
    acting = ladder if acting is None else acting
    post = next_post(ladder, owner_id, reached_id=reached_id, acting=acting, reached_for_id=reached_for_id)
    return None if post is None else acting[post]


def next_post(
    ladder: tuple[int | None, ...],
    owner_id: int,
    *,
    reached_id: int | None = None,
    acting: tuple[int | None, ...] | None = None,
    reached_for_id: int | None = None,
) -> int | None:
    """The position on ``ladder`` of the next post a case climbs to (``next_rung``), or None.

    ``acting`` says who acts for each post of ``ladder`` today, where that is not its holder:
    a colleague covering for a holder who is away (issue 15 C11), or no one where a contact
    prohibition empties the rung. A case climbs to whoever acts for the next post, and is
    placed on the ladder by the post as well as by who acted for it: ``reached_for_id`` is
    the holder that the officer it last climbed to was covering for, so a climb after that
    cover has ended goes on up, not back down to that post.
    """
    acting = ladder if acting is None else acting
    known = {owner_id, reached_id, reached_for_id} - {None}
    positions = [
        position for position, (post, actor) in enumerate(zip(ladder, acting, strict=True)) if {post, actor} & known
    ]
    start = max(positions, default=-1) + 1
    for position in range(start, len(acting)):
        officer_id = acting[position]
        if officer_id is not None and officer_id != owner_id:
            return position
    return None
