"""Stage 3 and 4 outcomes (000 §VIII): informal action, formal action proposed, and the
formal sanctions on the Monitoring Officer's register. A contact prohibition becomes a
``people`` fact that routing honours (DESIGN §5); the Monitoring Officer may bring its
end forward or extend it, and a second prohibition overlapping one already recorded for
the same councillor and the same officer, service or all officers is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.concerns.models import (
    Concern,
    InformalAction,
    Sanction,
    is_monitoring_officer,
)
from cases.concerns.services.common import (
    concern_close,
    concern_event,
    concern_locked,
    concern_require,
    concern_schedule,
    tell,
)
from cases.shared.models import TimelineEvent
from cases.shared.signals import contact_prohibition_recorded
from cases.shared.versions import version_save
from escalation.calendar import local_date
from people.models import Committee, ContactProhibition, Member, Officer, Service


@dataclass(frozen=True)
class InformalStep:
    kind: str  # InformalAction.Kind
    details: str
    given_by: str = ""  # InformalAction.GivenBy, for words of advice


@transaction.atomic
def concern_informal_action(
    *,
    concern: Concern,
    actor: User,
    steps: Sequence[InformalStep],
    outcome: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """000 §VIII: usually, words of advice and training. Each step is recorded, and
    counts towards a pattern."""
    now = now or timezone.now()
    concern = concern_locked(concern, expected_version)
    concern_require(concern.take_informal_action, actor)
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
    concern_close(
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
    *, concern: Concern, actor: User, reason: str, expected_version: int | None = None, now: datetime | None = None
) -> Concern:
    """Stage 3 → 4: serious enough for formal action under the Codes of Conduct (000 §VIII)."""
    now = now or timezone.now()
    concern = concern_locked(concern, expected_version)
    concern_require(concern.propose_formal_action, actor)
    from_state = concern.state
    concern.propose_formal_action(at=now)
    concern_schedule(concern, now=now)
    version_save(concern)
    concern_event(
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
        member = concern.member_party  # the subject: removal from committees is a councillor's sanction
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


def _refuse_duplicate_prohibitions(concern: Concern, sanctions: Sequence[SanctionSpec]) -> None:
    """Issue 15 A6: one prohibition at a time for the same councillor and the same officer,
    service or all officers. The councillor's row is locked first, so two concerns recording
    the same prohibition at once are taken in turn and the second is refused."""
    member = concern.subject_member
    if member is None:
        return
    specs = [spec for spec in sanctions if spec.kind == Sanction.Kind.CONTACT_PROHIBITION]
    if not specs:
        return
    list(Member.objects.select_for_update().filter(pk=member.pk).values_list("pk", flat=True))
    for spec in specs:
        assert spec.starts_on is not None, "refused by _sanction_errors"
        existing = (
            ContactProhibition.objects.overlapping(
                member_id=member.pk,
                scope=spec.scope,
                officer_id=spec.officer.pk if spec.officer and spec.scope == ContactProhibition.Scope.OFFICER else None,
                service_id=spec.service.pk if spec.service and spec.scope == ContactProhibition.Scope.SERVICE else None,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
            )
            .select_related("officer__user", "service", "sanction__concern")
            .order_by("starts_on", "pk")
            .first()
        )
        if existing is not None:
            raise DuplicateProhibition(existing)


class DuplicateProhibition(ValidationError):
    """A contact prohibition that would overlap one already recorded (issue 15 A6)."""

    def __init__(self, existing: ContactProhibition) -> None:
        self.existing = existing
        imposed = getattr(getattr(existing, "sanction", None), "concern", None)
        on = f", recorded on {imposed.reference}" if imposed is not None else ""
        super().__init__(
            {
                "scope": f"{existing.member} already may not contact {existing.covers} ({existing.period}{on}). "
                "Extend that prohibition instead of recording another."
            }
        )


@transaction.atomic
def prohibition_extend(
    *, prohibition: ContactProhibition, actor: User, ends_on: date | None, reason: str, now: datetime | None = None
) -> ContactProhibition:
    """The Monitoring Officer moves a contact prohibition's last day later, or makes it
    indefinite (``ends_on`` None), instead of recording a second one (issue 15 A6).
    Recorded on the concern that imposed it; the councillor is told."""
    now = now or timezone.now()
    if not is_monitoring_officer(None, actor):
        raise PermissionDenied("Only the Monitoring Officer can extend a contact prohibition.")
    prohibition = ContactProhibition.objects.select_for_update().get(pk=prohibition.pk)
    if prohibition.ends_on is None:
        raise ValidationError({"ends_on": "It already applies indefinitely"})
    if prohibition.ends_on < local_date(now):
        raise ValidationError({"ends_on": "It has ended: record a new prohibition instead"})
    if ends_on is not None and ends_on <= prohibition.ends_on:
        raise ValidationError({"ends_on": f"The new last day must be after {prohibition.ends_on:%-d %B %Y}"})
    prohibition.ends_on = ends_on
    ContactProhibition.objects.filter(pk=prohibition.pk).update(ends_on=ends_on)
    until = f"until {ends_on:%A %-d %B %Y}" if ends_on else "indefinitely"
    concern = prohibition.sanction.concern
    concern_event(
        concern,
        kind=TimelineEvent.Kind.PROHIBITION_EXTENDED,
        actor=actor,
        at=now,
        note=f"Contact prohibition on {prohibition.member} extended: it now applies {until}. {reason}".strip(),
        internal=True,
    )
    tell(
        recipient=prohibition.member.user,
        concern=concern,
        template="prohibition_extended",
        subject="Your contact prohibition has been extended",
        body=f"The prohibition on contact with {prohibition.covers} now applies {until}. {reason}",
        at=now,
    )
    return prohibition


@transaction.atomic
def concern_sanctions_record(
    *,
    concern: Concern,
    actor: User,
    sanctions: Sequence[SanctionSpec],
    outcome: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """Stage 4: the Monitoring Officer records the formal sanctions (000 §VIII) on the
    register. A contact prohibition becomes a ``people`` fact that routing honours
    (DESIGN §5), and the member's open enquiries with a covered officer move to the
    Monitoring Officer's office at once."""
    now = now or timezone.now()
    today = local_date(now)
    concern = concern_locked(concern, expected_version)
    concern_require(concern.record_sanctions, actor)
    if not sanctions:
        raise ValidationError({"kinds": "Choose at least one sanction"})
    for spec in sanctions:
        problem = _sanction_errors(concern, spec, today=today)
        if problem:
            raise ValidationError(problem)
    _refuse_duplicate_prohibitions(concern, sanctions)
    from_state = concern.state
    concern.record_sanctions(outcome=outcome, at=now)
    lines = []
    for spec in sanctions:
        prohibition = None
        if spec.kind == Sanction.Kind.CONTACT_PROHIBITION:
            assert spec.starts_on is not None, "refused by _sanction_errors"
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
            _remove_from_committees(concern.member_party, spec.committees)
        lines.append(_describe(sanction))
        if prohibition is not None:
            contact_prohibition_recorded.send(sender=Sanction, prohibition=prohibition, actor=actor, now=now)
    concern_close(
        concern,
        actor=actor,
        at=now,
        kind=TimelineEvent.Kind.SANCTION_RECORDED,
        from_state=from_state,
        note=f"Formal action taken (000 §VIII). Outcome: {outcome}",
        record="Formal sanction recorded on the register: " + "; ".join(lines) + ".",
        headline="formal action has been taken",
    )
    subject_user = concern.subject.user
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
        assert prohibition is not None, "recorded with its prohibition above"
        return f"no contact with {prohibition.covers}, {prohibition.period}"
    if sanction.kind == Sanction.Kind.COMMITTEE_REMOVAL:
        return "removal from " + ", ".join(str(c) for c in sanction.committees.all())
    if sanction.kind == Sanction.Kind.OFFICER_DISCIPLINARY:
        return f"formal disciplinary action, reference {sanction.disciplinary_reference}"
    return f"{sanction.get_kind_display().lower()}" + (f": {sanction.details}" if sanction.details else "")


@transaction.atomic
def prohibition_end_early(
    *, prohibition: ContactProhibition, actor: User, ends_on: date, reason: str, now: datetime | None = None
) -> ContactProhibition:
    """The Monitoring Officer brings a contact prohibition's end forward (for example on
    appeal). Recorded on the concern that imposed it."""
    now = now or timezone.now()
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
    concern_event(
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
