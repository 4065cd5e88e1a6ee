"""A concern on the ladder (DESIGN §4; 000 §VII–§VIII, 001 §6, 002): raised, escalated
by a person or climbed by the sweep, resolved, referred outside the council or withdrawn;
and its targets kept in step with the council's working days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_fsm import has_transition_perm

from cases.concerns.models import (
    CONCERN_OPEN_STATES,
    Behaviour,
    Concern,
    ConcernKind,
    ConcernState,
    ExternalReferral,
)
from cases.concerns.services.common import (
    concern_arrived,
    concern_close,
    concern_event,
    concern_locked,
    concern_move,
    concern_require,
    concern_schedule,
    stage_owner,
    stage_reviewer,
    tell,
)
from cases.shared.attachments import attachments_save
from cases.shared.models import TimelineEvent
from cases.shared.references import next_reference
from cases.shared.submissions import refuse_resubmission
from cases.shared.versions import version_save
from escalation.calendar import local_date
from people.models import Member, Officer
from people.selectors import (
    monitoring_officer_team,
)


@transaction.atomic
def concern_raise(
    *,
    raised_by: User,
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
    now = now or timezone.now()
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
    reference = next_reference("CON", today.year)
    refuse_resubmission(Concern, submission_key)
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
    concern.owner = stage_owner(concern, start, on=today)
    concern_schedule(concern, now=now)
    concern.save()
    concern.behaviours.set(behaviours)
    attachments_save(evidence, concern=concern, user=raised_by)
    why = {
        ConcernState.DIRECT: "It starts with a direct conversation between the two people (001 §6.1, §6.2).",
        ConcernState.LINE_MANAGEMENT: "The complainant does not feel able to talk directly, so it goes straight to "
        "line management (001 §6.1, §6.2).",
        ConcernState.MO_REVIEW: "It carries a safeguarding flag, so it goes straight to the Monitoring Officer "
        "(DESIGN §4).",
    }[start]
    concern_event(
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
    concern_arrived(concern, at=now, why=why)
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


@transaction.atomic
def concern_escalate(
    *, concern: Concern, actor: User, reason: str, expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    """Stage 1 → 2: talking directly did not help (001 §6.1, §6.2). Stage 2 → 3: line
    management could not settle it, so the Monitoring Officer reviews it (000 §VIII)."""
    now = now or timezone.now()
    concern = concern_locked(concern, expected_version)
    from_state = concern.state
    if concern.state == ConcernState.DIRECT and has_transition_perm(concern.escalate_to_line_management, actor):
        concern.escalate_to_line_management(
            owner=stage_owner(concern, ConcernState.LINE_MANAGEMENT, on=local_date(now)), at=now
        )
    elif concern.state in (ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT):
        concern_require(concern.escalate_to_monitoring_officer, actor)
        concern.escalate_to_monitoring_officer(owner=stage_reviewer(concern), at=now)
    else:
        raise PermissionDenied("This concern cannot be escalated any further.")
    concern_schedule(concern, now=now)
    version_save(concern)
    concern_move(concern, state=concern.state, actor=actor, at=now, reason=reason, from_state=from_state)
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
        concern_schedule(concern, now=now)
        concern.save(update_fields=["due_at", "remind_at", "escalate_at"])
        concern_move(
            concern,
            state=concern.state,
            actor=None,
            at=now,
            reason=f"Moved on automatically because {missed} without an outcome",
            from_state=from_state,
        )


@transaction.atomic
def concern_resolve(
    *, concern: Concern, actor: User, outcome: str, expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    now = now or timezone.now()
    concern = concern_locked(concern, expected_version)
    concern_require(concern.resolve, actor)
    from_state = concern.state
    concern.resolve(outcome=outcome, at=now)
    concern_close(
        concern,
        actor=actor,
        at=now,
        kind=TimelineEvent.Kind.RESOLVED,
        from_state=from_state,
        note=f"Resolved at {ConcernState(from_state).label}. Outcome: {outcome}",
        headline="resolved",
    )
    return concern


@transaction.atomic
def concern_refer(
    *,
    concern: Concern,
    actor: User,
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
    now = now or timezone.now()
    concern = concern_locked(concern, expected_version)
    concern_require(concern.refer, actor)
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
    concern_close(
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
    *, concern: Concern, actor: User, reason: str = "", expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    now = now or timezone.now()
    concern = concern_locked(concern, expected_version)
    concern_require(concern.withdraw, actor)
    from_state = concern.state
    concern.withdraw(at=now)
    concern_schedule(concern, now=now)
    version_save(concern)
    concern_event(
        concern,
        kind=TimelineEvent.Kind.WITHDRAWN,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Withdrawn by {concern.complainant_name}. {reason}".strip(),
    )
    owner = concern.owner
    if owner is not None:
        tell(
            recipient=owner.user,
            concern=concern,
            template="concern_withdrawn",
            subject=f"{concern.reference}: withdrawn by the complainant",
            body=f"{concern.complainant_name} has withdrawn the concern. {reason}".strip(),
            at=now,
        )
    return concern


def concerns_due_dates_recompute(*, actor: User | None = None, now: datetime | None = None) -> int:
    """After the working-day calendar changed: each open concern's stage target again
    (they are few; each change is on its timeline). Returns how many moved."""
    now = now or timezone.now()
    moved = 0
    for concern in Concern.objects.select_for_update().filter(state__in=CONCERN_OPEN_STATES):
        before = concern.due_at
        concern_schedule(concern, now=now)
        if concern.due_at == before:
            continue
        concern.save(update_fields=["due_at", "remind_at", "escalate_at"])
        concern_event(
            concern,
            kind=TimelineEvent.Kind.DUE_DATE_CHANGED,
            actor=actor,
            at=now,
            note=f"The council's working days changed: this stage's target is now the end of "
            f"{concern.due_on:%A %-d %B %Y}.",
        )
        moved += 1
    return moved
