"""Cover while away (issue 15 C11) in routing: a new enquiry for an officer who is away goes
to the colleague covering for them, one step only, honouring contact prohibitions as any
routing does (DESIGN §5); the timeline and the e-mails say who covered. (The colleague acting
on the officer's enquiries: test_cover_acting.py.)

The clock is moved by passing ``now=``: the liaison officer of Highways is away from Tuesday
2 to Friday 5 March 2027, and their colleague covers.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cases.enquiries.services import (
    enquiry_file,
    enquiry_move,
    enquiry_owner_because,
)
from cases.models import (
    Enquiry,
    Notification,
    Purpose,
    TimelineEvent,
)
from escalation.routing import enquiry_route
from tests.cases.covering import cover, cover_row, prohibition
from tests.factories import OfficerFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Kind = TimelineEvent.Kind


def london(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2027, month, day, hour, tzinfo=LONDON)


SET_UP = london(3, 1)  # Monday: the cover is set up
AWAY = london(3, 2)  # Tuesday: the first day of the cover
LAST_DAY = london(3, 5, 16)  # Friday
BACK = london(3, 8)  # Monday: the officer is back


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


@pytest.fixture
def away(org):
    """The colleague covers for the liaison officer from Tuesday to Friday."""
    return cover(org.liaison, org.colleague, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5), now=SET_UP)


def file(org, *, now: datetime, member=None, service=None, **kwargs) -> Enquiry:
    return enquiry_file(
        member=member or org.councillor,
        service=service or org.highways,
        subject="Pothole on Mill Road",
        details="A deep pothole outside number 12.",
        purpose=kwargs.pop("purpose", Purpose.INFORMATION),
        now=now,
        **kwargs,
    )


def told(enquiry: Enquiry, template: str) -> Notification:
    return Notification.objects.get(enquiry=enquiry, template=template)


# --- A new enquiry -------------------------------------------------------------------------------


def test_a_new_enquiry_for_an_officer_who_is_away_goes_to_the_colleague_covering(org, away):
    enquiry = file(org, now=AWAY)

    assert enquiry.owner == org.colleague
    filed = enquiry.timeline.get(kind=Kind.FILED)
    assert (filed.to_owner, filed.internal) == (org.colleague, False)
    assert (
        f"Routed to {org.colleague.name}, Engineer, covering for {org.liaison.name} while they are away." in filed.note
    )
    acknowledged = told(enquiry, "enquiry_acknowledged")
    assert (
        f"Who owns it: {org.colleague.name}, Engineer, covering for {org.liaison.name} while they are away"
        in acknowledged.body
    )
    assigned = told(enquiry, "enquiry_assigned")
    assert assigned.recipient == org.colleague.user
    assert f"because you are covering for {org.liaison.name} while they are away" in assigned.body
    assert not Notification.objects.filter(enquiry=enquiry, recipient=org.liaison.user).exists()
    # The banner after filing says so too.
    assert enquiry_owner_because(enquiry, now=AWAY) == f", covering for {org.liaison.name} while they are away"


@pytest.mark.parametrize(
    "now", [SET_UP, BACK, london(3, 6)], ids=["the-day-before-it-starts", "after-its-last-day", "the-day-after"]
)
def test_an_enquiry_goes_to_the_officer_outside_the_covers_days(org, away, now):
    enquiry = file(org, now=now)
    assert enquiry.owner == org.liaison
    assert "covering" not in enquiry.timeline.get(kind=Kind.FILED).note


def test_an_enquiry_goes_to_the_colleague_on_the_covers_first_and_last_day(org, away):
    assert file(org, now=london(3, 2, 0)).owner == org.colleague
    assert file(org, now=london(3, 5, 23)).owner == org.colleague


def test_a_cover_for_someone_else_changes_nothing(org):
    cover(org.outsider, org.colleague, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5), now=SET_UP)
    assert file(org, now=AWAY).owner == org.liaison


def test_a_head_of_service_away_sends_their_services_enquiries_to_their_cover(org):
    """Libraries has no liaison officer: its Head of Service takes its enquiries (003)."""
    cover(org.other_head, org.outsider, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5), now=SET_UP)
    assert file(org, service=org.libraries, now=AWAY).owner == org.outsider


# --- One step only --------------------------------------------------------------------------------


def test_it_follows_cover_one_step_only(org):
    """A chain the rules refuse, written to the table: the liaison officer's work goes to the
    colleague, who is away too, and stops there rather than going on to the outsider."""
    cover_row(org.liaison, org.colleague, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5))
    cover_row(org.colleague, org.outsider, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5))
    assert file(org, now=AWAY).owner == org.colleague


def test_a_loop_in_the_data_ends_after_one_step(org):
    cover_row(org.liaison, org.colleague, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5))
    cover_row(org.colleague, org.liaison, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5))
    route = enquiry_route(service=org.highways, member=org.councillor, on=date(2027, 3, 3))
    assert (route.owner, route.covering_for) == (org.colleague, org.liaison)


# --- Contact prohibitions, as for any routing (DESIGN §5) ------------------------------------------


def test_a_member_who_may_not_contact_the_colleague_goes_to_the_monitoring_officers_office(org, away):
    prohibition(org.councillor, officer=org.colleague, starts_on=date(2027, 1, 1))

    enquiry = file(org, now=AWAY)

    assert enquiry.owner == org.monitoring
    filed = enquiry.timeline.get(kind=Kind.FILED)
    assert "the Monitoring Officer's office, because a contact prohibition is in force" in filed.note
    assert f"no contact with {org.colleague.name}" in filed.note
    assert not Notification.objects.filter(enquiry=enquiry, recipient=org.colleague.user).exists()
    # Another member's enquiry still goes to the colleague.
    assert file(org, member=org.councillor2, now=AWAY).owner == org.colleague


def test_a_member_who_may_not_contact_the_service_goes_to_the_monitoring_officers_office(org, away):
    prohibition(org.councillor, service=org.highways, starts_on=date(2027, 1, 1))
    assert file(org, now=AWAY).owner == org.monitoring


def test_a_prohibition_on_the_officer_away_does_not_stop_the_colleague(org, away):
    """The member may not contact the liaison officer, who is away: the colleague covering is
    someone else, so their enquiry goes to the colleague (and stays with them after)."""
    prohibition(org.councillor, officer=org.liaison, starts_on=date(2027, 1, 1))
    assert file(org, now=AWAY).owner == org.colleague
    assert file(org, now=BACK).owner == org.monitoring


def test_the_monitoring_officers_cover_takes_what_goes_to_their_office(org):
    deputy = OfficerFactory(user__username="deputy", job_title="Deputy Monitoring Officer", service=None)
    cover(org.monitoring, deputy, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5), now=SET_UP)
    prohibition(org.councillor, officer=org.liaison, starts_on=date(2027, 1, 1))

    enquiry = file(org, now=AWAY)

    assert enquiry.owner == deputy
    note = enquiry.timeline.get(kind=Kind.FILED).note
    assert f"Routed to {deputy.name}, Deputy Monitoring Officer, covering for {org.monitoring.name} while they" in note
    assert "the Monitoring Officer's office, because a contact prohibition is in force" in note


def test_the_monitoring_officer_keeps_it_when_the_member_may_not_contact_their_cover_either(org):
    deputy = OfficerFactory(user__username="deputy", job_title="Deputy Monitoring Officer", service=org.libraries)
    cover(org.monitoring, deputy, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5), now=SET_UP)
    prohibition(org.councillor, service=org.highways, starts_on=date(2027, 1, 1))
    prohibition(org.councillor, officer=deputy, starts_on=date(2027, 1, 1))
    assert file(org, now=AWAY).owner == org.monitoring


# --- Moving to another service ---------------------------------------------------------------------


def test_an_enquiry_moved_to_a_service_whose_liaison_officer_is_away_goes_to_their_cover(org):
    parks = ServiceFactory(name="Parks", directorate=org.highways.directorate, head_of_service=org.other_head)
    gardener = OfficerFactory(user__username="parks.liaison", job_title="Parks Officer", service=parks)
    parks.liaison_officers.set([gardener])
    cover(gardener, org.outsider, starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 5), now=SET_UP)
    enquiry = file(org, now=SET_UP)

    enquiry = enquiry_move(enquiry=enquiry, actor=org.liaison.user, service=parks, reason="Parks' tree.", now=AWAY)

    assert enquiry.owner == org.outsider
    moved = enquiry.timeline.get(kind=Kind.MOVED)
    assert f"now owned by {org.outsider.name}, Librarian, covering for {gardener.name} while they are away" in (
        moved.note
    )
    assert f"covering for {gardener.name} while they are away" in told(enquiry, "enquiry_moved_member").body
