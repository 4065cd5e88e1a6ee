"""Questions the rest of the portal asks about the organisation (DESIGN §2, §8).

Each returns serving people only: an officer who has left or a councillor
whose term has ended is never routed to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import (
    Committee,
    ContactProhibition,
    Cover,
    Member,
    OfficeHeld,
    Officer,
    OutsideAppointment,
    PoliticalGroup,
    Service,
    StatutoryAppointment,
    StatutoryRole,
    Ward,
)
from people.roles import TWO_FACTOR_ROLES, Role, role_group_name


def ward_members(*, ward: Ward) -> QuerySet[Member]:
    """The councillors representing ``ward`` (001 §9.4)."""
    return ward.current_members().select_related("user", "group")


def member_whips(*, member: Member) -> QuerySet[Member]:
    """The whip(s) of the member's group; empty for an independent (000 §VIII)."""
    return member.whips()


def officer_management_chain(*, officer: Officer) -> list[Officer]:
    """Line managers of ``officer``, nearest first, up to the Head of Paid Service."""
    return officer.management_chain()


def head_of_paid_service() -> Officer | None:
    """The Chief Executive (001 §7.4)."""
    return StatutoryAppointment.holder(StatutoryRole.HEAD_OF_PAID_SERVICE)


def monitoring_officer() -> Officer | None:
    """The Monitoring Officer, who triages every concern at stage 3 (000 §VIII, 001 §14)."""
    return StatutoryAppointment.holder(StatutoryRole.MONITORING_OFFICER)


def monitoring_officer_team() -> QuerySet[Officer]:
    """The Monitoring Officer and their deputies."""
    return (
        Officer.objects.current()
        .filter(statutory_appointments__role=StatutoryRole.MONITORING_OFFICER)
        .select_related("user")
    )


def director_of_people_services() -> Officer | None:
    """Joins the Monitoring Officer on concerns about officers (000 §VIII)."""
    return StatutoryAppointment.holder(StatutoryRole.DIRECTOR_OF_PEOPLE_SERVICES)


def chair_of_standards() -> Member | None:
    """The chair of the Standards Committee, who does the Whip's part for
    independent councillors (000 §II.A)."""
    committee = Committee.objects.filter(kind=Committee.Kind.STANDARDS).select_related("chair__user").first()
    if committee is None or committee.chair is None or not committee.chair.is_in_office():
        return None
    return committee.chair


def user_roles(user: User | AnonymousUser) -> set[Role]:
    """The roles a signed-in user holds, read from their groups (people.roles).

    Read once per user object: a page asks many times while deciding which
    buttons to show.
    """
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        by_name = {role_group_name(role): role for role in Role}
        cached = frozenset(by_name[name] for name in user.groups.values_list("name", flat=True) if name in by_name)
        user._portal_roles = cached  # type: ignore[attr-defined]  # a cache on this user object, not a field
    return set(cached)


def two_factor_required(user: User | AnonymousUser) -> bool:
    """Whether ``user`` must sign in with a code as well as a password (people.roles)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or bool(user_roles(user) & TWO_FACTOR_ROLES)


def two_factor_device(user: User | AnonymousUser) -> TOTPDevice | None:
    """The authenticator app ``user`` confirmed, if any: one at most (people.services)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def active_contact_prohibitions(
    *, member_ids: Iterable[int], on: date | None = None
) -> dict[int, list[ContactProhibition]]:
    """The prohibitions in force on ``on`` for each of ``member_ids`` (one query; DESIGN §5)."""
    by_member: dict[int, list[ContactProhibition]] = {}
    for prohibition in ContactProhibition.objects.active(on=on).filter(member_id__in=set(member_ids)):
        by_member.setdefault(prohibition.member_id, []).append(prohibition)
    return by_member


def contact_prohibition_for(*, member: Member, officer: Officer, on: date | None = None) -> ContactProhibition | None:
    """The prohibition, if any, that stops ``member`` contacting ``officer`` on ``on``."""
    for prohibition in active_contact_prohibitions(member_ids=[member.pk], on=on).get(member.pk, []):
        if prohibition.forbids(officer_id=officer.pk, service_id=officer.service_id):
            return prohibition
    return None


def members_prohibited_from(*, officer: Officer, on: date | None = None) -> QuerySet[ContactProhibition, Any]:
    """The ids (``member_id``) of the members a prohibition in force on ``on`` stops contacting
    ``officer``, as a subquery: by name, by their service or all officers (DESIGN §5)."""
    covers = Q(scope=ContactProhibition.Scope.ALL) | Q(scope=ContactProhibition.Scope.OFFICER, officer=officer)
    if officer.service_id is not None:
        covers |= Q(scope=ContactProhibition.Scope.SERVICE, service_id=officer.service_id)
    return ContactProhibition.objects.active(on=on).filter(covers).values("member_id")


# --- Cover while away (issue 15 C11) ---------------------------------------------------------


def covers_in_force(*, officer_ids: Iterable[int], on: date | None = None) -> dict[int, Cover]:
    """For each of ``officer_ids`` away on ``on``, the cover in force, with the colleague who
    covers (one query). Covers never overlap (cases.cover.services); should the data hold two,
    the one set first stands."""
    found: dict[int, Cover] = {}
    covers = (
        Cover.objects.in_force(on=on)
        .filter(officer_id__in=set(officer_ids))
        .select_related("officer__user", "covered_by__user")
        .order_by("created_at", "pk")
    )
    for cover in covers:
        found.setdefault(cover.officer_id, cover)
    return found


def cover_in_force(*, officer: Officer, on: date | None = None) -> Cover | None:
    """The cover in force for ``officer`` on ``on``, if they are away."""
    return covers_in_force(officer_ids=[officer.pk], on=on).get(officer.pk)


def officers_covered(*, colleague: Officer | None, on: date | None = None) -> QuerySet[Cover, Any]:
    """The ids (``officer_id``) of the officers ``colleague`` covers for on ``on``, as a subquery."""
    if colleague is None:
        return Cover.objects.none().values("officer_id")
    return Cover.objects.in_force(on=on).filter(covered_by=colleague).values("officer_id")


def acts_as_cover(*, colleague: Officer, officer_id: int, member_id: int, on: date | None = None) -> bool:
    """Whether ``colleague`` covers for officer ``officer_id`` on ``on`` on the work of the member
    ``member_id``: never while a contact prohibition stops the member contacting the colleague
    (DESIGN §5). One query."""
    return (
        Cover.objects.in_force(on=on)
        .filter(officer_id=officer_id, covered_by=colleague)
        .exclude(Exists(members_prohibited_from(officer=colleague, on=on).filter(member_id=member_id)))
        .exists()
    )


def covers_involving(*, officer: Officer, on: date | None = None) -> list[Cover]:
    """The officer's own covers and those they give, in force on ``on`` or yet to start (one query)."""
    return list(
        Cover.objects.not_over(on=on)
        .filter(Q(officer=officer) | Q(covered_by=officer))
        .select_related("officer__user", "covered_by__user")
    )


# --- Directory and profiles (003) ---------------------------------------------------------


def runs_the_portal(user: User | AnonymousUser) -> bool:
    """Democratic Services (DESIGN §1), or an administrator: they keep councillors' records."""
    return user.is_authenticated and (user.is_superuser or Role.DEMOCRATIC_SERVICES in user_roles(user))


def access_ended_on(user: User | AnonymousUser, *, on: date | None = None) -> date | None:
    """The last day of a councillor's term or an officer's service when it is before ``on``
    (today): their access to the portal has ended (the model's help text: "Their access ends
    after this day"). None for everyone else, and for anyone not signed in."""
    if not user.is_authenticated:
        return None
    on = on or timezone.localdate()
    for person, last_day in (
        (getattr(user, "member", None), "left_office_on"),
        (getattr(user, "officer", None), "left_on"),
    ):
        ended = getattr(person, last_day, None) if person is not None else None
        if ended is not None and ended < on:
            return ended
    return None


def may_use_directory(user: User | AnonymousUser) -> bool:
    """003: the directory and the profiles are for serving councillors and officers (and those
    who keep them up to date)."""
    if not user.is_authenticated:
        return False
    member, officer = getattr(user, "member", None), getattr(user, "officer", None)
    return (
        (member is not None and member.is_in_office())
        or (officer is not None and officer.is_serving())
        or runs_the_portal(user)
    )


def _words(text: str) -> list[str]:
    return [word for word in text.split() if word][:8]


def officer_directory(*, text: str = "", service: Service | None = None) -> QuerySet[Officer]:
    """Serving officers matching every word of ``text`` in their name, job title or service
    (003: "an up to date online directory"), alphabetical; their Councillor Liaison Officer
    services are prefetched, so a page of them costs the same whatever its length."""
    officers = Officer.objects.current()
    for word in _words(text):
        officers = officers.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(service__name__icontains=word)
        )
    if service is not None:
        officers = officers.filter(service=service)
    liaison_for = Service.objects.only("pk", "name").order_by("name")
    return (
        officers.select_related("user", "service")
        .prefetch_related(Prefetch("services_as_liaison", queryset=liaison_for))
        .order_by("user__last_name", "user__first_name", "pk")
    )


def services_with_liaison_officers() -> QuerySet[Service]:
    """Every service with its serving Councillor Liaison Officers (003), by name."""
    serving = Officer.objects.current().select_related("user").order_by("user__last_name", "user__first_name")
    return (
        Service.objects.select_related("directorate")
        .prefetch_related(Prefetch("liaison_officers", queryset=serving))
        .order_by("name")
    )


def member_directory(
    *, text: str = "", ward: Ward | None = None, group: PoliticalGroup | None = None, independent: bool = False
) -> QuerySet[Member]:
    """Serving councillors matching every word of ``text`` in their name, in ``ward`` and
    ``group`` (or independent), alphabetical, with their wards (003: member profiles)."""
    members = Member.objects.current()
    for word in _words(text):
        members = members.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word))
    if ward is not None:
        members = members.filter(wards=ward)
    if independent:
        members = members.filter(group__isnull=True)
    elif group is not None:
        members = members.filter(group=group)
    return (
        members.select_related("user", "group")
        .prefetch_related(Prefetch("wards", queryset=Ward.objects.order_by("name")))
        .order_by("user__last_name", "user__first_name", "pk")
    )


def member_profile(*, pk: int) -> Member:
    """One councillor with everything their profile shows (003), or 404. Former councillors
    keep their page, marked as such, so links from old records still lead somewhere."""
    queryset = Member.objects.select_related("user", "group").prefetch_related(
        Prefetch("wards", queryset=Ward.objects.order_by("name")),
        Prefetch("committees", queryset=Committee.objects.order_by("name")),
        Prefetch("officeheld_set", queryset=OfficeHeld.objects.current()),
        Prefetch("outside_appointments", queryset=OutsideAppointment.objects.filter(ended_on__isnull=True)),
        "committees_chaired",
        "groups_led",
        "groups_whipped",
    )
    try:
        return queryset.get(pk=pk)
    except Member.DoesNotExist:
        raise Http404("No councillor found") from None


def ward_colleagues(*, member: Member, on: date | None = None) -> QuerySet[Member]:
    """The other councillors in office on ``on`` for any of ``member``'s wards: the natural
    successors for their enquiries when they leave office (003)."""
    return (
        Member.objects.current(on=on)
        .filter(wards__in=member.wards.all())
        .exclude(pk=member.pk)
        .distinct()
        .select_related("user")
    )
