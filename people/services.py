"""The only writers of the organisation's derived data, the audit log and two-factor devices."""

from __future__ import annotations

import time
from datetime import datetime
from typing import NamedTuple

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.audit import Origin
from people.models import AuditEvent, Committee, Member, Officer, StatutoryRole
from people.roles import ASSIGNED_ROLES, Role, role_group_name
from people.selectors import two_factor_required

# What a Democratic Services administrator may change in the admin (DESIGN §1).
DEMOCRATIC_SERVICES_PERMISSION_APPS = ("people",)
DEMOCRATIC_SERVICES_EXTRA_PERMISSIONS = (
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
    # Someone who lost their phone: delete their authenticator so they set up another.
    "otp_totp.view_totpdevice",
    "otp_totp.delete_totpdevice",
    # Lift a sign-in lockout before its time is up (README: "Security").
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
)


def _role_user_ids() -> dict[Role, set[int]]:
    """For each derived role, the users who hold it now: one query a role."""
    members = Member.objects.current()
    officers = Officer.objects.current()

    def ids(queryset, field: str) -> set[int]:
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


# --- The audit log -------------------------------------------------------------------


def audit_event_record(
    *,
    kind: AuditEvent.Kind,
    origin: Origin,
    user=None,
    username: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one event to the audit log (README: "Security"); nothing ever changes it."""
    user = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip_address=origin.ip_address,
        path=origin.path,
        detail=detail,
    )


# --- Two-factor sign-in (README: "Security") ---------------------------------------------------

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
def two_factor_set_up(*, user, key: str, code: str, origin: Origin) -> TOTPDevice | None:
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
def two_factor_check(*, user, code: str, origin: Origin, purpose: str = "to sign in") -> TwoFactorCheck:
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
def two_factor_remove(*, user, origin: Origin) -> None:
    """Turn off two-factor sign-in for someone whose roles do not require it."""
    if two_factor_required(user):
        raise PermissionDenied("Your role needs two-factor sign-in: it cannot be turned off.")
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit_event_record(kind=AuditEvent.Kind.TWO_FACTOR_REMOVED, origin=origin, user=user)
