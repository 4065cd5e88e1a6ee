"""Holding replies have limits (issue 15 A3; 001 §7.1, §7.4 "unreasonable delays").

The owner alone could set a holding reply's target any distance away, and the enquiry still
counted as on time. Now a target may be at most HOLDING_REPLY_MAX_WORKING_DAYS (10) working
days after the deadline it extends; a later one, or a second holding reply, needs the
councillor's agreement (recorded by the owner, with a note of how, or given in the portal)
or a manager of the service's approval. Until then the deadline stands, and climbs.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.enquiries.deadlines import enquiry_deadline_sweep
from cases.enquiries.services import (
    Agreement,
    enquiry_answer,
    enquiry_extension_decide,
    enquiry_file,
    enquiry_hold,
)
from cases.models import Enquiry, EnquiryState, HoldingReply, Marking, Notification, Purpose, TimelineEvent
from escalation.calendar import end_of_day

LONDON = ZoneInfo("Europe/London")
Kind = TimelineEvent.Kind
Status = HoldingReply.Status


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


FILED = london(2026, 12, 18)  # due by the end of Tuesday 29 December 2026
DUE = end_of_day(date(2026, 12, 29))
HELD = london(2026, 12, 22)
# Ten working days after 29 December (1 January is a bank holiday): Wednesday 13 January 2027.
LIMIT = date(2027, 1, 13)
LATER = date(2027, 1, 20)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"
    settings.HOLDING_REPLY_MAX_WORKING_DAYS = 10


@pytest.fixture
def enquiry(org) -> Enquiry:
    return enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Pothole on Mill Road",
        details="A deep pothole outside number 12.",
        purpose=Purpose.INFORMATION,
        now=FILED,
    )


def hold(org, enquiry, target_on, *, now=HELD, actor=None, **kwargs) -> Enquiry:
    return enquiry_hold(
        enquiry=enquiry,
        actor=(actor or org.liaison).user,
        reason="Waiting for the contractor's survey.",
        target_on=target_on,
        now=now,
        **kwargs,
    )


def state(enquiry: Enquiry) -> tuple:
    enquiry.refresh_from_db()
    return enquiry.state, enquiry.due_at


def test_the_owner_sets_a_target_up_to_ten_working_days_after_the_deadline(org, enquiry):
    enquiry = hold(org, enquiry, LIMIT)
    assert state(enquiry) == (EnquiryState.HOLDING_REPLY, end_of_day(LIMIT))
    reply = enquiry.holding_replies.get()
    assert (reply.status, reply.original_due_on, reply.decided_by) == (Status.WITHIN_LIMITS, date(2026, 12, 29), None)


def test_a_later_target_alone_is_refused_and_changes_nothing(org, enquiry):
    with pytest.raises(ValidationError) as error:
        hold(org, enquiry, date(2027, 1, 14))
    assert error.value.message_dict == {
        "agreement": [
            "A target after Wednesday 13 January 2027 (10 working days after the deadline of 29 December 2026) "
            "needs the councillor's agreement or the Head of Service's approval: say which"
        ]
    }
    assert state(enquiry) == (EnquiryState.SUBMITTED, DUE)
    assert not enquiry.holding_replies.exists()


def test_agreement_given_by_phone_is_recorded_with_a_note_and_takes_effect(org, enquiry, mailoutbox):
    with pytest.raises(ValidationError) as error:
        hold(org, enquiry, LATER, agreement=Agreement.RECORDED)
    assert error.value.message_dict == {"agreement_note": ["Enter how and when the councillor agreed to the new date"]}

    enquiry = hold(org, enquiry, LATER, agreement=Agreement.RECORDED, agreement_note="By phone on 22 December.")

    assert state(enquiry) == (EnquiryState.HOLDING_REPLY, end_of_day(LATER))
    reply = enquiry.holding_replies.get()
    assert (reply.status, reply.decided_by, reply.decision_note) == (
        Status.AGREEMENT_RECORDED,
        org.liaison.user,
        "By phone on 22 December.",
    )
    event = enquiry.timeline.filter(kind=Kind.HOLDING_REPLY).get()
    assert event.note.endswith("Agreed by the councillor, as recorded: By phone on 22 December.")


def test_a_later_date_asked_for_waits_and_the_councillor_agrees_in_the_portal(org, enquiry):
    enquiry = hold(org, enquiry, LATER, agreement=Agreement.ASK)

    # Until agreed, the deadline stands.
    assert state(enquiry) == (EnquiryState.SUBMITTED, DUE)
    reply = enquiry.holding_replies.get()
    assert reply.status == Status.AWAITING
    assert enquiry.pending_extension() == reply
    asked = enquiry.timeline.get(kind=Kind.EXTENSION_ASKED)
    assert "Until it is agreed, or approved by a manager of the service, it is still due by the end of" in asked.note
    told = set(Notification.objects.filter(enquiry=enquiry, created_at=HELD).values_list("template", "recipient"))
    assert told == {
        ("enquiry_extension_asked", org.councillor.user.pk),
        ("enquiry_extension_approval", org.head.user.pk),
    }

    enquiry = enquiry_extension_decide(enquiry=enquiry, actor=org.councillor.user, agree=True, now=london(2026, 12, 23))

    assert state(enquiry) == (EnquiryState.HOLDING_REPLY, end_of_day(LATER))
    reply.refresh_from_db()
    assert (reply.status, reply.decided_by) == (Status.AGREED, org.councillor.user)
    assert enquiry.pending_extension() is None


def test_a_manager_of_the_service_may_approve_it_instead(org, enquiry):
    enquiry = hold(org, enquiry, LATER, agreement=Agreement.ASK)
    enquiry = enquiry_extension_decide(
        enquiry=enquiry, actor=org.head.user, agree=True, note="The survey is booked.", now=london(2026, 12, 23)
    )
    assert state(enquiry) == (EnquiryState.HOLDING_REPLY, end_of_day(LATER))
    assert enquiry.holding_replies.get().status == Status.APPROVED


def test_not_agreed_the_deadline_stands_and_the_owner_is_told(org, enquiry, mailoutbox):
    enquiry = hold(org, enquiry, LATER, agreement=Agreement.ASK)
    enquiry = enquiry_extension_decide(
        enquiry=enquiry, actor=org.councillor.user, agree=False, note="Residents need it sooner.", now=HELD
    )
    assert state(enquiry) == (EnquiryState.SUBMITTED, DUE)
    assert enquiry.holding_replies.get().status == Status.REFUSED
    refused = Notification.objects.get(enquiry=enquiry, template="enquiry_extension_refused")
    assert refused.recipient == org.liaison.user
    assert "What they said: Residents need it sooner." in refused.body
    # Nothing is waiting now: the owner may send a holding reply within the limits again.
    assert enquiry.pending_extension() is None
    assert hold(org, enquiry, LIMIT, now=london(2026, 12, 23)).state == EnquiryState.HOLDING_REPLY


@pytest.mark.parametrize("who", ["liaison", "colleague", "outsider", "other_head", "councillor2"])
def test_nobody_else_decides_and_never_the_owner(org, enquiry, who):
    enquiry = hold(org, enquiry, LATER, agreement=Agreement.ASK)
    with pytest.raises(PermissionDenied):
        enquiry_extension_decide(enquiry=enquiry, actor=getattr(org, who).user, agree=True, now=HELD)
    assert state(enquiry) == (EnquiryState.SUBMITTED, DUE)


def test_a_second_holding_reply_needs_agreement_even_within_the_limit(org, enquiry):
    enquiry = hold(org, enquiry, date(2027, 1, 5))
    with pytest.raises(ValidationError) as error:
        hold(org, enquiry, date(2027, 1, 8), now=london(2027, 1, 4))
    assert error.value.message_dict["agreement"][0].startswith("A second holding reply needs")
    enquiry = hold(org, enquiry, date(2027, 1, 8), now=london(2027, 1, 4), agreement=Agreement.ASK)
    assert state(enquiry) == (EnquiryState.HOLDING_REPLY, end_of_day(date(2027, 1, 5)))
    assert enquiry.pending_extension().original_due_on == date(2026, 12, 29)


def test_one_later_date_waits_at_a_time(org, enquiry):
    enquiry = hold(org, enquiry, LATER, agreement=Agreement.ASK)
    with pytest.raises(ValidationError) as error:
        hold(org, enquiry, LIMIT, now=london(2026, 12, 23))
    assert "is still waiting for agreement" in error.value.message_dict["target_on"][0]


def test_an_unagreed_later_date_does_not_stop_the_climb_and_agreement_after_it_stops_the_next(org, enquiry):
    enquiry = hold(org, enquiry, LATER, agreement=Agreement.ASK)
    enquiry_deadline_sweep(now=london(2026, 12, 30, 8))
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.head, 1)
    # The Head of Service owns it now: they may not approve their own service's request for
    # themselves as owner, but the councillor still may agree.
    with pytest.raises(PermissionDenied):
        enquiry_extension_decide(enquiry=enquiry, actor=org.head.user, agree=True, now=london(2026, 12, 31))
    enquiry = enquiry_extension_decide(enquiry=enquiry, actor=org.councillor.user, agree=True, now=london(2026, 12, 31))
    assert state(enquiry) == (EnquiryState.HOLDING_REPLY, end_of_day(LATER))
    assert enquiry_deadline_sweep(now=london(2027, 1, 7, 8)).climbs == 0


def test_a_date_that_has_passed_cannot_be_agreed(org, enquiry):
    enquiry = hold(org, enquiry, date(2027, 1, 14), agreement=Agreement.ASK)
    with pytest.raises(ValidationError) as error:
        enquiry_extension_decide(enquiry=enquiry, actor=org.councillor.user, agree=True, now=london(2027, 1, 15))
    assert error.value.message_dict == {
        "agree": ["The later date, 14 January 2027, has passed: it cannot be agreed now"]
    }


def test_an_answer_ends_the_wait(org, enquiry):
    enquiry = hold(org, enquiry, LATER, agreement=Agreement.ASK)
    enquiry = enquiry_answer(
        enquiry=enquiry,
        actor=org.liaison.user,
        text="Filled on Monday.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
        now=london(2026, 12, 23),
    )
    assert enquiry.pending_extension() is None
    assert not enquiry.may_decide_extension(org.councillor.user)
    with pytest.raises(PermissionDenied):
        enquiry_extension_decide(enquiry=enquiry, actor=org.councillor.user, agree=True, now=london(2026, 12, 23))
