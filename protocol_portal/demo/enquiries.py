"""Write the demo enquiries drawn by protocol_portal.demo.plans.enquiries (DESIGN §2–§6).

:func:`build_demo_enquiries` puts the plan's days on the council's calendar and drives each
enquiry through ``cases.enquiries.services`` with ``now=`` in the past, so timelines, notifications and
permissions are exactly what the portal itself writes. A step that would fall today or later
has not happened yet: that is how the open enquiries (awaiting an answer, overdue, on hold,
disputed, reopened) arise.

It builds only on a database without enquiries, so running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cases.enquiries import services
from cases.models import Dispute, Enquiry, EnquiryState, Notification
from cases.shared.notifications import recording_history
from escalation.calendar import council_calendar, local_date
from people.models import Member, Service, Ward
from people.selectors import head_of_paid_service
from protocol_portal.demo.history import WorkingDays, settle_notifications
from protocol_portal.demo.plans.enquiries import Action, EnquiryPlan, Step, plan_demo_enquiries

A = Action


@dataclass
class EnquirySummary:
    created: bool
    counts: dict[str, int]  # state label -> enquiries in it


def enquiry_counts() -> dict[str, int]:
    by_state = dict(Enquiry.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return {state.label: by_state[state.value] for state in EnquiryState if by_state.get(state.value)}


@transaction.atomic
def build_demo_enquiries(*, now: datetime | None = None) -> EnquirySummary:
    """File the demo enquiries and play out their stories, unless there are enquiries already."""
    if Enquiry.objects.exists():
        return EnquirySummary(created=False, counts=enquiry_counts())
    now = now or timezone.now()
    plans = plan_demo_enquiries()
    # One calendar for the whole run; the services still read their own, one query a call.
    days = WorkingDays(council_calendar(), today=local_date(now), back=max(plan.filed for plan in plans))
    builder = _Builder(days)
    # In the order they were filed, so references run in date order.
    with recording_history():
        for plan in sorted(plans, key=lambda plan: (-plan.filed, plan.minute)):
            builder.build(plan)
    settle_notifications(days, Notification.objects.filter(enquiry__isnull=False))
    return EnquirySummary(created=True, counts=enquiry_counts())


class _Builder:
    """Drives each planned enquiry through cases.enquiries.services, at the planned moments."""

    def __init__(self, days: WorkingDays) -> None:
        self.days = days
        users = get_user_model().objects.select_related("officer", "member")
        self.users = {user.username: user for user in users}
        self.users_by_pk = {user.pk: user for user in self.users.values()}
        self.members = {member.user.username: member for member in Member.objects.select_related("user")}
        self.services = {service.name: service for service in Service.objects.select_related("head_of_service")}
        self.heads = {service.pk: service.head_of_service.user_id for service in self.services.values()}
        self.wards = {ward.name: ward for ward in Ward.objects.all()}
        self.chief = self.users_by_pk[head_of_paid_service().user_id]
        self.actions: dict[Action, Callable[[Enquiry, EnquiryPlan, Step, datetime], Enquiry]] = {
            A.REASSIGN: self._reassign,
            A.HOLD: self._hold,
            A.EXTEND: self._extend,
            A.AGREE: self._agree,
            A.APPROVE: self._approve,
            A.REFUSE: self._refuse,
            A.CONSENT: self._consent,
            A.ANSWER: self._answer,
            A.DECLINE: self._decline,
            A.DISPUTE: self._dispute,
            A.UPHOLD: self._uphold,
            A.DIRECT: self._direct,
            A.WITHDRAW: self._withdraw,
            A.REOPEN: self._reopen,
            A.CLOSE: self._close,
        }

    def build(self, plan: EnquiryPlan) -> Enquiry:
        lives_in_ward, acting_for_constituent, for_complaint = plan.consent_answers
        member = self.members[plan.member]
        enquiry = services.enquiry_file(
            member=member,
            subject=plan.subject,
            details=plan.details,
            service=self.services[plan.service],
            purpose=plan.purpose,
            ward=self.wards[plan.ward] if plan.ward else None,
            constituent_lives_in_ward=lives_in_ward,
            acting_for_constituent=acting_for_constituent,
            information_needed_for_complaint=for_complaint,
            now=self.days.moment(plan.filed, plan.minute),
        )
        for step in plan.steps:
            if step.day < 1:
                break  # today or later: it has not happened yet
            enquiry = self.actions[step.action](enquiry, plan, step, self.days.moment(step.day, step.minute))
        return enquiry

    def owner(self, enquiry: Enquiry):
        return self.users_by_pk[enquiry.owner.user_id]

    def member(self, enquiry: Enquiry):
        return self.users_by_pk[enquiry.member.user_id]

    def _reassign(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        new_owner = self.users[step.officer].officer
        if new_owner.pk == enquiry.owner_id:
            return enquiry
        actor = self.owner(enquiry)
        return services.enquiry_reassign(enquiry=enquiry, actor=actor, new_owner=new_owner, reason=step.text, now=now)

    def _hold(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        target_on = self.days.date(step.target)
        actor = self.owner(enquiry)
        # A demo target beyond the limits (issue 15 A3) was agreed with the councillor by phone.
        return services.enquiry_hold(
            enquiry=enquiry,
            actor=actor,
            reason=step.text,
            target_on=target_on,
            agreement=services.Agreement.RECORDED,
            agreement_note="Agreed with the councillor by phone.",
            now=now,
        )

    def _extend(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        # Issue 15 A3: beyond the limits, asked for in the portal.
        return services.enquiry_hold(
            enquiry=enquiry,
            actor=self.owner(enquiry),
            reason=step.text,
            target_on=self.days.date(step.target),
            agreement=services.Agreement.ASK,
            now=now,
        )

    def _agree(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        actor = self.member(enquiry)
        return services.enquiry_extension_decide(enquiry=enquiry, actor=actor, agree=True, now=now)

    def _approve(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        head = self.users_by_pk[self.heads[enquiry.service_id]]
        return services.enquiry_extension_decide(enquiry=enquiry, actor=head, agree=True, note=step.text, now=now)

    def _refuse(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        actor = self.member(enquiry)
        return services.enquiry_extension_decide(enquiry=enquiry, actor=actor, agree=False, note=step.text, now=now)

    def _consent(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        services.enquiry_consent_record(
            enquiry=enquiry,
            actor=self.owner(enquiry),
            given_by=plan.constituent,
            given_on=local_date(now) - timedelta(days=step.given_days_before),
            method=step.method,
            now=now,
        )
        return enquiry

    def _answer(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_answer(
            enquiry=enquiry,
            actor=self.owner(enquiry),
            text=step.text,
            marking=step.marking,
            contains_personal_data=step.personal,
            now=now,
        )

    def _decline(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        # 001 §7.1: the Head of Service declines.
        head = self.users_by_pk[self.heads[enquiry.service_id]]
        return services.enquiry_decline(enquiry=enquiry, actor=head, reasons=step.text, now=now)

    def _dispute(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_dispute(enquiry=enquiry, actor=self.member(enquiry), reasons=step.text, now=now)

    def _uphold(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_dispute_decide(
            enquiry=enquiry, actor=self.chief, decision=Dispute.Decision.UPHELD, reasons=step.text, now=now
        )

    def _direct(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_dispute_decide(
            enquiry=enquiry, actor=self.chief, decision=Dispute.Decision.DIRECTED, reasons=step.text, now=now
        )

    def _withdraw(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_withdraw(enquiry=enquiry, actor=self.member(enquiry), reason=step.text, now=now)

    def _reopen(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_reopen(enquiry=enquiry, actor=self.member(enquiry), follow_up=step.text, now=now)

    def _close(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_close(enquiry=enquiry, actor=self.member(enquiry), now=now)
