"""The only writers of concerns, sanctions and positive examples (DESIGN §4–§6;
000 §VI–§VIII, 001 §6, 002 Complaints).

Each service runs in one transaction: it locks the concern, refuses a form sent
from an out-of-date page, fires the transition (whose ``permission=`` says who
may), saves, grants or keeps need-to-know access, writes the timeline and the
notifications, and e-mails only after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_fsm import has_transition_perm
from guardian.shortcuts import assign_perm

from cases.attachments import content_type_for
from cases.models import (
    CONCERN_OPEN_STATES,
    OPEN_STATES,
    Attachment,
    Behaviour,
    Concern,
    ConcernKind,
    ConcernState,
    Enquiry,
    ExternalReferral,
    InformalAction,
    Notification,
    PositiveExample,
    Sanction,
    TimelineEvent,
    is_monitoring_officer,
)
from cases.services import _next_reference, _recording_history, _refuse_resubmission
from cases.tasks import notification_email_send
from escalation.calendar import council_calendar, end_of_day, local_date
from escalation.routing import concern_line_managers, concern_reviewer
from people.models import Committee, ContactProhibition, Member, Officer, Service
from people.selectors import (
    chair_of_standards,
    director_of_people_services,
    monitoring_officer,
    monitoring_officer_team,
)

VIEW_CONCERN = "cases.view_concern"


class ConcernConflict(Exception):
    """Someone else changed the concern after this person's page was loaded."""

    def __init__(self, concern: Concern) -> None:
        self.concern = concern
        super().__init__(
            f"{concern.reference} was changed by someone else while you were working on it. "
            f"It is now at “{concern.get_state_display()}”. Check the latest version below before you try again."
        )


# --- Building blocks --------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def stage_due_at(start: datetime) -> datetime:
    """The end of the tenth (CONCERN_STAGE_WORKING_DAYS) working day after ``start``."""
    days = settings.CONCERN_STAGE_WORKING_DAYS
    return end_of_day(council_calendar().add_working_days(local_date(start), days))


def _schedule(concern: Concern, *, now: datetime) -> None:
    """Stages 1 and 2 climb to the next stage when their target is missed; stages 3 and 4
    are the top (the Monitoring Officer), so they are reminded and shown overdue only."""
    if concern.state in CONCERN_OPEN_STATES:
        concern.due_at = stage_due_at(concern.stage_started_at)
        concern.schedule(now=now, climbs=concern.state in (ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT))
    else:
        concern.due_at = None
        concern.unschedule()


def _locked(concern: Concern, expected_version: int | None) -> Concern:
    current = Concern.objects.select_for_update().get(pk=concern.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcernConflict(current)
    return current


def _require(bound_transition, user) -> None:
    if not has_transition_perm(bound_transition, user):
        raise PermissionDenied("You cannot do this to this concern now.")


def _save(concern: Concern) -> None:
    concern.version += 1
    concern.save()


def _name(user) -> str:
    return user.get_full_name() or user.username


def _event(
    concern: Concern,
    *,
    kind: str,
    at: datetime,
    actor=None,
    from_state: str = "",
    note: str = "",
    from_owner: Officer | None = None,
    to_owner: Officer | None = None,
    internal: bool = False,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        concern=concern,
        kind=kind,
        actor=actor,
        at=at,
        from_state=from_state,
        to_state=concern.state if from_state else "",
        from_owner=from_owner,
        to_owner=to_owner,
        note=note,
        internal=internal,
    )


def _link(path: str) -> str:
    return settings.PORTAL_BASE_URL + path


def tell(
    *,
    recipient,
    subject: str,
    body: str,
    at: datetime,
    concern: Concern | None = None,
    example: PositiveExample | None = None,
    template: str,
) -> Notification:
    """Tell ``recipient`` in the portal and by e-mail (sent after commit); on a concern,
    note it on the timeline (seen by the complainant only when it was to them)."""
    url = (concern or example).get_absolute_url() if (concern or example) else ""
    notification = Notification.objects.create(
        recipient=recipient,
        concern=concern,
        positive_example=example,
        template=template,
        subject=subject,
        body=f"Dear {_name(recipient)},\n\n{body}\n\n{_link(url)}\n\n{settings.COUNCIL_NAME} Protocol Portal",
        created_at=at,
    )
    if concern is not None:
        _event(
            concern,
            kind=TimelineEvent.Kind.NOTIFIED,
            at=at,
            note=f"Told {_name(recipient)} by e-mail and in the portal: {subject}",
            internal=recipient.pk != concern.complainant_user_id,
        )
    if _recording_history.get():
        Notification.objects.filter(pk=notification.pk).update(emailed_at=at)
    else:
        transaction.on_commit(lambda: notification_email_send.delay(notification.pk), robust=True)
    return notification


def _save_evidence(concern: Concern, files: Sequence[UploadedFile], *, user) -> None:
    for upload in files:
        Attachment.objects.create(
            concern=concern,
            file=upload,
            name=upload.name,
            size=upload.size,
            # From the checked extension (cases.attachments), never the browser's say-so.
            content_type=content_type_for(upload.name),
            uploaded_by=user,
        )


# --- Who takes part at each stage ---------------------------------------------------


def stage_three_participants(concern: Concern) -> list:
    """The users who join the Monitoring Officer at stage 3 (000 §VIII): the member's
    Whip, or the Chair of Standards for an independent member (000 §II.A); for an
    officer, the Director of People Services and the officer's line manager."""
    users = []
    if concern.subject_member_id:
        member = concern.subject_member
        # A Whip does not review a concern about themselves: the Chair of Standards acts, as
        # for a group without a Whip.
        whips = [whip for whip in member.whips() if whip.pk != member.pk]
        if whips:
            users += [whip.user for whip in whips]
        else:
            chair = chair_of_standards()
            if chair is not None and chair.pk != member.pk:
                users.append(chair.user)
    else:
        officer = concern.subject_officer
        people_director = director_of_people_services()
        if people_director is not None and people_director.pk != officer.pk:
            users.append(people_director.user)
        manager = officer.line_manager
        if manager is not None and manager.is_serving():
            users.append(manager.user)
    return [user for user in users if user.pk != concern.complainant_user_id]


def _line_manager(concern: Concern, *, on: date) -> Officer | None:
    manager_id = concern_line_managers([concern.officer_party.pk], on=on).get(concern.officer_party.pk)
    return Officer.objects.select_related("user").get(pk=manager_id) if manager_id else None


def _reviewer(concern: Concern) -> Officer:
    reviewer = concern_reviewer(excluding=[concern.officer_party.pk])
    if reviewer is None:
        raise ValidationError("The council has no Monitoring Officer to review this concern. Tell Democratic Services.")
    return reviewer


def _stage_owner(concern: Concern, state: str, *, on: date) -> Officer | None:
    if state == ConcernState.DIRECT:
        return None
    if state == ConcernState.LINE_MANAGEMENT:
        manager = _line_manager(concern, on=on)
        if manager is None:
            raise ValidationError(
                f"{concern.officer_party.name} has no serving manager to take this to. Tell Democratic Services."
            )
        return manager
    return _reviewer(concern)


STAGE_WHY = {
    ConcernState.DIRECT: "the people involved first try to settle it by talking directly (001 §6.1, §6.2)",
    ConcernState.LINE_MANAGEMENT: "line management deals with it (001 §6.1, §6.2)",
    ConcernState.MO_REVIEW: "the Monitoring Officer reviews it (000 §VIII)",
    ConcernState.SANCTION: "the Monitoring Officer records the formal sanction (000 §VIII)",
}


def _arrived(concern: Concern, *, at: datetime, why: str) -> None:
    """Tell everyone who joins at the concern's new stage, and give them access."""
    due = f"{concern.due_on:%A %-d %B %Y}"
    if concern.owner_id:
        # No grant: the handler sees it while they handle the current stage (owner), no longer.
        tell(
            recipient=concern.owner.user,
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


def _move(concern: Concern, *, state: str, actor, at: datetime, reason: str, from_state: str) -> None:
    """Write and tell a move to the next stage (the transition has set the owner)."""
    _event(
        concern,
        kind=TimelineEvent.Kind.STAGE_CHANGED,
        actor=actor,
        at=at,
        from_state=from_state,
        to_owner=concern.owner,
        note=f"Moved to {concern.get_state_display()}"
        + (f", handled by {concern.owner.name}, {concern.owner.job_title}" if concern.owner_id else "")
        + f". {reason}".rstrip(". ")
        + ".",
    )
    tell(
        recipient=concern.complainant_user,
        concern=concern,
        template="concern_stage_changed",
        subject=f"{concern.reference}: your concern has moved to {concern.get_state_display()}",
        body=f"Your concern is now at {concern.get_state_display()}: {STAGE_WHY[state]}."
        + (f" {concern.owner.name}, {concern.owner.job_title}, is handling it." if concern.owner_id else ""),
        at=at,
    )
    _arrived(concern, at=at, why=reason or STAGE_WHY[state])


# --- Raising a concern ------------------------------------------------------------


@transaction.atomic
def concern_raise(
    *,
    raised_by,
    about_member: Member | None = None,
    about_officer: Officer | None = None,
    duties: bool = False,
    occurred_on: date,
    what_happened: str,
    behaviours: Iterable[Behaviour] = (),
    feels_able_to_talk: bool,
    safeguarding: bool = False,
    evidence: Sequence[UploadedFile] = (),
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> Concern:
    """A councillor raises a concern about an officer, or an officer about a councillor,
    or either about a disagreement over duties (000 §VII, 001 §6, DESIGN §4).

    It starts at stage 1, a direct conversation; at stage 2 when the complainant does
    not feel able to talk directly (001 §6.1, §6.2); at stage 3 with a safeguarding flag.
    """
    now = _now(now)
    today = local_date(now)
    member, officer = getattr(raised_by, "member", None), getattr(raised_by, "officer", None)
    if member is not None and member.is_in_office(on=today):
        if about_officer is None or about_member is not None:
            raise ValidationError({"about_officer": "Choose the officer your concern is about"})
        if not about_officer.is_serving(on=today):
            raise ValidationError({"about_officer": f"{about_officer.name} no longer works for the council"})
        kind = ConcernKind.DUTIES if duties else ConcernKind.MEMBER_ABOUT_OFFICER
        parties = {"complainant_member": member, "subject_officer": about_officer}
    elif officer is not None and officer.is_serving(on=today):
        if about_member is None or about_officer is not None:
            raise ValidationError({"about_member": "Choose the councillor your concern is about"})
        if not about_member.is_in_office(on=today):
            raise ValidationError({"about_member": f"{about_member} is no longer a councillor"})
        kind = ConcernKind.DUTIES if duties else ConcernKind.OFFICER_ABOUT_MEMBER
        parties = {"complainant_officer": officer, "subject_member": about_member}
    else:
        raise PermissionDenied("Only serving councillors and officers can raise a concern.")
    if occurred_on > today:
        raise ValidationError({"occurred_on": "The date it happened must be today or in the past"})
    if safeguarding:
        start = ConcernState.MO_REVIEW
    elif not feels_able_to_talk:
        start = ConcernState.LINE_MANAGEMENT
    else:
        start = ConcernState.DIRECT
    reference = _next_reference("CON", today.year)
    _refuse_resubmission(Concern, submission_key)
    concern = Concern(
        reference=reference,
        submission_key=submission_key,
        state=start,  # the FSM field is protected: a new concern is created in its starting state
        kind=kind,
        complainant_user=raised_by,
        occurred_on=occurred_on,
        what_happened=what_happened,
        feels_able_to_talk=feels_able_to_talk,
        safeguarding=safeguarding,
        raised_at=now,
        stage_started_at=now,
        **parties,
    )
    concern.service = concern.officer_party.service
    concern.owner = _stage_owner(concern, start, on=today)
    _schedule(concern, now=now)
    concern.save()
    concern.behaviours.set(behaviours)
    _save_evidence(concern, evidence, user=raised_by)
    why = {
        ConcernState.DIRECT: "It starts with a direct conversation between the two people (001 §6.1, §6.2).",
        ConcernState.LINE_MANAGEMENT: "The complainant does not feel able to talk directly, so it goes straight to "
        "line management (001 §6.1, §6.2).",
        ConcernState.MO_REVIEW: "It carries a safeguarding flag, so it goes straight to the Monitoring Officer "
        "(DESIGN §4).",
    }[start]
    _event(
        concern,
        kind=TimelineEvent.Kind.RAISED,
        actor=raised_by,
        at=now,
        to_owner=concern.owner,
        note=f"Raised by {concern.complainant_name} about {concern.subject_name}. {why} "
        f"Target for this stage: end of {concern.due_on:%A %-d %B %Y}.",
    )
    tell(
        recipient=raised_by,
        concern=concern,
        template="concern_raised",
        subject=f"{concern.reference}: your concern has been recorded",
        body=f"Your concern about {concern.subject_name} is recorded as {concern.reference}. {why}"
        + (
            " When you have talked, record whether that settled it; if it did not, it goes to line management."
            if start == ConcernState.DIRECT
            else ""
        ),
        at=now,
    )
    _arrived(concern, at=now, why=why)
    if safeguarding:
        for deputy in monitoring_officer_team().exclude(pk=concern.owner_id):
            tell(
                recipient=deputy.user,
                concern=concern,
                template="concern_safeguarding",
                subject=f"{concern.reference}: a concern with a safeguarding flag",
                body="A concern has been raised with a safeguarding flag and is with the Monitoring Officer.",
                at=now,
            )
    return concern


# --- Moving up the ladder ---------------------------------------------------------


@transaction.atomic
def concern_escalate(
    *, concern: Concern, actor, reason: str, expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    """Stage 1 → 2: talking directly did not help (001 §6.1, §6.2). Stage 2 → 3: line
    management could not settle it, so the Monitoring Officer reviews it (000 §VIII)."""
    now = _now(now)
    concern = _locked(concern, expected_version)
    from_state = concern.state
    if concern.state == ConcernState.DIRECT and has_transition_perm(concern.escalate_to_line_management, actor):
        concern.escalate_to_line_management(
            owner=_stage_owner(concern, ConcernState.LINE_MANAGEMENT, on=local_date(now)), at=now
        )
    elif concern.state in (ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT):
        _require(concern.escalate_to_monitoring_officer, actor)
        concern.escalate_to_monitoring_officer(owner=_reviewer(concern), at=now)
    else:
        raise PermissionDenied("This concern cannot be escalated any further.")
    _schedule(concern, now=now)
    _save(concern)
    _move(concern, state=concern.state, actor=actor, at=now, reason=reason, from_state=from_state)
    return concern


def concern_climbed(concern_ids: Iterable[int], *, now: datetime) -> None:
    """What the deadline sweep's climb means for concerns whose stage target was missed:
    the sweep has set the new owner; this moves each to the next stage (stage 1 → 2 → 3),
    restarts its target, gives access and tells everyone. Concerns are few, so each is
    handled by the same code as a manual escalation."""
    climbed = Concern.objects.filter(pk__in=list(concern_ids)).values_list("pk", "state", "due_at")
    for pk, from_state, missed_due_at in climbed:
        missed = f"the target for {ConcernState(from_state).label} passed on {local_date(missed_due_at):%A %-d %B %Y}"
        # The sweep's climb, not a person's: the transitions' permission checks are for people,
        # and the protected state field is moved by an UPDATE.
        to_state = ConcernState.LINE_MANAGEMENT if from_state == ConcernState.DIRECT else ConcernState.MO_REVIEW
        Concern.objects.filter(pk=pk).update(state=to_state, stage_started_at=now)
        concern = Concern.objects.select_related("owner__user", "complainant_user").get(pk=pk)
        _schedule(concern, now=now)
        concern.save(update_fields=["due_at", "remind_at", "escalate_at"])
        _move(
            concern,
            state=concern.state,
            actor=None,
            at=now,
            reason=f"Moved on automatically because {missed} without an outcome",
            from_state=from_state,
        )


# --- Outcomes ---------------------------------------------------------------------


def _told_outcome(concern: Concern, *, at: datetime, headline: str) -> None:
    """001 §6.1: the complainant is told the outcome."""
    tell(
        recipient=concern.complainant_user,
        concern=concern,
        template="concern_outcome",
        subject=f"{concern.reference}: {headline}",
        body=f"The outcome of your concern about {concern.subject_name}:\n\n{concern.outcome}",
        at=at,
    )


def _close(
    concern: Concern,
    *,
    actor,
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
    _schedule(concern, now=at)
    _save(concern)
    _event(concern, kind=kind, actor=actor, at=at, from_state=from_state, note=note)
    if record:
        _event(concern, kind=TimelineEvent.Kind.NOTE, actor=actor, at=at, note=record, internal=True)
    _told_outcome(concern, at=at, headline=headline)


@transaction.atomic
def concern_resolve(
    *, concern: Concern, actor, outcome: str, expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    now = _now(now)
    concern = _locked(concern, expected_version)
    _require(concern.resolve, actor)
    from_state = concern.state
    concern.resolve(outcome=outcome, at=now)
    _close(
        concern,
        actor=actor,
        at=now,
        kind=TimelineEvent.Kind.RESOLVED,
        from_state=from_state,
        note=f"Resolved at {ConcernState(from_state).label}. Outcome: {outcome}",
        headline="resolved",
    )
    return concern


@dataclass(frozen=True)
class InformalStep:
    kind: str  # InformalAction.Kind
    details: str
    given_by: str = ""  # InformalAction.GivenBy, for words of advice


@transaction.atomic
def concern_informal_action(
    *,
    concern: Concern,
    actor,
    steps: Sequence[InformalStep],
    outcome: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """000 §VIII: usually, words of advice and training. Each step is recorded, and
    counts towards a pattern."""
    now = _now(now)
    concern = _locked(concern, expected_version)
    _require(concern.take_informal_action, actor)
    if not steps:
        raise ValidationError({"kinds": "Choose words of advice, training, or both"})
    for step in steps:
        if step.kind == InformalAction.Kind.ADVICE and step.given_by not in InformalAction.GivenBy.values:
            raise ValidationError({"given_by": "Say who gives the words of advice"})
    from_state = concern.state
    concern.take_informal_action(outcome=outcome, at=now)
    InformalAction.objects.bulk_create(
        InformalAction(
            concern=concern,
            kind=step.kind,
            given_by=step.given_by if step.kind == InformalAction.Kind.ADVICE else "",
            details=step.details,
            recorded_by=actor.officer,
            recorded_at=now,
        )
        for step in steps
    )
    described = "; ".join(
        f"{InformalAction.Kind(step.kind).label}"
        + (f" from {InformalAction.GivenBy(step.given_by).label.lower()}" if step.given_by else "")
        + f": {step.details.strip().rstrip('.')}"
        for step in steps
    )
    _close(
        concern,
        actor=actor,
        at=now,
        kind=TimelineEvent.Kind.INFORMAL_ACTION,
        from_state=from_state,
        note=f"Informal action taken (000 §VIII). Outcome: {outcome}",
        record=f"Informal action recorded: {described}.",
        headline="informal action has been taken",
    )
    return concern


@transaction.atomic
def concern_propose_formal_action(
    *, concern: Concern, actor, reason: str, expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    """Stage 3 → 4: serious enough for formal action under the Codes of Conduct (000 §VIII)."""
    now = _now(now)
    concern = _locked(concern, expected_version)
    _require(concern.propose_formal_action, actor)
    from_state = concern.state
    concern.propose_formal_action(at=now)
    _schedule(concern, now=now)
    _save(concern)
    _event(
        concern,
        kind=TimelineEvent.Kind.FORMAL_ACTION_PROPOSED,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Formal action to follow (000 §VIII). {reason}".strip(),
        internal=True,
    )
    return concern


@dataclass
class SanctionSpec:
    """One sanction the Monitoring Officer records (000 §VIII)."""

    kind: str  # Sanction.Kind
    details: str = ""
    committees: Sequence[Committee] = ()
    # A contact prohibition: scope, what it covers, and its period.
    scope: str = ""
    officer: Officer | None = None
    service: Service | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    disciplinary_reference: str = ""
    errors: dict = field(default_factory=dict)


def _sanction_errors(concern: Concern, spec: SanctionSpec, *, today: date) -> dict[str, str]:
    on_member = concern.subject_member_id is not None
    if on_member and spec.kind not in Sanction.MEMBER_KINDS:
        return {"kinds": "Formal disciplinary action under the employment procedures is for officers"}
    if not on_member and spec.kind != Sanction.Kind.OFFICER_DISCIPLINARY:
        return {"kinds": "An officer's sanction is formal disciplinary action under the employment procedures"}
    if spec.kind == Sanction.Kind.COMMITTEE_REMOVAL:
        if not spec.committees:
            return {"committees": "Choose the committees the councillor is removed from"}
        member = concern.subject_member
        sits_on = set(member.committees.values_list("pk", flat=True))
        sits_on |= set(member.committees_chaired.values_list("pk", flat=True))
        not_on = [committee.name for committee in spec.committees if committee.pk not in sits_on]
        if not_on:
            return {"committees": f"The councillor does not sit on {', '.join(not_on)}: choose from their committees"}
    if spec.kind == Sanction.Kind.OFFICER_DISCIPLINARY and not spec.disciplinary_reference.strip():
        return {"disciplinary_reference": "Enter the reference of the disciplinary case"}
    if spec.kind == Sanction.Kind.CONTACT_PROHIBITION:
        if spec.scope not in ContactProhibition.Scope.values:
            return {"scope": "Choose who the councillor may not contact"}
        if spec.scope == ContactProhibition.Scope.OFFICER and spec.officer is None:
            return {"officer": "Choose the officer the councillor may not contact"}
        if spec.scope == ContactProhibition.Scope.SERVICE and spec.service is None:
            return {"service": "Choose the service whose officers the councillor may not contact"}
        if spec.starts_on is None:
            return {"starts_on": "Enter the date the prohibition starts"}
        if spec.ends_on is not None and spec.ends_on < spec.starts_on:
            return {"ends_on": "The end date must be on or after the start date"}
        if spec.ends_on is not None and spec.ends_on < today:
            return {"ends_on": "The end date must be today or later"}
    return {}


@transaction.atomic
def concern_sanctions_record(
    *,
    concern: Concern,
    actor,
    sanctions: Sequence[SanctionSpec],
    outcome: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """Stage 4: the Monitoring Officer records the formal sanctions (000 §VIII) on the
    register. A contact prohibition becomes a ``people`` fact that routing honours
    (DESIGN §5), and the member's open enquiries with a covered officer move to the
    Monitoring Officer's office at once."""
    now = _now(now)
    today = local_date(now)
    concern = _locked(concern, expected_version)
    _require(concern.record_sanctions, actor)
    if not sanctions:
        raise ValidationError({"kinds": "Choose at least one sanction"})
    for spec in sanctions:
        problem = _sanction_errors(concern, spec, today=today)
        if problem:
            raise ValidationError(problem)
    from_state = concern.state
    concern.record_sanctions(outcome=outcome, at=now)
    lines = []
    for spec in sanctions:
        prohibition = None
        if spec.kind == Sanction.Kind.CONTACT_PROHIBITION:
            prohibition = ContactProhibition(
                member=concern.subject_member,
                scope=spec.scope,
                officer=spec.officer if spec.scope == ContactProhibition.Scope.OFFICER else None,
                service=spec.service if spec.scope == ContactProhibition.Scope.SERVICE else None,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                created_at=now,
            )
            prohibition.full_clean()
            prohibition.save()
        sanction = Sanction.objects.create(
            concern=concern,
            kind=spec.kind,
            member=concern.subject_member,
            officer=concern.subject_officer,
            details=spec.details,
            prohibition=prohibition,
            disciplinary_reference=spec.disciplinary_reference.strip(),
            recorded_by=actor.officer,
            recorded_at=now,
        )
        if spec.kind == Sanction.Kind.COMMITTEE_REMOVAL:
            sanction.committees.set(spec.committees)
            _remove_from_committees(concern.subject_member, spec.committees)
        lines.append(_describe(sanction))
        if prohibition is not None:
            _reroute_open_enquiries(prohibition, actor=actor, now=now)
    _close(
        concern,
        actor=actor,
        at=now,
        kind=TimelineEvent.Kind.SANCTION_RECORDED,
        from_state=from_state,
        note=f"Formal action taken (000 §VIII). Outcome: {outcome}",
        record="Formal sanction recorded on the register: " + "; ".join(lines) + ".",
        headline="formal action has been taken",
    )
    subject_user = (concern.subject_member or concern.subject_officer).user
    tell(
        recipient=subject_user,
        concern=concern,
        template="concern_sanction",
        subject=f"{concern.reference}: a formal sanction has been recorded",
        body="The Monitoring Officer has recorded a formal sanction under the Member-Officer Protocol "
        "(000 §VIII):\n\n" + "\n".join(f"- {line}" for line in lines),
        at=now,
    )
    return concern


def _remove_from_committees(member: Member, committees: Sequence[Committee]) -> None:
    """000 §VIII: removal from named committees takes effect when it is recorded: the councillor
    leaves each committee, and its chair if they chaired it (Democratic Services appoint anew)."""
    ids = [committee.pk for committee in committees]
    Committee.members.through.objects.filter(committee_id__in=ids, member_id=member.pk).delete()
    Committee.objects.filter(pk__in=ids, chair=member).update(chair=None)


def _describe(sanction: Sanction) -> str:
    if sanction.kind == Sanction.Kind.CONTACT_PROHIBITION:
        prohibition = sanction.prohibition
        return f"no contact with {prohibition.covers}, {prohibition.period}"
    if sanction.kind == Sanction.Kind.COMMITTEE_REMOVAL:
        return "removal from " + ", ".join(str(c) for c in sanction.committees.all())
    if sanction.kind == Sanction.Kind.OFFICER_DISCIPLINARY:
        return f"formal disciplinary action, reference {sanction.disciplinary_reference}"
    return f"{sanction.get_kind_display().lower()}" + (f": {sanction.details}" if sanction.details else "")


def _reroute_open_enquiries(prohibition: ContactProhibition, *, actor, now: datetime) -> int:
    """A prohibition in force today moves the member's open enquiries owned by a covered
    officer to the Monitoring Officer's office (DESIGN §5), and tells the member."""
    from cases.services import enquiry_route_around_prohibition

    office = monitoring_officer()
    if office is None or not prohibition.is_active(on=local_date(now)):
        return 0
    moved = 0
    enquiries = (
        Enquiry.objects.filter(member_id=prohibition.member_id, state__in=OPEN_STATES)
        .exclude(owner=office)
        .select_related("owner")
    )
    for enquiry in enquiries:
        if prohibition.forbids(officer_id=enquiry.owner_id, service_id=enquiry.owner.service_id):
            enquiry_route_around_prohibition(enquiry=enquiry, prohibition=prohibition, actor=actor, now=now)
            moved += 1
    return moved


def contact_prohibitions_enforce(*, now: datetime | None = None) -> int:
    """Move every open enquiry whose owner a prohibition in force covers to the Monitoring
    Officer's office (DESIGN §5). Run by each deadline sweep, so a prohibition recorded to
    start later takes hold on its first day; a prohibition's own sanction does it at once.
    Two queries when nothing is to move. Returns how many enquiries moved."""
    now = _now(now)
    moved = 0
    for prohibition in ContactProhibition.objects.active(on=local_date(now)):
        moved += _reroute_open_enquiries(prohibition, actor=None, now=now)
    return moved


@transaction.atomic
def concern_refer(
    *,
    concern: Concern,
    actor,
    kind: str,
    details: str,
    independent_person: str = "",
    outcome: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """External referral at any stage (DESIGN §4): safeguarding, the police, or a formal
    standards complaint under the Localism Act 2011 arrangements, for which the
    Independent Person consulted is recorded."""
    now = _now(now)
    concern = _locked(concern, expected_version)
    _require(concern.refer, actor)
    if kind not in ExternalReferral.Kind.values:
        raise ValidationError({"kind": "Choose where the concern is referred"})
    if kind == ExternalReferral.Kind.STANDARDS_COMPLAINT and not independent_person.strip():
        raise ValidationError({"independent_person": "Enter the Independent Person consulted"})
    from_state = concern.state
    concern.refer(outcome=outcome, at=now)
    referral = ExternalReferral.objects.create(
        concern=concern,
        kind=kind,
        details=details,
        independent_person=independent_person.strip(),
        referred_by=actor.officer,
        referred_at=now,
    )
    consulted = f" Independent Person consulted: {referral.independent_person}." if referral.independent_person else ""
    _close(
        concern,
        actor=actor,
        at=now,
        kind=TimelineEvent.Kind.REFERRED,
        from_state=from_state,
        note=f"Referred outside the council: {referral.get_kind_display()}. Outcome: {outcome}",
        record=f"Referral: {referral.get_kind_display()}.{consulted} {details}",
        headline=f"referred ({referral.get_kind_display().lower()})",
    )
    return concern


@transaction.atomic
def concern_withdraw(
    *, concern: Concern, actor, reason: str = "", expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    now = _now(now)
    concern = _locked(concern, expected_version)
    _require(concern.withdraw, actor)
    from_state = concern.state
    concern.withdraw(at=now)
    _schedule(concern, now=now)
    _save(concern)
    _event(
        concern,
        kind=TimelineEvent.Kind.WITHDRAWN,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Withdrawn by {concern.complainant_name}. {reason}".strip(),
    )
    if concern.owner_id:
        tell(
            recipient=concern.owner.user,
            concern=concern,
            template="concern_withdrawn",
            subject=f"{concern.reference}: withdrawn by the complainant",
            body=f"{concern.complainant_name} has withdrawn the concern. {reason}".strip(),
            at=now,
        )
    return concern


# --- The Monitoring Officer's tools ---------------------------------------------------


@transaction.atomic
def concern_share_with_subject(
    *, concern: Concern, actor, note: str = "", expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    """The subject sees the record only when the Monitoring Officer shares it (DESIGN §4)."""
    now = _now(now)
    concern = _locked(concern, expected_version)
    if not is_monitoring_officer(concern, actor):
        raise PermissionDenied("Only the Monitoring Officer can share a concern with its subject.")
    if concern.shared_with_subject_at is not None:
        raise ValidationError("This concern has already been shared with its subject.")
    subject_user = (concern.subject_member or concern.subject_officer).user
    concern.shared_with_subject_at, concern.shared_with_subject_by = now, actor
    _save(concern)
    assign_perm(VIEW_CONCERN, subject_user, concern)
    _event(
        concern,
        kind=TimelineEvent.Kind.SHARED,
        actor=actor,
        at=now,
        note=f"Shared with {concern.subject_name} by {_name(actor)}. {note}".strip(),
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


def reassignable_handlers(concern: Concern):
    """Who the Monitoring Officer may hand the current stage to: at stage 2 a serving Head
    of Service or more senior officer; at stages 3 and 4 the Monitoring Officer's team.
    Never a party to the concern."""
    from cases.selectors import senior_officers

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
    actor,
    new_owner: Officer,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """The Monitoring Officer hands a stage to another handler (DESIGN issue 5)."""
    now = _now(now)
    concern = _locked(concern, expected_version)
    if not is_monitoring_officer(concern, actor):
        raise PermissionDenied("Only the Monitoring Officer can reassign a concern.")
    if not reassignable_handlers(concern).filter(pk=new_owner.pk).exists():
        raise ValidationError({"new_owner": "Choose a serving officer who can handle this stage"})
    previous = concern.owner
    concern.owner = new_owner
    _save(concern)
    _event(
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


def may_add_note(concern: Concern, user) -> bool:
    return concern.is_open and (
        is_monitoring_officer(concern, user)
        or (concern.owner_id is not None and getattr(user, "officer", None) == concern.owner)
    )


@transaction.atomic
def concern_note_add(
    *, concern: Concern, actor, note: str, expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    """The handler records what they did, such as talking to the member or their Group
    Leader (001 §6.1, 002). Notes are for those handling it, not the complainant."""
    now = _now(now)
    concern = _locked(concern, expected_version)
    if not may_add_note(concern, actor):
        raise PermissionDenied("Only the handler or the Monitoring Officer can add a note.")
    _save(concern)
    _event(concern, kind=TimelineEvent.Kind.NOTE, actor=actor, at=now, note=note, internal=True)
    return concern


@transaction.atomic
def prohibition_end_early(
    *, prohibition: ContactProhibition, actor, ends_on: date, reason: str, now: datetime | None = None
) -> ContactProhibition:
    """The Monitoring Officer brings a contact prohibition's end forward (for example on
    appeal). Recorded on the concern that imposed it."""
    now = _now(now)
    if not is_monitoring_officer(None, actor):
        raise PermissionDenied("Only the Monitoring Officer can end a contact prohibition.")
    prohibition = ContactProhibition.objects.select_for_update().get(pk=prohibition.pk)
    if ends_on < local_date(now) - timedelta(days=1):
        raise ValidationError({"ends_on": "The last day cannot be before yesterday"})
    if ends_on < prohibition.starts_on - timedelta(days=1):
        raise ValidationError({"ends_on": "The last day cannot be before the prohibition started"})
    if prohibition.ends_on is not None and ends_on >= prohibition.ends_on:
        raise ValidationError({"ends_on": f"It already ends on {prohibition.ends_on:%-d %B %Y}"})
    prohibition.ends_on = ends_on
    ContactProhibition.objects.filter(pk=prohibition.pk).update(ends_on=ends_on)
    concern = prohibition.sanction.concern
    _event(
        concern,
        kind=TimelineEvent.Kind.PROHIBITION_LIFTED,
        actor=actor,
        at=now,
        note=f"Contact prohibition on {prohibition.member} now ends on {ends_on:%-d %B %Y}. {reason}".strip(),
        internal=True,
    )
    tell(
        recipient=prohibition.member.user,
        concern=concern,
        template="prohibition_ended",
        subject="Your contact prohibition has been brought to an end",
        body=f"The prohibition on contact with {prohibition.covers} now ends on {ends_on:%A %-d %B %Y}. {reason}",
        at=now,
    )
    return prohibition


# --- Closure days move concern targets too --------------------------------------------


def concerns_due_dates_recompute(*, actor=None, now: datetime | None = None) -> int:
    """After the working-day calendar changed: each open concern's stage target again
    (they are few; each change is on its timeline). Returns how many moved."""
    now = _now(now)
    moved = 0
    for concern in Concern.objects.select_for_update().filter(state__in=CONCERN_OPEN_STATES):
        before = concern.due_at
        _schedule(concern, now=now)
        if concern.due_at == before:
            continue
        concern.save(update_fields=["due_at", "remind_at", "escalate_at"])
        _event(
            concern,
            kind=TimelineEvent.Kind.DUE_DATE_CHANGED,
            actor=actor,
            at=now,
            note=f"The council's working days changed: this stage's target is now the end of "
            f"{concern.due_on:%A %-d %B %Y}.",
        )
        moved += 1
    return moved


# --- Positive examples (000 §VI) ------------------------------------------------------


def _example_assistant_director(service: Service) -> Officer | None:
    """The relevant Assistant Director (000 §VI), else the Director, else the MO."""
    for officer in (service.assistant_director, service.directorate.director if service.directorate_id else None):
        if officer is not None and officer.is_serving():
            return officer
    return monitoring_officer()


@transaction.atomic
def positive_example_record(
    *,
    recorded_by,
    title: str,
    what_happened: str,
    happened_on: date,
    service: Service,
    members: Iterable[Member] = (),
    officers: Iterable[Officer] = (),
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> PositiveExample:
    """Anyone records where member-officer working went well; it goes to the relevant
    Assistant Director, who passes it to the Monitoring Officer (000 §VI)."""
    now = _now(now)
    if happened_on > local_date(now):
        raise ValidationError({"happened_on": "The date must be today or in the past"})
    reviewer = _example_assistant_director(service)
    if reviewer is None:
        raise ValidationError({"service": f"{service} has no Assistant Director or Director to send this to"})
    reference = _next_reference("POS", local_date(now).year)
    _refuse_resubmission(PositiveExample, submission_key)
    example = PositiveExample.objects.create(
        reference=reference,
        submission_key=submission_key,
        recorded_by=recorded_by,
        title=title,
        what_happened=what_happened,
        happened_on=happened_on,
        service=service,
        assistant_director=reviewer,
        recorded_at=now,
    )
    example.members.set(members)
    example.officers.set(officers)
    tell(
        recipient=reviewer.user,
        example=example,
        template="positive_example_recorded",
        subject=f"{example.reference}: an example of good member-officer working",
        body=f"{_name(recorded_by)} has recorded an example of member-officer working that went well in "
        f"{service}: “{title}”. Add your comment and pass it to the Monitoring Officer (000 §VI).",
        at=now,
    )
    return example


def _locked_example(example: PositiveExample, expected_version: int | None) -> PositiveExample:
    current = PositiveExample.objects.select_for_update().get(pk=example.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(f"{current.reference} was changed by someone else. Check it and try again.")
    return current


@transaction.atomic
def positive_example_forward(
    *, example: PositiveExample, actor, comment: str, expected_version: int | None = None, now: datetime | None = None
) -> PositiveExample:
    now = _now(now)
    example = _locked_example(example, expected_version)
    if not has_transition_perm(example.forward, actor):
        raise PermissionDenied("Only the Assistant Director it was sent to can pass it on.")
    example.forward(comment=comment, at=now)
    example.version += 1
    example.save()
    mo = monitoring_officer()
    if mo is not None:
        tell(
            recipient=mo.user,
            example=example,
            template="positive_example_forwarded",
            subject=f"{example.reference}: an example of good member-officer working",
            body=f"{example.assistant_director.name} has passed on “{example.title}” for the protocol's "
            "monitoring (000 §VI).",
            at=now,
        )
    return example


@transaction.atomic
def positive_example_acknowledge(
    *,
    example: PositiveExample,
    actor,
    comment: str,
    publishable: bool,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> PositiveExample:
    now = _now(now)
    example = _locked_example(example, expected_version)
    if not has_transition_perm(example.acknowledge, actor):
        raise PermissionDenied("Only the Monitoring Officer can record this example.")
    example.acknowledge(comment=comment, publishable=publishable, at=now)
    example.version += 1
    example.save()
    recorder = get_user_model().objects.get(pk=example.recorded_by_id)
    tell(
        recipient=recorder,
        example=example,
        template="positive_example_acknowledged",
        subject=f"{example.reference}: thank you, your example has been recorded",
        body=f"The Monitoring Officer has recorded “{example.title}” in the protocol's monitoring (000 §VI)."
        + (" It may be published in the annual report." if publishable else ""),
        at=now,
    )
    return example
