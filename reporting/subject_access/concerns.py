"""Concerns in a subject access export: every concern the subject raised, is the subject of,
handled or acted on, each in a file of its own, and the contact prohibitions sanctions imposed
(000 §VIII). Whoever raised a concern about the subject is "[redacted: complainant]".

The internal record of a concern (the notes of those handling and reviewing it, informal
actions, sanctions, referrals, who was told what) is the personal data above all of the person
it is about, and they get it, other people redacted. Anyone else gets it only while they read it
on the concern's page (``concerns_with_internal_record``): not the complainant, who is told the
outcome (001 §6.1), nor a past handler, who lost sight of it when the concern moved on; what they
wrote themselves they get, and the file says how much else was left out (DPA 2018 Sch. 2 para. 16).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from cases.concerns.selectors import concerns_with_internal_record
from cases.models import (
    Attachment,
    Concern,
    ConcernUserObjectPermission,
    ExternalReferral,
    InformalAction,
    Notification,
    Sanction,
    TimelineEvent,
)
from people.models import ContactProhibition
from reporting.subject_access.case_files import attachments_section, timeline_section
from reporting.subject_access.export import Doc, Export, Free, export_kind, when, yes_no
from reporting.subject_access.redaction import label


def concerns_of(x: Export) -> QuerySet[Concern]:
    """Every concern the subject raised, is the subject of, handled, acted on, joined or was
    told about: one query."""
    user = x.subject
    found = Q(complainant_user=user) | Q(shared_with_subject_by=user)
    found |= Q(pk__in=TimelineEvent.objects.filter(actor=user, concern__isnull=False).values("concern_id"))
    found |= Q(pk__in=Attachment.objects.filter(uploaded_by=user, concern__isnull=False).values("concern_id"))
    found |= Q(pk__in=ConcernUserObjectPermission.objects.filter(user=user).values("content_object_id"))
    found |= Q(pk__in=Notification.objects.filter(recipient=user, concern__isnull=False).values("concern_id"))
    if x.member is not None:
        found |= Q(subject_member=x.member) | Q(pk__in=Sanction.objects.filter(member=x.member).values("concern_id"))
    if (officer := x.officer) is not None:
        found |= Q(subject_officer=officer) | Q(owner=officer)
        found |= Q(
            pk__in=TimelineEvent.objects.filter(Q(from_owner=officer) | Q(to_owner=officer)).values("concern_id")
        )
        found |= Q(pk__in=InformalAction.objects.filter(recorded_by=officer).values("concern_id"))
        found |= Q(pk__in=Sanction.objects.filter(Q(officer=officer) | Q(recorded_by=officer)).values("concern_id"))
        found |= Q(pk__in=ExternalReferral.objects.filter(referred_by=officer).values("concern_id"))
    return Concern.objects.filter(found)


def _concern_role(x: Export, concern: Concern) -> str:
    roles = []
    if concern.complainant_user_id == x.subject.pk:
        roles.append("you raised it")
    if (x.member and concern.subject_member_id == x.member.pk) or (
        x.officer and concern.subject_officer_id == x.officer.pk
    ):
        roles.append("it is about you")
    if x.officer is not None and concern.owner_id == x.officer.pk:
        roles.append("you are handling it")
    return "; ".join(roles) or "you handled, joined or acted on it, or were told about it"


def _complainant(x: Export, concern: Concern) -> str:
    # ICO: the identity of a complainant is their personal data; only the complainant sees their own.
    if concern.complainant_user_id == x.subject.pk:
        return x.you()
    x.linked.add(concern.complainant_user_id)
    return label("complainant")


def _concern_subject(x: Export, concern: Concern) -> str:
    return x.member_(concern.subject_member_id) or x.officer_(concern.subject_officer_id)


@export_kind(
    "concerns",
    title="Concerns",
    explains="concerns.csv lists every concern you raised, that is about you, or that you handled, joined "
    "or acted on; concerns/ holds one file for each, with what happened, the behaviours cited, informal "
    "actions, sanctions, referrals, attachments and timeline. Whoever raised a concern about you is shown "
    "as [redacted: complainant]. The internal record of those handling or reviewing a concern (their notes and "
    "actions) is included when the concern is about you or the portal shows it to you; otherwise only what "
    "you wrote, and the file says how many entries were left out.",
)
def concerns(x: Export) -> int:
    concerns = list(
        concerns_of(x)
        .annotate(reads_internal_record=Exists(concerns_with_internal_record(x.subject).filter(pk=OuterRef("pk"))))
        .prefetch_related(
            "behaviours",
            "informal_actions",
            "referrals",
            Prefetch(
                "sanctions", queryset=Sanction.objects.select_related("prohibition").prefetch_related("committees")
            ),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch("timeline", queryset=TimelineEvent.objects.order_by("at", "pk")),
        )
        .order_by("raised_at", "pk")
    )
    rows = []
    for concern in concerns:
        rows.append(
            [
                concern.reference,
                when(concern.raised_at),
                concern.get_kind_display(),
                concern.get_state_display(),
                _complainant(x, concern),
                _concern_subject(x, concern),
                _concern_role(x, concern),
                f"concerns/{concern.reference}.txt",
            ]
        )
        x.doc(f"concerns/{concern.reference}.txt", _concern_doc(x, concern))
    x.csv("concerns.csv", ["Reference", "Raised", "Kind", "State", "Raised by", "About", "Your part", "File"], rows)
    return len(concerns)


def _concern_doc(x: Export, concern: Concern) -> Doc:
    doc = Doc(f"Concern {concern.reference}")
    doc.field("Kind", concern.get_kind_display())
    doc.field("Your part", _concern_role(x, concern))
    doc.field("Raised by", _complainant(x, concern))
    doc.field("About", _concern_subject(x, concern))
    doc.field("Raised", when(concern.raised_at))
    doc.field("When it happened", when(concern.occurred_on))
    doc.field("State", concern.get_state_display())
    doc.field("Handler now", x.officer_(concern.owner_id) or "none")
    doc.field("Safeguarding", yes_no(concern.safeguarding))
    doc.field("Complainant felt able to talk directly", yes_no(concern.feels_able_to_talk))
    doc.field("Closed", when(concern.closed_at))
    doc.field("Shared with its subject", when(concern.shared_with_subject_at) or "no")
    doc.field("Behaviours cited", ", ".join(behaviour.name for behaviour in concern.behaviours.all()) or "none")
    doc.text("What happened", concern.what_happened)
    doc.text("Outcome", concern.outcome)
    full = _full_record(x, concern)
    events = list(concern.timeline.all())
    actions = list(concern.informal_actions.all())
    sanctions = list(concern.sanctions.all())
    referrals = list(concern.referrals.all())
    if not full:
        officer_id = x.officer.pk if x.officer is not None else None
        kept = (
            [event for event in events if not event.internal or event.actor_id == x.subject.pk],
            [action for action in actions if action.recorded_by_id == officer_id],
            [sanction for sanction in sanctions if sanction.recorded_by_id == officer_id],
            [referral for referral in referrals if referral.referred_by_id == officer_id],
        )
        left_out = len(events) + len(actions) + len(sanctions) + len(referrals) - sum(map(len, kept))
        events, actions, sanctions, referrals = kept
        if left_out:
            doc.field(
                "Not included",
                f"{left_out} entries of the internal record of those handling or reviewing the concern (their "
                "notes and actions, and who was told what), which the portal does not show you",
            )
    if actions:
        doc.heading("Informal actions")
        for action in actions:
            given = f", given by {action.get_given_by_display().lower()}" if action.given_by else ""
            doc.line(
                f"{when(action.recorded_at)}: {action.get_kind_display()}{given}; "
                f"recorded by {x.officer_(action.recorded_by_id)}"
            )
            doc.line(Free(action.details, indent="    "))
    if sanctions:
        doc.heading("Sanctions")
        for sanction in sanctions:
            on = x.member_(sanction.member_id) or x.officer_(sanction.officer_id)
            doc.line(
                f"{when(sanction.recorded_at)}: {sanction.get_kind_display()}, on {on}; "
                f"recorded by {x.officer_(sanction.recorded_by_id)}"
            )
            if committees := [committee.name for committee in sanction.committees.all()]:
                doc.line(f"    Committees: {', '.join(committees)}")
            if sanction.prohibition is not None:
                doc.line(f"    Contact prohibition: {_prohibition_words(x, sanction.prohibition)}")
            if sanction.disciplinary_reference:
                doc.line(f"    Disciplinary reference: {sanction.disciplinary_reference}")
            if sanction.details:
                doc.line(Free(sanction.details, indent="    "))
    if referrals:
        doc.heading("External referrals")
        for referral in referrals:
            doc.line(
                f"{when(referral.referred_at)}: {referral.get_kind_display()}; "
                f"referred by {x.officer_(referral.referred_by_id)}"
            )
            if referral.independent_person:
                doc.line(f"    Independent Person: {label('Independent Person')}")
            doc.line(Free(referral.details, indent="    "))
    attachments_section(x, doc, concern.attachments.all())
    timeline_section(x, doc, events)
    return doc


def _full_record(x: Export, concern: Concern) -> bool:
    """The whole internal record for the person it is about, and for those who read it in the portal."""
    about_them = (x.member is not None and concern.subject_member_id == x.member.pk) or (
        x.officer is not None and concern.subject_officer_id == x.officer.pk
    )
    return about_them or concern.reads_internal_record  # type: ignore[attr-defined]  # annotated in concerns()


def _prohibition_words(x: Export, prohibition: ContactProhibition) -> str:
    if prohibition.scope == ContactProhibition.Scope.OFFICER:
        covers = x.officer_(prohibition.officer_id)
    elif prohibition.scope == ContactProhibition.Scope.SERVICE:
        covers = f"the officers of {prohibition.service}"
    else:
        covers = "any officer"
    return f"no contact with {covers}, {prohibition.period}"


@export_kind(
    "contact_prohibitions",
    title="Contact prohibitions",
    explains="contact-prohibitions.csv: prohibitions on your contacting officers (if you are a councillor), "
    "or on a councillor contacting you by name (if you are an officer), with the concern that imposed each.",
)
def contact_prohibitions(x: Export) -> int:
    found = Q(pk__in=[])
    if x.member is not None:
        found |= Q(member=x.member)
    if x.officer is not None:
        found |= Q(officer=x.officer)
    prohibitions = list(
        ContactProhibition.objects.filter(found)
        .select_related("service", "sanction__concern")
        .order_by("starts_on", "pk")
    )
    rows = []
    for prohibition in prohibitions:
        sanction = getattr(prohibition, "sanction", None)
        rows.append(
            [
                x.member_(prohibition.member_id),
                prohibition.get_scope_display(),
                _prohibition_words(x, prohibition),
                when(prohibition.starts_on),
                when(prohibition.ends_on) or "indefinitely",
                sanction.concern.reference if sanction else "",
            ]
        )
    x.csv("contact-prohibitions.csv", ["Councillor", "Scope", "Prohibition", "Starts", "Ends", "Concern"], rows)
    return len(prohibitions)
