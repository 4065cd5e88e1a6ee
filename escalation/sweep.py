"""The deadline sweep: reminders and climbs for every case whose time has come.

Set-based and idempotent (STYLE §4). Each batch is one transaction that claims
due rows with ``SELECT … FOR UPDATE SKIP LOCKED``, acts on the whole batch with
a fixed number of statements, and moves each row's ``remind_at`` or
``escalate_at`` on, so a rerun, or a second sweep running at the same time,
finds nothing more to do. It works from the data, not from ticks: after a day
with the worker down, the next sweep does everything that fell due, oldest
first, climbing a case several rungs if several fell due. A worker killed
mid-batch loses only that batch's uncommitted work, which the next sweep redoes.

The case app supplies a ``SweepHandler``: which rows are open, who each case
climbs to (the management ladder for an enquiry, the next stage's handler for a
concern) and what a reminder or a climb means for its cases (timeline,
notifications, access).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from django.db import connection, models, transaction
from django.utils import timezone

from escalation.bulk import update_rows
from escalation.calendar import WorkingDayCalendar, council_calendar, local_date
from escalation.deadlines import next_climb_time

CLAIMED_FIELDS = ("pk", "owner_id", "service_id", "rung", "due_at", "escalate_at", "state")


@dataclass(frozen=True)
class Claimed:
    pk: int
    owner_id: int | None
    service_id: int | None
    rung: int
    due_at: datetime
    escalate_at: datetime | None
    state: str  # the case's state field, for the handler's wording


@dataclass(frozen=True)
class Climb:
    case: Claimed
    new_owner_id: int
    rung: int  # the rung reached by this climb: 1 for the first
    next_escalate_at: datetime | None


class SweepHandler(Protocol):
    """What a case app tells the sweep about its cases."""

    # Fields that go up by one whenever the sweep changes a case (an optimistic-lock version).
    bumped_on_change: tuple[str, ...]

    def open_cases(self) -> models.QuerySet: ...

    def reminded(self, cases: list[Claimed], *, now: datetime) -> None: ...

    def climb_targets(self, cases: list[Claimed], *, on: date) -> dict[int, int | None]:
        """For each case, the officer it climbs to, or None where it is at the top (a fixed
        number of queries for the batch)."""
        ...

    def climbed(self, climbs: list[Climb], *, now: datetime) -> None: ...

    def after_commit(self) -> None: ...


@dataclass
class SweepReport:
    reminders: int = 0
    climbs: int = 0
    at_top: int = 0
    batches: int = 0
    lines: list[str] = field(default_factory=list)


def _claim(queryset: models.QuerySet, *, batch_size: int) -> list[Claimed]:
    rows = queryset.select_for_update(skip_locked=True).values_list(*CLAIMED_FIELDS)[:batch_size]
    return [Claimed(*row) for row in rows]


def _remind_batch(handler: SweepHandler, *, now: datetime, batch_size: int, report: SweepReport) -> bool:
    # Uses the partial index on remind_at (Deadline subclasses declare it).
    due = handler.open_cases().filter(remind_at__lte=now).order_by("remind_at", "pk")
    cases = _claim(due, batch_size=batch_size)
    if not cases:
        return False
    handler.open_cases().model.objects.filter(pk__in=[case.pk for case in cases]).update(remind_at=None)
    # After downtime a reminder can come due only once its deadline has passed: too late to
    # help, so it is dropped and the climb, which is due too, says what happened.
    cases = [case for case in cases if case.due_at > now]
    handler.reminded(cases, now=now)
    report.reminders += len(cases)
    report.lines += [f"remind owner {case.owner_id} of case {case.pk} due {case.due_at:%Y-%m-%d}" for case in cases]
    return True


def _climb_batch(
    handler: SweepHandler, *, now: datetime, calendar: WorkingDayCalendar, batch_size: int, report: SweepReport
) -> bool:
    # Uses the partial index on escalate_at (Deadline subclasses declare it).
    due = handler.open_cases().filter(escalate_at__lte=now).order_by("escalate_at", "pk")
    cases = _claim(due, batch_size=batch_size)
    if not cases:
        return False
    model = handler.open_cases().model
    climbs, at_top = [], []
    next_times: dict[datetime, datetime] = {}  # most of a batch fell due at the same moment
    targets = handler.climb_targets(cases, on=local_date(now))
    for case in cases:
        new_owner_id = targets.get(case.pk)
        if new_owner_id is None:
            at_top.append(case.pk)
            continue
        next_at = next_times.get(case.escalate_at)
        if next_at is None:
            next_at = next_times[case.escalate_at] = next_climb_time(case.escalate_at, calendar=calendar)
        climbs.append(Climb(case=case, new_owner_id=new_owner_id, rung=case.rung + 1, next_escalate_at=next_at))
    if at_top:
        # Nothing higher to climb to (the Chief Executive owns an enquiry already).
        model.objects.filter(pk__in=at_top).update(escalate_at=None)
        report.at_top += len(at_top)
    if climbs:
        update_rows(
            model,
            ["owner", "rung", "escalate_at"],
            [(climb.case.pk, climb.new_owner_id, climb.rung, climb.next_escalate_at) for climb in climbs],
            increment=handler.bumped_on_change,
        )
        handler.climbed(climbs, now=now)
        report.climbs += len(climbs)
        report.lines += [
            f"climb case {climb.case.pk} to rung {climb.rung}: owner {climb.case.owner_id} -> {climb.new_owner_id}"
            for climb in climbs
        ]
    return True


def sweep(
    handler: SweepHandler, *, now: datetime | None = None, batch_size: int = 10_000, dry_run: bool = False
) -> SweepReport:
    """Send every reminder and make every climb that is due by ``now``.

    With ``dry_run`` the whole sweep runs in one transaction that is rolled back:
    the report says what it would do, and nothing changes or is sent.
    """
    now = now or timezone.now()
    calendar = council_calendar()
    report = SweepReport()
    if dry_run:
        with transaction.atomic():
            _sweep_batches(handler, now=now, calendar=calendar, batch_size=batch_size, report=report)
            transaction.set_rollback(True)
        return report
    _sweep_batches(handler, now=now, calendar=calendar, batch_size=batch_size, report=report)
    return report


def _relax_commit_durability() -> None:
    """Commit a batch without waiting for its WAL to reach disk (PostgreSQL's
    ``synchronous_commit = off``, for this transaction only).

    Safe here because a batch is re-derivable: a database crash can lose at most the last
    fraction of a second of committed batches, and the next sweep finds those rows still
    due and does them again. Nothing outside the database has seen them: e-mail is sent by
    the outbox, whose own transactions commit durably and so flush these first.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _sweep_batches(
    handler: SweepHandler, *, now: datetime, calendar: WorkingDayCalendar, batch_size: int, report: SweepReport
) -> None:
    for step in (_remind_batch, _climb_batch):
        kwargs = {"calendar": calendar} if step is _climb_batch else {}
        while True:
            with transaction.atomic():
                _relax_commit_durability()
                more = step(handler, now=now, batch_size=batch_size, report=report, **kwargs)
            if not more:
                break
            report.batches += 1
    if report.batches:
        # Once a sweep, after its last commit (at once when no transaction is open). robust:
        # with the broker down the sweep's work stands; beat runs the outboxes anyway.
        transaction.on_commit(handler.after_commit, robust=True)
