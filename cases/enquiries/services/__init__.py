"""The only writers of enquiries (DESIGN §3; 001 §7–§9).

Each service runs in one transaction: it locks the enquiry, refuses a form sent
from an out-of-date page, fires the transition, saves, writes the timeline and
the notifications, and queues the e-mail only after commit.

By what they do: filing and routing (``filing``), responses and the Chief Executive's
decision (``responses``), the member's withdrawing, reopening and closing
(``lifecycle``), several reassigned at once from the service queue (``bulk``); the
building blocks they share are in ``common``.
"""

from cases.enquiries.services.bulk import Ticked, enquiries_reassign
from cases.enquiries.services.common import EnquiryConflict
from cases.enquiries.services.filing import (
    consent_needed,
    contact_prohibitions_enforce,
    enquiries_route_around_prohibition,
    enquiry_consent_record,
    enquiry_file,
    enquiry_move,
    enquiry_owner_because,
    enquiry_reassign,
    enquiry_route_around_prohibition,
)
from cases.enquiries.services.lifecycle import enquiry_close, enquiry_reopen, enquiry_withdraw
from cases.enquiries.services.responses import (
    Agreement,
    enquiry_answer,
    enquiry_decline,
    enquiry_dispute,
    enquiry_dispute_decide,
    enquiry_extension_decide,
    enquiry_hold,
    holding_reply_limit,
    holding_reply_target_errors,
)

__all__ = [
    "Agreement",
    "EnquiryConflict",
    "Ticked",
    "consent_needed",
    "contact_prohibitions_enforce",
    "enquiries_reassign",
    "enquiries_route_around_prohibition",
    "enquiry_answer",
    "enquiry_close",
    "enquiry_consent_record",
    "enquiry_decline",
    "enquiry_dispute",
    "enquiry_dispute_decide",
    "enquiry_extension_decide",
    "enquiry_file",
    "enquiry_hold",
    "enquiry_move",
    "enquiry_owner_because",
    "enquiry_reassign",
    "enquiry_reopen",
    "enquiry_route_around_prohibition",
    "enquiry_withdraw",
    "holding_reply_limit",
    "holding_reply_target_errors",
]
