"""Questions the rest of the portal asks about the organisation (DESIGN §2, §8).

Each returns serving people only: an officer who has left or a councillor
whose term has ended is never routed to.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import Committee, ContactProhibition, Member, Officer, StatutoryAppointment, StatutoryRole, Ward
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


def user_roles(user) -> set[Role]:
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
        user._portal_roles = cached
    return set(cached)


def two_factor_required(user) -> bool:
    """Whether ``user`` must sign in with a code as well as a password (people.roles)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or bool(user_roles(user) & TWO_FACTOR_ROLES)


def two_factor_device(user) -> TOTPDevice | None:
    """The authenticator app ``user`` confirmed, if any: one at most (people.services)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def active_contact_prohibitions(*, member_ids, on: date | None = None) -> dict[int, list[ContactProhibition]]:
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
