"""The cases behind a dashboard figure, for the operational view's drill-down (issue 6).

The same cohorts as ``reporting.summaries`` (enquiries received in the period,
concerns raised in it) and the same definitions, so a figure and its list agree;
but read through the permission-scoped selectors, so each person sees only the cases
they may see (the Chief Executive none of the concerns: need-to-know, DESIGN §4).

Every list filters in SQL. An enquiry is late when its first response came after, or
has not come by, the end of the fifth working day after receipt (001 §7.1): that
moment depends on the calendar, so it is stored on the enquiry when it is filed
(``Enquiry.first_due_at``, kept in step when closure days change) and "late" is a
comparison of two columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.concerns.selectors import concerns_visible_to
from cases.enquiries.selectors import enquiries_visible_to
from cases.models import (
    AWAITING_RESPONSE,
    CONCERN_STAGE_NUMBERS,
    Concern,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    HoldingReply,
    TimelineEvent,
)
from people.models import Directorate, Service
from reporting.periods import Period


@dataclass(frozen=True)
class Drill:
    metric: str
    period: Period
    directorate: Directorate | None = None
    service: Service | None = None
    rung: int | None = None
    kind: str = ""
    stage: int | None = None
    outcome: str = ""

    @property
    def is_about_concerns(self) -> bool:
        return self.metric == "concerns"


def _moments(period: Period) -> tuple[datetime, datetime]:
    """The period's first and last moments in the council's time zone, as summaries counts days."""
    tz = timezone.get_default_timezone()
    return (
        datetime.combine(period.start, datetime.min.time(), tzinfo=tz),
        datetime.combine(period.end, datetime.min.time(), tzinfo=tz),
    )


def _scoped(queryset: QuerySet, drill: Drill) -> QuerySet:
    if drill.service is not None:
        queryset = queryset.filter(service=drill.service)
    if drill.directorate is not None:
        queryset = queryset.filter(service__directorate=drill.directorate)
    return queryset


# --- Enquiries ------------------------------------------------------------------------------


def _missed(now: datetime) -> Q:
    """Missed the five working days (reporting.summaries ``enq.late``): responded after the
    end of the fifth working day after receipt (the enquiry's ``first_due_at``), or not at
    all and that moment has passed without the member withdrawing it first."""
    return Q(responded_at__gt=F("first_due_at")) | (
        Q(responded_at__isnull=True, first_due_at__lt=now)
        & (Q(closed_at__isnull=True) | Q(closed_at__gt=F("first_due_at")))
    )


def enquiries_behind(user, drill: Drill, *, now: datetime | None = None) -> QuerySet[Enquiry]:
    """The enquiries behind a figure that ``user`` may see, newest first."""
    now = now or timezone.now()
    enquiries = _scoped(enquiries_visible_to(user), drill)
    if drill.metric == "overdue":
        # As the dashboard counts it: open now and past the deadline, whenever received.
        return enquiries.filter(state__in=AWAITING_RESPONSE, due_at__lt=now).order_by("due_at", "pk")
    start, end = _moments(drill.period)
    enquiries = enquiries.filter(received_at__gte=start, received_at__lt=end)
    if drill.metric == "late":
        enquiries = enquiries.filter(_missed(now))
    elif drill.metric == "escalated":
        climbs = EnquiryEscalation.objects.filter(enquiry=OuterRef("pk"))
        if drill.rung is not None:
            climbs = climbs.filter(rung=drill.rung)
        enquiries = enquiries.filter(Exists(climbs))
    elif drill.metric == "declined":
        enquiries = enquiries.filter(Exists(Decline.objects.filter(enquiry=OuterRef("pk"))))
    elif drill.metric == "disputed":
        enquiries = enquiries.filter(Exists(Dispute.objects.filter(enquiry=OuterRef("pk"))))
    elif drill.metric == "extended":
        # As summaries counts ``enq.extended``: a holding reply's later date agreed or approved (issue 15 B7).
        agreed = HoldingReply.objects.filter(enquiry=OuterRef("pk"), status__in=HoldingReply.AGREED_STATUSES)
        enquiries = enquiries.filter(Exists(agreed))
    return enquiries.order_by("-received_at", "-pk")


# --- Concerns -------------------------------------------------------------------------------

STATES_AT = {number: state for state, number in CONCERN_STAGE_NUMBERS.items()}


def _starting_stage_at_least(stage: int) -> Q | bool:
    """Where concern_raise started it (reporting.summaries ``_starting_stage``): stage 3 with
    a safeguarding flag, else 1, or 2 when the complainant did not feel able to talk."""
    if stage <= 1:
        return True
    if stage == 2:
        return Q(safeguarding=True) | Q(feels_able_to_talk=False)
    if stage == 3:
        return Q(safeguarding=True)
    return False


def _starting_stage_at_most(stage: int) -> Q | bool:
    if stage >= 3:
        return True
    if stage == 2:
        return Q(safeguarding=False)
    return Q(safeguarding=False, feels_able_to_talk=True)


def _been_at(stages: list[int], starting: Q | bool) -> Q | bool:
    """Started at, is now at, or moved to one of ``stages``."""
    if starting is True:
        return True
    states = [STATES_AT[stage] for stage in stages if stage in STATES_AT]
    moved = TimelineEvent.objects.filter(
        concern=OuterRef("pk"),
        # Stage 4 is reached by proposing formal action (reporting.summaries.REACHING_KINDS).
        kind__in=[TimelineEvent.Kind.STAGE_CHANGED, TimelineEvent.Kind.FORMAL_ACTION_PROPOSED],
        to_state__in=states,
    )
    condition = Q(state__in=states) | Q(Exists(moved))
    return condition if starting is False else condition | starting


def reached_stage(stage: int) -> Q:
    """Concerns that reached ``stage``, as the ladder counts them (reporting.summaries
    ``con.reached``): every stage from the lowest to the highest it has been at."""
    conditions = [
        _been_at(list(range(stage, 5)), _starting_stage_at_least(stage)),
        _been_at(list(range(1, stage + 1)), _starting_stage_at_most(stage)),
    ]
    combined = Q()
    for condition in conditions:
        if condition is False:
            return Q(pk__in=[])
        if condition is not True:
            combined &= condition
    return combined


def concerns_behind(user, drill: Drill) -> QuerySet[Concern]:
    """The concerns raised in the period behind a figure that ``user`` may see, newest first."""
    start, end = _moments(drill.period)
    concerns = _scoped(concerns_visible_to(user), drill).filter(raised_at__gte=start, raised_at__lt=end)
    if drill.kind:
        concerns = concerns.filter(kind=drill.kind)
    if drill.stage is not None:
        concerns = concerns.filter(reached_stage(drill.stage))
    if drill.outcome:
        concerns = concerns.filter(state=drill.outcome, closed_at__isnull=False)
    return concerns.order_by("-raised_at", "-pk")
