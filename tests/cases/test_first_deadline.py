"""What "answered within five working days" is measured against (001 §7.1; DESIGN §7):
the end of the fifth working day after receipt, stored on the enquiry as ``first_due_at``
and kept in step when the council's closure days change."""

from datetime import datetime

import pytest
from django.utils import timezone

from cases.enquiries.services import enquiry_answer, enquiry_file, enquiry_hold
from cases.models import Marking, Purpose
from escalation.calendar import end_of_day, local_date
from escalation.services import closure_day_add, closure_day_remove

pytestmark = pytest.mark.django_db

FRIDAY = datetime(2026, 12, 18, 10, 0, tzinfo=timezone.get_default_timezone())


def file(org, **kwargs):
    return enquiry_file(
        member=org.councillor, subject="Gritting", details="When?", service=org.highways,
        purpose=Purpose.INFORMATION, now=FRIDAY, **kwargs,
    )  # fmt: skip


def test_it_records_the_first_deadline_and_keeps_it_through_a_holding_reply(org):
    enquiry = file(org)
    assert local_date(enquiry.first_due_at) == local_date(enquiry.due_at) == datetime(2026, 12, 29).date()

    held = enquiry_hold(
        enquiry=enquiry, actor=org.liaison.user, reason="Waiting for the contractor.",
        target_on=datetime(2027, 1, 8).date(), now=FRIDAY,
    )  # fmt: skip

    assert local_date(held.due_at) == datetime(2027, 1, 8).date()
    assert held.first_due_at == end_of_day(datetime(2026, 12, 29).date())


def test_a_closure_day_moves_the_first_deadline_of_open_and_answered_enquiries(org):
    open_one = file(org)
    answered = enquiry_answer(
        enquiry=file(org), actor=org.liaison.user, text="Monday.", marking=Marking.PUBLIC,
        contains_personal_data=False, now=FRIDAY,
    )  # fmt: skip

    closure = closure_day_add(day=datetime(2026, 12, 29).date(), reason="Christmas shutdown", actor=org.chief.user)

    for enquiry in (open_one, answered):
        enquiry.refresh_from_db()
        assert local_date(enquiry.first_due_at) == datetime(2026, 12, 30).date()

    closure_day_remove(closure=closure, actor=org.chief.user)
    answered.refresh_from_db()
    assert local_date(answered.first_due_at) == datetime(2026, 12, 29).date()
