"""The Monitoring Officer's triage queue (issue 5; 000 §VIII): everything awaiting them,
whatever kind of case it is: concerns at stage 3 or 4, safeguarding flags and overdue
stages, patterns, disputed enquiries past the Chief Executive's target, and positive
examples to record. It reads several domains, so it sits above them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils import timezone

from cases.concerns.models import (
    CONCERN_OPEN_STATES,
    CONCERN_STAGE_NUMBERS,
    Concern,
    ConcernState,
)
from cases.concerns.selectors import concerns_for_list, patterns
from cases.enquiries.models import Enquiry, EnquiryState
from cases.positive.models import PositiveExample, PositiveExampleState
from cases.shared.selectors import is_monitoring_officer
from escalation.calendar import council_calendar, local_date
from people.models import Member


@dataclass
class TriageItem:
    kind: str  # "concern", "pattern", "dispute", "positive_example"
    why: str
    reference: str
    url: str
    title: str
    waiting_since: datetime | date
    age_working_days: int
    overdue: bool = False
    stage: int | None = None
    # A concern's row: its title (the two people's names) and link come from triage_titles,
    # for the rows shown only.
    concern_id: int | None = None


TRIAGE_SORTS = {
    "age": lambda item: -item.age_working_days,
    "reference": lambda item: item.reference,
    "kind": lambda item: (item.kind, -item.age_working_days),
}


def triage_queue(
    user: User | AnonymousUser, *, sort: str = "age", now: datetime | None = None, titles: bool = True
) -> list[TriageItem]:
    """Everything awaiting the Monitoring Officer (issue 5): concerns at stage 3 or 4,
    safeguarding flags, overdue stages anywhere on the ladder, patterns, disputed
    enquiries older than the Chief Executive's target, and positive examples to record.
    A fixed number of queries whatever the size.

    The concerns are read as a few columns each, enough to sort them; ``titles=False``
    leaves their titles (the two people's names) and links for ``triage_titles`` to fill in
    for the page shown, so a long queue costs little more than a page of it
    (docs/performance.md)."""
    if not is_monitoring_officer(user):
        return []
    now = now or timezone.now()
    calendar = council_calendar()
    today = local_date(now)

    def age(since: datetime | date) -> int:
        start = since if isinstance(since, date) and not isinstance(since, datetime) else local_date(since)
        return calendar.working_days_between(start, today)

    items: list[TriageItem] = []
    awaiting = (
        Concern.objects.filter(
            Q(state__in=[ConcernState.MO_REVIEW, ConcernState.SANCTION])
            | Q(state__in=CONCERN_OPEN_STATES, safeguarding=True)
            | Q(state__in=CONCERN_OPEN_STATES, due_at__lt=now)
        )
        # Not one this Monitoring Officer is a party to: a deputy handles it.
        .exclude(complainant_user=user)
        .exclude(subject_officer__user=user)
        .order_by("-raised_at", "-pk")
        .values_list("pk", "reference", "state", "safeguarding", "due_at", "stage_started_at")
    )
    for pk, reference, state, safeguarding, due_at, stage_started_at in awaiting:
        label = ConcernState(state).label
        reasons = []
        if safeguarding:
            reasons.append("Safeguarding flag")
        overdue = due_at is not None and due_at < now
        # Issue 15 C17: the stage once, overdue or not ("Stage 3: Monitoring Officer review,
        # overdue since …"), never the stage and then the stage again.
        if overdue:
            reasons.append(f"{label}, overdue since {local_date(due_at):%-d %B %Y}")
        elif state in (ConcernState.MO_REVIEW, ConcernState.SANCTION):
            reasons.append(label)
        items.append(
            TriageItem(
                kind="concern",
                why="; ".join(dict.fromkeys(reasons)),
                reference=reference,
                url="",
                title="",
                waiting_since=stage_started_at,
                age_working_days=age(stage_started_at),
                overdue=overdue,
                stage=CONCERN_STAGE_NUMBERS.get(state),
                concern_id=pk,
            )
        )
    for pattern in patterns(now=now):
        subject = pattern.subject
        if subject.user_id == user.pk:
            continue
        name = str(subject) if isinstance(subject, Member) else subject.name
        items.append(
            TriageItem(
                kind="pattern",
                why=f"Pattern: {pattern.informal_actions} concerns ended in informal action since "
                f"{pattern.since:%-d %B %Y} (000 §VIII): consider formal steps",
                reference=name,
                url="",
                title=name,
                waiting_since=pattern.since,
                age_working_days=0,
            )
        )
    disputes = Enquiry.objects.filter(state=EnquiryState.DISPUTED, due_at__lt=now).select_related("member__user")
    for enquiry in disputes.order_by("due_at")[:200]:
        items.append(
            TriageItem(
                kind="dispute",
                why=f"Disputed decline: the Chief Executive's decision was due by {enquiry.due_on:%-d %B %Y}",
                reference=enquiry.reference,
                url=enquiry.get_absolute_url(),
                title=f"{enquiry.subject} ({enquiry.member})",
                waiting_since=enquiry.clock_started_at,
                age_working_days=age(enquiry.clock_started_at),
                overdue=True,
            )
        )
    examples = PositiveExample.objects.filter(state=PositiveExampleState.WITH_MONITORING_OFFICER)
    for example in examples.order_by("forwarded_at"):
        forwarded_at = example.forwarded_at
        assert forwarded_at is not None, "set when it was passed to the Monitoring Officer"
        items.append(
            TriageItem(
                kind="positive_example",
                why="Positive example to record (000 §VI)",
                reference=example.reference,
                url=example.get_absolute_url(),
                title=example.title,
                waiting_since=forwarded_at,
                age_working_days=age(forwarded_at),
            )
        )
    items = sorted(items, key=TRIAGE_SORTS.get(sort, TRIAGE_SORTS["age"]))
    return triage_titles(items) if titles else items


def triage_titles(items: list[TriageItem]) -> list[TriageItem]:
    """Title the concerns among ``items`` "complainant about subject", and link them (one query)."""
    concerns = concerns_for_list().in_bulk([item.concern_id for item in items if item.concern_id])
    for item in items:
        if item.concern_id in concerns:
            concern = concerns[item.concern_id]
            item.title = f"{concern.complainant_name} about {concern.subject_name}"
            item.url = concern.get_absolute_url()
    return items
