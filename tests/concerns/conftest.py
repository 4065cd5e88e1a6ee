"""A small council for concern tests: one service with its chain, two councillors, outsiders,
and the people who join a concern at stage 3 (000 §VIII)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.concerns import services as concern_services
from cases.concerns.services import concern_raise
from escalation.calendar import local_date
from people.models import Committee, ContactProhibition, Member, StatutoryRole
from people.services import role_groups_sync
from tests.factories import (
    MemberFactory,
    OfficerFactory,
    appoint,
)

# --- Concern fixtures (DESIGN §4; 000 §VIII, 001 §6) ------------------------------------

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Monday 1 February 2027, 10:00: no bank holiday in the ten working days that follow, so a
# stage's target is the end of Monday 15 February (CONCERN_STAGE_WORKING_DAYS = 10).
RAISED = london(2027, 2, 1)
# When ``prohibit`` records a contact prohibition, unless told otherwise.
SANCTIONED = london(2027, 2, 10)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"
    settings.CONCERN_STAGE_WORKING_DAYS = 10


@pytest.fixture
def whip(org):
    """The Whip of the councillor's group (000 §VIII: joins the MO at stage 3)."""
    whip = MemberFactory(user__username="whip", wards=[org.ward], group=org.councillor.group)
    org.councillor.group.whips.add(whip)
    role_groups_sync()
    return whip


@pytest.fixture
def independent(org):
    """A councillor in no political group (000 §II.A)."""
    return MemberFactory(user__username="independent", wards=[org.other_ward], group=None)


@pytest.fixture
def chair_of_standards(org):
    """The Chair of Standards, who does the Whip's part for an independent (000 §II.A, §VIII)."""
    chair = MemberFactory(user__username="standards.chair", wards=[org.other_ward])
    standards = Committee.objects.get(kind=Committee.Kind.STANDARDS)
    standards.chair = chair
    standards.save()
    standards.members.add(chair)
    role_groups_sync()
    return chair


@pytest.fixture
def people_director(org):
    """The Director of People Services (000 §VIII: joins the MO on concerns about officers)."""
    director = OfficerFactory(
        user__username="people.director", job_title="Director of People Services", service=None, line_manager=org.chief
    )
    appoint(director, StatutoryRole.DIRECTOR_OF_PEOPLE_SERVICES)
    role_groups_sync()
    return director


@pytest.fixture
def deputy_monitoring_officer(org):
    deputy = OfficerFactory(
        user__username="deputy.monitoring.officer",
        job_title="Deputy Monitoring Officer",
        service=None,
        line_manager=org.monitoring,
    )
    appoint(deputy, StatutoryRole.MONITORING_OFFICER, deputy=True)
    role_groups_sync()
    return deputy


@pytest.fixture
def raise_concern(org):
    """Raise a concern with sensible defaults: by default the liaison officer about the
    councillor, feeling able to talk directly, on RAISED."""

    def raise_(raised_by=None, *, about=None, now=RAISED, feels_able_to_talk=True, **kwargs):
        raised_by = raised_by or org.liaison.user
        about = about or (org.councillor if hasattr(raised_by, "officer") else org.liaison)
        party = {"about_member": about} if isinstance(about, Member) else {"about_officer": about}
        return concern_raise(
            raised_by=raised_by,
            occurred_on=kwargs.pop("occurred_on", local_date(now) - timedelta(days=3)),
            what_happened=kwargs.pop("what_happened", "Spoke to me rudely in front of colleagues."),
            feels_able_to_talk=feels_able_to_talk,
            now=now,
            **party,
            **kwargs,
        )

    return raise_


@pytest.fixture
def prohibit(org, raise_concern):
    """Record a contact prohibition on a councillor (the councillor by default) as the
    Monitoring Officer, at ``now``; returns the ContactProhibition."""

    def prohibit_(scope, *, member=None, officer=None, service=None, starts_on=None, ends_on=None, now=SANCTIONED):
        member = member or org.councillor
        concern = raise_concern(org.colleague.user, about=member, safeguarding=True, now=now)
        concern = concern_services.concern_propose_formal_action(
            concern=concern, actor=org.monitoring.user, reason="", now=now
        )
        spec = concern_services.SanctionSpec(
            kind="contact_prohibition",
            scope=scope,
            officer=officer,
            service=service,
            starts_on=starts_on or now.date(),
            ends_on=ends_on,
        )
        concern_services.concern_sanctions_record(
            concern=concern, actor=org.monitoring.user, sanctions=[spec], outcome="No contact.", now=now
        )
        return ContactProhibition.objects.get(sanction__concern=concern)

    return prohibit_
