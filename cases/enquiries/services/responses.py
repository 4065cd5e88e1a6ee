"""Responding to an enquiry (001 §7.1–§7.4): a holding reply, an answer, a decline as
inappropriate, the member's dispute and the Chief Executive's decision on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.enquiries.models import (
    Answer,
    Decline,
    Dispute,
    Enquiry,
    EnquiryState,
    HoldingReply,
    Marking,
)
from cases.enquiries.services.common import (
    cover_acting,
    covering_words,
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


class Agreement:
    """How a holding reply that needs agreement gets it (HoldingReply's docstring)."""

    NONE = ""
    RECORDED = "recorded"  # the councillor agreed by phone, e-mail or in person: the owner notes how
    ASK = "ask"  # ask the councillor in the portal, and a manager of the service may approve instead


def holding_reply_limit(enquiry: Enquiry) -> tuple[date, date, bool]:
    """The deadline a holding reply now would extend, the last target the owner may set alone
    (HOLDING_REPLY_MAX_WORKING_DAYS working days after it), and whether a holding reply is
    already in force (a second always needs agreement)."""
    second = enquiry.state == EnquiryState.HOLDING_REPLY
    in_force = [reply for reply in enquiry.holding_replies.all() if reply.status != HoldingReply.Status.REFUSED]
    if second and in_force and in_force[-1].original_due_on is not None:
        original = in_force[-1].original_due_on
    else:
        deadline = (enquiry.first_due_at or enquiry.due_at) if second else enquiry.due_at
        assert deadline is not None, "an enquiry awaiting a response has a deadline"
        original = local_date(deadline)
    limit = council_calendar().add_working_days(original, settings.HOLDING_REPLY_MAX_WORKING_DAYS)
    return original, limit, second


@transaction.atomic
def enquiry_hold(
    *,
    enquiry: Enquiry,
    actor: User,
    reason: str,
    target_on: date,
    agreement: str = Agreement.NONE,
    agreement_note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    """001 §7.1: the owner says why they cannot answer in full yet, and by when they will.

    Within the limits (issue 15 A3) the new target takes effect at once. A target later than
    HOLDING_REPLY_MAX_WORKING_DAYS working days after the deadline it extends, or a second
    holding reply, needs agreement: recorded (the councillor agreed by phone or e-mail, with
    a note of how), it takes effect at once; asked for, it waits for the councillor to agree
    in the portal or a manager of the service to approve, and the deadline stands until then."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    enquiry_require(enquiry.hold, actor)
    problem = holding_reply_target_errors(target_on, today=local_date(now))
    if problem:
        raise ValidationError({"target_on": problem})
    original, limit, second = holding_reply_limit(enquiry)
    needs_agreement = second or target_on > limit
    if needs_agreement and agreement not in (Agreement.RECORDED, Agreement.ASK):
        why = (
            "A second holding reply"
            if second
            else f"A target after {limit:%A %-d %B %Y} ({settings.HOLDING_REPLY_MAX_WORKING_DAYS} working days "
            f"after the deadline of {original:%-d %B %Y})"
        )
        raise ValidationError(
            {"agreement": f"{why} needs the councillor's agreement or the Head of Service's approval: say which"}
        )
    if needs_agreement and agreement == Agreement.RECORDED and not agreement_note.strip():
        raise ValidationError({"agreement_note": "Enter how and when the councillor agreed to the new date"})
    if pending := enquiry.pending_extension():
        raise ValidationError(
            {
                "target_on": f"The later date of {pending.target_on:%-d %B %Y} is still waiting for agreement. "
                "Wait for it, or answer the enquiry."
            }
        )
    away = cover_acting(enquiry, actor)
    author = actor.officer if away is not None else enquiry.owner
    if needs_agreement and agreement == Agreement.ASK:
        return _extension_ask(
            enquiry, actor=actor, author=author, reason=reason, target_on=target_on, original=original, now=now
        )
    status = HoldingReply.Status.AGREEMENT_RECORDED if needs_agreement else HoldingReply.Status.WITHIN_LIMITS
    reply = HoldingReply(
        enquiry=enquiry,
        author=author,
        reason=reason,
        target_on=target_on,
        sent_at=now,
        status=status,
        original_due_on=original,
    )
    if needs_agreement:
        reply.decided_by, reply.decided_at, reply.decision_note = actor, now, agreement_note.strip()
    _hold(enquiry, reply, actor=actor, now=now)
    return enquiry


def _hold(enquiry: Enquiry, reply: HoldingReply, *, actor: User, now: datetime) -> None:
    """The holding reply's target becomes the deadline; the councillor is told."""
    from_state = enquiry.state
    enquiry.hold(due_at=end_of_day(reply.target_on), at=now)
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    reply.save()
    decider = reply.decided_by.get_full_name() if reply.decided_by else ""
    agreed: dict[str, str] = {
        HoldingReply.Status.AGREEMENT_RECORDED: f" Agreed by the councillor, as recorded: {reply.decision_note}",
        HoldingReply.Status.AGREED: " Agreed by the councillor in the portal.",
        HoldingReply.Status.APPROVED: f" Approved by {decider}.",
    }
    agreement = agreed.get(str(reply.status), "")
    sent_by = ""
    if reply.author_id != enquiry.owner_id:
        sent_by = f" Sent by {reply.author.name}{covering_words(enquiry.owner)}."
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.HOLDING_REPLY,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Holding reply: {reply.reason} New target: {reply.target_on:%A %-d %B %Y}.{agreement}{sent_by}",
    )
    notify(
        recipient=enquiry.member.user,
        enquiry=enquiry,
        template="enquiry_holding_reply",
        context={"reply": reply},
        at=now,
    )


def _extension_ask(
    enquiry: Enquiry, *, actor: User, author: Officer, reason: str, target_on: date, original: date, now: datetime
) -> Enquiry:
    reply = HoldingReply.objects.create(
        enquiry=enquiry,
        author=author,
        reason=reason,
        target_on=target_on,
        sent_at=now,
        status=HoldingReply.Status.AWAITING,
        original_due_on=original,
    )
    version_save(enquiry)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.EXTENSION_ASKED,
        actor=actor,
        at=now,
        note=f"Asked the councillor to agree to a later date, {target_on:%A %-d %B %Y}: {reason} "
        f"Until it is agreed, or approved by a manager of the service, it is still due by the end of "
        f"{enquiry.due_on:%A %-d %B %Y}.",
    )
    context = {"reply": reply}
    notify(recipient=enquiry.member.user, enquiry=enquiry, template="enquiry_extension_asked", context=context, at=now)
    head = enquiry.service.head_of_service
    if head is not None and head.pk != enquiry.owner_id and head.is_serving(on=local_date(now)):
        notify(recipient=head.user, enquiry=enquiry, template="enquiry_extension_approval", context=context, at=now)
    return enquiry


@transaction.atomic
def enquiry_extension_decide(
    *,
    enquiry: Enquiry,
    actor: User,
    agree: bool,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    """The councillor agrees to the later date a holding reply asks for, or a manager of the
    service approves it (issue 15 A3): it becomes the deadline. Not agreed, the deadline stands."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    if not enquiry.may_decide_extension(actor):
        raise PermissionDenied("Only the councillor or a manager of the service can agree to a later date.")
    reply = enquiry.pending_extension()
    assert reply is not None, "may_decide_extension found it"
    if agree and reply.target_on <= local_date(now):
        raise ValidationError(
            {"agree": f"The later date, {reply.target_on:%-d %B %Y}, has passed: it cannot be agreed now"}
        )
    by_member = enquiry.member.user_id == actor.pk
    reply.decided_by, reply.decided_at, reply.decision_note = actor, now, note.strip()
    if agree:
        reply.status = HoldingReply.Status.AGREED if by_member else HoldingReply.Status.APPROVED
        _hold(enquiry, reply, actor=actor, now=now)
    else:
        reply.status = HoldingReply.Status.REFUSED
        reply.save()
        version_save(enquiry)
        who = "The councillor" if by_member else (actor.get_full_name() or actor.username)
        enquiry_event(
            enquiry,
            kind=TimelineEvent.Kind.EXTENSION_DECIDED,
            actor=actor,
            at=now,
            note=f"{who} did not agree to the later date of {reply.target_on:%A %-d %B %Y}. "
            f"It is still due by the end of {enquiry.due_on:%A %-d %B %Y}. {note.strip()}".strip(),
        )
        notify(
            recipient=enquiry.owner.user,
            enquiry=enquiry,
            template="enquiry_extension_refused",
            context={"reply": reply, "who": who},
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
    away = cover_acting(enquiry, actor)
    author = actor.officer if away is not None else enquiry.owner
    enquiry.answer(at=now)
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    answer = Answer.objects.create(
        enquiry=enquiry,
        author=author,
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
        note=f"Answered by {author.name}{covering_words(away)}. Marked: {answer.get_marking_display()}.",
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
