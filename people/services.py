"""The only writers of the organisation's derived data and of two-factor devices (each writes its
audit event through people.audit.audit_event_record, the audit log's one writer)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.audit import Origin, audit_event_record
from people.models import AuditEvent, Committee, Member, Officer, PoliticalGroup, StatutoryRole, Ward
from people.photos import validate_photo
from people.roles import ASSIGNED_ROLES, Role, role_group_name
from people.selectors import runs_the_portal, two_factor_required

# What a Democratic Services administrator may change in the admin (DESIGN §1).
DEMOCRATIC_SERVICES_PERMISSION_APPS = ("people",)
DEMOCRATIC_SERVICES_EXTRA_PERMISSIONS = (
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
    # Someone who lost their phone: delete their authenticator so they set up another.
    "otp_totp.view_totpdevice",
    "otp_totp.delete_totpdevice",
    # Lift a sign-in lockout before its time is up (docs/security.md).
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
)


def _role_user_ids() -> dict[Role, set[int]]:
    """For each derived role, the users who hold it now: one query a role."""
    members = Member.objects.current()
    officers = Officer.objects.current()

    def ids(queryset: QuerySet[Any], field: str) -> set[int]:
        return {user_id for user_id in queryset.values_list(field, flat=True) if user_id is not None}

    standards = Committee.objects.filter(kind=Committee.Kind.STANDARDS)
    return {
        Role.COUNCILLOR: ids(members, "user_id"),
        Role.OFFICER: ids(officers, "user_id"),
        Role.LIAISON_OFFICER: ids(officers.filter(services_as_liaison__isnull=False), "user_id"),
        Role.HEAD_OF_SERVICE: ids(officers.filter(services_headed__isnull=False), "user_id"),
        Role.ASSISTANT_DIRECTOR: ids(officers.filter(services_as_assistant_director__isnull=False), "user_id"),
        Role.DIRECTOR: ids(officers.filter(directorates_led__isnull=False), "user_id"),
        Role.CHIEF_EXECUTIVE: ids(
            officers.filter(
                statutory_appointments__role=StatutoryRole.HEAD_OF_PAID_SERVICE,
                statutory_appointments__is_deputy=False,
            ),
            "user_id",
        ),
        # Deputies act for the Monitoring Officer, so they carry the role too.
        Role.MONITORING_OFFICER: ids(
            officers.filter(statutory_appointments__role=StatutoryRole.MONITORING_OFFICER), "user_id"
        ),
        Role.DIRECTOR_OF_PEOPLE_SERVICES: ids(
            officers.filter(statutory_appointments__role=StatutoryRole.DIRECTOR_OF_PEOPLE_SERVICES), "user_id"
        ),
        Role.GROUP_LEADER: ids(members.filter(groups_led__isnull=False), "user_id"),
        Role.WHIP: ids(members.filter(groups_whipped__isnull=False), "user_id"),
        Role.CHAIR_OF_STANDARDS: ids(members.filter(committees_chaired__in=standards), "user_id"),
        Role.STANDARDS_COMMITTEE: ids(members.filter(committees__in=standards), "user_id")
        | ids(standards, "co_opted_members"),
    }


def role_groups_ensure() -> dict[Role, Group]:
    """Create any missing role group, and give Democratic Services its admin permissions."""
    groups = {role: Group.objects.get_or_create(name=role_group_name(role))[0] for role in Role}
    permissions = Permission.objects.filter(content_type__app_label__in=DEMOCRATIC_SERVICES_PERMISSION_APPS)
    extra = Q()
    for dotted in DEMOCRATIC_SERVICES_EXTRA_PERMISSIONS:
        app_label, codename = dotted.split(".")
        extra |= Q(content_type__app_label=app_label, codename=codename)
    # add, not set: other apps grant Democratic Services their own admin permissions too.
    groups[Role.DEMOCRATIC_SERVICES].permissions.add(*(permissions | Permission.objects.filter(extra)))
    return groups


@transaction.atomic
def role_groups_sync() -> None:
    """Make every derived role group hold exactly the users the organisation says.

    Set-based: a query per role to read the facts and a few per group to apply
    the difference, whatever the number of people.
    """
    groups = role_groups_ensure()
    for role, user_ids in _role_user_ids().items():
        if role not in ASSIGNED_ROLES:
            groups[role].user_set.set(user_ids)


# --- Two-factor sign-in (docs/security.md) -----------------------------------------------------

TWO_FACTOR_DEVICE_NAME = "Authenticator app"


class TwoFactorCheck(NamedTuple):
    accepted: bool
    # Set when wrong codes made django-otp's throttle refuse to check this one.
    retry_at: datetime | None = None


def _totp_at_now(device: TOTPDevice, code: str) -> int | None:
    """The time step ``code`` belongs to (within the device's tolerance), or None."""
    try:
        token = int(code)
    except ValueError:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.t() if totp.verify(token, device.tolerance) else None


@transaction.atomic
def two_factor_set_up(*, user: User, key: str, code: str, origin: Origin) -> TOTPDevice | None:
    """Confirm the authenticator app holding ``key`` with a code from it; it replaces any
    earlier one. None (and an audit event) when the code is wrong."""
    device = TOTPDevice(user=user, key=key, name=TWO_FACTOR_DEVICE_NAME, confirmed=True)
    step = _totp_at_now(device, code)
    if step is None:
        audit_event_record(kind=AuditEvent.Kind.TWO_FACTOR_FAILED, origin=origin, user=user, detail="while setting up")
        return None
    device.last_t = step  # so the code just used cannot be used again to sign in
    device.set_last_used_timestamp(commit=False)
    TOTPDevice.objects.filter(user=user).delete()
    device.save()
    audit_event_record(kind=AuditEvent.Kind.TWO_FACTOR_SET_UP, origin=origin, user=user)
    return device


@transaction.atomic
def two_factor_check(*, user: User, code: str, origin: Origin, purpose: str = "to sign in") -> TwoFactorCheck:
    """Check a code against ``user``'s authenticator app. Each wrong code makes the next try
    wait longer (django-otp's throttling: 1, 2, 4 … seconds); each code works once."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return TwoFactorCheck(accepted=False)
    allowed, why = device.verify_is_allowed()
    if not allowed:
        audit_event_record(
            kind=AuditEvent.Kind.TWO_FACTOR_FAILED, origin=origin, user=user, detail=f"{purpose}: too many wrong codes"
        )
        return TwoFactorCheck(accepted=False, retry_at=(why or {}).get("locked_until"))
    if device.verify_token(code):
        audit_event_record(kind=AuditEvent.Kind.TWO_FACTOR_VERIFIED, origin=origin, user=user, detail=purpose)
        return TwoFactorCheck(accepted=True)
    audit_event_record(kind=AuditEvent.Kind.TWO_FACTOR_FAILED, origin=origin, user=user, detail=purpose)
    return TwoFactorCheck(accepted=False)


@transaction.atomic
def two_factor_remove(*, user: User, origin: Origin) -> None:
    """Turn off two-factor sign-in for someone whose roles do not require it."""
    if two_factor_required(user):
        raise PermissionDenied("Your role needs two-factor sign-in: it cannot be turned off.")
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit_event_record(kind=AuditEvent.Kind.TWO_FACTOR_REMOVED, origin=origin, user=user)


# --- Member profiles (003) -----------------------------------------------------------


class MemberConflict(Exception):
    """Someone else changed the councillor's record after this person's page was loaded."""

    def __init__(self, member: Member) -> None:
        self.member = member
        super().__init__(
            f"The record of {member} was changed by someone else while you were working on it, "
            "and your changes were not saved. Check the profile, then send your changes again if they are still right."
        )


def _member_locked(member: Member, expected_version: int | None) -> Member:
    current = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    if expected_version is not None and current.version != expected_version:
        raise MemberConflict(current)
    return current


def _member_save(member: Member, fields: list[str]) -> None:
    member.version += 1
    member.save(update_fields=[*fields, "version"])


# 003: what the member keeps up to date themselves; Democratic Services keeps the rest.
OWN_PROFILE_FIELDS = ("phone", "postal_address", "skills_and_interests", "other_responsibilities")


@transaction.atomic
def member_profile_update(
    *,
    member: Member,
    actor: User,
    expected_version: int | None,
    email: str,
    phone: str,
    postal_address: str,
    skills_and_interests: str,
    other_responsibilities: str,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
) -> Member:
    """A councillor updates their own profile (003: contact details, photograph, additional
    responsibilities, skills and interests). Nobody else may: Democratic Services keeps
    the rest of the record (member_record_update). A new photo is checked by its content
    (people.photos); a refused one raises ValidationError and nothing is saved."""
    if actor.pk != member.user_id or not member.is_in_office():
        raise PermissionDenied("Only the councillor can change their own profile.")
    member = _member_locked(member, expected_version)
    member.phone, member.postal_address = phone, postal_address
    member.skills_and_interests, member.other_responsibilities = skills_and_interests, other_responsibilities
    fields = list(OWN_PROFILE_FIELDS)
    old_photo = member.photo.name if member.photo else ""
    if photo is not None:
        member.photo = photo
        try:
            validate_photo(member.photo)
        except ValidationError as error:
            raise ValidationError({"photo": error.messages}) from None
        fields.append("photo")
    elif remove_photo and old_photo:
        member.photo = ""
        fields.append("photo")
    _member_save(member, fields)
    if member.user.email != email:
        member.user.email = email
        member.user.save(update_fields=["email"])
    if "photo" in fields and old_photo:
        storage, name = member.photo.storage, old_photo
        transaction.on_commit(lambda: storage.delete(name))
    return member


@transaction.atomic
def member_record_update(
    *,
    member: Member,
    actor: User,
    expected_version: int | None,
    group: PoliticalGroup | None,
    wards: Iterable[Ward],
    committees: Iterable[Committee],
    elected_on: date | None,
) -> Member:
    """Democratic Services keeps a councillor's group, wards, committees and date of election
    (DESIGN §1, 003). Offices and outside appointments are kept in the admin, beside them."""
    if not runs_the_portal(actor):
        raise PermissionDenied("Only Democratic Services can change a councillor's record.")
    member = _member_locked(member, expected_version)
    groups_led = member.groups_led.all()
    if group is not None:
        groups_led = groups_led.exclude(pk=group.pk)
    if groups_led.exists():
        raise ValidationError(
            {"group": "This councillor leads their group: choose another Group Leader in the admin first."}
        )
    member.group, member.elected_on = group, elected_on
    _member_save(member, ["group", "elected_on"])
    member.wards.set(wards)
    member.committees.set(committees)
    transaction.on_commit(role_groups_sync)
    return member


@transaction.atomic
def member_leave_office(*, member: Member, actor: User, left_on: date, expected_version: int | None) -> Member:
    """Record the last day of a councillor's term: their offices end that day, and their access
    to the portal ends after it (protocol_portal.middleware.AccessEndedMiddleware). Their
    enquiries are cases' business: cases.leavers calls this in the same transaction."""
    if not runs_the_portal(actor):
        raise PermissionDenied("Only Democratic Services can record that a councillor left office.")
    member = _member_locked(member, expected_version)
    if member.left_office_on is not None and member.left_office_on < timezone.localdate():
        raise ValidationError({"left_on": f"{member} already left office on {member.left_office_on:%-d %B %Y}."})
    if member.elected_on is not None and left_on < member.elected_on:
        raise ValidationError(
            {"left_on": f"The last day in office must be on or after the day elected, {member.elected_on:%-d %B %Y}."}
        )
    member.left_office_on = left_on
    _member_save(member, ["left_office_on"])
    member.officeheld_set.current().update(ended_on=left_on)
    member.outside_appointments.filter(ended_on__isnull=True).update(ended_on=left_on)
    transaction.on_commit(role_groups_sync)
    return member
