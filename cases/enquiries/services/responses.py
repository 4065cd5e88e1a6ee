"""Responding to an enquiry (001 §7.1–§7.4): a holding reply, an answer, a decline as
inappropriate, the member's dispute and the Chief Executive's decision on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.enquiries.models import (
    Answer,
    Decline,
    Dispute,
    Enquiry,
    HoldingReply,
    Marking,
)
from cases.enquiries.services.common import (
    enquiry_event,
    enquiry_locked,
    enquiry_require,
    enquiry_reschedule,
    enquiry_view_grant,
    notify,
    prohibited_owner_refuse,
    response_due_at,
)
from cases.shared.attachments import attachments_save
from cases.shared.models import TimelineEvent
from cases.shared.versions import version_save
from escalation.calendar import council_calendar, end_of_day, local_date
from people.models import Officer
from people.selectors import head_of_paid_service


def holding_reply_target_errors(target_on: date, *, today: date) -> str | None:
    """001 §7.1: the new target is a working day after today."""
    if target_on <= today:
        return "The new target date must be after today"
    reason = council_calendar().non_working_reason(target_on)
    if reason:
        return f"The new target date must be a working day: {target_on:%-d %B %Y} is {reason}"
    return None


@transaction.atomic
def enquiry_hold(
    *,
    enquiry: Enquiry,
    actor: User,
    reason: str,
    target_on: date,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    enquiry_require(enquiry.hold, actor)
    problem = holding_reply_target_errors(target_on, today=local_date(now))
    if problem:
        raise ValidationError({"target_on": problem})
    from_state = enquiry.state
    enquiry.hold(due_at=end_of_day(target_on), at=now)
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    reply = HoldingReply.objects.create(
        enquiry=enquiry, author=enquiry.owner, reason=reason, target_on=target_on, sent_at=now
    )
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.HOLDING_REPLY,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Holding reply: {reason} New target: {target_on:%A %-d %B %Y}.",
    )
    notify(
        recipient=enquiry.member.user,
        enquiry=enquiry,
        template="enquiry_holding_reply",
        context={"reply": reply},
        at=now,
    )
    return enquiry


@transaction.atomic
def enquiry_answer(
    *,
    enquiry: Enquiry,
    actor: User,
    text: str,
    marking: str,
    contains_personal_data: bool,
    attachments: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    enquiry_require(enquiry.answer, actor)
    if marking not in Marking.values:
        raise ValidationError({"marking": "Say whether the answer is confidential or may be shared with the public"})
    if contains_personal_data and not enquiry.may_release_personal_data():
        # 001 §8.2: without implicit consent, the constituent's data waits for their recorded consent.
        raise ValidationError(
            {"contains_personal_data": "Record the constituent's consent before sending an answer with personal data"}
        )
    from_state = enquiry.state
    enquiry.answer(at=now)
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    answer = Answer.objects.create(
        enquiry=enquiry,
        author=enquiry.owner,
        text=text,
        marking=marking,
        contains_personal_data=contains_personal_data,
        sent_at=now,
    )
    attachments_save(attachments, enquiry=enquiry, answer=answer, user=actor)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.ANSWERED,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Answered by {enquiry.owner.name}. Marked: {answer.get_marking_display()}.",
    )
    notify(
        recipient=enquiry.member.user, enquiry=enquiry, template="enquiry_answered", context={"answer": answer}, at=now
    )
    return enquiry


@transaction.atomic
def enquiry_decline(
    *, enquiry: Enquiry, actor: User, reasons: str, expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    """001 §7.1: a Head of Service or above declines an inappropriate enquiry, with reasons."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    enquiry_require(enquiry.decline, actor)
    from_state = enquiry.state
    enquiry.decline(at=now)
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    decline = Decline.objects.create(enquiry=enquiry, declined_by=actor.officer, reasons=reasons, declined_at=now)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.DECLINED,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Declined as inappropriate by {actor.officer.name}, {actor.officer.job_title}. Reasons: {reasons}",
    )
    notify(
        recipient=enquiry.member.user,
        enquiry=enquiry,
        template="enquiry_declined",
        context={"decline": decline},
        at=now,
    )
    return enquiry


@transaction.atomic
def enquiry_dispute(
    *, enquiry: Enquiry, actor: User, reasons: str, expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    """001 §7.4: the member disputes a decline; the Chief Executive decides."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    enquiry_require(enquiry.dispute, actor)
    chief = head_of_paid_service()
    if chief is None:
        raise ValidationError(
            "The council has no Chief Executive recorded to decide the dispute. Contact Democratic Services."
        )
    from_state = enquiry.state
    enquiry.dispute(at=now, due_at=response_due_at(now))
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    dispute = Dispute.objects.create(enquiry=enquiry, reasons=reasons, raised_at=now)
    assign_perm("cases.view_enquiry", chief.user, enquiry)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.DISPUTED,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"The member disputes the decline: {reasons} Sent to {chief.name}, {chief.job_title}, to decide.",
    )
    notify(recipient=chief.user, enquiry=enquiry, template="enquiry_disputed", context={"dispute": dispute}, at=now)
    return enquiry


@transaction.atomic
def enquiry_dispute_decide(
    *,
    enquiry: Enquiry,
    actor: User,
    decision: str,
    reasons: str,
    owner: Officer | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    """The Chief Executive upholds the decline (closed) or directs an answer with a fresh deadline."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    dispute = enquiry.disputes.filter(decided_at__isnull=True).latest("raised_at")
    from_state = enquiry.state
    if decision == Dispute.Decision.UPHELD:
        enquiry_require(enquiry.uphold_decline, actor)
        enquiry.uphold_decline(at=now)
        kind, note = TimelineEvent.Kind.DECLINE_UPHELD, f"The Chief Executive upheld the decline: {reasons}"
    elif decision == Dispute.Decision.DIRECTED:
        enquiry_require(enquiry.direct_answer, actor)
        new_owner = owner or enquiry.owner
        if new_owner.service_id != enquiry.service_id and new_owner.pk != enquiry.owner_id:
            raise ValidationError({"owner": f"Choose an officer in {enquiry.service}."})
        # Including the current owner: a declined enquiry kept its owner when a prohibition came (DESIGN §5).
        prohibited_owner_refuse(enquiry, new_owner, field="owner", now=now)
        previous_owner = enquiry.owner
        enquiry.direct_answer(owner=new_owner, at=now, due_at=response_due_at(now))
        kind = TimelineEvent.Kind.ANSWER_DIRECTED
        note = (
            f"The Chief Executive directed an answer: {reasons} Owner: {new_owner.name}. "
            f"Due by the end of {enquiry.due_on:%A %-d %B %Y}."
        )
    else:
        raise ValidationError({"decision": "Choose whether to uphold the decline or direct an answer"})
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    dispute.decision = decision
    dispute.decision_reasons = reasons
    dispute.decided_by = actor.officer
    dispute.decided_at = now
    dispute.save()
    if decision == Dispute.Decision.DIRECTED:
        enquiry_view_grant(enquiry, new_owner)
        enquiry_event(
            enquiry,
            kind=kind,
            actor=actor,
            at=now,
            from_state=from_state,
            note=note,
            from_owner=previous_owner,
            to_owner=new_owner,
        )
        notify(
            recipient=new_owner.user, enquiry=enquiry, template="enquiry_directed", context={"dispute": dispute}, at=now
        )
    else:
        enquiry_event(enquiry, kind=kind, actor=actor, at=now, from_state=from_state, note=note)
    notify(
        recipient=enquiry.member.user,
        enquiry=enquiry,
        template="enquiry_dispute_decided",
        context={"dispute": dispute},
        at=now,
    )
    return enquiry
