"""The council's organisation: who is who and who manages whom (DESIGN §2).

This app imports no other app of the portal: escalation, cases and reporting
ask it questions (the management chain, a ward's members, a member's whips,
the holders of statutory roles) and it answers from these facts alone.

One module a subject, every model re-exported here, so ``from people.models import
Member`` works wherever it is needed (the app label and migrations are unchanged):

- ``members``: councillors, their offices and outside appointments;
- ``officers``: officers, the management chain and the statutory roles;
- ``organisation``: wards, political groups, directorates, services and committees,
  the structure both of them fill (it imports them; they name it only by string);
- ``prohibitions``: who may not contact whom;
- ``cover``: who covers an officer's work while they are away;
- ``audit_log``: the append-only audit log.
"""

from people.models.audit_log import AuditEvent, AuditEventQuerySet, AuditLogIsAppendOnly
from people.models.cover import COVER_MOST_DAYS, Cover, CoverQuerySet
from people.models.members import (
    OFFICES_WITH_PORTFOLIO,
    SINGLE_HOLDER_OFFICES,
    Member,
    MemberQuerySet,
    Office,
    OfficeHeld,
    OfficeHeldQuerySet,
    OutsideAppointment,
)
from people.models.officers import Officer, OfficerQuerySet, StatutoryAppointment, StatutoryRole
from people.models.organisation import (
    Committee,
    Directorate,
    PoliticalGroup,
    PoliticalGroupQuerySet,
    Service,
    Ward,
)
from people.models.prohibitions import ContactProhibition, ContactProhibitionQuerySet

__all__ = [
    "COVER_MOST_DAYS",
    "OFFICES_WITH_PORTFOLIO",
    "SINGLE_HOLDER_OFFICES",
    "AuditEvent",
    "AuditEventQuerySet",
    "AuditLogIsAppendOnly",
    "Committee",
    "ContactProhibition",
    "ContactProhibitionQuerySet",
    "Cover",
    "CoverQuerySet",
    "Directorate",
    "Member",
    "MemberQuerySet",
    "Office",
    "OfficeHeld",
    "OfficeHeldQuerySet",
    "Officer",
    "OfficerQuerySet",
    "OutsideAppointment",
    "PoliticalGroup",
    "PoliticalGroupQuerySet",
    "Service",
    "StatutoryAppointment",
    "StatutoryRole",
    "Ward",
]
