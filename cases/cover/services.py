"""The only writers of cover while away (issue 15 C11).

An officer, or their line manager, names a colleague to cover the officer's work from a
first day to a last day. The cover is in force on those days and ends by itself: routing
(escalation.routing), the deadline sweep (cases.enquiries.deadlines) and the enquiry
selector read the dates, so nothing runs when it starts or ends. Either of them, or the
colleague, may end it early. The officer and the colleague are told each time, in the
portal and by e-mail.

The rules a council expects: the colleague serves for the whole cover and can sign in, and
is not the officer; an officer has one cover at a time; and cover never runs in a chain (a
colleague who is away themselves cannot cover, nor can an officer covering for someone
else be away meanwhile), so work never lands on someone who is away, and A covering for B
while B covers for A cannot happen. Both officers' rows are locked while the rules are
checked, so two people setting covers at once cannot slip a chain or an overlap past them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.cover.selectors import may_end_cover, may_set_cover
from cases.shared.notifications import letter, notification_create
from escalation.calendar import local_date
from people.models import COVER_MOST_DAYS, Cover, Officer


class CoverAlreadySet(Exception):
    """The form that would set this cover was sent before: a double click sends it twice."""

    def __init__(self, cover: Cover) -> None:
        self.cover = cover
        super().__init__(f"This form already set up {cover}.")


class CoverConflict(Exception):
    """Someone else changed the cover after this person's page was loaded."""

    def __init__(self, cover: Cover) -> None:
        self.cover = cover
        super().__init__(
            f"The cover by {cover.covered_by.name} for {cover.officer.name} was changed by someone else while you "
            f"were working on it: it is now {cover.period}. Check it before you try again."
        )


def _day(day: date) -> str:
    return f"{day:%A %-d %B %Y}"


def cover_rule_errors(*, officer: Officer, covered_by: Officer, starts_on: date, ends_on: date, today: date) -> dict:
    """What is wrong with ``covered_by`` covering for ``officer`` from ``starts_on`` to
    ``ends_on``, by field: the dates, the colleague, and the covers already set."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if starts_on < today:
        refuse("starts_on", "The first day must be today or later")
    if ends_on < starts_on:
        refuse("ends_on", "The last day must be the same as or after the first day")
    elif (ends_on - starts_on).days + 1 > COVER_MOST_DAYS:
        refuse("ends_on", f"Cover can last at most {COVER_MOST_DAYS} days: choose an earlier last day")
    if covered_by.pk == officer.pk:
        refuse("covered_by", f"Choose a colleague to cover for {officer.name}, not {officer.name} themselves")
    elif not covered_by.user.is_active or covered_by.anonymised_at is not None or not covered_by.is_serving(on=today):
        refuse("covered_by", f"{covered_by.name} no longer works for the council: choose a serving colleague")
    elif covered_by.left_on is not None and covered_by.left_on < ends_on:
        refuse(
            "covered_by",
            f"{covered_by.name} leaves the council on {_day(covered_by.left_on)}, before the cover ends: "
            "choose a colleague who is here for all of it",
        )
    if errors:
        return errors
    mine = Cover.objects.filter(officer=officer).overlapping(starts_on=starts_on, ends_on=ends_on)
    for cover in mine.select_related("covered_by__user"):
        refuse(
            "starts_on",
            f"{officer.name} already has cover {cover.period}, by {cover.covered_by.name}. "
            "Choose days that do not overlap it, or end that cover first",
        )
    away = Cover.objects.filter(officer=covered_by).overlapping(starts_on=starts_on, ends_on=ends_on)
    for cover in away.select_related("covered_by__user"):
        refuse(
            "covered_by",
            f"{covered_by.name} is away themselves {cover.period} ({cover.covered_by.name} covers for them). "
            "Choose a colleague who is not away on those days",
        )
    covering = Cover.objects.filter(covered_by=officer).overlapping(starts_on=starts_on, ends_on=ends_on)
    for cover in covering.select_related("officer__user"):
        refuse(
            "starts_on",
            f"{officer.name} is covering for {cover.officer.name} {cover.period}. End or change that cover first, "
            f"so that {cover.officer.name}'s work does not go to someone who is away",
        )
    return errors


@transaction.atomic
def cover_set(
    *,
    officer: Officer,
    covered_by: Officer,
    starts_on: date,
    ends_on: date,
    actor: User,
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> Cover:
    """``covered_by`` covers for ``officer`` from ``starts_on`` to ``ends_on`` (issue 15 C11),
    set by the officer or their line manager. A ``submission_key`` already used raises
    CoverAlreadySet, and nothing is set."""
    now = now or timezone.now()
    if not may_set_cover(actor, officer, on=local_date(now)):
        raise PermissionDenied("Only the officer or their line manager can set up cover for them.")
    # Both officers' rows, in a fixed order: a second cover for either waits here for this one.
    list(Officer.objects.select_for_update().filter(pk__in=[officer.pk, covered_by.pk]).order_by("pk"))
    if submission_key is not None and (earlier := Cover.objects.filter(submission_key=submission_key).first()):
        raise CoverAlreadySet(earlier)
    errors = cover_rule_errors(
        officer=officer, covered_by=covered_by, starts_on=starts_on, ends_on=ends_on, today=local_date(now)
    )
    if errors:
        raise ValidationError(errors)
    cover = Cover.objects.create(
        officer=officer,
        covered_by=covered_by,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
        created_at=now,
        submission_key=submission_key,
    )
    by = "" if actor.pk == officer.user_id else f" {actor.get_full_name() or actor.username} set it up."
    _tell(
        cover,
        officer_subject=f"{covered_by.name} will cover for you {cover.period}",
        officer_text=f"{covered_by.name} will cover your work {cover.period}.{by} On those days new enquiries that "
        "would come to you, enquiries that climb to you and your reminders go to them, and they can see and answer "
        "your open enquiries. The cover ends by itself after its last day.",
        colleague_subject=f"You will cover for {officer.name} {cover.period}",
        colleague_text=f"You will cover {officer.name}'s work {cover.period}.{by} On those days new enquiries "
        f"that would go to {officer.name}, enquiries that climb to them and their reminders come to you, and you "
        "can see and answer their open enquiries under My work. The cover ends by itself after its last day.",
        at=now,
    )
    return cover


@transaction.atomic
def cover_end(*, cover: Cover, actor: User, expected_version: int | None = None, now: datetime | None = None) -> Cover:
    """End a cover early (issue 15 C11): one in force ends now (its last day becomes
    yesterday, so from now the officer's work comes to them again); one yet to start is
    cancelled. Its colleague no longer sees the officer's enquiries, except those they acted on."""
    now = now or timezone.now()
    today = local_date(now)
    cover = Cover.objects.select_for_update().select_related("officer__user", "covered_by__user").get(pk=cover.pk)
    if not may_end_cover(actor, cover, on=today):
        raise PermissionDenied("Only the officer, their line manager or the colleague covering can end this cover.")
    if expected_version is not None and cover.version != expected_version:
        raise CoverConflict(cover)
    if cover.ends_on < today or cover.ends_on < cover.starts_on:
        raise ValidationError(f"This cover is already over: it was {cover.period}.")
    started = cover.has_started(on=today)
    cover.ends_on = today - timedelta(days=1) if started else cover.starts_on - timedelta(days=1)
    cover.ended_early_by, cover.ended_early_at = actor, now
    cover.version += 1
    cover.save(update_fields=["ends_on", "ended_early_by", "ended_early_at", "version"])
    who = actor.get_full_name() or actor.username
    what = "ended" if started else "cancelled"
    _tell(
        cover,
        officer_subject=f"{cover.covered_by.name} no longer covers for you",
        officer_text=f"{who} has {what} the cover by {cover.covered_by.name}. From now on your work comes to you "
        "again.",
        colleague_subject=f"You no longer cover for {cover.officer.name}",
        colleague_text=f"{who} has {what} your cover for {cover.officer.name}. From now on their work goes to "
        "them again, and you no longer see their enquiries, except those you acted on.",
        at=now,
    )
    return cover


def _tell(
    cover: Cover, *, officer_subject: str, officer_text: str, colleague_subject: str, colleague_text: str, at: datetime
) -> None:
    """The officer and the colleague, in the portal and by e-mail after commit."""
    for recipient, subject, text in (
        (cover.officer.user, officer_subject, officer_text),
        (cover.covered_by.user, colleague_subject, colleague_text),
    ):
        notification_create(
            recipient=recipient,
            template="cover",
            subject=subject,
            body=letter(recipient, text, reverse("cases:cover")),
            at=at,
        )
