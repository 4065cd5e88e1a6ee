"""The enquiry forms' own fields: a GOV.UK date that is only ever a real date in the
portal's years, and the key that makes a form sent twice make one case."""

from datetime import date
from uuid import UUID

import pytest
from django.utils import timezone

from cases.enquiries.forms import EnquiryForm, HoldingReplyForm
from escalation.calendar import council_calendar

pytestmark = pytest.mark.django_db


def holding_reply(day, month, year) -> HoldingReplyForm:
    data = {"version": "1", "reason": "Waiting for the survey.", "target_on_0": day, "target_on_1": month}
    return HoldingReplyForm({**data, "target_on_2": year})


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        # These raised OverflowError inside crispy-forms-gds's DateInputField: a 500.
        ("1", "1", "99999999999999999999", "New target date must be a real date"),
        ("99999999999999999999", "1", "2027", "New target date must be a real date"),
        ("31", "2", "2027", "New target date must be a real date"),
        ("1", "1", "0", "New target date must be a real date"),
        # The working-day calendar cannot step past 31 December 9999 (OverflowError: a 500).
        ("31", "12", "9999", "New target date must be in a year from 1900 to 2100"),
        ("1", "1", "27", "New target date must be in a year from 1900 to 2100"),
        # A part of only spaces gave the required date as None: a TypeError further on.
        ("0", "0", " ", "Enter the new target date as a day, month and year"),
        (" ", " ", " ", "Enter the new target date"),
    ],
)
def test_it_refuses_a_date_that_is_not_real_or_not_in_the_portals_years(day, month, year, message):
    form = holding_reply(day, month, year)
    assert not form.is_valid()
    assert form.errors["target_on"] == [message]


def test_it_takes_a_real_date():
    target = council_calendar().add_working_days(timezone.localdate(), 3)
    form = holding_reply(str(target.day), str(target.month), str(target.year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["target_on"] == target
    assert isinstance(form.cleaned_data["target_on"], date)


def test_it_gives_each_new_enquiry_form_its_own_key():
    first, second = EnquiryForm().initial["submission_key"], EnquiryForm().initial["submission_key"]
    assert UUID(first) and UUID(second) and first != second


@pytest.mark.parametrize("sent", ["", "not a key", "\x00", "1" * 5000])
def test_it_ignores_a_key_no_page_made(sent):
    form = EnquiryForm({"submission_key": sent})
    form.is_valid()
    assert form.cleaned_data["submission_key"] is None
