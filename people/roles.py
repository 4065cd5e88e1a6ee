"""The roles of DESIGN §1, each carried by a Django group of the same name.

Every role but Democratic Services follows from facts about the organisation
(who heads which service, who whips which group, …), so `role_groups_sync`
derives the groups from those facts; an administrator never ticks them by
hand. Democratic Services is the one role given by hand.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    COUNCILLOR = "councillor", "Councillor"
    OFFICER = "officer", "Officer"
    LIAISON_OFFICER = "liaison_officer", "Councillor Liaison Officer"
    HEAD_OF_SERVICE = "head_of_service", "Head of Service"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant Director"
    DIRECTOR = "director", "Director"
    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    MONITORING_OFFICER = "monitoring_officer", "Monitoring Officer"
    DIRECTOR_OF_PEOPLE_SERVICES = "director_of_people_services", "Director of People Services"
    GROUP_LEADER = "group_leader", "Group Leader"
    WHIP = "whip", "Whip"
    CHAIR_OF_STANDARDS = "chair_of_standards", "Chair of Standards"
    STANDARDS_COMMITTEE = "standards_committee", "Standards Committee member"
    DEMOCRATIC_SERVICES = "democratic_services", "Democratic Services administrator"


# Roles given by hand rather than derived from the organisation.
ASSIGNED_ROLES = frozenset({Role.DEMOCRATIC_SERVICES})
# Head of Service and above may decline an enquiry as inappropriate (001 §7.1).
SENIOR_MANAGEMENT_ROLES = frozenset(
    {Role.HEAD_OF_SERVICE, Role.ASSISTANT_DIRECTOR, Role.DIRECTOR, Role.CHIEF_EXECUTIVE}
)


def role_group_name(role: Role) -> str:
    return role.label


# Roles that see every case or run the portal must sign in with a code as well as a
# password (docs/security.md); staff and superusers too, whatever their roles.
# Deputy Monitoring Officers carry the Monitoring Officer role (people.services).
TWO_FACTOR_ROLES = frozenset(
    {
        Role.MONITORING_OFFICER,
        Role.CHIEF_EXECUTIVE,
        Role.DIRECTOR_OF_PEOPLE_SERVICES,
        Role.DEMOCRATIC_SERVICES,
    }
)
