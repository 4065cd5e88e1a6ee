"""The date promised to the councillor and whether it was kept (issue 15 B7; 001 §7.1, §7.4;
cases.enquiries.promises): the five working days' end, moved only by a holding reply within
the limits of issue 15 A3 sent while that date stood, or by a later date agreed or approved;
never by one waiting for agreement or not agreed.

Filed Friday 18 December 2026 (England), due by the end of Tuesday 29 December; ten working
days after that is Wednesday 13 January 2027.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.enquiries.promises import HoldingReplyFacts, promise_kept, promised_by
from cases.models import HoldingReply
from escalation.calendar import WorkingDayCalendar, end_of_day

LONDON = ZoneInfo("Europe/London")
Status = HoldingReply.Status
DUE = end_of_day(date(2026, 12, 29))
LIMIT = date(2027, 1, 13)


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.COUNCIL_NATION = "england-and-wales"
    settings.HOLDING_REPLY_MAX_WORKING_DAYS = 10


@pytest.fixture
def calendar(db) -> WorkingDayCalendar:
    from escalation.calendar import council_calendar

    return council_calendar()


def reply(target_on: date, status: str = Status.WITHIN_LIMITS, *, sent=None, decided=None, original=None):
    return HoldingReplyFacts(
        sent_at=sent or london(2026, 12, 22),
        target_on=target_on,
        status=status,
        original_due_on=original if original is not None else date(2026, 12, 29),
        decided_at=decided,
    )


def promised(calendar, *replies, answered=None) -> datetime:
    return promised_by(first_due=DUE, replies=replies, responded_at=answered, calendar=calendar)


def test_it_promises_the_end_of_the_fifth_working_day_without_a_holding_reply(calendar):
    assert promised(calendar) == DUE


def test_a_holding_reply_within_the_limits_moves_the_date(calendar):
    assert promised(calendar, reply(date(2027, 1, 8))) == end_of_day(date(2027, 1, 8))
    assert promised(calendar, reply(LIMIT)) == end_of_day(LIMIT)


@pytest.mark.parametrize("status", [Status.AWAITING, Status.REFUSED])
def test_a_later_date_waiting_for_agreement_or_not_agreed_leaves_the_date(calendar, status):
    assert promised(calendar, reply(date(2027, 1, 20), status)) == DUE


@pytest.mark.parametrize("status", [Status.AGREEMENT_RECORDED, Status.AGREED, Status.APPROVED])
def test_a_later_date_agreed_or_approved_moves_it_from_when_it_was_agreed(calendar, status):
    agreed = london(2026, 12, 23)
    assert promised(calendar, reply(date(2027, 1, 20), status, decided=agreed)) == end_of_day(date(2027, 1, 20))
    # Agreed after the answer came, it promised nothing the answer was measured against.
    assert promised(calendar, reply(date(2027, 1, 20), status, decided=agreed), answered=agreed) == DUE


def test_a_holding_reply_sent_after_the_date_passed_does_not_mend_it(calendar):
    late = reply(date(2027, 1, 8), sent=london(2026, 12, 30))
    assert promised(calendar, late) == DUE


def test_a_holding_reply_from_before_the_limits_counts_only_up_to_them(calendar):
    # Before issue 15 A3 every holding reply was "within the limits", whatever its target, and
    # none said which deadline it extended: it is counted up to ten working days after the first.
    legacy = HoldingReplyFacts(
        sent_at=london(2026, 12, 22), target_on=date(2027, 2, 26), status=Status.WITHIN_LIMITS,
        original_due_on=None, decided_at=None,
    )  # fmt: skip
    assert promised(calendar, legacy) == end_of_day(LIMIT)
    # And a second one of those days moves nothing: a second holding reply needs agreement.
    second = HoldingReplyFacts(
        sent_at=london(2027, 1, 4), target_on=date(2027, 1, 12), status=Status.WITHIN_LIMITS,
        original_due_on=None, decided_at=None,
    )  # fmt: skip
    first = HoldingReplyFacts(
        sent_at=london(2026, 12, 22), target_on=date(2027, 1, 5), status=Status.WITHIN_LIMITS,
        original_due_on=None, decided_at=None,
    )  # fmt: skip
    assert promised(calendar, first, second) == end_of_day(date(2027, 1, 5))


def test_a_second_holding_reply_agreed_moves_it_again(calendar):
    first = reply(date(2027, 1, 5))
    second = reply(date(2027, 1, 20), Status.AGREED, sent=london(2027, 1, 4), decided=london(2027, 1, 4, 15))
    assert promised(calendar, first, second) == end_of_day(date(2027, 1, 20))
    refused = reply(date(2027, 1, 20), Status.REFUSED, sent=london(2027, 1, 4), decided=london(2027, 1, 4, 15))
    assert promised(calendar, first, refused) == end_of_day(date(2027, 1, 5))


def test_only_what_came_before_the_answer_counts(calendar):
    # A holding reply after a reopening promises the follow-up, not the first answer.
    after = reply(date(2027, 2, 5), sent=london(2027, 1, 10))
    assert promised(calendar, after, answered=london(2026, 12, 24)) == DUE


@pytest.mark.parametrize(
    ("responded", "closed", "now", "kept"),
    [
        (DUE, None, DUE + timedelta(days=9), True),  # on the last moment of the day
        (DUE + timedelta(seconds=1), None, DUE + timedelta(days=9), False),
        (None, None, DUE, None),  # not due yet
        (None, None, DUE + timedelta(seconds=1), False),  # passed unanswered
        (None, london(2026, 12, 28), DUE + timedelta(days=9), None),  # withdrawn before it
        (None, london(2027, 1, 4), DUE + timedelta(days=9), False),  # withdrawn after it, unanswered
    ],
)
def test_it_says_whether_the_promise_was_kept(responded, closed, now, kept):
    assert promise_kept(promised=DUE, responded_at=responded, closed_at=closed, now=now) is kept
