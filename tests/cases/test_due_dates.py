"""When an administrator adds, removes or moves a council closure day, the deadlines of open
enquiries on their five-working-day clock follow, and the timeline says so (001 §7.1)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from cases.enquiries.services import enquiry_answer, enquiry_file, enquiry_hold
from cases.models import EnquiryState, Marking, Purpose, TimelineEvent
from escalation.calendar import end_of_day
from escalation.models import ClosureDay
from escalation.services import closure_day_add, closure_day_change, closure_day_remove

LONDON = ZoneInfo("Europe/London")
CHANGED = TimelineEvent.Kind.DUE_DATE_CHANGED


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "correct-horse-battery-staple")


def file_enquiry(org, *, now):
    return enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Pothole on Mill Road",
        details="A deep pothole outside number 12.",
        purpose=Purpose.INFORMATION,
        now=now,
    )


@pytest.fixture
def open_enquiry(org):
    # Filed Monday 1 February 2027: Tue 2 (1), Wed 3, Thu 4, Fri 5, Mon 8 February (5).
    enquiry = file_enquiry(org, now=london(2027, 2, 1))
    assert enquiry.due_on == date(2027, 2, 8)
    return enquiry


def due_changes(enquiry) -> list[TimelineEvent]:
    return list(enquiry.timeline.filter(kind=CHANGED))


@pytest.mark.parametrize("closed_on", [date(2027, 2, 2), date(2027, 2, 3), date(2027, 2, 8)])
def test_it_moves_the_deadline_a_working_day_later_when_a_closure_day_falls_in_its_window(
    org, admin, open_enquiry, closed_on
):
    closure_day_add(day=closed_on, reason="Office move", actor=admin)
    open_enquiry.refresh_from_db()
    assert open_enquiry.due_at == end_of_day(date(2027, 2, 9))
    assert open_enquiry.version == 2  # a form from before the change is refused
    [event] = due_changes(open_enquiry)
    assert event.actor == admin
    assert event.note == (
        "The council's closure days changed, so the due date moved "
        "from Monday 8 February 2027 to Tuesday 9 February 2027."
    )


def test_it_moves_the_deadline_back_when_the_closure_day_is_removed(org, admin, open_enquiry):
    closure = closure_day_add(day=date(2027, 2, 3), reason="Office move", actor=admin)
    closure_day_remove(closure=closure, actor=admin)
    open_enquiry.refresh_from_db()
    assert open_enquiry.due_at == end_of_day(date(2027, 2, 8))
    first, second = due_changes(open_enquiry)
    assert "from Monday 8 February 2027 to Tuesday 9 February 2027" in first.note
    assert "from Tuesday 9 February 2027 to Monday 8 February 2027" in second.note


def test_it_follows_a_closure_day_that_moves_out_of_the_window(org, admin, open_enquiry):
    closure = closure_day_add(day=date(2027, 2, 3), reason="Office move", actor=admin)
    closure_day_change(closure=closure, day=date(2027, 2, 16), reason="Office move", actor=admin)
    open_enquiry.refresh_from_db()
    assert open_enquiry.due_on == date(2027, 2, 8)
    assert len(due_changes(open_enquiry)) == 2


def test_it_brings_the_deadline_forward_when_a_closure_day_set_before_filing_is_removed(org, admin):
    ClosureDay.objects.create(date=date(2027, 2, 4), reason="Office move")
    enquiry = file_enquiry(org, now=london(2027, 2, 1))
    assert enquiry.due_on == date(2027, 2, 9)
    closure_day_remove(closure=ClosureDay.objects.get(), actor=admin)
    enquiry.refresh_from_db()
    assert enquiry.due_on == date(2027, 2, 8)
    assert len(due_changes(enquiry)) == 1


def test_it_leaves_an_answered_enquiry_alone(org, admin, open_enquiry):
    enquiry = enquiry_answer(
        enquiry=open_enquiry,
        actor=org.liaison.user,
        text="Filled on Friday.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
        now=london(2027, 2, 2),
    )
    closure_day_add(day=date(2027, 2, 3), reason="Office move", actor=admin)
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.ANSWERED
    assert enquiry.due_on == date(2027, 2, 8)
    assert due_changes(enquiry) == []


def test_it_leaves_a_holding_reply_target_alone(org, admin, open_enquiry):
    # 001 §7.1: the target is a date the officer chose and told the member.
    enquiry = enquiry_hold(
        enquiry=open_enquiry,
        actor=org.liaison.user,
        reason="Waiting for the survey.",
        target_on=date(2027, 2, 12),
        now=london(2027, 2, 2),
    )
    closure_day_add(day=date(2027, 2, 3), reason="Office move", actor=admin)
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.HOLDING_REPLY
    assert enquiry.due_at == end_of_day(date(2027, 2, 12))
    assert due_changes(enquiry) == []


@pytest.mark.parametrize("closed_on", [date(2027, 1, 29), date(2027, 2, 1), date(2027, 2, 10)])
def test_it_leaves_an_enquiry_whose_window_does_not_include_the_day(org, admin, open_enquiry, closed_on):
    # Before the receipt day, the receipt day itself (not counted, 001 §7.1), and after the
    # first working day past the due day (when the first climb would fall).
    closure_day_add(day=closed_on, reason="Office move", actor=admin)
    open_enquiry.refresh_from_db()
    assert open_enquiry.due_on == date(2027, 2, 8)
    assert open_enquiry.version == 1
    assert due_changes(open_enquiry) == []


def test_it_recomputes_only_the_enquiries_the_day_affects(org, admin, open_enquiry):
    later = file_enquiry(org, now=london(2027, 2, 8))  # due Monday 15 February
    closure_day_add(day=date(2027, 2, 3), reason="Office move", actor=admin)
    open_enquiry.refresh_from_db()
    later.refresh_from_db()
    assert (open_enquiry.due_on, later.due_on) == (date(2027, 2, 9), date(2027, 2, 15))
    assert due_changes(later) == []


def test_it_moves_only_the_first_climb_for_a_closure_on_the_day_after_the_deadline(org, admin, open_enquiry):
    # Due by the end of Monday 8 February; a closure on Tuesday 9 February leaves the due date
    # alone (no member-visible change) but the first climb waits for Wednesday 10 February.
    closure_day_add(day=date(2027, 2, 9), reason="Office move", actor=admin)
    open_enquiry.refresh_from_db()
    assert open_enquiry.due_on == date(2027, 2, 8)
    [moved] = due_changes(open_enquiry)
    assert moved.internal  # officers see why the climb moved; the member's due date did not change
    assert "next escalation moved to Wednesday 10 February 2027" in moved.note
    assert open_enquiry.escalate_at == datetime(2027, 2, 10, 8, tzinfo=LONDON)
