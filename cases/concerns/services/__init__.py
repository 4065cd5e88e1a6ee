"""The only writers of concerns and sanctions (DESIGN §4–§5; 000 §VII–§VIII, 001 §6, 002
Complaints).

Each service runs in one transaction: it locks the concern, refuses a form sent
from an out-of-date page, fires the transition (whose ``permission=`` says who
may), saves, grants or keeps need-to-know access, writes the timeline and the
notifications, and e-mails only after commit.

By what they do: the ladder itself (``ladder``), informal and formal action and the
sanctions register (``sanctions``), the Monitoring Officer's tools on a concern in hand
(``handling``); the building blocks they share are in ``common``.
"""

from cases.concerns.services.common import VIEW_CONCERN, ConcernConflict, stage_three_participants, tell
from cases.concerns.services.handling import (
    concern_note_add,
    concern_reassign,
    concern_share_with_subject,
    may_add_note,
    note_refusal,
    reassignable_handlers,
)
from cases.concerns.services.ladder import (
    concern_climbed,
    concern_escalate,
    concern_raise,
    concern_refer,
    concern_resolve,
    concern_withdraw,
    concerns_due_dates_recompute,
)
from cases.concerns.services.sanctions import (
    DuplicateProhibition,
    InformalStep,
    SanctionSpec,
    concern_informal_action,
    concern_propose_formal_action,
    concern_sanctions_record,
    prohibition_end_early,
    prohibition_extend,
)

__all__ = [
    "VIEW_CONCERN",
    "ConcernConflict",
    "DuplicateProhibition",
    "InformalStep",
    "SanctionSpec",
    "concern_climbed",
    "concern_escalate",
    "concern_informal_action",
    "concern_note_add",
    "concern_propose_formal_action",
    "concern_raise",
    "concern_reassign",
    "concern_refer",
    "concern_resolve",
    "concern_sanctions_record",
    "concern_share_with_subject",
    "concern_withdraw",
    "concerns_due_dates_recompute",
    "may_add_note",
    "note_refusal",
    "prohibition_end_early",
    "prohibition_extend",
    "reassignable_handlers",
    "stage_three_participants",
    "tell",
]
