"""A councillor leaves office (003; DESIGN §2): Democratic Services records the last day,
and each enquiry the councillor filed and that is not yet closed is handed to a successor,
another councillor in office, or closed with a recorded reason, in one transaction with
the record of leaving. Their access to the portal ends after that day
(protocol_portal.middleware.AccessEndedMiddleware).

Concerns raised by or about the councillor are not handed on: they are about conduct, and
the Monitoring Officer decides what becomes of them (000 §VIII); the page says how many
there are. Ward notices need nothing: they go to a ward's members in office on the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.concerns.models import CONCERN_OPEN_STATES, Concern
from cases.enquiries.models import NOT_CLOSED_STATES, OPEN_STATES, Enquiry
from cases.enquiries.services.common import (
    enquiry_event,
    enquiry_locked,
    enquiry_require,
    enquiry_reschedule,
    notify,
)
from cases.shared.models import TimelineEvent
from cases.shared.versions import version_save
from escalation.calendar import local_date
from people import services as people_services
from people.models import Member
from people.selectors import runs_the_portal, ward_colleagues


class LeaverConflict(Exception):
    """The councillor's enquiries changed since the page was loaded: one was filed, reopened or closed."""

    def __init__(self) -> None:
        super().__init__(
            "The councillor's enquiries have changed since you opened this page. "
            "The page now lists them as they are: choose again for each."
        )


@dataclass(frozen=True)
class Disposition:
    """What becomes of one enquiry: handed to ``successor``, or closed (no successor) for ``reason``."""

    successor: Member | None
    reason: str = ""


def open_enquiries_filed_by(member: Member) -> QuerySet[Enquiry]:
    """The enquiries ``member`` filed that are not yet closed or withdrawn, oldest first."""
    return (
        Enquiry.objects.filter(member=member, state__in=NOT_CLOSED_STATES)
        .select_related("owner__user", "service")
        .order_by("received_at", "pk")
    )


def open_concerns_involving(member: Member) -> int:
    """How many open concerns the councillor raised or is the subject of (not handed on)."""
    return (
        Concern.objects.filter(state__in=CONCERN_OPEN_STATES)
        .filter(Q(subject_member=member) | Q(complainant_user_id=member.user_id))
        .count()
    )


def successors_for(member: Member, *, left_on: date | None = None) -> tuple[list[Member], list[Member]]:
    """Who may take the councillor's enquiries on: councillors in office today and after
    ``left_on``, the councillor's ward colleagues first (the natural successors), then the rest."""
    after = max(left_on + timedelta(days=1), timezone.localdate()) if left_on else None
    colleagues = list(ward_colleagues(member=member, on=after).order_by("user__last_name", "user__first_name"))
    others = list(
        Member.objects.current(on=after)
        .exclude(pk__in=[member.pk, *(colleague.pk for colleague in colleagues)])
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return colleagues, others


@transaction.atomic
def member_leave_office(
    *,
    member: Member,
    actor: User,
    left_on: date,
    dispositions: dict[int, Disposition],
    expected_version: int | None,
    now: datetime | None = None,
) -> list[Enquiry]:
    """Record that ``member`` leaves office on ``left_on`` (their last day) and hand on or
    close each of their enquiries not yet closed, as ``dispositions`` (by enquiry id) say:
    every one must be named, or LeaverConflict and nothing changes. Each enquiry's timeline
    says what happened and why; the successor and the officer who owns it are told."""
    now = now or timezone.now()
    if not runs_the_portal(actor):
        raise PermissionDenied("Only Democratic Services can record that a councillor left office.")
    member = people_services.member_leave_office(
        member=member, actor=actor, left_on=left_on, expected_version=expected_version
    )
    enquiries = list(open_enquiries_filed_by(member).select_for_update(of=("self",)))
    if {enquiry.pk for enquiry in enquiries} != set(dispositions):
        raise LeaverConflict()
    after = max(left_on + timedelta(days=1), local_date(now))
    done = []
    for enquiry in enquiries:
        disposition = dispositions[enquiry.pk]
        if disposition.successor is not None:
            successor = disposition.successor
            if successor.pk == member.pk or not successor.is_in_office(on=after):
                raise ValidationError(
                    {"successor": f"{successor} is not in office after {left_on:%-d %B %Y}: choose someone who is."}
                )
            done.append(
                _hand_over(
                    enquiry,
                    member=member,
                    successor=successor,
                    actor=actor,
                    left_on=left_on,
                    note=disposition.reason,
                    now=now,
                )
            )
        else:
            if not disposition.reason.strip():
                raise ValidationError({"reason": f"Give the reason for closing {enquiry.reference}."})
            done.append(
                _close(enquiry, member=member, actor=actor, left_on=left_on, reason=disposition.reason, now=now)
            )
    return done


def _hand_over(
    enquiry: Enquiry, *, member: Member, successor: Member, actor: User, left_on: date, note: str, now: datetime
) -> Enquiry:
    enquiry = enquiry_locked(enquiry, None)
    enquiry.member = successor
    version_save(enquiry)
    assign_perm("cases.view_enquiry", successor.user, enquiry)
    text = f"Handed to {successor} because {member} left office on {left_on:%-d %B %Y}."
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.HANDED_OVER,
        actor=actor,
        at=now,
        note=f"{text} {note}".strip(),
    )
    context = {"leaver": member, "left_on": left_on, "reason": note}
    notify(recipient=successor.user, enquiry=enquiry, template="enquiry_handed_over", context=context, at=now)
    if enquiry.state in OPEN_STATES:
        notify(recipient=enquiry.owner.user, enquiry=enquiry, template="enquiry_handed_over", context=context, at=now)
    return enquiry


def _close(enquiry: Enquiry, *, member: Member, actor: User, left_on: date, reason: str, now: datetime) -> Enquiry:
    enquiry = enquiry_locked(enquiry, None)
    enquiry_require(enquiry.close_as_member_left, actor)
    from_state = enquiry.state
    enquiry.close_as_member_left(at=now)
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.CLOSED,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Closed because {member} left office on {left_on:%-d %B %Y}: {reason}",
    )
    if from_state in OPEN_STATES:
        notify(
            recipient=enquiry.owner.user,
            enquiry=enquiry,
            template="enquiry_closed_member_left",
            context={"left_on": left_on, "reason": reason},
            at=now,
        )
    return enquiry
