"""The Monitoring Officer's tools on a concern in hand (DESIGN §4): sharing it with its
subject, handing a stage to another handler, and the internal notes of those handling it or
reviewing it with the Monitoring Officer.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.concerns.models import (
    Concern,
    ConcernState,
    is_monitoring_officer,
    is_party,
)
from cases.concerns.selectors import concern_review
from cases.concerns.services.common import VIEW_CONCERN, concern_event, concern_locked, tell
from cases.shared.models import TimelineEvent
from cases.shared.notifications import display_name
from cases.shared.selectors import officer_of, senior_officers
from cases.shared.versions import version_save
from people.models import Officer
from people.selectors import (
    monitoring_officer_team,
)


@transaction.atomic
def concern_share_with_subject(
    *, concern: Concern, actor: User, note: str = "", expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    """The subject sees the record only when the Monitoring Officer shares it (DESIGN §4)."""
    now = now or timezone.now()
    concern = concern_locked(concern, expected_version)
    if not is_monitoring_officer(concern, actor):
        raise PermissionDenied("Only the Monitoring Officer can share a concern with its subject.")
    if concern.shared_with_subject_at is not None:
        raise ValidationError("This concern has already been shared with its subject.")
    subject_user = concern.subject.user
    concern.shared_with_subject_at, concern.shared_with_subject_by = now, actor
    version_save(concern)
    assign_perm(VIEW_CONCERN, subject_user, concern)
    concern_event(
        concern,
        kind=TimelineEvent.Kind.SHARED,
        actor=actor,
        at=now,
        note=f"Shared with {concern.subject_name} by {display_name(actor)}. {note}".strip(),
    )
    tell(
        recipient=subject_user,
        concern=concern,
        template="concern_shared",
        subject=f"{concern.reference}: the Monitoring Officer has shared a concern about you",
        body="The Monitoring Officer has shared with you the record of a concern about you under the "
        f"Member-Officer Protocol. {note}".strip(),
        at=now,
    )
    return concern


def reassignable_handlers(concern: Concern) -> QuerySet[Officer]:
    """Who the Monitoring Officer may hand the current stage to: at stage 2 a serving Head
    of Service or more senior officer; at stages 3 and 4 the Monitoring Officer's team.
    Never a party to the concern."""
    if concern.state == ConcernState.LINE_MANAGEMENT:
        candidates = senior_officers()
    elif concern.state in (ConcernState.MO_REVIEW, ConcernState.SANCTION):
        candidates = monitoring_officer_team()
    else:
        return Officer.objects.none()
    return candidates.exclude(pk__in=[concern.officer_party.pk, concern.owner_id or 0]).order_by(
        "user__last_name", "user__first_name"
    )


@transaction.atomic
def concern_reassign(
    *,
    concern: Concern,
    actor: User,
    new_owner: Officer,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """The Monitoring Officer hands a stage to another handler (DESIGN issue 5)."""
    now = now or timezone.now()
    concern = concern_locked(concern, expected_version)
    if not is_monitoring_officer(concern, actor):
        raise PermissionDenied("Only the Monitoring Officer can reassign a concern.")
    if not reassignable_handlers(concern).filter(pk=new_owner.pk).exists():
        raise ValidationError({"new_owner": "Choose a serving officer who can handle this stage"})
    previous = concern.owner
    concern.owner = new_owner
    version_save(concern)
    concern_event(
        concern,
        kind=TimelineEvent.Kind.REASSIGNED,
        actor=actor,
        at=now,
        from_owner=previous,
        to_owner=new_owner,
        note=f"Handed to {new_owner.name}, {new_owner.job_title}. {reason}".strip(),
    )
    tell(
        recipient=new_owner.user,
        concern=concern,
        template="concern_assigned",
        subject=f"{concern.reference}: a concern for you to handle ({concern.get_state_display()})",
        body=f"The Monitoring Officer has handed you this concern. {reason}".strip(),
        at=now,
    )
    return concern


def may_add_note(concern: Concern, user: User | AnonymousUser) -> bool:
    """The Monitoring Officer (or a deputy) and the handler while the concern is open; from
    stage 3 to the sanction, those who joined the review and still hold the role they joined in
    (000 §VIII: they "liaise to determine the seriousness of the issue and the nature of the
    sanction")."""
    if not concern.is_open or not user.is_authenticated:
        return False
    if is_monitoring_officer(concern, user) or (concern.owner_id is not None and officer_of(user) == concern.owner):
        return True
    review = concern_review(concern) if concern.is_under_review else None
    return review is not None and review.reviewing(user) is not None


def note_refusal(concern: Concern, user: User | AnonymousUser) -> str:
    """Why ``user``, who may not add a note, cannot: said to those who took part in the concern,
    who would expect to (empty for anyone else, who is refused without a reason)."""
    if not user.is_authenticated or is_party(concern, user):
        return ""
    review = concern_review(concern)
    handled = concern.owner_id is not None and officer_of(user) == concern.owner
    if not (is_monitoring_officer(concern, user) or handled or (review is not None and review.joined(user))):
        return ""
    if not concern.is_open:
        closed = f" on {concern.closed_at:%-d %B %Y}" if concern.closed_at else ""
        return (
            f"{concern.reference} was closed{closed} ({concern.get_state_display()}), so notes can no longer be "
            "added to it."
        )
    return (
        f"You no longer hold the role in which you joined the review of {concern.reference} (000 §VIII), so you "
        "can read it but can no longer add notes to it."
    )


@transaction.atomic
def concern_note_add(
    *, concern: Concern, actor: User, note: str, expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    """An internal note, for those handling or reviewing the concern: the handler records what
    they did, such as talking to the member or their Group Leader (001 §6.1, 002); a Whip, the
    Chair of Standards, the Director of People Services or a line manager reviewing it with
    the Monitoring Officer adds what they know or think (000 §VIII). Neither the complainant
    nor the subject reads notes on the portal (``sees_internal_record``)."""
    now = now or timezone.now()
    concern = concern_locked(concern, expected_version)
    if not may_add_note(concern, actor):
        raise PermissionDenied(
            note_refusal(concern, actor) or "Only those handling or reviewing the concern can add a note."
        )
    if not note.strip():
        raise ValidationError({"note": "Enter the note"})
    version_save(concern)
    concern_event(concern, kind=TimelineEvent.Kind.NOTE, actor=actor, at=now, note=note, internal=True)
    return concern
