"""Who reads the figures, and which version they get (DESIGN §7).

The Standards Committee's members and its Chair get the committee's version
(``COMMITTEE``: disclosure-controlled, no names, no links to cases); the Monitoring
Officer and the Chief Executive the operational one (``OPERATIONAL``: every number,
and each figure links to the cases behind it that they may see). Anyone else none.
"""

from __future__ import annotations

from people.roles import Role
from people.selectors import user_roles

COMMITTEE = "committee"
OPERATIONAL = "operational"

OPERATIONAL_ROLES = frozenset({Role.MONITORING_OFFICER, Role.CHIEF_EXECUTIVE})
COMMITTEE_ROLES = frozenset({Role.STANDARDS_COMMITTEE, Role.CHAIR_OF_STANDARDS})


def audience_for(user) -> str | None:
    """Which view of the dashboard ``user`` gets, or None for none."""
    roles = user_roles(user)
    if roles & OPERATIONAL_ROLES:
        return OPERATIONAL
    if roles & COMMITTEE_ROLES:
        return COMMITTEE
    return None
