"""The only writers of enquiries (DESIGN §3; 001 §7–§9).

Each service runs in one transaction: it locks the enquiry, refuses a form sent
from an out-of-date page, fires the transition, saves, writes the timeline and
the notifications, and queues the e-mail only after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_fsm import has_transition_perm
from guardian.shortcuts import assign_perm

from cases.attachments import content_type_for
from cases.models import (
    OPEN_STATES,
    Answer,
    Attachment,
    ConsentRecord,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
    HoldingReply,
    Marking,
    Notification,
    Purpose,
    ReferenceSequence,
    TimelineEvent,
)
from cases.tasks import notification_email_send
from escalation.calendar import council_calendar, end_of_day, local_date
from escalation.deadlines import next_climb_time
from escalation.routing import enquiry_route
from people.models import ContactProhibition, Member, Officer, Service, Ward
from people.selectors import contact_prohibition_for, head_of_paid_service


class EnquiryConflict(Exception):
    """Someone else changed the enquiry after this person's page was loaded."""

    def __init__(self, enquiry: Enquiry) -> None:
        self.enquiry = enquiry
        super().__init__(
            f"{enquiry.reference} was changed by someone else while you were working on it. "
            f"It is now “{enquiry.get_state_display()}”. Check the latest version below before you try again."
        )


class AlreadySubmitted(Exception):
    """The form that would create this case was sent before: a double click sends it twice."""

    def __init__(self, case) -> None:
        self.case = case
        super().__init__(f"{case.reference} was already made from this form.")


# --- Building blocks --------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _response_due_at(start: datetime) -> datetime:
    """The end of the fifth working day after ``start`` (001 §7.1; receipt day not counted)."""
    days = settings.ENQUIRY_RESPONSE_WORKING_DAYS
    return end_of_day(council_calendar().add_working_days(local_date(start), days))


def _next_reference(prefix: str, year: int) -> str:
    # The UPDATE locks the year's row until commit, so two filings never share a number.
    ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
    ReferenceSequence.objects.filter(prefix=prefix, year=year).update(last_number=F("last_number") + 1)
    number = ReferenceSequence.objects.get(prefix=prefix, year=year).last_number
    return f"{prefix}-{year}-{number:05d}"


def _refuse_resubmission(model, submission_key: UUID | None) -> None:
    """Refuse a form already used to make a case (cases.forms.SubmittedOnceForm). Called after
    _next_reference: its row lock makes a second submission of the form wait until the first
    commits, so this finds the first; the unique key is the backstop."""
    if submission_key is not None:
        existing = model.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            raise AlreadySubmitted(existing)


def _locked(enquiry: Enquiry, expected_version: int | None) -> Enquiry:
    """The enquiry re-read under a row lock, refused if it changed since the page was loaded."""
    current = (
        Enquiry.objects.select_for_update().select_related("member__user", "owner__user", "service").get(pk=enquiry.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise EnquiryConflict(current)
    return current


def _require(bound_transition, user) -> None:
    if not has_transition_perm(bound_transition, user):
        raise PermissionDenied("You cannot do this to this enquiry now.")


def _reschedule(enquiry: Enquiry, *, now: datetime) -> None:
    """Set the reminder and the next climb after the deadline changed (escalation.deadlines):
    an enquiry awaiting a response is reminded and climbs; a dispute, with the Chief
    Executive at the top already, is reminded only; anything else has nothing due."""
    if enquiry.state in (EnquiryState.SUBMITTED, EnquiryState.HOLDING_REPLY):
        enquiry.schedule(now=now)
    elif enquiry.state == EnquiryState.DISPUTED:
        enquiry.schedule(now=now, climbs=False)
    else:
        enquiry.unschedule()


def _save(enquiry: Enquiry) -> None:
    enquiry.version += 1
    enquiry.save()


def _event(
    enquiry: Enquiry,
    *,
    kind: str,
    actor=None,
    at: datetime,
    from_state: str = "",
    note: str = "",
    from_owner: Officer | None = None,
    to_owner: Officer | None = None,
    internal: bool = False,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        enquiry=enquiry,
        kind=kind,
        actor=actor,
        at=at,
        from_state=from_state,
        to_state=enquiry.state if from_state else "",
        from_owner=from_owner,
        to_owner=to_owner,
        note=note,
        internal=internal,
    )


def _grant_view(enquiry: Enquiry, owner: Officer) -> None:
    """The owner and their management chain may see the enquiry from now on."""
    for officer in [owner, *owner.management_chain()]:
        assign_perm("cases.view_enquiry", officer.user, enquiry)


def _save_attachments(enquiry: Enquiry, files: Sequence[UploadedFile], *, user, answer: Answer | None = None) -> None:
    for upload in files:
        Attachment.objects.create(
            enquiry=enquiry,
            answer=answer,
            file=upload,
            name=upload.name,
            size=upload.size,
            # From the checked extension (cases.attachments), never the browser's say-so.
            content_type=content_type_for(upload.name),
            uploaded_by=user,
        )


def notify(
    *, recipient, enquiry: Enquiry | None, template: str, context: dict, at: datetime, briefing=None
) -> Notification:
    """Tell ``recipient`` in the portal and by e-mail (sent after commit), and note it on the
    timeline. A notification about a briefing (cases.briefing_services) links to it instead."""
    context = {
        **context,
        "recipient": recipient,
        "enquiry": enquiry,
        "enquiry_url": settings.PORTAL_BASE_URL + enquiry.get_absolute_url() if enquiry else "",
        "briefing_url": settings.PORTAL_BASE_URL + briefing.get_absolute_url() if briefing else "",
        "council_name": settings.COUNCIL_NAME,
    }
    notification = Notification.objects.create(
        recipient=recipient,
        enquiry=enquiry,
        briefing=briefing,
        template=template,
        subject=render_to_string(f"emails/{template}_subject.txt", context).strip(),
        body=render_to_string(f"emails/{template}_body.txt", context).strip(),
        created_at=at,
    )
    if enquiry is not None:
        is_member = enquiry.member.user_id == recipient.pk
        _event(
            enquiry,
            kind=TimelineEvent.Kind.NOTIFIED,
            at=at,
            note=f"Told {recipient.get_full_name() or recipient.username} by e-mail and in the portal: "
            f"{notification.subject}",
            internal=not is_member,
        )
    if _recording_history.get():
        # Written into the past (the demo's year of history): recorded as sent then, not e-mailed now.
        Notification.objects.filter(pk=notification.pk).update(emailed_at=at)
    else:
        # robust: the change is saved whether or not the broker answers; beat sends the outbox anyway.
        transaction.on_commit(lambda: notification_email_send.delay(notification.pk), robust=True)
    return notification


_recording_history: ContextVar[bool] = ContextVar("recording_history", default=False)


@contextmanager
def recording_history() -> Iterator[None]:
    """Services called inside this record their notifications without e-mailing them:
    for writing history that happened in the past, such as the demo council's year."""
    token = _recording_history.set(True)
    try:
        yield
    finally:
        _recording_history.reset(token)


# --- Filing and routing -----------------------------------------------------------


def consent_needed(
    *,
    member: Member,
    purpose: str,
    ward: Ward | None,
    constituent_lives_in_ward: bool | None,
    acting_for_constituent: bool | None,
    information_needed_for_complaint: bool | None,
) -> bool:
    """001 §8.1: implicit consent holds only for ward casework where all three answers are
    yes and the member represents the ward; otherwise explicit consent is needed (§8.2)."""
    if purpose != Purpose.CASEWORK:
        return False
    answers = (constituent_lives_in_ward, acting_for_constituent, information_needed_for_complaint)
    represents_ward = ward is not None and member.wards.filter(pk=ward.pk).exists()
    return not (all(answer is True for answer in answers) and represents_ward)


@transaction.atomic
def enquiry_file(
    *,
    member: Member,
    subject: str,
    details: str,
    service: Service,
    purpose: str,
    ward: Ward | None = None,
    constituent_lives_in_ward: bool | None = None,
    acting_for_constituent: bool | None = None,
    information_needed_for_complaint: bool | None = None,
    attachments: Sequence[UploadedFile] = (),
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> Enquiry:
    """A councillor files an enquiry; it is routed and acknowledged at once (001 §7.1, §8).
    A ``submission_key`` already used raises AlreadySubmitted, and nothing is filed."""
    now = _now(now)
    if not member.is_in_office(on=local_date(now)):
        raise PermissionDenied("Only a serving councillor can file an enquiry.")
    route = enquiry_route(service=service, member=member, on=local_date(now))
    owner = route.owner
    if owner is None:
        raise ValidationError(
            {
                "service": f"{service} has no Councillor Liaison Officer or Head of Service to answer it. "
                "Contact Democratic Services."
            }
        )
    reference = _next_reference("ENQ", local_date(now).year)
    _refuse_resubmission(Enquiry, submission_key)
    enquiry = Enquiry(
        reference=reference,
        submission_key=submission_key,
        member=member,
        subject=subject,
        details=details,
        service=service,
        ward=ward,
        purpose=purpose,
        owner=owner,
        received_at=now,
        clock_started_at=now,
        due_at=_response_due_at(now),
    )
    enquiry.first_due_at = enquiry.due_at
    _reschedule(enquiry, now=now)
    if purpose == Purpose.CASEWORK:
        enquiry.constituent_lives_in_ward = constituent_lives_in_ward
        enquiry.acting_for_constituent = acting_for_constituent
        enquiry.information_needed_for_complaint = information_needed_for_complaint
    enquiry.explicit_consent_needed = consent_needed(
        member=member,
        purpose=purpose,
        ward=ward,
        constituent_lives_in_ward=constituent_lives_in_ward,
        acting_for_constituent=acting_for_constituent,
        information_needed_for_complaint=information_needed_for_complaint,
    )
    enquiry.save()
    assign_perm("cases.view_enquiry", member.user, enquiry)
    _grant_view(enquiry, owner)
    _save_attachments(enquiry, attachments, user=member.user)
    due = f"{enquiry.due_on:%A %-d %B %Y}"
    routed = f"Routed to {owner.name}, {owner.job_title}"
    if route.prohibition is not None:
        # DESIGN §5: the member is told why it went to the Monitoring Officer's office.
        routed += f", the Monitoring Officer's office, because a contact prohibition is in force ({_covers(route)})"
    _event(
        enquiry,
        kind=TimelineEvent.Kind.FILED,
        actor=member.user,
        at=now,
        from_state="",
        to_owner=owner,
        note=f"Filed by {member}. {routed}. Due by the end of {due}.",
    )
    context = {"owner": owner, "member": member, "prohibition": route.prohibition}
    notify(recipient=member.user, enquiry=enquiry, template="enquiry_acknowledged", context=context, at=now)
    notify(recipient=owner.user, enquiry=enquiry, template="enquiry_assigned", context=context, at=now)
    return enquiry


def _covers(route) -> str:
    prohibition = route.prohibition
    return f"no contact with {prohibition.covers}, {prohibition.period}"


def _refuse_prohibited(enquiry: Enquiry, officer: Officer, *, field: str, now: datetime) -> None:
    """DESIGN §5: never hand a member's enquiry to an officer they may not contact."""
    prohibition = contact_prohibition_for(member=enquiry.member, officer=officer, on=local_date(now))
    if prohibition is not None:
        raise ValidationError(
            {
                field: f"{enquiry.member} may not contact {officer.name} while a contact prohibition is in force "
                f"({prohibition.period}). Choose someone else or leave it with the Monitoring Officer's office."
            }
        )


@transaction.atomic
def enquiry_route_around_prohibition(
    *, enquiry: Enquiry, prohibition: ContactProhibition, actor=None, now: datetime | None = None
) -> Enquiry:
    """A new contact prohibition covers this open enquiry's owner: it moves to the
    Monitoring Officer's office (DESIGN §5), and the member is told."""
    from people.selectors import monitoring_officer

    now = _now(now)
    enquiry = _locked(enquiry, None)
    office = monitoring_officer()
    if office is None or office.pk == enquiry.owner_id:
        return enquiry
    previous = enquiry.owner
    enquiry.owner = office
    _save(enquiry)
    _grant_view(enquiry, office)
    note = (
        f"Moved from {previous.name} to {office.name}, {office.job_title}, the Monitoring Officer's office, "
        f"because a contact prohibition is now in force (no contact with {prohibition.covers}, {prohibition.period})."
    )
    _event(
        enquiry,
        kind=TimelineEvent.Kind.REASSIGNED,
        actor=actor,
        at=now,
        from_owner=previous,
        to_owner=office,
        note=note,
    )
    context = {"previous": previous, "owner": office, "reason": note}
    notify(recipient=office.user, enquiry=enquiry, template="enquiry_reassigned", context=context, at=now)
    notify(recipient=enquiry.member.user, enquiry=enquiry, template="enquiry_new_owner", context=context, at=now)
    return enquiry


@transaction.atomic
def enquiry_reassign(
    *,
    enquiry: Enquiry,
    actor,
    new_owner: Officer,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    """The owner (or a manager of the service) hands the enquiry to a colleague in the service."""
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    if not enquiry.may_reassign(actor):
        raise PermissionDenied("Only the owner or a manager of the service can reassign this enquiry.")
    if new_owner.pk == enquiry.owner_id:
        raise ValidationError({"new_owner": "Choose someone other than the current owner."})
    if new_owner.service_id != enquiry.service_id or not new_owner.is_serving():
        raise ValidationError({"new_owner": f"Choose a serving officer in {enquiry.service}."})
    _refuse_prohibited(enquiry, new_owner, field="new_owner", now=now)
    previous = enquiry.owner
    enquiry.owner = new_owner
    _save(enquiry)
    _grant_view(enquiry, new_owner)
    _event(
        enquiry,
        kind=TimelineEvent.Kind.REASSIGNED,
        actor=actor,
        at=now,
        from_owner=previous,
        to_owner=new_owner,
        note=f"Reassigned from {previous.name} to {new_owner.name}, {new_owner.job_title}. {reason}".strip(),
    )
    context = {"previous": previous, "owner": new_owner, "reason": reason}
    notify(recipient=new_owner.user, enquiry=enquiry, template="enquiry_reassigned", context=context, at=now)
    notify(recipient=enquiry.member.user, enquiry=enquiry, template="enquiry_new_owner", context=context, at=now)
    return enquiry


# --- Responses --------------------------------------------------------------------


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
    actor,
    reason: str,
    target_on: date,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    _require(enquiry.hold, actor)
    problem = holding_reply_target_errors(target_on, today=local_date(now))
    if problem:
        raise ValidationError({"target_on": problem})
    from_state = enquiry.state
    enquiry.hold(due_at=end_of_day(target_on), at=now)
    _reschedule(enquiry, now=now)
    _save(enquiry)
    reply = HoldingReply.objects.create(
        enquiry=enquiry, author=enquiry.owner, reason=reason, target_on=target_on, sent_at=now
    )
    _event(
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
    actor,
    text: str,
    marking: str,
    contains_personal_data: bool,
    attachments: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    _require(enquiry.answer, actor)
    if marking not in Marking.values:
        raise ValidationError({"marking": "Say whether the answer is confidential or may be shared with the public"})
    if contains_personal_data and not enquiry.may_release_personal_data():
        # 001 §8.2: without implicit consent, the constituent's data waits for their recorded consent.
        raise ValidationError(
            {"contains_personal_data": "Record the constituent's consent before sending an answer with personal data"}
        )
    from_state = enquiry.state
    enquiry.answer(at=now)
    _reschedule(enquiry, now=now)
    _save(enquiry)
    answer = Answer.objects.create(
        enquiry=enquiry,
        author=enquiry.owner,
        text=text,
        marking=marking,
        contains_personal_data=contains_personal_data,
        sent_at=now,
    )
    _save_attachments(enquiry, attachments, user=actor, answer=answer)
    _event(
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
    *, enquiry: Enquiry, actor, reasons: str, expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    """001 §7.1: a Head of Service or above declines an inappropriate enquiry, with reasons."""
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    _require(enquiry.decline, actor)
    from_state = enquiry.state
    enquiry.decline(at=now)
    _reschedule(enquiry, now=now)
    _save(enquiry)
    decline = Decline.objects.create(enquiry=enquiry, declined_by=actor.officer, reasons=reasons, declined_at=now)
    _event(
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
    *, enquiry: Enquiry, actor, reasons: str, expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    """001 §7.4: the member disputes a decline; the Chief Executive decides."""
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    _require(enquiry.dispute, actor)
    chief = head_of_paid_service()
    if chief is None:
        raise ValidationError(
            "The council has no Chief Executive recorded to decide the dispute. Contact Democratic Services."
        )
    from_state = enquiry.state
    enquiry.dispute(at=now, due_at=_response_due_at(now))
    _reschedule(enquiry, now=now)
    _save(enquiry)
    dispute = Dispute.objects.create(enquiry=enquiry, reasons=reasons, raised_at=now)
    assign_perm("cases.view_enquiry", chief.user, enquiry)
    _event(
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
    actor,
    decision: str,
    reasons: str,
    owner: Officer | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    """The Chief Executive upholds the decline (closed) or directs an answer with a fresh deadline."""
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    dispute = enquiry.disputes.filter(decided_at__isnull=True).latest("raised_at")
    from_state = enquiry.state
    if decision == Dispute.Decision.UPHELD:
        _require(enquiry.uphold_decline, actor)
        enquiry.uphold_decline(at=now)
        kind, note = TimelineEvent.Kind.DECLINE_UPHELD, f"The Chief Executive upheld the decline: {reasons}"
    elif decision == Dispute.Decision.DIRECTED:
        _require(enquiry.direct_answer, actor)
        owner = owner or enquiry.owner
        if owner.service_id != enquiry.service_id and owner.pk != enquiry.owner_id:
            raise ValidationError({"owner": f"Choose an officer in {enquiry.service}."})
        # Including the current owner: a declined enquiry kept its owner when a prohibition came (DESIGN §5).
        _refuse_prohibited(enquiry, owner, field="owner", now=now)
        previous_owner = enquiry.owner
        enquiry.direct_answer(owner=owner, at=now, due_at=_response_due_at(now))
        kind = TimelineEvent.Kind.ANSWER_DIRECTED
        note = (
            f"The Chief Executive directed an answer: {reasons} Owner: {owner.name}. "
            f"Due by the end of {enquiry.due_on:%A %-d %B %Y}."
        )
    else:
        raise ValidationError({"decision": "Choose whether to uphold the decline or direct an answer"})
    _reschedule(enquiry, now=now)
    _save(enquiry)
    dispute.decision = decision
    dispute.decision_reasons = reasons
    dispute.decided_by = actor.officer
    dispute.decided_at = now
    dispute.save()
    if decision == Dispute.Decision.DIRECTED:
        _grant_view(enquiry, owner)
        _event(
            enquiry,
            kind=kind,
            actor=actor,
            at=now,
            from_state=from_state,
            note=note,
            from_owner=previous_owner,
            to_owner=owner,
        )
        notify(recipient=owner.user, enquiry=enquiry, template="enquiry_directed", context={"dispute": dispute}, at=now)
    else:
        _event(enquiry, kind=kind, actor=actor, at=now, from_state=from_state, note=note)
    notify(
        recipient=enquiry.member.user,
        enquiry=enquiry,
        template="enquiry_dispute_decided",
        context={"dispute": dispute},
        at=now,
    )
    return enquiry


# --- The member's own actions ------------------------------------------------------


@transaction.atomic
def enquiry_withdraw(
    *, enquiry: Enquiry, actor, reason: str = "", expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    _require(enquiry.withdraw, actor)
    from_state = enquiry.state
    enquiry.withdraw(at=now)
    _reschedule(enquiry, now=now)
    _save(enquiry)
    _event(
        enquiry,
        kind=TimelineEvent.Kind.WITHDRAWN,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Withdrawn by the member. {reason}".strip(),
    )
    notify(
        recipient=enquiry.owner.user, enquiry=enquiry, template="enquiry_withdrawn", context={"reason": reason}, at=now
    )
    return enquiry


@transaction.atomic
def enquiry_reopen(
    *, enquiry: Enquiry, actor, follow_up: str, expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    """Within five working days of an answer the member may follow up, with a fresh deadline."""
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    if enquiry.state == EnquiryState.ANSWERED and not enquiry.reopen_window_open(now=now):
        raise ValidationError("The time to reopen this enquiry has passed. File a new enquiry instead.")
    _require(enquiry.reopen, actor)
    from_state = enquiry.state
    enquiry.reopen(at=now, due_at=_response_due_at(now))
    _reschedule(enquiry, now=now)
    _save(enquiry)
    _event(
        enquiry,
        kind=TimelineEvent.Kind.REOPENED,
        actor=actor,
        at=now,
        from_state=from_state,
        note=f"Reopened by the member with a follow-up: {follow_up} Due by the end of {enquiry.due_on:%A %-d %B %Y}.",
    )
    # DESIGN §5: a contact prohibition imposed since the answer sends the follow-up to the
    # Monitoring Officer's office, not to the officer the member may no longer contact.
    prohibition = contact_prohibition_for(member=enquiry.member, officer=enquiry.owner, on=local_date(now))
    if prohibition is not None:
        enquiry = enquiry_route_around_prohibition(enquiry=enquiry, prohibition=prohibition, actor=actor, now=now)
    notify(
        recipient=enquiry.owner.user,
        enquiry=enquiry,
        template="enquiry_reopened",
        context={"follow_up": follow_up},
        at=now,
    )
    return enquiry


@transaction.atomic
def enquiry_close(
    *, enquiry: Enquiry, actor, expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    _require(enquiry.close, actor)
    from_state = enquiry.state
    enquiry.close(at=now)
    _reschedule(enquiry, now=now)
    _save(enquiry)
    _event(
        enquiry,
        kind=TimelineEvent.Kind.CLOSED,
        actor=actor,
        at=now,
        from_state=from_state,
        note="Closed by the member: the answer settled it.",
    )
    return enquiry


# --- Consent and the calendar -----------------------------------------------------


@transaction.atomic
def enquiry_consent_record(
    *,
    enquiry: Enquiry,
    actor,
    given_by: str,
    given_on: date,
    method: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ConsentRecord:
    """001 §8.2: an officer records the constituent's explicit consent (who, when, how)."""
    now = _now(now)
    enquiry = _locked(enquiry, expected_version)
    if not enquiry.may_reassign(actor):
        raise PermissionDenied("Only the owner or a manager of the service can record consent.")
    if given_on > local_date(now):
        raise ValidationError({"given_on": "The date consent was given must be today or in the past"})
    record = ConsentRecord.objects.create(
        enquiry=enquiry, given_by=given_by, given_on=given_on, method=method, recorded_by=actor.officer, recorded_at=now
    )
    _save(enquiry)
    _event(
        enquiry,
        kind=TimelineEvent.Kind.CONSENT_RECORDED,
        actor=actor,
        at=now,
        note=f"Consent to share personal data recorded: given by {given_by} on {given_on:%-d %B %Y}, "
        f"{record.get_method_display().lower()}.",
    )
    return record


# A first deadline is at most this many calendar days after receipt (five working days
# across the Christmas closure), so a changed day can move only these receipt days' deadlines.
FIRST_DEADLINE_REACH_DAYS = 21


def _first_deadlines_recompute(days: Sequence[date], *, calendar) -> int:
    """Keep every enquiry's ``first_due_at`` (open or not) in step with the calendar: one
    UPDATE per receipt day whose first deadline the changed days could move."""
    tz = timezone.get_default_timezone()
    first = date.fromordinal(min(days).toordinal() - FIRST_DEADLINE_REACH_DAYS)
    moved = 0
    for ordinal in range(first.toordinal(), max(days).toordinal() + 1):
        day = date.fromordinal(ordinal)
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        due = end_of_day(calendar.add_working_days(day, settings.ENQUIRY_RESPONSE_WORKING_DAYS))
        moved += (
            Enquiry.objects.filter(received_at__gte=start, received_at__lt=start + timedelta(days=1))
            .exclude(first_due_at=due)
            .update(first_due_at=due)
        )
    return moved


@transaction.atomic
def enquiries_due_dates_recompute(*, days: Iterable[date], actor=None, now: datetime | None = None) -> int:
    """A closure day was added or removed: recompute the deadline, the reminder and the next
    climb of every open enquiry they touch, and say so on its timeline. Returns how many
    enquiries changed."""
    now = _now(now)
    days = sorted(set(days))
    if not days:
        return 0
    calendar = council_calendar()
    _first_deadlines_recompute(days, calendar=calendar)
    changed = 0
    first = days[0]
    candidates = (
        Enquiry.objects.select_for_update()
        .filter(state__in=OPEN_STATES, clock_started_at__date__lt=days[-1])
        .filter(Q(due_at__date__gte=first) | Q(remind_at__date__gte=first) | Q(escalate_at__date__gte=first))
    )
    last_scheduled = dict(
        EnquiryEscalation.objects.filter(enquiry__in=candidates)
        .values("enquiry_id")
        .annotate(last=Max("scheduled_at"))
        .values_list("enquiry_id", "last")
    )
    for enquiry in candidates:
        before = (enquiry.due_at, enquiry.remind_at, enquiry.escalate_at)
        # A holding reply's target is a date the officer chose, so it stays; enquiries awaiting
        # an answer or a dispute decision are on a five-working-day clock, which is recomputed.
        if enquiry.state != EnquiryState.HOLDING_REPLY:
            enquiry.due_at = end_of_day(
                calendar.add_working_days(local_date(enquiry.clock_started_at), settings.ENQUIRY_RESPONSE_WORKING_DAYS)
            )
        last = last_scheduled.get(enquiry.pk)
        if last is not None and last > enquiry.due_at:
            # Already climbing past this deadline: the next climb moves with the working days.
            if enquiry.escalate_at is not None:
                enquiry.escalate_at = next_climb_time(last, calendar=calendar)
        else:
            _reschedule(enquiry, now=now)
        if (enquiry.due_at, enquiry.remind_at, enquiry.escalate_at) == before:
            continue
        Enquiry.objects.filter(pk=enquiry.pk).update(
            due_at=enquiry.due_at,
            remind_at=enquiry.remind_at,
            escalate_at=enquiry.escalate_at,
            version=F("version") + 1,
        )
        if enquiry.due_at != before[0]:
            TimelineEvent.objects.create(
                enquiry=enquiry,
                kind=TimelineEvent.Kind.DUE_DATE_CHANGED,
                actor=actor,
                at=now,
                note=f"The council's closure days changed, so the due date moved from "
                f"{local_date(before[0]):%A %-d %B %Y} to {enquiry.due_on:%A %-d %B %Y}.",
            )
        else:
            TimelineEvent.objects.create(
                enquiry=enquiry,
                kind=TimelineEvent.Kind.DUE_DATE_CHANGED,
                actor=actor,
                at=now,
                internal=True,
                note="The council's closure days changed, so the next escalation moved to "
                f"{local_date(enquiry.escalate_at):%A %-d %B %Y}."
                if enquiry.escalate_at
                else "The council's closure days changed; no further escalation is due.",
            )
        changed += 1
    return changed
