"""The date promised to the councillor, and whether it was kept (issue 15 B7; 001 §7.1, §7.4).

001 §7.1 promises an answer within five working days; a holding reply may move that date,
within the limits of issue 15 A3: a first holding reply on the owner's word, to at most
HOLDING_REPLY_MAX_WORKING_DAYS working days after the deadline it extends; a later date, or a
second holding reply, only with the councillor's agreement (given in the portal, or recorded
by the owner with a note of how) or a manager's approval. So the date promised is:

- the end of the fifth working day after receipt, to start with;
- moved by a holding reply within the limits, if it was sent while the date it moves had not
  passed (a promise already broken is not mended by a later one), and never further than the
  limit (holding replies from before the limits existed are counted up to it);
- moved by a holding reply agreed or approved, from when it was agreed;
- never moved by one still waiting for agreement, or not agreed: that date stands.

Only what happened before the first answer or decline counts (a holding reply after a
reopening promises something else). The dashboards count an enquiry as answered by the date
promised when its first answer, or a decline with reasons, came by the end of that date
(reporting.summaries).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings

from cases.enquiries.models import HoldingReply
from escalation.calendar import WorkingDayCalendar, end_of_day, local_date


@dataclass(frozen=True)
class HoldingReplyFacts:
    """What the rule reads of a holding reply (``HoldingReply``'s columns of the same names)."""

    sent_at: datetime
    target_on: date
    status: str
    original_due_on: date | None
    decided_at: datetime | None


def promised_by(
    *,
    first_due: datetime,
    replies: Iterable[HoldingReplyFacts],
    responded_at: datetime | None,
    calendar: WorkingDayCalendar,
) -> datetime:
    """The last moment of the date promised (see the module's docstring). ``replies`` in the
    order they were sent; ``responded_at`` the first answer or decline, if any."""
    promised = first_due
    moved = False
    for reply in replies:
        takes_effect = reply.decided_at if reply.status in HoldingReply.AGREED_STATUSES else reply.sent_at
        if takes_effect is None:
            takes_effect = reply.sent_at
        if responded_at is not None and takes_effect >= responded_at:
            break
        if reply.status in HoldingReply.AGREED_STATUSES:
            promised, moved = end_of_day(reply.target_on), True
        elif reply.status == HoldingReply.Status.WITHIN_LIMITS and not moved and reply.sent_at <= promised:
            extends = reply.original_due_on or local_date(promised)
            limit = calendar.add_working_days(extends, settings.HOLDING_REPLY_MAX_WORKING_DAYS)
            promised, moved = end_of_day(min(reply.target_on, limit)), True
        # Waiting for agreement, or not agreed: the date stands (A3).
    return promised


def promise_kept(
    *, promised: datetime, responded_at: datetime | None, closed_at: datetime | None, now: datetime
) -> bool | None:
    """True: answered (or declined) by the end of the date promised; False: after it, or not at
    all and that date has passed; None: neither yet (not due, or withdrawn or closed unanswered
    before the date)."""
    if responded_at is not None:
        return responded_at <= promised
    if now > promised and (closed_at is None or closed_at > promised):
        return False
    return None
