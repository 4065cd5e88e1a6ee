"""What the deadline sweep means for members' enquiries (001 §7.1, §7.4; DESIGN §3).

``escalation.sweep`` finds the enquiries whose reminder or climb is due and moves
their owner up the ladder; this handler writes, for a whole batch at once, the
rung record, the timeline events, the notifications and the new owner's access,
each with one statement. When the council's working days change, every deadline they
touch is worked out again (``enquiries_due_dates_recompute``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from cases.enquiries.models import (
    OPEN_STATES,
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
)
from cases.enquiries.services.common import enquiry_reschedule
from cases.shared.dispatch import ESCALATIONS_NOTIFY, NOTIFICATIONS_SEND_PENDING, task_queue
from cases.shared.models import Notification, TimelineEvent
from escalation.bulk import insert_rows
from escalation.calendar import council_calendar, end_of_day, local_date
from escalation.deadlines import next_climb_time, next_post, service_ladders
from escalation.routing import covered_ladder, forbidden, permitted_ladder
from escalation.sweep import Claimed, Climb, SweepReport, sweep
from people.models import Officer
from people.selectors import active_contact_prohibitions, covers_in_force, head_of_paid_service

NOTIFICATION_COLUMNS = ["recipient", "enquiry", "template", "subject", "body", "created_at"]


EVENT_COLUMNS = ["enquiry", "at", "kind", "from_state", "to_state", "from_owner", "to_owner", "note", "internal"]


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment, timezone.get_default_timezone()):%A %-d %B %Y}"


@functools.cache
def _why(due_at: datetime, *, holding_reply: bool) -> str:
    if holding_reply:
        return f"the holding reply's target of the end of {_day(due_at)} was missed without an answer"
    return f"it was due by the end of {_day(due_at)} and has had no answer or holding reply"


def _link(reference: str) -> str:
    return f"{settings.PORTAL_BASE_URL}/enquiries/{reference}/"


class EnquirySweep:
    # A form loaded before an escalation is then refused as out of date (cases.enquiries.services).
    bumped_on_change = ("version",)

    def __init__(self) -> None:
        # Each climb of the batch that reached a colleague covering for the rung's holder:
        # enquiry id -> that holder (climb_targets, read by climbed).
        self.covering_for: dict[int, int] = {}

    def open_cases(self):
        return Enquiry.objects.filter(state__in=OPEN_STATES)

    def reminded(self, cases: list[Claimed], *, now: datetime) -> None:
        enquiries = list(
            Enquiry.objects.filter(pk__in=[case.pk for case in cases]).values_list(
                "pk", "reference", "subject", "state", "due_at", "member_id", "owner_id", "owner__user_id",
                "owner__user__first_name", "owner__user__last_name",
            )
        )  # fmt: skip
        chief = head_of_paid_service()
        covering = self._reminded_covers(enquiries, on=local_date(now))
        events, notifications = [], []
        for pk, reference, subject, state, due_at, _, _, owner_user_id, first_name, last_name in enquiries:
            due = _day(due_at)
            cover = covering.get(pk)
            if state == EnquiryState.DISPUTED:
                if chief is None:
                    continue
                # 001 §7.4: the Chief Executive owes the decision on a dispute.
                recipient_id, name, to_do = chief.user_id, chief.name, "Uphold the decline or direct an answer"
                covering_note = ""
            elif cover is not None:
                # Issue 15 C11: a reminder for an officer who is away goes to the colleague covering for them.
                recipient_id, name = cover.covered_by.user_id, cover.covered_by.name
                covering_note = f", covering for {first_name} {last_name} while they are away,"
                to_do = (
                    f"You are covering for {first_name} {last_name} while they are away: answer it or send a holding "
                    "reply by then, or it will be escalated to a more senior officer"
                )
            else:
                recipient_id, name, covering_note = owner_user_id, f"{first_name} {last_name}", ""
                to_do = "Answer it or send a holding reply by then, or it will be escalated to a more senior officer"
            body = (
                f'Dear {name},\n\nThe councillor\'s enquiry "{subject}" is due by the end of {due}. '
                f"{to_do} (001 §7.1).\n\n{_link(reference)}\n\n{settings.COUNCIL_NAME} Protocol Portal"
            )
            notifications.append(
                (recipient_id, pk, "enquiry_reminder", f"{reference}: reminder, due by the end of {due}", body, now)
            )
            events.append(
                (
                    pk, now, TimelineEvent.Kind.REMINDED,
                    f"Reminded {name}{covering_note} that it is due by the end of {due}.",
                )
            )  # fmt: skip
        insert_rows(Notification, NOTIFICATION_COLUMNS, notifications)
        insert_rows(
            TimelineEvent,
            EVENT_COLUMNS,
            [(pk, at, kind, "", "", None, None, note, True) for pk, at, kind, note in events],
        )

    def _reminded_covers(self, enquiries: list[tuple], *, on: date) -> dict:
        """For each enquiry whose owner is away on ``on``, the cover in force, unless the member
        may not contact the colleague covering (DESIGN §5): then the owner is reminded (two
        queries, one when nobody is away)."""
        covers = covers_in_force(officer_ids={row[6] for row in enquiries}, on=on)
        if not covers:
            return {}
        members = {row[5] for row in enquiries if row[6] in covers}
        prohibitions = active_contact_prohibitions(member_ids=members, on=on)
        return {
            row[0]: covers[row[6]]
            for row in enquiries
            if row[6] in covers and not forbidden(covers[row[6]].covered_by, prohibitions.get(row[5], ()))
        }

    def climb_targets(self, cases: list[Claimed], *, on: date) -> dict[int, int | None]:
        """Owner → Head of Service → Director → Chief Executive (001 §7.1), each rung held by the
        colleague covering for its holder while they are away (issue 15 C11), passing over any
        rung a contact prohibition on the member covers (DESIGN §5). Six queries a batch.

        Who each climb reaches as cover is kept in ``covering_for`` for ``climbed``."""
        ladders = service_ladders({case.service_id for case in cases}, on=on)
        reached = self._last_reached([case for case in cases if case.rung])
        members = dict(Enquiry.objects.filter(pk__in=[case.pk for case in cases]).values_list("pk", "member_id"))
        prohibitions = active_contact_prohibitions(member_ids=set(members.values()), on=on)
        rung_ids = {officer for ladder in ladders.values() for officer in ladder if officer is not None}
        covers = covers_in_force(officer_ids=rung_ids, on=on)
        officer_services: dict[int, int | None] = {}
        if prohibitions:
            acting_ids = rung_ids | {cover.covered_by_id for cover in covers.values()}
            officer_services = dict(Officer.objects.filter(pk__in=acting_ids).values_list("pk", "service_id"))
        targets: dict[int, int | None] = {}
        self.covering_for = {}
        for case in cases:
            ladder = ladders.get(case.service_id, ())
            acting = permitted_ladder(
                covered_ladder(ladder, covers), prohibitions.get(members[case.pk], ()), officer_services
            )
            reached_id, reached_for_id = reached.get(case.pk, (None, None))
            post = next_post(ladder, case.owner_id, reached_id=reached_id, acting=acting, reached_for_id=reached_for_id)
            targets[case.pk] = None if post is None else acting[post]
            if post is not None and acting[post] != ladder[post]:
                self.covering_for[case.pk] = ladder[post]
        return targets

    def _last_reached(self, cases: list[Claimed]) -> dict[int, tuple[int, int | None]]:
        """For cases that have climbed, the officer each last climbed to, and the holder of the
        rung they were covering for, if they were (one query)."""
        if not cases:
            return {}
        reached: dict[int, tuple[int, int, int | None]] = {}
        rows = EnquiryEscalation.objects.filter(enquiry_id__in=[case.pk for case in cases]).values_list(
            "enquiry_id", "rung", "to_owner_id", "covering_for_id"
        )
        for enquiry_id, rung, to_owner_id, covering_for_id in rows:
            if rung > reached.get(enquiry_id, (0, 0, None))[0]:
                reached[enquiry_id] = (rung, to_owner_id, covering_for_id)
        return {enquiry_id: (owner_id, for_id) for enquiry_id, (_, owner_id, for_id) in reached.items()}

    def climbed(self, climbs: list[Climb], *, now: datetime) -> None:
        """Record each climb and its timeline event. Telling the member and the new owner is
        the outbox's job (``escalations_notify``): the rung rows with ``notified_at`` empty are
        its queue, so the sweep's transaction stays small and nothing is told before it commits."""
        covering_for = self.covering_for
        officer_ids = {climb.case.owner_id for climb in climbs} | {climb.new_owner_id for climb in climbs}
        officer_ids |= set(covering_for.values())
        officers = {
            pk: (f"{first} {last}".strip(), title)
            for pk, first, last, title in Officer.objects.filter(pk__in=officer_ids).values_list(
                "pk", "user__first_name", "user__last_name", "job_title"
            )
        }
        steps, events = [], []
        for climb in climbs:
            previous, _ = officers[climb.case.owner_id]
            accountable, accountable_title = officers[climb.new_owner_id]
            away = covering_for.get(climb.case.pk)
            covering = f", covering for {officers[away][0]} while they are away" if away else ""
            why = _why(climb.case.due_at, holding_reply=climb.case.state == EnquiryState.HOLDING_REPLY)
            steps.append(
                (climb.case.pk, climb.rung, climb.case.owner_id, climb.new_owner_id, away, climb.case.due_at,
                 climb.case.escalate_at, climb.case.state == EnquiryState.HOLDING_REPLY)
            )  # fmt: skip
            events.append(
                (
                    climb.case.pk, climb.case.owner_id, climb.new_owner_id,
                    f"Escalated from {previous} to {accountable}, {accountable_title}{covering}, because {why} "
                    "(001 §7.1).",
                )
            )  # fmt: skip
        # The unique (enquiry, rung) constraint refuses a rung recorded twice: the batch then rolls back whole.
        insert_rows(
            EnquiryEscalation,
            [
                "enquiry", "rung", "from_owner", "to_owner", "covering_for", "due_at", "scheduled_at",
                "after_holding_reply",
            ],
            steps,
            constants={"escalated_at": now},
        )  # fmt: skip
        insert_rows(
            TimelineEvent,
            ["enquiry", "from_owner", "to_owner", "note"],
            events,
            constants={
                "at": now, "kind": TimelineEvent.Kind.ESCALATED, "from_state": "", "to_state": "", "internal": False,
            },
        )  # fmt: skip

    def after_commit(self) -> None:
        task_queue(ESCALATIONS_NOTIFY)  # tells everyone about the climbs, then sends their e-mail
        task_queue(NOTIFICATIONS_SEND_PENDING)  # the reminders' e-mail


def enquiry_deadline_sweep(*, now: datetime | None = None, dry_run: bool = False) -> SweepReport:
    """Remind owners and climb every overdue enquiry due by ``now`` (001 §7.1)."""
    return sweep(EnquirySweep(), now=now, batch_size=settings.DEADLINE_SWEEP_BATCH_SIZE, dry_run=dry_run)


@dataclass(frozen=True)
class Standing:
    """Where an overdue or escalated enquiry stands, for its page (issue 15 A4)."""

    missed_on: date | None  # the deadline missed (the end of that day); None while it is not missed
    climbed: int  # rungs climbed so far
    climbs_at: datetime | None  # when it next climbs, if it can
    climbs_to: Officer | None  # to whom: the next rung the sweep would choose
    # The holder of that rung, when they are away that day and ``climbs_to`` covers for them (issue 15 C11).
    covering_for: Officer | None = None

    @property
    def at_top(self) -> bool:
        """Nobody is above the owner: it climbs no further (001 §7.4: the Chief Executive)."""
        return self.climbs_to is None


def enquiry_standing(enquiry: Enquiry, *, now: datetime | None = None) -> Standing | None:
    """Which date an enquiry awaiting a response missed, and when and to whom it climbs next,
    worked out as the sweep will (``EnquirySweep.climb_targets``: the service's ladder, past
    the rungs it reached and those a contact prohibition covers). None for an enquiry that
    has neither missed its deadline nor climbed."""
    now = now or timezone.now()
    if enquiry.state not in (EnquiryState.SUBMITTED, EnquiryState.HOLDING_REPLY) or enquiry.due_at is None:
        return None
    missed = enquiry.due_at < now
    if not missed and not enquiry.rung:
        return None
    case = Claimed(
        pk=enquiry.pk,
        owner_id=enquiry.owner_id,
        service_id=enquiry.service_id,
        rung=enquiry.rung,
        due_at=enquiry.due_at,
        escalate_at=enquiry.escalate_at,
        state=enquiry.state,
    )
    # Worked out for the day it climbs, as the sweep will: who serves, and who is away, then.
    on = max(local_date(now), local_date(enquiry.escalate_at)) if enquiry.escalate_at else local_date(now)
    handler = EnquirySweep()
    target_id = handler.climb_targets([case], on=on).get(enquiry.pk)
    away_id = handler.covering_for.get(enquiry.pk)
    officers = Officer.objects.select_related("user").in_bulk([pk for pk in (target_id, away_id) if pk])
    climbs_to = officers.get(target_id) if target_id else None
    return Standing(
        missed_on=local_date(enquiry.due_at) if missed else None,
        climbed=enquiry.rung,
        climbs_at=enquiry.escalate_at if climbs_to is not None else None,
        climbs_to=climbs_to,
        covering_for=officers.get(away_id) if away_id else None,
    )


ESCALATION_NOTIFY_BATCH_SIZE = 5_000


def escalations_notify(*, now: datetime | None = None) -> int:
    """Tell the member who is now accountable and why, and the new owner why it arrived
    (001 §7.1), for every climb not yet told; each batch in one transaction. Returns the
    number of climbs told."""
    now = now or timezone.now()
    told = 0
    while True:
        with transaction.atomic():
            steps = list(
                EnquiryEscalation.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(notified_at__isnull=True)
                .order_by("escalated_at", "pk")
                .values_list(
                    "pk", "enquiry_id", "due_at", "after_holding_reply", "enquiry__reference", "enquiry__subject",
                    "enquiry__member__user_id", "enquiry__member__user__first_name", "enquiry__member__user__last_name",
                    "from_owner__user__first_name", "from_owner__user__last_name", "from_owner__job_title",
                    "to_owner__user_id", "to_owner__user__first_name", "to_owner__user__last_name",
                    "to_owner__job_title", "covering_for__user__first_name", "covering_for__user__last_name",
                )[:ESCALATION_NOTIFY_BATCH_SIZE]
            )  # fmt: skip
            if not steps:
                if told:
                    # robust: an unreachable broker must not undo the telling; beat runs the outbox anyway.
                    transaction.on_commit(_send_outbox, robust=True)
                return told
            notifications, events = [], []
            for (
                _, enquiry_id, due_at, after_holding_reply, reference, subject, member_user_id,
                member_first, member_last, previous_first, previous_last, previous_title,
                owner_user_id, owner_first, owner_last, owner_title, away_first, away_last,
            ) in steps:  # fmt: skip
                previous, accountable = f"{previous_first} {previous_last}", f"{owner_first} {owner_last}"
                # Issue 15 C11: reached as cover for the rung's holder, who is away.
                covering = f", covering for {away_first} {away_last} while they are away" if away_first else ""
                why, link = _why(due_at, holding_reply=after_holding_reply), _link(reference)
                member_subject = f"{reference}: {accountable} is now accountable for your enquiry"
                owner_subject = f"{reference}: an overdue enquiry has been escalated to you"
                notifications += [
                    (
                        member_user_id, enquiry_id, "enquiry_escalated_member", member_subject,
                        f"Dear {member_first} {member_last},\n\nYour enquiry \"{subject}\" has been escalated because "
                        f"{why}.\n\n{accountable}, {owner_title}{covering}, is now accountable for it (001 §7.1)."
                        "\n\n"
                        f"{link}\n\n{settings.COUNCIL_NAME} Protocol Portal",
                        now,
                    ),
                    (
                        owner_user_id, enquiry_id, "enquiry_escalated_owner", owner_subject,
                        f"Dear {accountable},\n\nThe councillor's enquiry \"{subject}\" has been escalated to you"
                        f"{covering and covering + ','} from {previous}, {previous_title}, because {why}. You now own "
                        "it: answer it, send a holding "
                        f"reply or hand it to someone who can.\n\n{link}\n\n{settings.COUNCIL_NAME} Protocol Portal",
                        now,
                    ),
                ]  # fmt: skip
                events += [
                    (enquiry_id, now, TimelineEvent.Kind.NOTIFIED, "", "", None, None,
                     f"Told {member_first} {member_last} by e-mail and in the portal: {member_subject}", False),
                    (enquiry_id, now, TimelineEvent.Kind.NOTIFIED, "", "", None, None,
                     f"Told {accountable} by e-mail and in the portal: {owner_subject}", True),
                ]  # fmt: skip
            insert_rows(Notification, NOTIFICATION_COLUMNS, notifications)
            insert_rows(TimelineEvent, EVENT_COLUMNS, events)
            EnquiryEscalation.objects.filter(pk__in=[step[0] for step in steps]).update(notified_at=now)
        told += len(steps)


def _send_outbox() -> None:
    task_queue(NOTIFICATIONS_SEND_PENDING)


# A first deadline is at most this many calendar days after receipt (five working days
# across the Christmas closure), so a changed day can move only these receipt days' deadlines.
FIRST_DEADLINE_REACH_DAYS = 21


def _first_deadlines_recompute(days: Sequence[date], *, calendar) -> int:
    """Keep every enquiry's ``first_due_at`` (open or not) in step with the calendar: one
    UPDATE per receipt day whose first deadline the changed days could move."""
    tz = timezone.get_default_timezone()
    first = date.fromordinal(min(days).toordinal() - FIRST_DEADLINE_REACH_DAYS)
    moved = 0
    for ordinal in range(first.toordinal(), max(days).toordinal() + 1):
        day = date.fromordinal(ordinal)
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        due = end_of_day(calendar.add_working_days(day, settings.ENQUIRY_RESPONSE_WORKING_DAYS))
        moved += (
            Enquiry.objects.filter(received_at__gte=start, received_at__lt=start + timedelta(days=1))
            .exclude(first_due_at=due)
            .update(first_due_at=due)
        )
    return moved


@transaction.atomic
def enquiries_due_dates_recompute(*, days: Iterable[date], actor=None, now: datetime | None = None) -> int:
    """A closure day was added or removed: recompute the deadline, the reminder and the next
    climb of every open enquiry they touch, and say so on its timeline. Returns how many
    enquiries changed."""
    now = now or timezone.now()
    days = sorted(set(days))
    if not days:
        return 0
    calendar = council_calendar()
    _first_deadlines_recompute(days, calendar=calendar)
    changed = 0
    first = days[0]
    candidates = (
        Enquiry.objects.select_for_update()
        .filter(state__in=OPEN_STATES, clock_started_at__date__lt=days[-1])
        .filter(Q(due_at__date__gte=first) | Q(remind_at__date__gte=first) | Q(escalate_at__date__gte=first))
    )
    last_scheduled = dict(
        EnquiryEscalation.objects.filter(enquiry__in=candidates)
        .values("enquiry_id")
        .annotate(last=Max("scheduled_at"))
        .values_list("enquiry_id", "last")
    )
    for enquiry in candidates:
        before = (enquiry.due_at, enquiry.remind_at, enquiry.escalate_at)
        # A holding reply's target is a date the officer chose, so it stays; enquiries awaiting
        # an answer or a dispute decision are on a five-working-day clock, which is recomputed.
        if enquiry.state != EnquiryState.HOLDING_REPLY:
            enquiry.due_at = end_of_day(
                calendar.add_working_days(local_date(enquiry.clock_started_at), settings.ENQUIRY_RESPONSE_WORKING_DAYS)
            )
        last = last_scheduled.get(enquiry.pk)
        if last is not None and last > enquiry.due_at:
            # Already climbing past this deadline: the next climb moves with the working days.
            if enquiry.escalate_at is not None:
                enquiry.escalate_at = next_climb_time(last, calendar=calendar)
        else:
            enquiry_reschedule(enquiry, now=now)
        if (enquiry.due_at, enquiry.remind_at, enquiry.escalate_at) == before:
            continue
        Enquiry.objects.filter(pk=enquiry.pk).update(
            due_at=enquiry.due_at,
            remind_at=enquiry.remind_at,
            escalate_at=enquiry.escalate_at,
            version=F("version") + 1,
        )
        if enquiry.due_at != before[0]:
            TimelineEvent.objects.create(
                enquiry=enquiry,
                kind=TimelineEvent.Kind.DUE_DATE_CHANGED,
                actor=actor,
                at=now,
                note=f"The council's closure days changed, so the due date moved from "
                f"{local_date(before[0]):%A %-d %B %Y} to {enquiry.due_on:%A %-d %B %Y}.",
            )
        else:
            TimelineEvent.objects.create(
                enquiry=enquiry,
                kind=TimelineEvent.Kind.DUE_DATE_CHANGED,
                actor=actor,
                at=now,
                internal=True,
                note="The council's closure days changed, so the next escalation moved to "
                f"{local_date(enquiry.escalate_at):%A %-d %B %Y}."
                if enquiry.escalate_at
                else "The council's closure days changed; no further escalation is due.",
            )
        changed += 1
    return changed
