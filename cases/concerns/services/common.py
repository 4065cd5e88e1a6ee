"""The building blocks of the concern services: the stage target, the row lock and version
check, the timeline, telling people, who takes part at each stage, and moving a concern
on or closing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from guardian.shortcuts import assign_perm

from cases.concerns.models import (
    CONCERN_OPEN_STATES,
    Concern,
    ConcernState,
)
from cases.concerns.selectors import stage_three_reviewers
from cases.shared.models import Notification, TimelineEvent
from cases.shared.notifications import display_name, letter, notification_create
from cases.shared.timeline import timeline_event_record
from cases.shared.versions import locked_current, transition_require, version_save
from escalation.calendar import council_calendar, end_of_day, local_date
from escalation.routing import concern_line_managers, concern_reviewer
from people.models import Officer

VIEW_CONCERN = "cases.view_concern"


class ConcernConflict(Exception):
    """Someone else changed the concern after this person's page was loaded."""

    def __init__(self, concern: Concern) -> None:
        self.concern = concern
        super().__init__(
            f"{concern.reference} was changed by someone else while you were working on it. "
            f"It is now at “{concern.get_state_display()}”. Check the latest version below before you try again."
        )


def stage_due_at(start: datetime) -> datetime:
    """The end of the tenth (CONCERN_STAGE_WORKING_DAYS) working day after ``start``."""
    days = settings.CONCERN_STAGE_WORKING_DAYS
    return end_of_day(council_calendar().add_working_days(local_date(start), days))


def concern_schedule(concern: Concern, *, now: datetime) -> None:
    """Stages 1 and 2 climb to the next stage when their target is missed; stages 3 and 4
    are the top (the Monitoring Officer), so they are reminded and shown overdue only."""
    if concern.state in CONCERN_OPEN_STATES:
        concern.due_at = stage_due_at(concern.stage_started_at)
        concern.schedule(now=now, climbs=concern.state in (ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT))
    else:
        concern.due_at = None
        concern.unschedule()


def concern_locked(concern: Concern, expected_version: int | None) -> Concern:
    return locked_current(
        Concern.objects.all(), pk=concern.pk, expected_version=expected_version, conflict=ConcernConflict
    )


def concern_require(bound_transition: Callable[..., object], user: User) -> None:
    transition_require(bound_transition, user, "You cannot do this to this concern now.")


def concern_event(concern: Concern, **event: Any) -> TimelineEvent:
    """A line on the concern's timeline (cases.shared.timeline.timeline_event_record)."""
    return timeline_event_record(concern=concern, **event)


def tell(*, recipient: User, concern: Concern, template: str, subject: str, body: str, at: datetime) -> Notification:
    """Tell ``recipient`` about ``concern`` in the portal and by e-mail (sent after commit), and
    note it on the timeline (seen by the complainant only when it was to them)."""
    notification = notification_create(
        recipient=recipient,
        template=template,
        subject=subject,
        body=letter(recipient, body, concern.get_absolute_url()),
        at=at,
        concern=concern,
    )
    concern_event(
        concern,
        kind=TimelineEvent.Kind.NOTIFIED,
        at=at,
        note=f"Told {display_name(recipient)} by e-mail and in the portal: {subject}",
        internal=recipient.pk != concern.complainant_user_id,
    )
    return notification


def stage_three_participants(concern: Concern) -> list[User]:
    """The users who join the Monitoring Officer at stage 3 (000 §VIII; who and why:
    ``cases.concerns.selectors.stage_three_reviewers``)."""
    return [reviewer.user for reviewer in stage_three_reviewers(concern)]


def stage_line_manager(concern: Concern, *, on: date) -> Officer | None:
    manager_id = concern_line_managers([concern.officer_party.pk], on=on).get(concern.officer_party.pk)
    return Officer.objects.select_related("user").get(pk=manager_id) if manager_id else None


def stage_reviewer(concern: Concern) -> Officer:
    reviewer = concern_reviewer(excluding=[concern.officer_party.pk])
    if reviewer is None:
        raise ValidationError("The council has no Monitoring Officer to review this concern. Tell Democratic Services.")
    return reviewer


def stage_owner(concern: Concern, state: str, *, on: date) -> Officer | None:
    if state == ConcernState.DIRECT:
        return None
    if state == ConcernState.LINE_MANAGEMENT:
        manager = stage_line_manager(concern, on=on)
        if manager is None:
            raise ValidationError(
                f"{concern.officer_party.name} has no serving manager to take this to. Tell Democratic Services."
            )
        return manager
    return stage_reviewer(concern)


STAGE_WHY: dict[str, str] = {
    ConcernState.DIRECT: "the people involved first try to settle it by talking directly (001 §6.1, §6.2)",
    ConcernState.LINE_MANAGEMENT: "line management deals with it (001 §6.1, §6.2)",
    ConcernState.MO_REVIEW: "the Monitoring Officer reviews it (000 §VIII)",
    ConcernState.SANCTION: "the Monitoring Officer records the formal sanction (000 §VIII)",
}


def concern_arrived(concern: Concern, *, at: datetime, why: str) -> None:
    """Tell everyone who joins at the concern's new stage, and give them access."""
    due = f"{concern.due_on:%A %-d %B %Y}"
    owner = concern.owner
    if owner is not None:
        # No grant: the handler sees it while they handle the current stage (owner), no longer.
        tell(
            recipient=owner.user,
            concern=concern,
            template="concern_assigned",
            subject=f"{concern.reference}: a concern for you to handle ({concern.get_state_display()})",
            body=f"A concern between {concern.complainant_name} and {concern.subject_name} has come to you: "
            f"{why}. Its target for this stage is the end of {due}.",
            at=at,
        )
    if concern.state == ConcernState.MO_REVIEW:
        for user in stage_three_participants(concern):
            assign_perm(VIEW_CONCERN, user, concern)
            tell(
                recipient=user,
                concern=concern,
                template="concern_stage_three",
                subject=f"{concern.reference}: the Monitoring Officer asks you to join a review",
                body=f"A concern about {concern.subject_name} is at stage 3. You join the Monitoring Officer in "
                "deciding how serious it is and what sanction or support should follow (000 §VIII).",
                at=at,
            )


def concern_move(
    concern: Concern, *, state: str, actor: User | None, at: datetime, reason: str, from_state: str
) -> None:
    """Write and tell a move to the next stage (the transition has set the owner)."""
    owner = concern.owner
    concern_event(
        concern,
        kind=TimelineEvent.Kind.STAGE_CHANGED,
        actor=actor,
        at=at,
        from_state=from_state,
        to_owner=owner,
        note=f"Moved to {concern.get_state_display()}"
        + (f", handled by {owner.name}, {owner.job_title}" if owner is not None else "")
        + f". {reason}".rstrip(". ")
        + ".",
    )
    tell(
        recipient=concern.complainant_user,
        concern=concern,
        template="concern_stage_changed",
        subject=f"{concern.reference}: your concern has moved to {concern.get_state_display()}",
        body=f"Your concern is now at {concern.get_state_display()}: {STAGE_WHY[state]}."
        + (f" {owner.name}, {owner.job_title}, is handling it." if owner is not None else ""),
        at=at,
    )
    concern_arrived(concern, at=at, why=reason or STAGE_WHY[state])


def outcome_tell(concern: Concern, *, at: datetime, headline: str) -> None:
    """001 §6.1: the complainant is told the outcome."""
    tell(
        recipient=concern.complainant_user,
        concern=concern,
        template="concern_outcome",
        subject=f"{concern.reference}: {headline}",
        body=f"The outcome of your concern about {concern.subject_name}:\n\n{concern.outcome}",
        at=at,
    )


def concern_close(
    concern: Concern,
    *,
    actor: User,
    at: datetime,
    kind: str,
    from_state: str,
    note: str,
    headline: str,
    record: str = "",
) -> None:
    """Save a concern that has left the ladder and tell the complainant the outcome.
    ``note`` is the line everyone who sees the concern reads; ``record`` (what was decided,
    in detail) is an internal line for those deciding it (``sees_internal_record``)."""
    concern_schedule(concern, now=at)
    version_save(concern)
    concern_event(concern, kind=kind, actor=actor, at=at, from_state=from_state, note=note)
    if record:
        concern_event(concern, kind=TimelineEvent.Kind.NOTE, actor=actor, at=at, note=record, internal=True)
    outcome_tell(concern, at=at, headline=headline)
