"""Every model of the ``cases`` app, as Django loads them: each lives in its domain's
sub-package (enquiries, concerns, positive examples, briefings, ward notices) or in the
machinery they share, and is re-exported here for the layers above (reporting, the
wiring, the tests). Inside ``cases``, a domain imports its own models and the shared
ones, never this module (docs/architecture.md)."""

from cases.briefings.models import Briefing, BriefingKind, BriefingOffer, BriefingResponse, BriefingResponseChange
from cases.concerns.models import (
    CONCERN_OPEN_STATES,
    CONCERN_STAGE_NUMBERS,
    Behaviour,
    Concern,
    ConcernGroupObjectPermission,
    ConcernKind,
    ConcernState,
    ConcernUserObjectPermission,
    ExternalReferral,
    InformalAction,
    Sanction,
    is_monitoring_officer,
)
from cases.enquiries.models import (
    AWAITING_RESPONSE,
    NOT_CLOSED_STATES,
    OPEN_STATES,
    Answer,
    ConsentRecord,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryGroupObjectPermission,
    EnquiryState,
    EnquiryUserObjectPermission,
    HoldingReply,
    Marking,
    Purpose,
)
from cases.notices.models import WardNotice, WardNoticeKind, WardNoticeRecipient
from cases.positive.models import PositiveExample, PositiveExampleState
from cases.shared.models import Attachment, Notification, ReferenceSequence, TimelineEvent

__all__ = [
    "AWAITING_RESPONSE",
    "CONCERN_OPEN_STATES",
    "CONCERN_STAGE_NUMBERS",
    "NOT_CLOSED_STATES",
    "OPEN_STATES",
    "Answer",
    "Attachment",
    "Behaviour",
    "Briefing",
    "BriefingKind",
    "BriefingOffer",
    "BriefingResponse",
    "BriefingResponseChange",
    "Concern",
    "ConcernGroupObjectPermission",
    "ConcernKind",
    "ConcernState",
    "ConcernUserObjectPermission",
    "ConsentRecord",
    "Decline",
    "Dispute",
    "Enquiry",
    "EnquiryEscalation",
    "EnquiryGroupObjectPermission",
    "EnquiryState",
    "EnquiryUserObjectPermission",
    "ExternalReferral",
    "HoldingReply",
    "InformalAction",
    "Marking",
    "Notification",
    "PositiveExample",
    "PositiveExampleState",
    "Purpose",
    "ReferenceSequence",
    "Sanction",
    "TimelineEvent",
    "WardNotice",
    "WardNoticeKind",
    "WardNoticeRecipient",
    "is_monitoring_officer",
]
