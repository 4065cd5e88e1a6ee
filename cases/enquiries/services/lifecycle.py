"""The member's part after a response (001 §7.1, §7.4): withdrawing, reopening within five
working days of the answer, and closing.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.enquiries.models import (
    Enquiry,
    EnquiryState,
)
from cases.enquiries.services.common import (
    enquiry_event,
    enquiry_locked,
    enquiry_require,
    enquiry_reschedule,
    notify,
    response_due_at,
)
from cases.enquiries.services.filing import enquiry_route_around_prohibition
from cases.shared.models import TimelineEvent
from cases.shared.versions import version_save
from escalation.calendar import local_date
from people.selectors import contact_prohibition_for


@transaction.atomic
def enquiry_withdraw(
    *, enquiry: Enquiry, actor: User, reason: str = "", expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    enquiry_require(enquiry.withdraw, actor)
    from_state = enquiry.state
    enquiry.withdraw(at=now)
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    enquiry_event(
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
    *, enquiry: Enquiry, actor: User, follow_up: str, expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    """Within five working days of an answer the member may follow up, with a fresh deadline."""
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    if enquiry.state == EnquiryState.ANSWERED and not enquiry.reopen_window_open(now=now):
        raise ValidationError("The time to reopen this enquiry has passed. File a new enquiry instead.")
    enquiry_require(enquiry.reopen, actor)
    from_state = enquiry.state
    enquiry.reopen(at=now, due_at=response_due_at(now))
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    enquiry_event(
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
    *, enquiry: Enquiry, actor: User, expected_version: int | None = None, now: datetime | None = None
) -> Enquiry:
    now = now or timezone.now()
    enquiry = enquiry_locked(enquiry, expected_version)
    enquiry_require(enquiry.close, actor)
    from_state = enquiry.state
    enquiry.close(at=now)
    enquiry_reschedule(enquiry, now=now)
    version_save(enquiry)
    enquiry_event(
        enquiry,
        kind=TimelineEvent.Kind.CLOSED,
        actor=actor,
        at=now,
        from_state=from_state,
        note="Closed by the member: the answer settled it.",
    )
    return enquiry
