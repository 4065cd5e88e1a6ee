"""Permission-scoped reads of enquiries: every page asks here, never the model directly.

Who sees an enquiry (DESIGN §3): the filing member, its current and past owners
and their management chains (guardian rows, granted as each takes it, and the
escalation records for owners the deadline sweep moved it to), the
managers of its service (Head of Service, Assistant Director, Director), and
the Monitoring Officer and Chief Executive (a model-wide permission on their
role groups). While a colleague covers for an officer who is away (issue 15 C11),
they see that officer's open enquiries too, from the covers' dates alone, and no
longer once the cover ends; never those of a member who may not contact them
(DESIGN §5). Anyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.enquiries.models import (
    AWAITING_RESPONSE,
    OPEN_STATES,
    STATE_ORDER,
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
    EnquiryUserObjectPermission,
)
from cases.shared.lists import ANY_STATE, DUE_SOON, OPEN, OVERDUE, ListFilters, due_soon_until
from cases.shared.models import TimelineEvent
from escalation.calendar import local_date
from people.models import Member, Officer, Service, Ward
from people.roles import SENIOR_MANAGEMENT_ROLES, Role, role_group_name
from people.selectors import members_prohibited_from, officers_covered, user_roles


def _base() -> QuerySet[Enquiry]:
    return Enquiry.objects.select_related(
        "member__user", "member__group", "owner__user", "service__directorate", "ward"
    )


def _sees_everything(user: User | AnonymousUser) -> bool:
    return user.is_superuser or user.has_perm("cases.view_enquiry")


def managed_services(officer: Officer) -> QuerySet[Service]:
    """The services an officer manages: as head, assistant director or director."""
    return Service.objects.filter(
        Q(head_of_service=officer) | Q(assistant_director=officer) | Q(directorate__director=officer)
    )


def enquiries_visible_to(user: User | AnonymousUser) -> QuerySet[Enquiry]:
    if not user.is_authenticated:
        return Enquiry.objects.none()
    if _sees_everything(user):
        return _base()
    granted = EnquiryUserObjectPermission.objects.filter(
        user=user, permission__codename="view_enquiry", permission__content_type__app_label="cases"
    ).values("content_object_id")
    visible = Q(pk__in=granted)
    officer = getattr(user, "officer", None)
    if officer is not None:
        # Escalated to them by the deadline sweep (001 §7.1), or in a service they manage.
        climbed_to = EnquiryEscalation.objects.filter(to_owner=officer).values("enquiry_id")
        visible |= Q(pk__in=climbed_to) | Q(service__in=managed_services(officer)) | covered_by(officer)
    return _base().filter(visible)


def covered_by(officer: Officer) -> Q:
    """Issue 15 C11: the open enquiries of the officers ``officer`` covers for today, but not
    those of a member who may not contact ``officer`` (DESIGN §5). Subqueries: no query of its own."""
    return Q(owner__in=officers_covered(colleague=officer), state__in=OPEN_STATES) & ~Q(
        member__in=members_prohibited_from(officer=officer)
    )


def enquiry_get_for_user(user: User | AnonymousUser, reference: str) -> Enquiry:
    """One enquiry with everything its page shows, or 404 for anyone who may not see it."""
    timeline = TimelineEvent.objects.select_related("actor", "from_owner__user", "to_owner__user")
    if getattr(user, "officer", None) is None and not _sees_everything(user):
        timeline = timeline.filter(internal=False)
    queryset = enquiries_visible_to(user).prefetch_related(
        Prefetch("timeline", queryset=timeline),
        "answers__author__user",
        "answers__attachments",
        "holding_replies",
        "declines__declined_by__user",
        "disputes__decided_by__user",
        "consent_records__recorded_by__user",
        "attachments",
    )
    try:
        return queryset.get(reference=reference)
    except Enquiry.DoesNotExist:
        raise Http404("No enquiry found") from None


def member_enquiries(
    user: User | AnonymousUser, filters: ListFilters | None = None, *, now: datetime | None = None
) -> QuerySet[Enquiry]:
    """'My enquiries': a councillor's own, newest first unless ``filters`` sort them otherwise
    (the index enquiry_by_member gives them in this order, so a page of them costs the same
    however many there are)."""
    member = getattr(user, "member", None)
    if member is None:
        return Enquiry.objects.none()
    return enquiries_filtered(_base().filter(member=member), filters or ListFilters(sort="newest"), now=now)


def officer_work_queue(
    user: User,
    filters: ListFilters | None = None,
    *,
    covering: Collection[int] | None = None,
    now: datetime | None = None,
) -> QuerySet[Enquiry]:
    """'My work': open enquiries the officer owns, and those of the officers they cover for
    while they are away (issue 15 C11; ``covering``, their ids, when the page knows them
    already, else one query), soonest due first unless ``filters`` say otherwise; for the Chief
    Executive also every dispute waiting for a decision (001 §7.4). A filter only narrows it."""
    mine = Q(owner__user=user, state__in=OPEN_STATES)
    officer = getattr(user, "officer", None)
    if officer is not None:
        if covering is None:
            covering = [row["officer_id"] for row in officers_covered(colleague=officer)]
        if covering:
            # Ids, not a subquery: with nobody covered (nearly always) the query is the owner's alone.
            mine |= Q(owner__in=list(covering), state__in=OPEN_STATES) & ~Q(
                member__in=members_prohibited_from(officer=officer)
            )
    if Role.CHIEF_EXECUTIVE in user_roles(user):
        mine |= Q(state=EnquiryState.DISPUTED)
    return enquiries_filtered(_base().filter(mine), filters or ListFilters(), now=now)


def service_queue(
    user: User | AnonymousUser, filters: ListFilters, *, now: datetime | None = None
) -> QuerySet[Enquiry]:
    """The service queue for Heads of Service and above: their services, their
    directorate, or all for the Chief Executive and Monitoring Officer, as ``filters`` narrow
    and sort it (the page opens on those waiting for a response, soonest due first)."""
    if _sees_everything(user):
        queryset = _base()
    else:
        officer = getattr(user, "officer", None)
        if officer is None:
            return Enquiry.objects.none()
        # A manager sees every enquiry of the services they manage (enquiries_visible_to), so
        # the queue needs no other test: asking the database whether each row is also granted
        # or climbed to them would read all their access rows on every page (docs/performance.md).
        queryset = _base().filter(service__in=managed_services(officer))
    return enquiries_filtered(queryset, filters, now=now)


# The orders a list may be sorted in, by the key the filter form offers (never what was typed).
ENQUIRY_SORTS: dict[str, tuple] = {
    "due": ("due_at", "pk"),
    "newest": ("-received_at", "-pk"),
    "oldest": ("received_at", "pk"),
    "state": (STATE_ORDER, "due_at", "pk"),
}
SORT_CHOICES = {
    "due": "Soonest due first",
    "newest": "Newest received first",
    "oldest": "Oldest received first",
    "state": "Status",
}


def enquiries_filtered(
    queryset: QuerySet[Enquiry], filters: ListFilters, *, now: datetime | None = None
) -> QuerySet[Enquiry]:
    """``queryset`` (already scoped to what the person may see) narrowed and sorted by
    ``filters``: a filter only ever takes rows away. A word is looked for in the subject, the
    councillor's name and the ward's name (issue 15 C10), not in the details: reading the
    details of a busy councillor's 20,000 enquiries made the search several times slower at
    scale (docs/performance.md). Members and wards matching a word are found by subqueries
    on their own small tables."""
    if filters.state == OPEN:
        queryset = queryset.filter(state__in=AWAITING_RESPONSE)
    elif filters.state and filters.state != ANY_STATE:
        queryset = queryset.filter(state=filters.state)
    if filters.service:
        queryset = queryset.filter(service_id=filters.service)
    if filters.ward:
        queryset = queryset.filter(ward_id=filters.ward)
    if filters.due:
        now = now or timezone.now()
        queryset = queryset.filter(state__in=AWAITING_RESPONSE)
        if filters.due == OVERDUE:
            queryset = queryset.filter(due_at__lt=now)
        elif filters.due == DUE_SOON:
            queryset = queryset.filter(due_at__gte=now, due_at__lte=due_soon_until(now))
    if filters.words:
        every_word = Q()
        for word in filters.words:
            councillors = Member.objects.filter(
                Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
            ).values("pk")
            wards = Ward.objects.filter(name__icontains=word).values("pk")
            every_word &= Q(subject__icontains=word) | Q(member__in=councillors) | Q(ward__in=wards)
        queryset = queryset.filter(Q(reference=filters.reference) | every_word if filters.reference else every_word)
    return queryset.order_by(*ENQUIRY_SORTS.get(filters.sort, ENQUIRY_SORTS["due"]))


def with_deadline_flags(enquiries: list[Enquiry], *, now: datetime | None = None) -> list[Enquiry]:
    """Mark each enquiry ``overdue`` or ``due_soon`` (due by the end of the next working
    day) for list pages, with one calendar for the whole list."""
    now = now or timezone.now()
    soon = due_soon_until(now)
    for enquiry in enquiries:
        due_at = enquiry.due_at if enquiry.state in AWAITING_RESPONSE else None
        enquiry.overdue = due_at is not None and due_at < now
        enquiry.due_soon = due_at is not None and not enquiry.overdue and due_at <= soon
        # Issue 15 A4: an overdue enquiry climbs next at the start of a working day, or has
        # reached the top of the ladder (the sweep empties escalate_at there).
        enquiry.climbs_on = local_date(enquiry.escalate_at) if enquiry.overdue and enquiry.escalate_at else None
        enquiry.at_top = enquiry.overdue and enquiry.escalate_at is None
    return enquiries


def may_see_service_queue(user: User | AnonymousUser) -> bool:
    if _sees_everything(user):
        return True
    officer = getattr(user, "officer", None)
    return officer is not None and managed_services(officer).exists()


def may_reassign_from_queue(user: User | AnonymousUser) -> bool:
    """Issue 15 C12: who may tick enquiries in the service queue and reassign them: a manager of
    its services (Enquiry.may_reassign) or the Chief Executive. The Monitoring Officer sees
    every enquiry but reassigns none."""
    officer = getattr(user, "officer", None)
    if officer is None:
        return False
    return Role.CHIEF_EXECUTIVE in user_roles(user) or managed_services(officer).exists()


def queue_colleagues(user: User | AnonymousUser) -> QuerySet[Officer]:
    """Whom the queue's enquiries may go to: serving officers of the services the person manages
    (every service for the Chief Executive), by name. Each enquiry still goes only to an
    officer of its own service (enquiry_reassign refuses the rest, naming the enquiry)."""
    officers = (
        Officer.objects.current().select_related("user", "service").order_by("user__last_name", "user__first_name")
    )
    if Role.CHIEF_EXECUTIVE in user_roles(user):
        return officers.filter(service__isnull=False)
    officer = getattr(user, "officer", None)
    if officer is None:
        return Officer.objects.none()
    return officers.filter(service__in=managed_services(officer))


def reassignable_officers(enquiry: Enquiry) -> QuerySet[Officer]:
    """Serving officers of the enquiry's service other than its owner."""
    return (
        Officer.objects.current()
        .filter(service=enquiry.service)
        .exclude(pk=enquiry.owner_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def services_to_move_to(enquiry: Enquiry) -> QuerySet[Service]:
    """Every service but the enquiry's own, by name: where a misrouted enquiry may go."""
    return Service.objects.exclude(pk=enquiry.service_id).order_by("name")


def senior_officers() -> QuerySet[Officer]:
    """Serving Heads of Service and above (SENIOR_MANAGEMENT_ROLES): who can handle line
    management of a concern (001 §6.1, §6.2) or decline an enquiry (001 §7.1)."""
    names = [role_group_name(role) for role in SENIOR_MANAGEMENT_ROLES]
    return Officer.objects.current().filter(user__groups__name__in=names).distinct().select_related("user")
