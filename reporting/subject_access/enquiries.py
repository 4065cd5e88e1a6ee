"""Enquiries in a subject access export: every enquiry the subject filed, owned, acted on,
was told about or could see, each in a file of its own.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from cases.models import (
    Answer,
    Attachment,
    ConsentRecord,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryUserObjectPermission,
    HoldingReply,
    Notification,
    TimelineEvent,
)
from reporting.subject_access.case_files import attachments_section, timeline_section
from reporting.subject_access.export import Doc, Export, Free, export_kind, when, yes_no
from reporting.subject_access.redaction import label


def enquiries_of(x: Export) -> QuerySet[Enquiry]:
    """Every enquiry the subject filed, owned, acted on, was told about or was given access to:
    one query, each way in a subquery."""
    user = x.subject
    found = Q(pk__in=TimelineEvent.objects.filter(actor=user, enquiry__isnull=False).values("enquiry_id"))
    found |= Q(pk__in=Attachment.objects.filter(uploaded_by=user, enquiry__isnull=False).values("enquiry_id"))
    found |= Q(pk__in=EnquiryUserObjectPermission.objects.filter(user=user).values("content_object_id"))
    found |= Q(pk__in=Notification.objects.filter(recipient=user, enquiry__isnull=False).values("enquiry_id"))
    if x.member is not None:
        found |= Q(member=x.member)
    if (officer := x.officer) is not None:
        found |= Q(owner=officer)
        found |= Q(
            pk__in=TimelineEvent.objects.filter(Q(from_owner=officer) | Q(to_owner=officer)).values("enquiry_id")
        )
        found |= Q(
            pk__in=EnquiryEscalation.objects.filter(Q(from_owner=officer) | Q(to_owner=officer)).values("enquiry_id")
        )
        for model, key in (
            (HoldingReply, "author"),
            (Answer, "author"),
            (Decline, "declined_by"),
            (Dispute, "decided_by"),
            (ConsentRecord, "recorded_by"),
        ):
            found |= Q(pk__in=model.objects.filter(**{key: officer}).values("enquiry_id"))
    return Enquiry.objects.filter(found)


def _enquiry_role(x: Export, enquiry: Enquiry) -> str:
    roles = []
    if x.member is not None and enquiry.member_id == x.member.pk:
        roles.append("you filed it")
    if x.officer is not None and enquiry.owner_id == x.officer.pk:
        roles.append("you own it")
    return "; ".join(roles) or "you acted on it, were told about it or could see it"


@export_kind(
    "enquiries",
    title="Enquiries",
    explains="enquiries.csv lists every enquiry you filed, were assigned, acted on or were told about; "
    "enquiries/ holds one file for each, with its details, holding replies, answers, declines, disputes, "
    "consent records, escalations, attachments and timeline.",
)
def enquiries(x: Export) -> int:
    enquiries = list(
        enquiries_of(x)
        .select_related("service", "ward")
        .prefetch_related(
            "holding_replies",
            "declines",
            "disputes",
            "consent_records",
            "escalations",
            Prefetch("answers", queryset=Answer.objects.order_by("sent_at")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch("timeline", queryset=TimelineEvent.objects.order_by("at", "pk")),
        )
        .order_by("received_at", "pk")
    )
    rows = []
    for enquiry in enquiries:
        rows.append(
            [
                enquiry.reference,
                when(enquiry.received_at),
                Free(enquiry.subject),
                enquiry.service.name,
                enquiry.get_state_display(),
                x.member_(enquiry.member_id),
                x.officer_(enquiry.owner_id),
                _enquiry_role(x, enquiry),
                f"enquiries/{enquiry.reference}.txt",
            ]
        )
        x.doc(f"enquiries/{enquiry.reference}.txt", _enquiry_doc(x, enquiry))
    x.csv(
        "enquiries.csv",
        ["Reference", "Received", "Subject", "Service", "State", "Filed by", "Owner", "Your part", "File"],
        rows,
    )
    return len(enquiries)


def _enquiry_doc(x: Export, enquiry: Enquiry) -> Doc:
    doc = Doc(f"Enquiry {enquiry.reference}")
    doc.line("Subject: ", Free(enquiry.subject))
    doc.field("Your part", _enquiry_role(x, enquiry))
    doc.field("Filed by", x.member_(enquiry.member_id))
    doc.field("Received", when(enquiry.received_at))
    doc.field("Service", enquiry.service.name)
    doc.field("Ward", enquiry.ward.name if enquiry.ward else "")
    doc.field("Purpose", enquiry.get_purpose_display())
    doc.field("State", enquiry.get_state_display())
    doc.field("Owner", x.officer_(enquiry.owner_id))
    doc.field("Due", when(enquiry.due_at))
    doc.field("Answered", when(enquiry.answered_at))
    doc.field("Closed", when(enquiry.closed_at))
    doc.field("Constituent lives in the ward", yes_no(enquiry.constituent_lives_in_ward))
    doc.field("Acting for the constituent", yes_no(enquiry.acting_for_constituent))
    doc.field("Information needed for their complaint", yes_no(enquiry.information_needed_for_complaint))
    doc.field("Explicit consent needed", yes_no(enquiry.explicit_consent_needed))
    doc.text("Details", enquiry.details)
    if replies := list(enquiry.holding_replies.all()):
        doc.heading("Holding replies")
        for reply in replies:
            doc.line(f"{when(reply.sent_at)}, by {x.officer_(reply.author_id)}, new target {when(reply.target_on)}")
            doc.line(Free(reply.reason, indent="    "))
            if reply.status != HoldingReply.Status.WITHIN_LIMITS:
                # Issue 15 A3: a later date needing agreement, and what became of it.
                doc.line(f"    {reply.get_status_display()}")
                if reply.decision_note:
                    doc.line(Free(reply.decision_note, indent="    "))
    attachments_by_answer: dict[int, list[Attachment]] = {}
    for attachment in enquiry.attachments.all():
        attachments_by_answer.setdefault(attachment.answer_id, []).append(attachment)
    if answers := list(enquiry.answers.all()):
        doc.heading("Answers")
        for answer in answers:
            doc.line(f"{when(answer.sent_at)}, by {x.officer_(answer.author_id)} ({answer.get_marking_display()})")
            doc.line(Free(answer.text, indent="    "))
    if declines := list(enquiry.declines.all()):
        doc.heading("Declines")
        for decline in declines:
            doc.line(f"{when(decline.declined_at)}, by {x.officer_(decline.declined_by_id)}")
            doc.line(Free(decline.reasons, indent="    "))
    if disputes := list(enquiry.disputes.all()):
        doc.heading("Disputes")
        for dispute in disputes:
            doc.line(f"Raised {when(dispute.raised_at)}:")
            doc.line(Free(dispute.reasons, indent="    "))
            if dispute.decision:
                doc.line(
                    f"Decided {when(dispute.decided_at)} by {x.officer_(dispute.decided_by_id)}: "
                    f"{dispute.get_decision_display()}"
                )
                doc.line(Free(dispute.decision_reasons, indent="    "))
    if consents := list(enquiry.consent_records.all()):
        doc.heading("Consent records")
        for consent in consents:
            x.constituents.add(consent.given_by)
            doc.line(
                f"{label('constituent')} gave consent on {when(consent.given_on)} ({consent.get_method_display()}); "
                f"recorded {when(consent.recorded_at)} by {x.officer_(consent.recorded_by_id)}"
            )
    if escalations := list(enquiry.escalations.all()):
        doc.heading("Escalations")
        for escalation in escalations:
            doc.line(
                f"{when(escalation.escalated_at)}: rung {escalation.rung}, from {x.officer_(escalation.from_owner_id)} "
                f"to {x.officer_(escalation.to_owner_id)} (deadline missed: {when(escalation.due_at)})"
            )
    attachments_section(x, doc, enquiry.attachments.all())
    timeline_section(x, doc, enquiry.timeline.all())
    return doc
