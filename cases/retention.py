"""Disposal of the cases' personal data under the retention schedule (UK GDPR Article
5(1)(e); docs/retention.md). Called only by the ``retention`` app's nightly run, a batch
of ids at a time inside its transaction.

Anonymising keeps every row the dashboards count (reporting.summaries): an enquiry's
dates, service, ward, state, escalations, declines and disputes; a concern's kind, state,
stages, behaviours and dates; the timeline's kinds and states. What goes is what says who
or what happened: text is blanked, constituents' details removed, and people are replaced
by the placeholders of people.retention.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from cases.briefings.models import Briefing, BriefingOffer, BriefingResponseChange
from cases.concerns.models import (
    CONCERN_OPEN_STATES,
    Concern,
    ConcernGroupObjectPermission,
    ConcernUserObjectPermission,
    ExternalReferral,
    InformalAction,
    Sanction,
)
from cases.enquiries.models import (
    Answer,
    ConsentRecord,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
    EnquiryUserObjectPermission,
    HoldingReply,
)
from cases.notices.models import WardNotice, WardNoticeRecipient
from cases.positive.models import PositiveExample
from cases.shared.models import Attachment, Notification, TimelineEvent
from people.models import ContactProhibition
from people.retention import (
    contact_prohibitions_anonymise,
    placeholder_member,
    placeholder_officer,
    placeholder_user,
    retention_writes_allowed,
)

ANONYMISED_ENQUIRY = "Anonymised enquiry"
ANONYMISED_EXAMPLE = "Anonymised positive example"

# An enquiry is finished when nothing more is owed on it: closed or withdrawn, answered
# (the member may reopen only within days), or declined (a dispute comes soon after, or not).
ENQUIRY_FINISHED_STATES = [EnquiryState.CLOSED, EnquiryState.WITHDRAWN, EnquiryState.ANSWERED, EnquiryState.DECLINED]


# --- When a case's period starts ------------------------------------------------------------


def enquiries_finished_before(before: datetime) -> models.QuerySet[Enquiry]:
    """Enquiries finished before ``before``: counted from closing or withdrawal, else the
    answer, else the decline (its first response)."""
    return (
        Enquiry.objects.filter(state__in=ENQUIRY_FINISHED_STATES)
        .annotate(finished_at=Coalesce("closed_at", "answered_at", "responded_at"))
        .filter(finished_at__lt=before)
    )


def concerns_finished_before(before: datetime, *, today: date) -> models.QuerySet[Concern]:
    """Concerns that left the ladder before ``before``, except those whose sanction's contact
    prohibition is still in force or yet to start (DESIGN §5: the dashboards count those in
    force, and routing honours them)."""
    in_force = ContactProhibition.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), sanction__concern=OuterRef("pk")
    )
    return Concern.objects.exclude(state__in=CONCERN_OPEN_STATES).filter(closed_at__lt=before).exclude(Exists(in_force))


# --- Enquiries -----------------------------------------------------------------------------


def enquiries_due(*, before: datetime) -> models.QuerySet[Enquiry]:
    return enquiries_finished_before(before).filter(anonymised_at__isnull=True)


def enquiries_anonymise(*, ids: Iterable[int], now: datetime) -> int:
    """Subject and details, answers, holding replies, declines, disputes and the constituent's
    consent lose their text; the member and every officer become the placeholders; the
    object permissions that let people open it go."""
    ids = list(ids)
    member, officer = placeholder_member(), placeholder_officer()
    count = Enquiry.objects.filter(pk__in=ids).update(
        subject=ANONYMISED_ENQUIRY,
        details="",
        member=member,
        owner=officer,
        anonymised_at=now,
        version=models.F("version") + 1,
    )
    HoldingReply.objects.filter(enquiry__in=ids).update(reason="", author=officer)
    Answer.objects.filter(enquiry__in=ids).update(text="", author=officer)
    Decline.objects.filter(enquiry__in=ids).update(reasons="", declined_by=officer)
    disputes = Dispute.objects.filter(enquiry__in=ids)
    disputes.update(reasons="", decision_reasons="")
    disputes.filter(decided_by__isnull=False).update(decided_by=officer)
    # 001 §8.2: the constituent's name is the personal data the consent was about.
    ConsentRecord.objects.filter(enquiry__in=ids).update(given_by="", recorded_by=officer)
    EnquiryEscalation.objects.filter(enquiry__in=ids).update(from_owner=officer, to_owner=officer)
    EnquiryUserObjectPermission.objects.filter(content_object__in=ids).delete()
    return count


# --- Concerns ------------------------------------------------------------------------------


def concerns_due(*, before: datetime, today: date) -> models.QuerySet[Concern]:
    return concerns_finished_before(before, today=today).filter(anonymised_at__isnull=True)


def concerns_anonymise(*, ids: Iterable[int], now: datetime) -> int:
    """What happened, the outcome, informal actions, sanctions and referrals lose their text;
    both parties, the handler and everyone who recorded something become the placeholders.
    Kind, state, service, safeguarding flag, behaviours and dates stay (the dashboards)."""
    ids = list(ids)
    member, officer, someone = placeholder_member(), placeholder_officer(), placeholder_user()
    concerns = Concern.objects.filter(pk__in=ids)
    # The complainant's account follows the complainant (concern_between_a_member_and_an_officer).
    concerns.filter(complainant_member__isnull=False).update(complainant_member=member, complainant_user=member.user)
    concerns.filter(complainant_officer__isnull=False).update(
        complainant_officer=officer, complainant_user=officer.user
    )
    concerns.filter(subject_member__isnull=False).update(subject_member=member)
    concerns.filter(subject_officer__isnull=False).update(subject_officer=officer)
    concerns.filter(owner__isnull=False).update(owner=officer)
    concerns.filter(shared_with_subject_by__isnull=False).update(shared_with_subject_by=someone)
    count = concerns.update(what_happened="", outcome="", anonymised_at=now, version=models.F("version") + 1)
    InformalAction.objects.filter(concern__in=ids).update(details="", recorded_by=officer)
    sanctions = Sanction.objects.filter(concern__in=ids)
    sanctions.update(details="", disciplinary_reference="", recorded_by=officer)
    sanctions.filter(member__isnull=False).update(member=member)
    sanctions.filter(officer__isnull=False).update(officer=officer)
    contact_prohibitions_anonymise(
        ids=sanctions.filter(prohibition__isnull=False).values_list("prohibition_id", flat=True)
    )
    ExternalReferral.objects.filter(concern__in=ids).update(details="", independent_person="", referred_by=officer)
    ConcernUserObjectPermission.objects.filter(content_object__in=ids).delete()
    ConcernGroupObjectPermission.objects.filter(content_object__in=ids).delete()
    return count


# --- Timeline events -------------------------------------------------------------------------


def timeline_events_due(*, before: datetime, today: date) -> models.QuerySet[TimelineEvent]:
    """Events of cases finished before ``before`` that still carry their note and people."""
    return TimelineEvent.objects.filter(anonymised_at__isnull=True).filter(
        Q(enquiry__in=enquiries_finished_before(before).values("pk"))
        | Q(concern__in=concerns_finished_before(before, today=today).values("pk"))
    )


def timeline_events_anonymise(*, ids: Iterable[int], now: datetime) -> int:
    """The note and the people go; kind, states and time stay (the dashboards count by them).
    The one change an event may undergo, let past its trigger by people.retention."""
    events = TimelineEvent.objects.filter(pk__in=list(ids))
    officer, someone = placeholder_officer(), placeholder_user()
    with retention_writes_allowed():
        events.filter(actor__isnull=False).update(actor=someone)
        events.filter(from_owner__isnull=False).update(from_owner=officer)
        events.filter(to_owner__isnull=False).update(to_owner=officer)
        return events.update(note="", anonymised_at=now)


# --- Attachments and evidence ------------------------------------------------------------------


def attachments_due(*, before: datetime, today: date) -> models.QuerySet[Attachment]:
    return Attachment.objects.filter(
        Q(enquiry__in=enquiries_finished_before(before).values("pk"))
        | Q(concern__in=concerns_finished_before(before, today=today).values("pk"))
    )


def attachments_delete(*, ids: Iterable[int]) -> int:
    """The rows now; the files once the transaction has committed (a rollback keeps both)."""
    attachments = Attachment.objects.filter(pk__in=list(ids))
    names = [(attachment.file.storage, attachment.file.name) for attachment in attachments if attachment.file]

    def files_delete() -> None:
        for storage, name in names:
            storage.delete(name)

    deleted, _ = attachments.delete()
    transaction.on_commit(files_delete)
    return deleted


# --- Positive examples ---------------------------------------------------------------------------


def positive_examples_due(*, before: datetime) -> models.QuerySet[PositiveExample]:
    return PositiveExample.objects.filter(recorded_at__lt=before, anonymised_at__isnull=True)


def positive_examples_anonymise(*, ids: Iterable[int], now: datetime) -> int:
    """Title, story and comments go, and the people named; service, state and dates stay (000 §VI counts)."""
    ids = list(ids)
    PositiveExample.members.through.objects.filter(positiveexample_id__in=ids).delete()
    PositiveExample.officers.through.objects.filter(positiveexample_id__in=ids).delete()
    return PositiveExample.objects.filter(pk__in=ids).update(
        title=ANONYMISED_EXAMPLE,
        what_happened="",
        assistant_director_comment="",
        monitoring_officer_comment="",
        recorded_by=placeholder_user(),
        assistant_director=placeholder_officer(),
        anonymised_at=now,
        version=models.F("version") + 1,
    )


# --- In-app notifications -------------------------------------------------------------------------


def notifications_due(*, before: datetime) -> models.QuerySet[Notification]:
    return Notification.objects.filter(created_at__lt=before)


def notifications_delete(*, ids: Iterable[int]) -> int:
    deleted, _ = Notification.objects.filter(pk__in=list(ids)).delete()
    return deleted


# --- Ward notices (001 §9.4) ---------------------------------------------------------------------


def ward_notices_due(*, before: datetime) -> models.QuerySet[WardNotice]:
    return WardNotice.objects.filter(sent_at__lt=before)


def ward_notices_delete(*, ids: Iterable[int]) -> int:
    """A notice, who was told, their notifications (CASCADE) and its file: the file once the
    transaction has committed (a rollback keeps both)."""
    notices = WardNotice.objects.filter(pk__in=list(ids))
    names = [(notice.attachment.storage, notice.attachment.name) for notice in notices if notice.attachment]

    def files_delete() -> None:
        for storage, name in names:
            storage.delete(name)

    WardNoticeRecipient.objects.filter(notice__in=notices).delete()
    WardNotice.wards.through.objects.filter(wardnotice__in=notices).delete()
    deleted, _ = WardNotice.objects.filter(pk__in=[notice.pk for notice in notices]).delete()
    transaction.on_commit(files_delete)
    return deleted


# --- Briefings offered to the political groups (001 §9.5.2) --------------------------------------

ANONYMISED_BRIEFING = "Anonymised briefing"


def briefings_due(*, before: datetime) -> models.QuerySet[Briefing]:
    return Briefing.objects.filter(takes_place_on__lt=before.date(), anonymised_at__isnull=True)


def briefings_anonymise(*, ids: Iterable[int], now: datetime) -> int:
    """The subject and the people go; the date, the groups offered and their responses stay, so
    the dashboard's count of briefings not offered to every group is unchanged."""
    ids = list(ids)
    BriefingOffer.objects.filter(briefing_id__in=ids, responded_by__isnull=False).update(
        responded_by=placeholder_user()
    )
    BriefingResponseChange.objects.filter(offer__briefing_id__in=ids).update(actor=placeholder_user())
    return Briefing.objects.filter(pk__in=ids).update(
        subject=ANONYMISED_BRIEFING,
        given_by=placeholder_officer(),
        recorded_by=placeholder_user(),
        anonymised_at=now,
    )


# --- Accounts of people who left ----------------------------------------------------------------


def object_permissions_remove(*, user_ids: Iterable[int]) -> None:
    """A former councillor's or officer's grants to open particular cases (they cannot sign in anyway)."""
    user_ids = list(user_ids)
    EnquiryUserObjectPermission.objects.filter(user_id__in=user_ids).delete()
    ConcernUserObjectPermission.objects.filter(user_id__in=user_ids).delete()
