"""Disposal of the organisation's personal data under the retention schedule (UK GDPR
Article 5(1)(e); docs/retention.md). Called only by the ``retention`` app's nightly run.

The audit log and the case timeline are append-only, and on PostgreSQL a trigger refuses
any UPDATE or DELETE of their rows (people migration 0003, cases migration 0002). The
triggers let one writer through: a transaction that has set the transaction-local setting
``portal.retention`` (``retention_writes_allowed``), and then only the one operation
retention needs — deleting an audit event, anonymising a timeline event (people migration
0005, cases migration 0009). The setting ends with the transaction, so nothing that runs
after it, or beside it, is let through; each use is counted in the run record
(``retention.RetentionRun``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import DatabaseError, connection, models, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.models import UserObjectPermission

from people.models import AuditEvent, ContactProhibition, Member, Officer, OutsideAppointment

RETENTION_SETTING = "portal.retention"
# The placeholders that stand in for people on anonymised records: inactive accounts that
# cannot sign in, "left" long ago so no list of serving people or routing ever finds them.
PLACEHOLDER_USERNAME = "anonymised"
PLACEHOLDER_MEMBER_USERNAME = "anonymised-councillor"
PLACEHOLDER_OFFICER_USERNAME = "anonymised-officer"
PLACEHOLDER_LEFT_ON = date(2000, 1, 1)


@contextmanager
def retention_writes_allowed() -> Iterator[None]:
    """Let the statements inside this block, and only them, past the append-only triggers
    for retention's disposal. Inside ``transaction.atomic`` only: the setting is local to
    the transaction, and is turned off again as the block ends, so it cannot leak into
    whatever the same transaction does next."""
    if not connection.in_atomic_block:
        raise RuntimeError("retention_writes_allowed() must be used inside transaction.atomic().")
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [RETENTION_SETTING])
    try:
        yield
    finally:
        # After a failed statement the transaction is aborted and goes back with the setting.
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [RETENTION_SETTING])


# --- Placeholders ---------------------------------------------------------------------------


def _placeholder_account(username: str, first_name: str, last_name: str) -> AbstractUser:
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def placeholder_user() -> AbstractUser:
    """Stands in for whoever acted, recorded or uploaded on an anonymised record."""
    return _placeholder_account(PLACEHOLDER_USERNAME, "Anonymised", "person")


def placeholder_member() -> Member:
    user = _placeholder_account(PLACEHOLDER_MEMBER_USERNAME, "Anonymised", "councillor")
    member, _ = Member.objects.get_or_create(user=user, defaults={"left_office_on": PLACEHOLDER_LEFT_ON})
    return member


def placeholder_officer() -> Officer:
    user = _placeholder_account(PLACEHOLDER_OFFICER_USERNAME, "Anonymised", "officer")
    officer, _ = Officer.objects.get_or_create(
        user=user, defaults={"job_title": "Anonymised officer", "left_on": PLACEHOLDER_LEFT_ON}
    )
    return officer


def placeholder_user_ids() -> set[int]:
    return set(
        get_user_model()
        .objects.filter(username__in=[PLACEHOLDER_USERNAME, PLACEHOLDER_MEMBER_USERNAME, PLACEHOLDER_OFFICER_USERNAME])
        .values_list("pk", flat=True)
    )


# --- The audit log ---------------------------------------------------------------------------


def audit_events_due(*, before: datetime) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(at__lt=before)


def audit_events_delete(*, ids: Iterable[int]) -> int:
    """Delete these audit events: past the audit log's period, so no longer needed."""
    # AuditEventQuerySet.delete refuses anyone; this is the one caller let past it and the trigger.
    with retention_writes_allowed():
        deleted, _ = models.QuerySet.delete(AuditEvent.objects.filter(pk__in=list(ids)))
    return deleted


# --- django-axes' records of failed sign-ins -----------------------------------------------


def sign_in_failures_due(*, before: datetime) -> models.QuerySet[AccessFailureLog]:
    return AccessFailureLog.objects.filter(attempt_time__lt=before)


def sign_in_failures_delete(*, ids: Iterable[int]) -> int:
    deleted, _ = AccessFailureLog.objects.filter(pk__in=list(ids)).delete()
    return deleted


def lockout_counts_due(*, before: datetime) -> models.QuerySet[AccessAttempt]:
    """Failure counts whose last failure is older than ``before``: long past any lockout."""
    return AccessAttempt.objects.filter(attempt_time__lt=before)


def lockout_counts_delete(*, ids: Iterable[int]) -> int:
    deleted, _ = AccessAttempt.objects.filter(pk__in=list(ids)).delete()
    return deleted


# --- Former councillors and officers ----------------------------------------------------------


def former_members_due(*, before: date) -> models.QuerySet[Member]:
    return Member.objects.filter(left_office_on__lt=before, anonymised_at__isnull=True).exclude(
        user__username=PLACEHOLDER_MEMBER_USERNAME
    )


def former_officers_due(*, before: date) -> models.QuerySet[Officer]:
    return Officer.objects.filter(left_on__lt=before, anonymised_at__isnull=True).exclude(
        user__username=PLACEHOLDER_OFFICER_USERNAME
    )


def _accounts_anonymise(*, user_ids: list[int], last_name: str) -> None:
    """The account stays (cases point at it, PROTECT) but names nobody and cannot sign in."""
    User = get_user_model()
    for user in User.objects.filter(pk__in=user_ids):
        user.username = f"former-{last_name}-{user.pk}"
        user.first_name, user.last_name, user.email = "Former", last_name, ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
    TOTPDevice.objects.filter(user_id__in=user_ids).delete()
    UserObjectPermission.objects.filter(user_id__in=user_ids).delete()


def _files_delete_on_commit(names: list[str], storage) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def former_members_anonymise(*, ids: Iterable[int], now: datetime) -> int:
    """A councillor who left office: contact details, profile and photo go, the name
    becomes "Former councillor"; wards, group, offices and committees (public record) stay."""
    members = list(Member.objects.filter(pk__in=list(ids)))
    photos = [member.photo.name for member in members if member.photo]
    if photos:
        _files_delete_on_commit(photos, members[0].photo.storage)
    _accounts_anonymise(user_ids=[member.user_id for member in members], last_name="councillor")
    OutsideAppointment.objects.filter(member__in=members).delete()
    return Member.objects.filter(pk__in=[member.pk for member in members]).update(
        phone="", postal_address="", photo="", skills_and_interests="", other_responsibilities="", anonymised_at=now
    )


def former_officers_anonymise(*, ids: Iterable[int], now: datetime) -> int:
    """An officer who left: the name becomes "Former officer"; job title and service stay."""
    officers = list(Officer.objects.filter(pk__in=list(ids)))
    _accounts_anonymise(user_ids=[officer.user_id for officer in officers], last_name="officer")
    return Officer.objects.filter(pk__in=[officer.pk for officer in officers]).update(phone="", anonymised_at=now)


# --- Contact prohibitions (imposed by a sanction, anonymised with its concern) ---------------


def contact_prohibitions_anonymise(*, ids: Iterable[int]) -> None:
    """Ended prohibitions of an anonymised concern: the councillor and officer become the placeholders."""
    prohibitions = ContactProhibition.objects.filter(pk__in=list(ids))
    prohibitions.update(member=placeholder_member())
    prohibitions.filter(officer__isnull=False).update(officer=placeholder_officer())
