"""The only writer of ward notices (DESIGN §6; 001 §9.4).

An officer sends a notice for one or more wards; every member in office for those wards
is told in the portal and by e-mail (sent after commit, through the Notification outbox),
whatever their political group, independents included, and each is recorded with the
time they were told: the evidence the protocol asks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.notices.models import WardNotice, WardNoticeKind, WardNoticeRecipient
from cases.shared.models import Notification
from cases.shared.notifications import notification_create
from cases.shared.references import next_reference
from cases.shared.submissions import refuse_resubmission
from escalation.calendar import local_date
from people.models import Member, Ward

LATE_CONSULTATION = (
    "The consultation started before today. Ward members should be told at the start of a consultation "
    "(001 §9.4.5): confirm that you want to send it now, and the notice will record that it was sent late"
)


def consultation_is_late(*, kind: str, concerns_on: date, today: date) -> bool:
    """001 §9.4.5: a consultation notice reaches ward members at the consultation's start.
    One sent on the start day is in time; one sent after it is late."""
    return kind == WardNoticeKind.PUBLIC_CONSULTATION and concerns_on < today


def ward_members(wards: Iterable[Ward], *, on: date) -> list[tuple[Member, list[Ward]]]:
    """Every member in office on ``on`` for any of ``wards``, once each, with the wards of
    these they represent: of every group and none (001 §9.4.2 "regardless of political
    affiliation")."""
    wards = sorted(wards, key=lambda ward: ward.name)
    found: dict[int, tuple[Member, list[Ward]]] = {}
    members = (
        Member.objects.current(on=on)
        .filter(wards__in=wards)
        .select_related("user", "group")
        .prefetch_related("wards")
        .distinct()
        .order_by("user__last_name", "user__first_name", "pk")
    )
    for member in members:
        theirs = {ward.pk for ward in member.wards.all()}
        found[member.pk] = (member, [ward for ward in wards if ward.pk in theirs])
    return list(found.values())


def _tell(*, member: Member, notice: WardNotice, wards: list[Ward], sender: str, at: datetime) -> Notification:
    context = {
        "recipient": member.user,
        "notice": notice,
        "sender": sender,
        "ward_names": _names(wards),
        "notice_url": settings.PORTAL_BASE_URL + notice.get_absolute_url(),
        "council_name": settings.COUNCIL_NAME,
    }
    return notification_create(
        recipient=member.user,
        template="ward_notice",
        subject=render_to_string("emails/ward_notice_subject.txt", context).strip()[:250],
        body=render_to_string("emails/ward_notice_body.txt", context).strip(),
        at=at,
        ward_notice=notice,
    )


def _names(wards: list[Ward]) -> str:
    names = [ward.name for ward in wards]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@transaction.atomic
def ward_notice_send(
    *,
    sent_by: User,
    kind: str,
    title: str,
    concerns_on: date,
    summary: str,
    wards: Iterable[Ward],
    attachment: UploadedFile | None = None,
    confirmed_late: bool = False,
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> WardNotice:
    """An officer sends a notice to every member of ``wards`` (001 §9.4). A consultation
    whose start date has passed is sent only once the officer confirms it (``confirmed_late``),
    and is recorded as sent late (§9.4.5). A ``submission_key`` already used raises
    AlreadySubmitted, and nothing is sent."""
    now = now or timezone.now()
    today = local_date(now)
    officer = getattr(sent_by, "officer", None)
    if officer is None or not officer.is_serving(on=today):
        raise PermissionDenied("Only a serving officer can send a ward notice.")
    wards = list(wards)
    if not wards:
        raise ValidationError({"wards": "Select the wards the notice is for"})
    if kind not in WardNoticeKind.values:
        raise ValidationError({"kind": "Select what the notice is about"})
    late = consultation_is_late(kind=kind, concerns_on=concerns_on, today=today)
    if late and not confirmed_late:
        raise ValidationError({"confirm_late": LATE_CONSULTATION})
    reference = next_reference("WN", today.year)
    refuse_resubmission(WardNotice, submission_key)
    notice = WardNotice(
        reference=reference,
        submission_key=submission_key,
        kind=kind,
        title=title,
        concerns_on=concerns_on,
        summary=summary,
        sent_by=sent_by,
        sent_at=now,
        sent_late=late,
    )
    if attachment is not None:
        notice.attachment = attachment
        notice.attachment_name = attachment.name or ""
        notice.attachment_size = attachment.size
    notice.save()
    notice.wards.set(wards)
    sender = f"{sent_by.get_full_name() or sent_by.username}, {officer.job_title}"
    for member, theirs in ward_members(wards, on=today):
        notification = _tell(member=member, notice=notice, wards=theirs, sender=sender, at=now)
        WardNoticeRecipient.objects.create(
            notice=notice,
            member=member,
            group_name=member.group.name if member.group is not None else "",
            ward_names=_names(theirs)[:500],
            notified_at=now,
            notification=notification,
        )
    return notice
