"""Write the demo concerns and positive examples drawn by protocol_portal.demo.plans.concerns
(DESIGN §4–§6; 000 §VI–§VIII, 001 §6).

Like the enquiries: each story is driven through ``cases.concern_services`` with ``now=`` in
the past. A concern left alone past its stage target moves on exactly as the portal's
deadline sweep would have moved it: the sweep itself is run, for that concern, at the moment
it fell due (_HistorySweep).

The stories are written for the default stage target of ten working days
(CONCERN_STAGE_WORKING_DAYS): every handler acts within eight, except where a story says the
concern was left to climb or to go overdue. Open concerns at stages 1 and 2 started within the
last eight working days, so the running portal's sweep has nothing to catch up on: only the
two concerns at stages 3 and 4 are deliberately overdue (stages 3 and 4 never climb; their
reminders went out in the past).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from cases.concerns import services as concern_services
from cases.concerns.deadlines import ConcernSweep
from cases.models import Behaviour, Concern, ConcernState, Notification, PositiveExample, PositiveExampleState, Sanction
from cases.positive import services as positive_services
from cases.shared.notifications import recording_history
from escalation.calendar import council_calendar, local_date
from escalation.sweep import sweep
from people.models import Committee, Service
from people.selectors import monitoring_officer
from protocol_portal.demo.history import WorkingDays, settle_notifications
from protocol_portal.demo.plans.concerns import (
    ConcernAction,
    ConcernPlan,
    ConcernStep,
    PositivePlan,
    plan_demo_concerns,
)

C = ConcernAction


@dataclass
class ConcernsSummary:
    created: bool
    counts: dict[str, int]  # concern state label -> concerns in it
    sanctions: int
    examples: dict[str, int]  # positive example state label -> examples in it


def concern_counts() -> ConcernsSummary:
    by_state = dict(Concern.objects.order_by().values_list("state").annotate(n=Count("pk")))
    examples = dict(PositiveExample.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return ConcernsSummary(
        created=False,
        counts={state.label: by_state[state.value] for state in ConcernState if by_state.get(state.value)},
        sanctions=Sanction.objects.count(),
        examples={state.label: examples[state.value] for state in PositiveExampleState if examples.get(state.value)},
    )


@transaction.atomic
def build_demo_concerns(*, now: datetime | None = None) -> ConcernsSummary:
    """Raise the demo concerns and record the positive examples, playing out their stories,
    unless there are concerns or positive examples already."""
    if Concern.objects.exists() or PositiveExample.objects.exists():
        return concern_counts()
    now = now or timezone.now()
    plan = plan_demo_concerns()
    back = max([c.raised for c in plan.concerns] + [e.recorded for e in plan.examples])
    days = WorkingDays(council_calendar(), today=local_date(now), back=back)
    builder = _ConcernBuilder(days, now=now)
    with recording_history():
        # In the order they happened, so references run in date order.
        for concern in sorted(plan.concerns, key=lambda concern: (-concern.raised, concern.minute)):
            builder.build_concern(concern)
        for example in sorted(plan.examples, key=lambda example: (-example.recorded, example.minute)):
            builder.build_example(example)
    settle_notifications(
        days, Notification.objects.filter(Q(concern__isnull=False) | Q(positive_example__isnull=False))
    )
    return replace(concern_counts(), created=True)


def history_swept() -> None:
    """What a sweep of the demo's past leaves for after commit: nothing. The notifications it
    wrote were recorded as already e-mailed (``recording_history``)."""


class _HistorySweep(ConcernSweep):
    """The portal's concern deadline sweep (cases.concerns.deadlines), for one concern, at a moment
    in its past: the reminders and climbs it would have made then."""

    def __init__(self, concern_id: int) -> None:
        self.concern_id = concern_id

    def open_cases(self):
        return super().open_cases().filter(pk=self.concern_id)

    after_commit = staticmethod(history_swept)


class _ConcernBuilder:
    """Drives each planned concern through cases.concern_services, at the planned moments."""

    def __init__(self, days: WorkingDays, *, now: datetime) -> None:
        self.days, self.now = days, now
        users = get_user_model().objects.select_related("officer", "member")
        self.users = {user.username: user for user in users}
        self.users_by_pk = {user.pk: user for user in self.users.values()}
        self.services = {service.name: service for service in Service.objects.all()}
        self.committees = {committee.name: committee for committee in Committee.objects.all()}
        self.behaviours = {behaviour.name: behaviour for behaviour in Behaviour.objects.all()}
        self.monitoring_officer = self.users_by_pk[monitoring_officer().user_id]
        self.actions: dict[ConcernAction, Callable[[Concern, ConcernStep, datetime], Concern]] = {
            C.ESCALATE: self._escalate,
            C.NOTE: self._note,
            C.REASSIGN: self._reassign,
            C.SHARE: self._share,
            C.RESOLVE: self._resolve,
            C.INFORMAL: self._informal,
            C.PROPOSE: self._propose,
            C.SANCTION: self._sanction,
            C.REFER: self._refer,
            C.WITHDRAW: self._withdraw,
        }

    def build_concern(self, plan: ConcernPlan) -> Concern:
        complainant, subject = self.users[plan.complainant], self.users[plan.subject]
        subject_member = getattr(subject, "member", None)
        raised = self.days.moment(plan.raised, plan.minute)
        concern = concern_services.concern_raise(
            raised_by=complainant,
            about_member=subject_member,
            about_officer=None if subject_member else subject.officer,
            duties=plan.duties,
            occurred_on=local_date(raised) - timedelta(days=plan.occurred_days_before),
            what_happened=plan.what_happened,
            # An administrator may have renamed a behaviour: the concern cites the rest.
            behaviours=[self.behaviours[name] for name in plan.behaviours if name in self.behaviours],
            feels_able_to_talk=plan.feels_able_to_talk,
            safeguarding=plan.safeguarding,
            now=raised,
        )
        for step in plan.steps:
            now = self.days.moment(step.day, step.minute)
            concern = self._swept_until(concern, now)
            try:
                concern = self.actions[step.action](concern, step, now)
            except (PermissionDenied, TransitionNotAllowed):
                # With a stage target shorter than the stories assume, the sweep moved the
                # concern on before this step: the story ends here.
                break
        return self._swept_until(concern, self.now)

    def _swept_until(self, concern: Concern, until: datetime) -> Concern:
        """Run the deadline sweep for this concern at each moment a reminder or a climb fell
        due before ``until``, as the portal's sweep would have; the concern as it now is."""
        while True:
            concern = Concern.objects.select_related("owner__user").get(pk=concern.pk)
            due = [at for at in (concern.remind_at, concern.escalate_at) if at is not None and at <= until]
            if not due:
                return concern
            sweep(_HistorySweep(concern.pk), now=min(due), batch_size=1)

    def complainant(self, concern: Concern):
        return self.users_by_pk[concern.complainant_user_id]

    def handler(self, concern: Concern):
        """Whoever handles the current stage: the line manager at stage 2, the Monitoring
        Officer (or whoever it was handed to) at 3 and 4; the Monitoring Officer at stage 1."""
        return concern.owner.user if concern.owner_id else self.monitoring_officer

    def _escalate(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        # 001 §6.1, §6.2: the complainant says talking did not help; the line manager sends it on.
        actor = self.complainant(concern) if concern.state == ConcernState.DIRECT else self.handler(concern)
        return concern_services.concern_escalate(concern=concern, actor=actor, reason=step.text, now=now)

    def _note(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_note_add(concern=concern, actor=self.handler(concern), note=step.text, now=now)

    def _reassign(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_reassign(
            concern=concern,
            actor=self.monitoring_officer,
            new_owner=self.users[step.officer].officer,
            reason=step.text,
            now=now,
        )

    def _share(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_share_with_subject(
            concern=concern, actor=self.monitoring_officer, note=step.text, now=now
        )

    def _resolve(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        actor = self.complainant(concern) if concern.state == ConcernState.DIRECT else self.handler(concern)
        return concern_services.concern_resolve(concern=concern, actor=actor, outcome=step.text, now=now)

    def _informal(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        steps = [
            concern_services.InformalStep(kind=kind, details=details, given_by=given_by)
            for kind, given_by, details in step.informal
        ]
        return concern_services.concern_informal_action(
            concern=concern, actor=self.handler(concern), steps=steps, outcome=step.outcome, now=now
        )

    def _propose(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_propose_formal_action(
            concern=concern, actor=self.handler(concern), reason=step.text, now=now
        )

    def _sanction(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        # A prohibition starts on the next working day: from the member's next contact on.
        starts_on = self.days.date(step.day - 1)
        specs = [
            concern_services.SanctionSpec(
                kind=sanction.kind,
                details=sanction.details,
                committees=[self.committees[name] for name in sanction.committees],
                scope=sanction.scope,
                officer=self.users[sanction.officer].officer if sanction.officer else None,
                service=self.services[sanction.service] if sanction.service else None,
                starts_on=starts_on if sanction.kind == Sanction.Kind.CONTACT_PROHIBITION else None,
                ends_on=starts_on + timedelta(days=sanction.lasts - 1) if sanction.lasts else None,
                disciplinary_reference=sanction.reference,
            )
            for sanction in step.sanctions
        ]
        return concern_services.concern_sanctions_record(
            concern=concern, actor=self.handler(concern), sanctions=specs, outcome=step.outcome, now=now
        )

    def _refer(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_refer(
            concern=concern,
            actor=self.handler(concern),
            kind=step.referral,
            details=step.text,
            independent_person=step.independent_person,
            outcome=step.outcome,
            now=now,
        )

    def _withdraw(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_withdraw(
            concern=concern, actor=self.complainant(concern), reason=step.text, now=now
        )

    def build_example(self, plan: PositivePlan) -> PositiveExample:
        recorded = self.days.moment(plan.recorded, plan.minute)
        example = positive_services.positive_example_record(
            recorded_by=self.users[plan.recorded_by],
            title=plan.title,
            what_happened=plan.what_happened,
            happened_on=local_date(recorded) - timedelta(days=plan.happened_days_before),
            service=self.services[plan.service],
            members=[self.users[username].member for username in plan.members],
            officers=[self.users[username].officer for username in plan.officers],
            now=recorded,
        )
        if plan.forwarded:
            day, minute, comment = plan.forwarded
            example = positive_services.positive_example_forward(
                example=example,
                actor=self.users_by_pk[example.assistant_director.user_id],
                comment=comment,
                now=self.days.moment(day, minute),
            )
        if plan.acknowledged:
            day, minute, comment, publishable = plan.acknowledged
            example = positive_services.positive_example_acknowledge(
                example=example,
                actor=self.monitoring_officer,
                comment=comment,
                publishable=publishable,
                now=self.days.moment(day, minute),
            )
        return example
