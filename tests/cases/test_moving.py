"""Moving a misrouted enquiry to the service that should answer it (issue 15 A2).

The owner or a manager of the service moves it with a reason. It goes to the new service's
Councillor Liaison Officer, else its Head of Service (a contact prohibition honoured as for a
new enquiry: tests/concerns/test_prohibitions.py). The councillor, the new owner and both
services' Heads of Service are told; the clock keeps running from receipt (001 §7.1: the
councillor asked once), and later climbs follow the new service's ladder.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.enquiries.deadlines import enquiry_deadline_sweep
from cases.enquiries.selectors import enquiries_visible_to
from cases.enquiries.services import (
    EnquiryConflict,
    enquiry_answer,
    enquiry_file,
    enquiry_hold,
    enquiry_move,
    enquiry_reassign,
)
from cases.models import Enquiry, EnquiryState, Marking, Purpose, TimelineEvent
from escalation.calendar import end_of_day
from tests.factories import OfficerFactory, ServiceFactory

LONDON = ZoneInfo("Europe/London")
Kind = TimelineEvent.Kind
REASON = "Library opening hours are for Libraries."


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


FILED = london(2026, 12, 18)
DUE = end_of_day(date(2026, 12, 29))
MOVED = london(2026, 12, 22)
FIRST_CLIMB = london(2026, 12, 30, 8)
SECOND_CLIMB = london(2027, 1, 7, 8)
THIRD_CLIMB = london(2027, 1, 14, 8)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service and what it queues after commit (e-mails land in mailoutbox)."""

    def run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


@pytest.fixture
def enquiry(org) -> Enquiry:
    return enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Library opening hours",
        details="Why does Mill Road library close at four?",
        purpose=Purpose.INFORMATION,
        now=FILED,
    )


def move(org, enquiry, *, actor=None, service=None, now=MOVED, **kwargs) -> Enquiry:
    return enquiry_move(
        enquiry=enquiry,
        actor=(actor or org.liaison).user,
        service=service or org.libraries,
        reason=kwargs.pop("reason", REASON),
        now=now,
        **kwargs,
    )


def schedule(enquiry: Enquiry) -> tuple:
    enquiry.refresh_from_db()
    return (enquiry.received_at, enquiry.clock_started_at, enquiry.due_at, enquiry.remind_at, enquiry.escalate_at)


def test_it_moves_to_the_head_of_a_service_without_a_liaison_officer_and_keeps_the_clock(
    org, enquiry, committed, mailoutbox
):
    before = schedule(enquiry)
    assert not enquiries_visible_to(org.other_head.user).filter(pk=enquiry.pk).exists()

    enquiry = committed(move, org=org, enquiry=enquiry)

    assert (enquiry.service, enquiry.owner, enquiry.state) == (org.libraries, org.other_head, EnquiryState.SUBMITTED)
    assert schedule(enquiry) == before
    assert enquiry.due_at == DUE
    assert enquiries_visible_to(org.other_head.user).filter(pk=enquiry.pk).exists()
    event = enquiry.timeline.get(kind=Kind.MOVED)
    assert (event.actor, event.from_owner, event.to_owner, event.at) == (
        org.liaison.user,
        org.liaison,
        org.other_head,
        MOVED,
    )
    assert event.note == (
        f"Moved from Highways to Libraries, now owned by {org.other_head.name}, Head of Libraries. "
        f"The due date does not change. Why: {REASON}"
    )
    assert not event.internal
    # The councillor; the new owner, who heads Libraries; the Head of Highways. Not the
    # liaison officer who moved it.
    to = {message.to[0]: message for message in mailoutbox}
    assert set(to) == {org.councillor.user.email, org.other_head.user.email, org.head.user.email}
    member = to[org.councillor.user.email]
    assert member.subject == f"{enquiry.reference}: your enquiry has moved to Libraries"
    assert f"Who owns it now: {org.other_head.name}, Head of Libraries." in member.body
    assert f"Why it moved: {REASON}" in member.body
    assert "It is still due by the end of Tuesday 29 December 2026" in member.body
    assert "It is yours to answer." in to[org.other_head.user.email].body
    away = to[org.head.user.email]
    assert away.subject == f"{enquiry.reference}: an enquiry has moved from Highways to Libraries"
    assert f"{org.other_head.name}, Head of Libraries, owns it now; Highways has nothing more to do." in away.body


def test_it_moves_to_the_liaison_officer_and_tells_the_head_of_service_too(org, enquiry, committed, mailoutbox):
    librarian = OfficerFactory(service=org.libraries, line_manager=org.other_head, job_title="Library Liaison")
    org.libraries.liaison_officers.set([librarian])

    enquiry = committed(move, org=org, enquiry=enquiry, actor=org.head)

    assert enquiry.owner == librarian
    to = {message.to[0]: message.body for message in mailoutbox}
    # The Head of Highways moved it: the liaison officer who owned it is told instead.
    assert set(to) == {
        org.councillor.user.email,
        librarian.user.email,
        org.other_head.user.email,
        org.liaison.user.email,
    }
    assert "It is yours to answer." in to[librarian.user.email]
    assert f"{librarian.name}, Library Liaison, owns it." in to[org.other_head.user.email]
    assert enquiries_visible_to(librarian.user).filter(pk=enquiry.pk).exists()


def test_a_holding_reply_survives_the_move(org, enquiry):
    held = enquiry_hold(
        enquiry=enquiry, actor=org.liaison.user, reason="Asking the contractor.", target_on=date(2027, 1, 5), now=MOVED
    )
    moved = move(org, held, now=london(2026, 12, 23))
    assert (moved.state, moved.due_at, moved.owner) == (EnquiryState.HOLDING_REPLY, held.due_at, org.other_head)


@pytest.mark.parametrize("who", ["colleague", "outsider", "other_head", "councillor"])
def test_nobody_but_the_owner_or_a_manager_of_the_service_may_move_it(org, enquiry, who):
    actor = getattr(org, who)
    with pytest.raises(PermissionDenied):
        enquiry_move(enquiry=enquiry, actor=actor.user, service=org.libraries, reason=REASON, now=MOVED)
    enquiry.refresh_from_db()
    assert (enquiry.service, enquiry.owner) == (org.highways, org.liaison)
    assert not enquiry.timeline.filter(kind=Kind.MOVED).exists()


@pytest.mark.parametrize("who", ["head", "assistant", "director", "chief"])
def test_a_manager_of_the_service_may_move_it(org, enquiry, who):
    assert move(org, enquiry, actor=getattr(org, who)).service == org.libraries


def test_an_answered_enquiry_stays_where_it_was_answered(org, enquiry):
    enquiry_answer(
        enquiry=enquiry,
        actor=org.liaison.user,
        text="It closes at four.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
        now=MOVED,
    )
    with pytest.raises(PermissionDenied):
        move(org, enquiry, now=london(2026, 12, 23))
    enquiry.refresh_from_db()
    assert enquiry.service == org.highways


def test_it_refuses_the_service_it_is_already_with(org, enquiry):
    with pytest.raises(ValidationError) as error:
        move(org, enquiry, service=org.highways)
    assert error.value.message_dict == {"service": ["The enquiry is already with Highways. Choose another service."]}


def test_it_refuses_a_service_nobody_can_answer_for_and_changes_nothing(org, enquiry):
    empty = ServiceFactory(name="Cemeteries", directorate=org.highways.directorate, head_of_service=None)
    before = enquiry.version
    with pytest.raises(ValidationError) as error:
        move(org, enquiry, service=empty)
    assert error.value.message_dict["service"] == [
        "Cemeteries has no Councillor Liaison Officer or Head of Service to answer it. "
        "Choose another service or contact Democratic Services."
    ]
    enquiry.refresh_from_db()
    assert (enquiry.service, enquiry.owner, enquiry.version) == (org.highways, org.liaison, before)


def test_it_refuses_a_form_loaded_before_someone_else_reassigned_it(org, enquiry):
    stale = enquiry.version
    enquiry_reassign(enquiry=enquiry, actor=org.liaison.user, new_owner=org.colleague, reason="", now=MOVED)
    with pytest.raises(EnquiryConflict):
        move(org, enquiry, actor=org.head, expected_version=stale)
    enquiry.refresh_from_db()
    assert (enquiry.service, enquiry.owner) == (org.highways, org.colleague)


# --- After the move: the new service's ladder ---------------------------------------------------


def climbs(enquiry) -> list[tuple[int, int]]:
    return list(enquiry.escalations.order_by("rung").values_list("rung", "to_owner"))


def test_a_moved_enquiry_climbs_the_new_services_ladder_on_the_original_dates(org, enquiry):
    move(org, enquiry, service=org.libraries)
    # The Head of Libraries owns it, so the first climb passes to the Director of Place.
    enquiry_deadline_sweep(now=FIRST_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 1)
    assert climbs(enquiry) == [(1, org.director.pk)]


def test_an_escalated_enquiry_moved_on_climbs_from_the_new_services_head(org, enquiry):
    librarian = OfficerFactory(service=org.libraries, line_manager=org.other_head)
    org.libraries.liaison_officers.set([librarian])
    enquiry_deadline_sweep(now=FIRST_CLIMB)
    enquiry.refresh_from_db()
    assert enquiry.owner == org.head  # it climbed to the Head of Highways

    enquiry = move(org, enquiry, actor=org.head, now=london(2026, 12, 31))
    assert (enquiry.owner, enquiry.rung, enquiry.escalate_at) == (librarian, 1, SECOND_CLIMB)

    enquiry_deadline_sweep(now=SECOND_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.other_head, 2)
    enquiry_deadline_sweep(now=THIRD_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 3)
    assert climbs(enquiry) == [(1, org.head.pk), (2, org.other_head.pk), (3, org.director.pk)]
