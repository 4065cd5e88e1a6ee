"""The append-only timeline of an enquiry or a concern: who, when, from what to what, why."""

from __future__ import annotations

from datetime import datetime

from cases.shared.models import TimelineEvent
from people.models import Officer


def timeline_event_record(
    *,
    enquiry=None,
    concern=None,
    kind: str,
    at: datetime,
    actor=None,
    from_state: str = "",
    note: str = "",
    from_owner: Officer | None = None,
    to_owner: Officer | None = None,
    internal: bool = False,
) -> TimelineEvent:
    """One line on the timeline of ``enquiry`` or ``concern``. With ``from_state`` it records
    a transition, to the case's state now; ``internal`` lines are for officers only."""
    case = enquiry if enquiry is not None else concern
    return TimelineEvent.objects.create(
        enquiry=enquiry,
        concern=concern,
        kind=kind,
        actor=actor,
        at=at,
        from_state=from_state,
        to_state=case.state if from_state else "",
        from_owner=from_owner,
        to_owner=to_owner,
        note=note,
        internal=internal,
    )
