"""Keeping the summary tables in step with the cases (issue 6 "fast at scale").

Figures are by **cohort**: every enquiry figure is about the enquiries received in
the period, every concern figure about the concerns raised in it, counted as
things stand now. So each case's numbers live on one day, the day it was received
or raised, and a change to a case only means recounting that day.

``refresh`` works from the data, like the deadline sweep: the timeline records
every change, so the days to recount are the days of the cases with events newer
than the last one counted (with a look-back for transactions that committed out of
order), plus the enquiries received from three weeks before the last refresh to today,
whose "answered within five working days" can turn into "missed" just by time passing, and
the enquiries awaiting an answer whose deadline (a holding reply's target, perhaps weeks
later) passed since the last refresh. ``rebuild`` recounts everything.
Each recount deletes and rewrites its days' rows in one transaction.

The metrics (the ``key`` in brackets):

- ``enq.received``; ``enq.on_time`` answered or holding-replied by the end of the fifth
  working day after receipt (001 §7.1); ``enq.late`` responded after that, or not at all
  and the day has passed (an enquiry withdrawn unanswered before its deadline is in
  neither); ``enq.answered``; ``enq.answer_days`` [working days from receipt to answer];
  ``enq.declined``; ``enq.ce_referrals`` (disputed to the Chief Executive, 001 §7.4);
  ``enq.escalations`` [rung].
- ``enq.promise_kept`` first answered or declined by the end of the date promised: the five
  working days' end, or a holding reply's target within the limits of issue 15 A3
  (``cases.enquiries.promises``); ``enq.promise_missed`` after it, or not at all and it has
  passed (issue 15 B7); ``enq.extended`` [status] holding replies whose later date the
  councillor agreed to or a manager approved.
- ``con.opened`` [kind]; ``con.reached`` [stage]: how far up the ladder it has been;
  ``con.closed`` [outcome:stage]: how and at which stage it left the ladder;
  ``con.resolve_days`` [working days from raising to closing]; ``con.behaviour``
  [behaviour id]; ``con.safeguarding``.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from cases.enquiries.promises import HoldingReplyFacts, promise_kept, promised_by
from cases.models import (
    AWAITING_RESPONSE,
    CONCERN_STAGE_NUMBERS,
    Answer,
    Concern,
    ConcernState,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    HoldingReply,
    TimelineEvent,
)
from escalation.calendar import WorkingDayCalendar, council_calendar, end_of_day, local_date
from reporting.models import DailyCount, SummaryState

STATE_NAME = "dashboards"
# Days of enquiries recounted on every refresh: longer than any first deadline can be
# (five working days plus the Christmas and Easter closures).
TICKING_DAYS = 21

# Timeline events before the last one counted that a refresh reads again, for
# transactions that committed after a later one.
EVENT_LOOK_BACK = 10_000
CHUNK = 20_000

# Events that move a concern up the ladder: a climb (stages 1–3) or, at stage 3, the
# Monitoring Officer's proposal of formal action (stage 4).
REACHING_KINDS = {TimelineEvent.Kind.STAGE_CHANGED, TimelineEvent.Kind.FORMAL_ACTION_PROPOSED}
CLOSING_KINDS = {
    TimelineEvent.Kind.RESOLVED: ConcernState.RESOLVED,
    TimelineEvent.Kind.INFORMAL_ACTION: ConcernState.INFORMAL_ACTION,
    TimelineEvent.Kind.SANCTION_RECORDED: ConcernState.FORMAL_ACTION,
    TimelineEvent.Kind.REFERRED: ConcernState.REFERRED,
    TimelineEvent.Kind.WITHDRAWN: ConcernState.WITHDRAWN,
}


@dataclass
class RefreshReport:
    enquiry_days: int = 0
    concern_days: int = 0
    rows: int = 0


def _ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) ranges, so a recount reads each range once."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if ranges and day.toordinal() == ranges[-1][1].toordinal() + 1:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def _moment_range(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return start, end


# --- Enquiries ------------------------------------------------------------------------------


def _holding_replies(start: datetime, end: datetime) -> dict[int, list[HoldingReplyFacts]]:
    """The holding replies of the enquiries received from ``start`` to ``end``, by enquiry, in
    the order they were sent: one query."""
    replies: dict[int, list[HoldingReplyFacts]] = defaultdict(list)
    rows = (
        HoldingReply.objects.filter(enquiry__received_at__gte=start, enquiry__received_at__lt=end)
        .order_by("enquiry_id", "sent_at", "pk")
        .values_list("enquiry_id", "sent_at", "target_on", "status", "original_due_on", "decided_at")
    )
    for enquiry_id, *facts in rows.iterator(chunk_size=CHUNK):
        replies[enquiry_id].append(HoldingReplyFacts(*facts))
    return replies


def _enquiry_rows(first: date, last: date, *, now: datetime, calendar: WorkingDayCalendar) -> Iterator[tuple]:
    start, end = _moment_range(first, last)
    cohort = Enquiry.objects.filter(received_at__gte=start, received_at__lt=end)

    @functools.cache
    def first_due(day: date) -> datetime:
        return end_of_day(calendar.add_working_days(day, settings.ENQUIRY_RESPONSE_WORKING_DAYS))

    @functools.cache
    def working_days(start_day: date, end_day: date) -> int:
        return calendar.working_days_between(start_day, end_day)

    counts: Counter[tuple[str, date, int | None, str]] = Counter()
    replies = _holding_replies(start, end)
    first_answer = Answer.objects.filter(enquiry=OuterRef("pk")).order_by("sent_at").values("sent_at")[:1]
    first_decline = Decline.objects.filter(enquiry=OuterRef("pk")).order_by("declined_at").values("declined_at")[:1]
    rows = cohort.annotate(
        disputed=Exists(Dispute.objects.filter(enquiry=OuterRef("pk"))),
        first_answer=Subquery(first_answer),
        first_decline=Subquery(first_decline),
    ).values_list(
        "pk",
        "received_at",
        "service_id",
        "responded_at",
        "answered_at",
        "closed_at",
        "disputed",
        "first_answer",
        "first_decline",
    )
    for (
        pk,
        received_at,
        service_id,
        responded_at,
        answered_at,
        closed_at,
        disputed,
        first_answer_at,
        first_decline_at,
    ) in rows.iterator(chunk_size=CHUNK):
        day = local_date(received_at)
        counts["enq.received", day, service_id, ""] += 1
        due = first_due(day)
        if responded_at is not None and responded_at <= due:
            counts["enq.on_time", day, service_id, ""] += 1
        elif responded_at is not None or (now > due and (closed_at is None or closed_at > due)):
            # Unanswered and past the deadline, unless the member withdrew it before then.
            counts["enq.late", day, service_id, ""] += 1
        # Issue 15 B7: the date promised, and whether the answer (or a decline) came by it.
        answered_first = min((at for at in (first_answer_at, first_decline_at) if at is not None), default=None)
        enquiry_replies = replies.get(pk, ())
        promised = promised_by(first_due=due, replies=enquiry_replies, responded_at=answered_first, calendar=calendar)
        kept = promise_kept(promised=promised, responded_at=answered_first, closed_at=closed_at, now=now)
        if kept is not None:
            counts["enq.promise_kept" if kept else "enq.promise_missed", day, service_id, ""] += 1
        for reply in enquiry_replies:
            if reply.status in HoldingReply.AGREED_STATUSES:
                counts["enq.extended", day, service_id, reply.status] += 1
        if answered_at is not None:
            counts["enq.answered", day, service_id, ""] += 1
            counts["enq.answer_days", day, service_id, str(working_days(day, local_date(answered_at)))] += 1
        if first_decline_at is not None:
            counts["enq.declined", day, service_id, ""] += 1
        if disputed:
            counts["enq.ce_referrals", day, service_id, ""] += 1
    climbs = (
        EnquiryEscalation.objects.filter(enquiry__received_at__gte=start, enquiry__received_at__lt=end)
        .values_list("enquiry__received_at", "enquiry__service_id", "rung")
        .iterator(chunk_size=CHUNK)
    )
    for received_at, service_id, rung in climbs:
        counts["enq.escalations", local_date(received_at), service_id, str(rung)] += 1
    for (metric, day, service_id, key), value in counts.items():
        yield metric, day, service_id, key, value


# --- Concerns -------------------------------------------------------------------------------


def _starting_stage(safeguarding: bool, feels_able_to_talk: bool) -> int:
    """Where concern_raise started it (DESIGN §4)."""
    if safeguarding:
        return 3
    return 1 if feels_able_to_talk else 2


def _concern_rows(first: date, last: date, *, calendar: WorkingDayCalendar) -> Iterator[tuple]:
    start, end = _moment_range(first, last)
    cohort = Concern.objects.filter(raised_at__gte=start, raised_at__lt=end)
    concerns = list(
        cohort.values_list(
            "pk", "raised_at", "service_id", "kind", "state", "safeguarding", "feels_able_to_talk", "closed_at"
        )
    )
    ids = [row[0] for row in concerns]
    reached: dict[int, set[int]] = {}
    closed_from: dict[int, str] = {}
    events = TimelineEvent.objects.filter(concern_id__in=ids, kind__in=[*REACHING_KINDS, *CLOSING_KINDS]).values_list(
        "concern_id", "kind", "from_state", "to_state"
    )
    for concern_id, kind, from_state, to_state in events.iterator(chunk_size=CHUNK):
        if kind in REACHING_KINDS and to_state in CONCERN_STAGE_NUMBERS:
            reached.setdefault(concern_id, set()).add(CONCERN_STAGE_NUMBERS[to_state])
        elif kind in CLOSING_KINDS and from_state in CONCERN_STAGE_NUMBERS:
            closed_from[concern_id] = from_state
    behaviours = Concern.behaviours.through.objects.filter(concern_id__in=ids).values_list("concern_id", "behaviour_id")
    cited: dict[int, list[int]] = {}
    for concern_id, behaviour_id in behaviours.iterator(chunk_size=CHUNK):
        cited.setdefault(concern_id, []).append(behaviour_id)
    counts: Counter[tuple[str, date, int | None, str]] = Counter()
    for pk, raised_at, service_id, kind, state, safeguarding, able, closed_at in concerns:
        day = local_date(raised_at)
        counts["con.opened", day, service_id, kind] += 1
        if safeguarding:
            counts["con.safeguarding", day, service_id, ""] += 1
        stages = {_starting_stage(safeguarding, able)} | reached.get(pk, set())
        if state in CONCERN_STAGE_NUMBERS:
            stages.add(CONCERN_STAGE_NUMBERS[state])
        for stage in range(1, max(stages) + 1):
            if stage >= min(stages):
                counts["con.reached", day, service_id, str(stage)] += 1
        if state not in CONCERN_STAGE_NUMBERS and closed_at is not None:
            stage = CONCERN_STAGE_NUMBERS.get(closed_from.get(pk, ""), max(stages))
            counts["con.closed", day, service_id, f"{state}:{stage}"] += 1
            if state != ConcernState.WITHDRAWN:
                days = calendar.working_days_between(day, local_date(closed_at))
                counts["con.resolve_days", day, service_id, str(days)] += 1
        for behaviour_id in cited.get(pk, ()):
            counts["con.behaviour", day, service_id, str(behaviour_id)] += 1
    for (metric, day, service_id, key), value in counts.items():
        yield metric, day, service_id, key, value


# --- Recounting days ----------------------------------------------------------------------


def _rewrite(prefix: str, ranges: list[tuple[date, date]], rows: Iterator[tuple]) -> int:
    for first, last in ranges:
        DailyCount.objects.filter(metric__startswith=prefix, day__gte=first, day__lte=last).delete()
    written = 0
    batch: list[DailyCount] = []
    for metric, day, service_id, key, value in rows:
        batch.append(DailyCount(metric=metric, day=day, service_id=service_id, key=key, value=value))
        if len(batch) >= CHUNK:
            DailyCount.objects.bulk_create(batch)
            written, batch = written + len(batch), []
    DailyCount.objects.bulk_create(batch)
    return written + len(batch)


def recount(
    *, enquiry_days: Iterable[date] = (), concern_days: Iterable[date] = (), now: datetime | None = None
) -> int:
    """Rewrite the rows of these days from the cases. Returns the rows written."""
    now = now or timezone.now()
    calendar = council_calendar()
    written = 0
    with transaction.atomic():
        enquiry_ranges = _ranges(enquiry_days)
        written += _rewrite(
            "enq.",
            enquiry_ranges,
            (row for first, last in enquiry_ranges for row in _enquiry_rows(first, last, now=now, calendar=calendar)),
        )
        concern_ranges = _ranges(concern_days)
        written += _rewrite(
            "con.",
            concern_ranges,
            (row for first, last in concern_ranges for row in _concern_rows(first, last, calendar=calendar)),
        )
    return written


def _days(moments: Iterable[datetime]) -> set[date]:
    return {local_date(moment) for moment in moments if moment is not None}


@transaction.atomic
def rebuild(*, now: datetime | None = None) -> RefreshReport:
    """Recount every day from the first case to today."""
    now = now or timezone.now()
    state, _ = SummaryState.objects.select_for_update().get_or_create(name=STATE_NAME)
    last_event = TimelineEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    DailyCount.objects.all().delete()
    first_enquiry = Enquiry.objects.order_by("received_at").values_list("received_at", flat=True).first()
    first_concern = Concern.objects.order_by("raised_at").values_list("raised_at", flat=True).first()
    today = local_date(now)
    report = RefreshReport()
    if first_enquiry is not None:
        report.enquiry_days = (today - local_date(first_enquiry)).days + 1
        calendar = council_calendar()
        report.rows += _rewrite("enq.", [], _enquiry_rows(local_date(first_enquiry), today, now=now, calendar=calendar))
    if first_concern is not None:
        report.concern_days = (today - local_date(first_concern)).days + 1
        calendar = council_calendar()
        report.rows += _rewrite("con.", [], _concern_rows(local_date(first_concern), today, calendar=calendar))
    state.last_event_id, state.refreshed_at, state.rebuilt_at = last_event, now, now
    state.save()
    return report


def refresh(*, now: datetime | None = None) -> RefreshReport:
    """Recount the days whose cases changed since the last refresh (see the module's
    docstring); the first refresh rebuilds everything."""
    now = now or timezone.now()
    with transaction.atomic():
        state, created = SummaryState.objects.select_for_update().get_or_create(name=STATE_NAME)
        if created or state.refreshed_at is None:
            return rebuild(now=now)
        since = max(state.last_event_id - EVENT_LOOK_BACK, 0)
        new_events = TimelineEvent.objects.filter(pk__gt=since)
        last_event = new_events.order_by("-pk").values_list("pk", flat=True).first() or state.last_event_id
        enquiry_days = _days(
            Enquiry.objects.filter(pk__in=new_events.filter(enquiry__isnull=False).values("enquiry_id")).values_list(
                "received_at", flat=True
            )
        )
        # From the last refresh too: days whose deadline passed while no refresh ran (the
        # worker was down) are made good by the next.
        today = local_date(now)
        ticking_from = min(today, local_date(state.refreshed_at)) - timedelta(days=TICKING_DAYS)
        enquiry_days |= {ticking_from + timedelta(days=n) for n in range((today - ticking_from).days + 1)}
        # And the days of enquiries whose deadline passed since then, unanswered: a holding reply's
        # target can be weeks after receipt, and passing it turns "by the date promised" into
        # "after it" (issue 15 B7). The open enquiries by due date are an index (enquiry_open_by_due).
        since_then = min(state.refreshed_at, now) - timedelta(days=1)
        passed = Enquiry.objects.filter(state__in=AWAITING_RESPONSE, due_at__gte=since_then, due_at__lt=now)
        enquiry_days |= _days(passed.values_list("received_at", flat=True))
        concern_days = _days(
            Concern.objects.filter(pk__in=new_events.filter(concern__isnull=False).values("concern_id")).values_list(
                "raised_at", flat=True
            )
        )
        rows = recount(enquiry_days=enquiry_days, concern_days=concern_days, now=now)
        state.last_event_id, state.refreshed_at = last_event, now
        state.save()
    return RefreshReport(enquiry_days=len(enquiry_days), concern_days=len(concern_days), rows=rows)


def recounted_for_check(*, now: datetime | None = None) -> Counter:
    """Every metric recounted straight from the cases, for tests and the check command to
    compare with the summary table."""
    now = now or timezone.now()
    calendar = council_calendar()
    counts: Counter = Counter()
    today = local_date(now)
    first = date(2000, 1, 1)
    for metric, day, service_id, key, value in _enquiry_rows(first, today, now=now, calendar=calendar):
        counts[metric, day, service_id, key] += value
    for metric, day, service_id, key, value in _concern_rows(first, today, calendar=calendar):
        counts[metric, day, service_id, key] += value
    return counts


def summarised() -> Counter:
    counts: Counter = Counter()
    for metric, day, service_id, key, value in DailyCount.objects.values_list(
        "metric", "day", "service_id", "key", "value"
    ):
        counts[metric, day, service_id, key] += value
    return counts
