"""Filing an enquiry and sending it to the right officer (001 §7.1, §8; DESIGN §3, §5):
routing, consent, reassignment within the service, and the Monitoring Officer's office
taking the enquiries a contact prohibition covers, and moving a misrouted enquiry to the
service that should answer it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.enquiries.models import (
    AWAITING_RESPONSE,
    OPEN_STATES,
    ConsentRecord,
    Enquiry,
    Purpose,
)
from cases.enquiries.services.common import (
    cover_acting,
    covering_words,
    enquiry_event,
    enquiry_locked,
    enquiry_reschedule,
    enquiry_view_grant,
    notify,
    prohibited_owner_refuse,
    prohibition_covers,
    response_due_at,
)
from cases.shared.attachments import attachments_save
from cases.shared.models import TimelineEvent
from cases.shared.references import next_reference
from cases.shared.submissions import refuse_resubmission
from cases.shared.versions import version_save
from escalation.calendar import local_date
from escalation.routing import Route, enquiry_route
from people.models import ContactProhibition, Member, Officer, Service, Ward
from people.selectors import monitoring_officer


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
    now = now or timezone.now()
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
    reference = next_reference("ENQ", local_date(now).year)
    refuse_resubmission(Enquiry, submission_key)
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
        due_at=response_due_at(now),
    )
    enquiry.first_due_at = enquiry.due_at
    enquiry_reschedule(enquiry, now=now)
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
    enquiry_view_grant(enquiry, owner)
    attachments_save(attachments, enquiry=enquiry, user=member.user)
    due = f"{enquiry.due_on:%A %-d %B %Y}"
    # DESIGN §5: the member is told why it went to the Monitoring Officer's office.
    routed = f"Routed to {owner.name}, {owner.job_title}{route_because(route)}"
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.FILED,
        actor=member.user,
        at=now,
        from_state="",
        to_owner=owner,
        note=f"Filed by {member}. {routed}. Due by the end of {due}.",
    )
    context = {"owner": owner, "member": member, "prohibition": route.prohibition, "covering_for": route.covering_for}
    notify(recipient=member.user, enquiry=enquiry, template="enquiry_acknowledged", context=context, at=now)
    notify(recipient=owner.user, enquiry=enquiry, template="enquiry_assigned", context=context, at=now)
    return enquiry


@transaction.atomic
def enquiry_route_around_prohibition(
    *, enquiry: Enquiry, prohibition: ContactProhibition, actor: User | None = None, now: datetime | None = None
) -> Enquiry:
    """A new contact prohibition covers this open enquiry's owner: it moves to the
    Monitoring Officer's office (DESIGN §5), and the member is told."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, None)
    office = monitoring_officer()
    if office is None or office.pk == enquiry.owner_id:
        return enquiry
    previous = enquiry.owner
    enquiry.owner = office
    version_save(enquiry)
    enquiry_view_grant(enquiry, office)
    note = (
        f"Moved from {previous.name} to {office.name}, {office.job_title}, the Monitoring Officer's office, "
        f"because a contact prohibition is now in force (no contact with {prohibition.covers}, {prohibition.period})."
    )
    enquiry_event(
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
    actor: User,
    new_owner: Officer,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    """The owner (or a manager of the service) hands the enquiry to a colleague in the service."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    if not enquiry.may_reassign(actor):
        raise PermissionDenied("Only the owner or a manager of the service can reassign this enquiry.")
    if new_owner.pk == enquiry.owner_id:
        raise ValidationError({"new_owner": "Choose someone other than the current owner."})
    if new_owner.service_id != enquiry.service_id or not new_owner.is_serving():
        raise ValidationError({"new_owner": f"Choose a serving officer in {enquiry.service}."})
    prohibited_owner_refuse(enquiry, new_owner, field="new_owner", now=now)
    away = cover_acting(enquiry, actor)
    by = f" By {actor.officer.name}{covering_words(away)}." if away is not None else ""
    previous = enquiry.owner
    enquiry.owner = new_owner
    version_save(enquiry)
    enquiry_view_grant(enquiry, new_owner)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.REASSIGNED,
        actor=actor,
        at=now,
        from_owner=previous,
        to_owner=new_owner,
        note=f"Reassigned from {previous.name} to {new_owner.name}, {new_owner.job_title}.{by} {reason}".strip(),
    )
    context = {"previous": previous, "owner": new_owner, "reason": reason}
    notify(recipient=new_owner.user, enquiry=enquiry, template="enquiry_reassigned", context=context, at=now)
    notify(recipient=enquiry.member.user, enquiry=enquiry, template="enquiry_new_owner", context=context, at=now)
    return enquiry


@transaction.atomic
def enquiry_move(
    *,
    enquiry: Enquiry,
    actor: User,
    service: Service,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Enquiry:
    """A misrouted enquiry goes to the service that should answer it (issue 15 A2): to that
    service's Councillor Liaison Officer, else its Head of Service, or to the Monitoring
    Officer's office while a contact prohibition covers them, as a new enquiry would
    (DESIGN §3, §5). The owner or a manager of the service moves it, with a reason.

    The clock keeps running from receipt, since the councillor asked once (001 §7.1): the
    due date, the reminder and the next climb stay as they were, and later climbs follow
    the new service's ladder (escalation.deadlines.service_ladders reads the enquiry's
    service when it climbs). The councillor, the new owner and both services' Heads of
    Service are told; the timeline says from where, to whom and why."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    if enquiry.state not in AWAITING_RESPONSE or not enquiry.may_reassign(actor):
        raise PermissionDenied("Only the owner or a manager of the service can move this enquiry to another service.")
    if service.pk == enquiry.service_id:
        raise ValidationError({"service": f"The enquiry is already with {service}. Choose another service."})
    route = enquiry_route(service=service, member=enquiry.member, on=local_date(now))
    owner = route.owner
    if owner is None:
        raise ValidationError(
            {
                "service": f"{service} has no Councillor Liaison Officer or Head of Service to answer it. "
                "Choose another service or contact Democratic Services."
            }
        )
    away = cover_acting(enquiry, actor)
    by = f" By {actor.officer.name}{covering_words(away)}." if away is not None else ""
    previous_service, previous = enquiry.service, enquiry.owner
    enquiry.service, enquiry.owner = service, owner
    version_save(enquiry)
    enquiry_view_grant(enquiry, owner)
    because = route_because(route)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.MOVED,
        actor=actor,
        at=now,
        from_owner=previous,
        to_owner=owner,
        note=f"Moved from {previous_service} to {service}, now owned by {owner.name}, {owner.job_title}{because}.{by} "
        f"The due date does not change. Why: {reason.strip()}",
    )
    context = {
        "previous": previous,
        "previous_service": previous_service,
        "owner": owner,
        "reason": reason.strip(),
        "because": because,
        "mover": actor.get_full_name() or actor.username,
    }
    notify(recipient=enquiry.member.user, enquiry=enquiry, template="enquiry_moved_member", context=context, at=now)
    told = {actor.pk, enquiry.member.user_id}
    # Around a prohibition the Monitoring Officer's office owns it: the new service is not involved.
    new_head = service.head_of_service if route.prohibition is None else None
    for officer, template in (
        (owner, "enquiry_moved_in"),
        (new_head, "enquiry_moved_in"),
        (previous, "enquiry_moved_away"),
        (previous_service.head_of_service, "enquiry_moved_away"),
    ):
        if officer is None or officer.user_id in told or not officer.is_serving(on=local_date(now)):
            continue
        told.add(officer.user_id)
        notify(recipient=officer.user, enquiry=enquiry, template=template, context=context, at=now)
    return enquiry


def route_because(route: Route) -> str:
    """Why a route did not go to the service's own first owner, as words to follow the
    owner's name and job title: the owner covers for them while they are away (issue 15
    C11), or a contact prohibition sent it to the Monitoring Officer's office (DESIGN §5).
    Empty for an ordinary route."""
    covering = f", covering for {route.covering_for.name} while they are away" if route.covering_for else ""
    if route.prohibition is None:
        return covering
    return (
        f"{covering}, the Monitoring Officer's office, because a contact prohibition is in force "
        f"({prohibition_covers(route)})"
    )


def enquiry_owner_because(enquiry: Enquiry, *, now: datetime | None = None) -> str:
    """``route_because`` for the enquiry as routed today, when its owner is who the route
    gives: for the banner after filing or moving it."""
    route = enquiry_route(service=enquiry.service, member=enquiry.member, on=local_date(now or timezone.now()))
    if route.owner is None or route.owner.pk != enquiry.owner_id:
        return ""
    return route_because(route)


@transaction.atomic
def enquiry_consent_record(
    *,
    enquiry: Enquiry,
    actor: User,
    given_by: str,
    given_on: date,
    method: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ConsentRecord:
    """001 §8.2: an officer records the constituent's explicit consent (who, when, how)."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    if not enquiry.may_reassign(actor):
        raise PermissionDenied("Only the owner or a manager of the service can record consent.")
    if given_on > local_date(now):
        raise ValidationError({"given_on": "The date consent was given must be today or in the past"})
    away = cover_acting(enquiry, actor)
    record = ConsentRecord.objects.create(
        enquiry=enquiry, given_by=given_by, given_on=given_on, method=method, recorded_by=actor.officer, recorded_at=now
    )
    version_save(enquiry)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.CONSENT_RECORDED,
        actor=actor,
        at=now,
        note=f"Consent to share personal data recorded: given by {given_by} on {given_on:%-d %B %Y}, "
        f"{record.get_method_display().lower()}."
        + (f" Recorded by {actor.officer.name}{covering_words(away)}." if away is not None else ""),
    )
    return record


def enquiries_route_around_prohibition(prohibition: ContactProhibition, *, actor: User | None, now: datetime) -> int:
    """A prohibition in force today moves the member's open enquiries owned by a covered
    officer to the Monitoring Officer's office (DESIGN §5), and tells the member. Returns
    how many moved."""
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
    start later takes hold on its first day; a prohibition's own sanction does it at once
    (cases.shared.signals.contact_prohibition_recorded). Two queries when nothing is to
    move. Returns how many enquiries moved."""
    now = now or timezone.now()
    moved = 0
    for prohibition in ContactProhibition.objects.active(on=local_date(now)):
        moved += enquiries_route_around_prohibition(prohibition, actor=None, now=now)
    return moved
