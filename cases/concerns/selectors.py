"""Permission-scoped reads of concerns, sanctions and positive examples: every page asks
here, never the model directly.

Who sees a concern is need-to-know (DESIGN §4): the complainant; the handler at the
current stage (while it is theirs); the Monitoring Officer and deputies; from stage 3
the subject's Whip (or the Chair of Standards for an independent member) or, for an
officer, the Director of People Services and the line manager, who keep it once they
have joined; and the subject only once the Monitoring Officer shares it. Not the
Chief Executive, not an administrator. Anyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from cases.concerns.models import (
    CONCERN_OPEN_STATES,
    Concern,
    ConcernState,
    ConcernUserObjectPermission,
    Sanction,
)
from cases.shared.lists import ANY_STATE, DUE_SOON, OPEN, OVERDUE, ListFilters, due_soon_until
from cases.shared.models import TimelineEvent
from cases.shared.selectors import is_monitoring_officer
from escalation.calendar import local_date
from people.models import ContactProhibition, Member, Officer, Ward
from people.selectors import chair_of_standards, director_of_people_services


def _base() -> QuerySet[Concern]:
    return Concern.objects.select_related(
        "complainant_member__user",
        "complainant_member__group",
        "complainant_officer__user",
        "subject_member__user",
        "subject_member__group",
        "subject_officer__user",
        "owner__user",
        "service",
    )


_PEOPLE = ("complainant_member", "complainant_officer", "subject_member", "subject_officer", "owner")
_NAMES = ("user__first_name", "user__last_name", "user__username")


def concerns_for_list() -> QuerySet[Concern]:
    """What a row of a concern list or the triage queue shows (cases/concern_table.html): the
    two people's and the handler's names, and the concern's stage and target; not its text,
    the groups or the service the concern page shows. Fewer columns make a page of rows
    several times cheaper to build (docs/performance.md)."""
    return Concern.objects.select_related(*(f"{person}__user" for person in _PEOPLE)).only(
        "reference",
        "kind",
        "state",
        "safeguarding",
        "raised_at",
        "stage_started_at",
        "due_at",
        "complainant_user",
        *_PEOPLE,
        "owner__job_title",
        *(f"{person}__{name}" for person in _PEOPLE for name in _NAMES),
    )


def concerns_visible_to(user: User | AnonymousUser) -> QuerySet[Concern]:
    if not user.is_authenticated:
        return Concern.objects.none()
    # Guardian rows go only to stage-3 participants and to a subject the record was shared with.
    granted = ConcernUserObjectPermission.objects.filter(
        user=user, permission__codename="view_concern", permission__content_type__app_label="cases"
    ).values("content_object_id")
    if is_monitoring_officer(user):
        # Every concern but one about themselves, which a deputy handles, unless it was shared with them.
        return _base().filter(~Q(subject_officer__user=user) | Q(pk__in=granted))
    return _base().filter(Q(complainant_user=user) | Q(owner__user=user) | Q(pk__in=granted))


def sees_internal_record(concern: Concern, user: User | AnonymousUser) -> bool:
    """The full record (notes, informal actions, sanctions, who was told what) is for those
    deciding it: the Monitoring Officer, the current handler and the stage-3 participants.
    The complainant and a subject it was shared with see the concern, its stages and outcome."""
    is_party = user.pk == concern.complainant_user_id or user.pk == concern.subject.user_id
    if is_monitoring_officer(user) and not is_party:
        return True
    officer = getattr(user, "officer", None)
    if officer is not None and officer.pk == concern.owner_id:
        return True
    return not is_party


def concern_get_for_user(user: User | AnonymousUser, reference: str) -> Concern:
    """One concern with everything its page shows, or 404 for anyone who may not see it."""
    try:
        concern = concerns_visible_to(user).get(reference=reference)
    except Concern.DoesNotExist:
        raise Http404("No concern found") from None
    timeline = TimelineEvent.objects.filter(concern=concern).select_related("actor")
    if not sees_internal_record(concern, user):
        timeline = timeline.filter(internal=False)
    concern.timeline_events = list(timeline)
    concern.behaviour_list = list(concern.behaviours.all())
    concern.evidence = list(concern.attachments.all())
    concern.informal_action_list = list(concern.informal_actions.select_related("recorded_by__user"))
    concern.sanction_list = list(
        concern.sanctions.select_related("prohibition__officer__user", "prohibition__service").prefetch_related(
            "committees"
        )
    )
    concern.referral_list = list(concern.referrals.select_related("referred_by__user"))
    return concern


def my_concerns(user: User, filters: ListFilters | None = None) -> QuerySet[Concern]:
    """Concerns this person raised, newest first (``filters`` narrow and sort them)."""
    mine = concerns_for_list().filter(complainant_user=user).order_by("-raised_at", "-pk")
    return concerns_filtered(mine, filters or ListFilters())


def concerns_handled_by(user: User, filters: ListFilters | None = None) -> QuerySet[Concern]:
    """Open concerns whose current stage this officer handles, soonest target first."""
    handled = concerns_for_list().filter(owner__user=user, state__in=CONCERN_OPEN_STATES).order_by("due_at", "pk")
    return concerns_filtered(handled, filters or ListFilters())


def concerns_joined_by(user: User, filters: ListFilters | None = None) -> QuerySet[Concern]:
    """Concerns this person joined at stage 3 (a Whip, the Chair of Standards, the Director
    of People Services or a line manager) or that were shared with them, newest first."""
    # The permission as a scalar subquery rather than a join: then the planner knows how many
    # rows this person has, and reads the newest concerns in order, checking each against the
    # access index, instead of reading all their access rows to sort them (docs/performance.md).
    view_concern = Permission.objects.filter(codename="view_concern", content_type__app_label="cases")
    granted = ConcernUserObjectPermission.objects.filter(
        user=user, permission=Subquery(view_concern.values("pk")[:1])
    ).values("content_object_id")
    joined = concerns_for_list().filter(pk__in=granted)
    # By the officer's id, not through a join to their user: with the join the planner reads
    # every concern before it looks at the few this person joined (docs/performance.md).
    officer = getattr(user, "officer", None)
    if officer is not None:
        joined = joined.exclude(owner=officer)
    return concerns_filtered(joined.order_by("-raised_at", "-pk"), filters or ListFilters())


def concerns_with_internal_record(user: User) -> QuerySet[Concern]:
    """The concerns whose full record this person reads on their page (``sees_internal_record``):
    those they see, less the ones they raised or that are about them."""
    return (
        concerns_visible_to(user)
        .exclude(complainant_user=user)
        .exclude(subject_member__user=user)
        .exclude(subject_officer__user=user)
    )


# --- Finding a concern in the lists (issue 15 C10) ------------------------------------------

# The order of the ladder (000 §VII–§VIII), for the sort by stage.
STAGE_ORDER = Case(
    *(When(state=state, then=Value(number)) for number, state in enumerate(ConcernState.values)),
    output_field=IntegerField(),
)
# The orders the lists may be sorted in, by the key the filter form offers; "" keeps each
# list's own order (newest raised first; soonest target first for those one handles).
CONCERN_SORTS: dict[str, tuple] = {
    "due": ("due_at", "pk"),
    "newest": ("-raised_at", "-pk"),
    "oldest": ("raised_at", "pk"),
    "stage": (STAGE_ORDER, "due_at", "pk"),
}
CONCERN_SORT_CHOICES = {
    "": "Each list's usual order",
    "due": "Soonest stage target first",
    "newest": "Newest raised first",
    "oldest": "Oldest raised first",
    "stage": "Stage",
}


def concerns_filtered(
    queryset: QuerySet[Concern], filters: ListFilters, *, now: datetime | None = None
) -> QuerySet[Concern]:
    """One of the concern lists (already scoped to what the person may see) narrowed and sorted
    by ``filters``: a filter only takes rows away, so nobody finds through a search a concern
    they could not open. The words are matched against the reference and the names of the
    two people; the ward is the councillor's (the complainant's or the subject's)."""
    if filters.state == OPEN:
        queryset = queryset.filter(state__in=CONCERN_OPEN_STATES)
    elif filters.state and filters.state != ANY_STATE:
        queryset = queryset.filter(state=filters.state)
    if filters.service:
        queryset = queryset.filter(service_id=filters.service)
    if filters.ward:
        in_ward = Member.objects.filter(wards=filters.ward).values("pk")
        queryset = queryset.filter(Q(subject_member__in=in_ward) | Q(complainant_member__in=in_ward))
    if filters.due:
        now = now or timezone.now()
        queryset = queryset.filter(state__in=CONCERN_OPEN_STATES)
        if filters.due == OVERDUE:
            queryset = queryset.filter(due_at__lt=now)
        elif filters.due == DUE_SOON:
            queryset = queryset.filter(due_at__gte=now, due_at__lte=due_soon_until(now))
    if filters.words:
        every_word = Q()
        for word in filters.words:
            named = Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
            ward_named = Q(wards__in=Ward.objects.filter(name__icontains=word))
            # The people's ids as lists (two small queries a word), not subqueries: the planner then
            # knows how few concerns they are party to and reads them by index, where with
            # subqueries it read all 50,000 concerns of a decade (docs/performance.md).
            members = list(Member.objects.filter(named | ward_named).values_list("pk", flat=True).distinct())
            officers = list(Officer.objects.filter(named).values_list("pk", flat=True))
            every_word &= (
                Q(subject_member__in=members)
                | Q(complainant_member__in=members)
                | Q(subject_officer__in=officers)
                | Q(complainant_officer__in=officers)
            )
        queryset = queryset.filter(Q(reference=filters.reference) | every_word if filters.reference else every_word)
    if filters.sort in CONCERN_SORTS:
        queryset = queryset.order_by(*CONCERN_SORTS[filters.sort])
    return queryset


# --- The review at stage 3 (000 §VIII) ---------------------------------------------------


@dataclass(frozen=True)
class Reviewer:
    """Someone who joins the Monitoring Officer's review, and the part they take in it."""

    user: User
    name: str
    part: str


def stage_three_reviewers(concern: Concern) -> list[Reviewer]:
    """Who joins the Monitoring Officer at stage 3, by the roles they hold today (000 §VIII):
    the councillor's Whip, or the Chair of Standards for an independent councillor or a group
    with no other Whip (000 §II.A); for an officer, the Director of People Services and the
    officer's line manager. Never the subject, never the complainant."""
    reviewers: list[Reviewer] = []
    if (member := concern.subject_member) is not None:
        # A Whip does not review a concern about themselves: the Chair of Standards acts, as
        # for a group without a Whip.
        whips = [whip for whip in member.whips() if whip.pk != member.pk]
        reviewers += [Reviewer(whip.user, str(whip), f"Whip, {member.group}") for whip in whips]
        if not whips:
            chair = chair_of_standards()
            if chair is not None and chair.pk != member.pk:
                why = "an independent councillor" if member.group_id is None else f"no other Whip of the {member.group}"
                reviewers.append(Reviewer(chair.user, str(chair), f"Chair of the Standards Committee, for {why}"))
    elif (officer := concern.subject_officer) is not None:
        people_director = director_of_people_services()
        if people_director is not None and people_director.pk != officer.pk:
            reviewers.append(Reviewer(people_director.user, people_director.name, "Director of People Services"))
        manager = officer.line_manager
        if manager is not None and manager.is_serving():
            reviewers.append(Reviewer(manager.user, manager.name, f"Line manager of {officer.name}"))
    seen = {concern.complainant_user_id}
    unique = []
    for reviewer in reviewers:
        if reviewer.user.pk not in seen:
            seen.add(reviewer.user.pk)
            unique.append(reviewer)
    return unique


@dataclass(frozen=True)
class Review:
    """Who reviews a concern with the Monitoring Officer, as its page shows them."""

    in_progress: bool  # at stage 3 or 4; over once the concern has left the ladder
    lead: Officer | None  # the Monitoring Officer (or deputy) handling it
    reviewers: list[Reviewer]  # joined it, and still hold the role they joined in
    former: list[Reviewer]  # joined it, and no longer hold that role (their part is blank)
    not_joined: list[Reviewer]  # hold the role now, but took it on after the review began

    def part_of(self, user: User | AnonymousUser) -> Reviewer | None:
        """The part ``user`` takes (or took) in the review, if they joined it and still hold the role."""
        return next((reviewer for reviewer in self.reviewers if reviewer.user.pk == user.pk), None)

    def reviewing(self, user: User | AnonymousUser) -> Reviewer | None:
        """The part ``user`` takes in the review now: only while it is in progress."""
        return self.part_of(user) if self.in_progress else None

    def joined(self, user: User | AnonymousUser) -> bool:
        return any(reviewer.user.pk == user.pk for reviewer in (*self.reviewers, *self.former))


def concern_review(concern: Concern) -> Review | None:
    """Who reviews ``concern`` with the Monitoring Officer (000 §VIII): those who joined it when
    it reached stage 3 (their view grant) and still hold the role; None for a concern that
    never reached stage 3. A role changes hands in ``people``; whoever leaves it keeps reading
    the concern they joined (``concerns_visible_to``) but takes no further part."""
    in_progress = concern.is_under_review
    joined = set(
        ConcernUserObjectPermission.objects.filter(
            content_object=concern, permission__codename="view_concern", permission__content_type__app_label="cases"
        )
        .exclude(user_id=concern.subject.user_id)  # a record shared with its subject
        .values_list("user_id", flat=True)
    )
    if not in_progress and not joined:
        return None
    holders = stage_three_reviewers(concern)
    held = {reviewer.user.pk for reviewer in holders}
    former = [
        Reviewer(user, str(user.member) if hasattr(user, "member") else (user.get_full_name() or user.username), "")
        for user in User.objects.filter(pk__in=joined - held).select_related("member").order_by("last_name", "pk")
    ]
    return Review(
        in_progress=in_progress,
        lead=concern.owner,
        reviewers=[reviewer for reviewer in holders if reviewer.user.pk in joined],
        former=former,
        not_joined=[reviewer for reviewer in holders if reviewer.user.pk not in joined] if in_progress else [],
    )


# --- Patterns (000 §VIII) -------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    subject: Member | Officer
    informal_actions: int
    since: date


def patterns(*, now: datetime | None = None) -> list[Pattern]:
    """Subjects with CONCERN_PATTERN_INFORMAL_ACTIONS (three) or more concerns ended in
    informal action within CONCERN_PATTERN_MONTHS (twelve) months: "a pattern of behaviours
    that require repeated informal intervention" (000 §VIII). Three queries."""
    now = now or timezone.now()
    since = local_date(now) - timedelta(days=round(settings.CONCERN_PATTERN_MONTHS * 365 / 12))
    threshold = settings.CONCERN_PATTERN_INFORMAL_ACTIONS
    # From the start of that day, London time: a range the index concern_closed can read.
    since_start = datetime.combine(since, time.min, tzinfo=timezone.get_default_timezone())
    recent = Concern.objects.filter(state=ConcernState.INFORMAL_ACTION, closed_at__gte=since_start)
    counted = (
        recent.values("subject_member_id", "subject_officer_id")
        .annotate(actions=Count("pk"))
        .filter(actions__gte=threshold)
    )
    member_counts = {row["subject_member_id"]: row["actions"] for row in counted if row["subject_member_id"]}
    officer_counts = {row["subject_officer_id"]: row["actions"] for row in counted if row["subject_officer_id"]}
    found = [
        Pattern(member, member_counts[member.pk], since)
        for member in Member.objects.filter(pk__in=member_counts).select_related("user", "group")
    ] + [
        Pattern(officer, officer_counts[officer.pk], since)
        for officer in Officer.objects.filter(pk__in=officer_counts).select_related("user")
    ]
    return sorted(found, key=lambda pattern: -pattern.informal_actions)


def pattern_for(concern: Concern, *, now: datetime | None = None) -> Pattern | None:
    subject = concern.subject
    return next((p for p in patterns(now=now) if type(p.subject) is type(subject) and p.subject.pk == subject.pk), None)


# --- Sanctions register ---------------------------------------------------------------------


def sanctions_register(user: User | AnonymousUser) -> QuerySet[Sanction]:
    """Every sanction recorded, newest first: for the Monitoring Officer only."""
    if not is_monitoring_officer(user):
        return Sanction.objects.none()
    return (
        Sanction.objects.select_related(
            "concern", "member__user", "officer__user", "prohibition__officer__user", "prohibition__service"
        )
        .prefetch_related("committees")
        .order_by("-recorded_at", "-pk")
    )


def prohibition_get_for_user(user: User | AnonymousUser, pk: int) -> ContactProhibition:
    if not is_monitoring_officer(user):
        raise Http404("No prohibition found")
    try:
        return ContactProhibition.objects.select_related("member__user", "sanction__concern").get(pk=pk)
    except ContactProhibition.DoesNotExist:
        raise Http404("No prohibition found") from None
