"""Hostile input at every enquiry form: filing, and each action on an enquiry (001 §7, §8).
Never a 500: a validation message in the error summary, or a redirect with a message;
what is stored is shown escaped; a form sent twice is stored once."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.enquiries.forms import (
    AnswerForm,
    ConfirmForm,
    ConsentForm,
    DisputeDecisionForm,
    EnquiryForm,
    ExtensionDecisionForm,
    HoldingReplyForm,
    MoveForm,
    ReasonsForm,
    ReassignForm,
)
from cases.models import ConsentRecord, Dispute, Enquiry, Marking, Notification, Purpose, TimelineEvent
from escalation.calendar import council_calendar
from tests.fuzz.harness import (
    Page,
    assert_second_submission_refused,
    each_rolled_back,
    fuzz_page,
    signed_in,
    submission_key,
)
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, choices, form_data, hostile_date, hostile_text, uploads

pytestmark = pytest.mark.django_db

COVERS = {EnquiryForm, AnswerForm, HoldingReplyForm, ReasonsForm, DisputeDecisionForm, ReassignForm, ConsentForm}
COVERS |= {ConfirmForm, MoveForm, ExtensionDecisionForm}


def version(enquiry: Enquiry) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([str(enquiry.version - 1), str(enquiry.version + 1)]), bad_ids)


def yes_no() -> st.SearchStrategy[str]:
    return choices(["yes", "no"])


def date_data(name: str, day) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def action(person, name: str, enquiry: Enquiry, base: dict, *, shown=()) -> Page:
    """An action on an enquiry: stored when the enquiry's version moves on."""
    return Page(
        person=person,
        url=reverse(f"cases:{name}", args=[enquiry.reference]),
        base={"version": str(enquiry.version), **base},
        stored=lambda: Enquiry.objects.get(pk=enquiry.pk).version != enquiry.version,
        shown=shown,
        records=lambda: TimelineEvent.objects.filter(enquiry=enquiry).count() + Notification.objects.count(),
    )


# --- The pages, each with valid data ------------------------------------------------------


def filing(org, enquiries) -> Page:
    filed = Enquiry.objects.count()
    return Page(
        person=org.councillor,
        url=reverse("cases:enquiry_new"),
        base={
            "subject": "Pothole on Mill Lane",
            "details": "When will the pothole outside number 12 be repaired?",
            "service": str(org.highways.pk),
            "purpose": Purpose.INFORMATION,
            "ward": "",
        },
        stored=lambda: Enquiry.objects.count() > filed,
        shown=("subject", "details"),
        records=Enquiry.objects.count,
    )


def answering(org, enquiries) -> Page:
    base = {"text": "It will be repaired next week.", "marking": Marking.PUBLIC}
    return action(org.liaison, "enquiry_answer", enquiries.submitted, base, shown=("text",))


def holding_reply(org, enquiries) -> Page:
    target = council_calendar().add_working_days(timezone.localdate(), 10)
    base = {"reason": "Waiting for the contractor's survey.", **date_data("target_on", target)}
    return action(org.liaison, "enquiry_hold", enquiries.submitted, base, shown=("reason",))


def declining(org, enquiries) -> Page:
    base = {"reasons": "It is a matter for the county council."}
    return action(org.head, "enquiry_decline", enquiries.submitted, base, shown=("reasons",))


def disputing(org, enquiries) -> Page:
    base = {"reasons": "It is our road, not the county's."}
    return action(org.councillor, "enquiry_dispute", enquiries.declined, base, shown=("reasons",))


def withdrawing(org, enquiries) -> Page:
    base = {"reasons": "Sorted out at the ward surgery."}
    return action(org.councillor, "enquiry_withdraw", enquiries.submitted, base, shown=("reasons",))


def reopening(org, enquiries) -> Page:
    base = {"reasons": "When next week?"}
    return action(org.councillor, "enquiry_reopen", enquiries.answered, base, shown=("reasons",))


def deciding(org, enquiries) -> Page:
    base = {"decision": Dispute.Decision.DIRECTED, "reasons": "It is our road."}
    return action(org.chief, "enquiry_decide", enquiries.disputed, base, shown=("reasons",))


def reassigning(org, enquiries) -> Page:
    base = {"new_owner": str(org.colleague.pk), "reason": "On leave."}
    return action(org.head, "enquiry_reassign", enquiries.submitted, base, shown=("reason",))


def moving(org, enquiries) -> Page:
    base = {"service": str(org.libraries.pk), "reason": "Opening hours are for Libraries."}
    return action(org.head, "enquiry_move", enquiries.submitted, base, shown=("reason",))


def deciding_a_later_date(org, enquiries) -> Page:
    return action(org.councillor, "enquiry_extension", enquiries.extension, {"agree": "yes"}, shown=("note",))


def consent(org, enquiries) -> Page:
    base = {
        "given_by": "Sam Resident",
        **date_data("given_on", timezone.localdate() - timedelta(days=1)),
        "method": ConsentRecord.Method.values[0],
    }
    return action(org.head, "enquiry_consent", enquiries.needs_consent, base, shown=("given_by",))


def closing(org, enquiries) -> Page:
    return action(org.councillor, "enquiry_close", enquiries.answered, {})


ACTIONS = [answering, holding_reply, declining, disputing, withdrawing, reopening, deciding, reassigning, consent]
ACTIONS += [closing, moving, deciding_a_later_date]


# --- Hostile input --------------------------------------------------------------------------


@fuzz(30)
@given(data=st.data())
def test_filing_an_enquiry(client, org, enquiries, data):
    page = filing(org, enquiries)
    hostile = {
        "subject": hostile_text(200),
        "details": hostile_text(),
        "service": st.one_of(st.just(str(org.libraries.pk)), bad_ids),
        "purpose": choices(list(Purpose.values)),
        "ward": st.one_of(st.sampled_from([str(org.ward.pk), str(org.other_ward.pk)]), bad_ids),
        "constituent_lives_in_ward": yes_no(),
        "acting_for_constituent": yes_no(),
        "information_needed_for_complaint": yes_no(),
        "attachments": uploads(),
        "submission_key": st.one_of(st.just(str(uuid4())), hostile_text(36)),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(25)
@given(data=st.data())
def test_answering(client, org, enquiries, data):
    page = answering(org, enquiries)
    hostile = {
        "version": version(enquiries.submitted),
        "text": hostile_text(),
        "marking": choices(list(Marking.values)),
        "contains_personal_data": st.sampled_from(["on", "true", "false", "0", "\x00", "x" * 5000]),
        "attachments": uploads(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(25)
@given(data=st.data())
def test_sending_a_holding_reply(client, org, enquiries, data):
    page = holding_reply(org, enquiries)
    target = council_calendar().add_working_days(timezone.localdate(), 10)
    hostile = {
        "version": version(enquiries.submitted),
        "reason": hostile_text(),
        "target_on": hostile_date("target_on", (target.day, target.month, target.year)),
        # Issue 15 A3: how a later date is agreed, or nonsense; a note, or hostile text.
        "agreement": st.one_of(st.sampled_from(["", "recorded", "ask", "granted"]), hostile_text()),
        "agreement_note": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(40)
@given(data=st.data())
def test_declining_disputing_withdrawing_and_reopening(client, org, enquiries, data):
    build = data.draw(st.sampled_from([declining, disputing, withdrawing, reopening]), label="page")
    page = build(org, enquiries)
    hostile = {"version": st.one_of(st.just("0"), bad_ids), "reasons": hostile_text()}
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(25)
@given(data=st.data())
def test_deciding_a_dispute(client, org, enquiries, data):
    page = deciding(org, enquiries)
    hostile = {
        "version": version(enquiries.disputed),
        "decision": choices(list(Dispute.Decision.values)),
        "reasons": hostile_text(),
        # Another service's officer, a councillor's id, a colleague, or no one at all.
        "owner": st.one_of(
            st.sampled_from([str(org.outsider.pk), str(org.councillor.pk), str(org.colleague.pk)]), bad_ids
        ),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(25)
@given(data=st.data())
def test_reassigning(client, org, enquiries, data):
    page = reassigning(org, enquiries)
    hostile = {
        "version": version(enquiries.submitted),
        # An officer of another service may not take it: a refusal, never a 500.
        "new_owner": st.one_of(
            st.sampled_from([str(org.outsider.pk), str(org.liaison.pk), str(org.chief.pk)]), bad_ids
        ),
        "reason": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(25)
@given(data=st.data())
def test_recording_consent(client, org, enquiries, data):
    page = consent(org, enquiries)
    given_on = timezone.localdate() - timedelta(days=1)
    hostile = {
        "version": version(enquiries.needs_consent),
        "given_by": hostile_text(150),
        "given_on": hostile_date("given_on", (given_on.day, given_on.month, given_on.year)),
        "method": choices(list(ConsentRecord.Method.values)),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(10)
@given(data=st.data())
def test_closing(client, org, enquiries, data):
    page = closing(org, enquiries)
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, {"version": version(enquiries.answered)}), label="form"))


@fuzz(25)
@given(data=st.data())
def test_moving(client, org, enquiries, data):
    page = moving(org, enquiries)
    hostile = {
        "version": version(enquiries.submitted),
        # Its own service is refused with a message, never a 500.
        "service": st.one_of(st.sampled_from([str(org.highways.pk), str(org.libraries.pk)]), bad_ids),
        "reason": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


@fuzz(20)
@given(data=st.data())
def test_deciding_a_later_date(client, org, enquiries, data):
    page = deciding_a_later_date(org, enquiries)
    hostile = {
        "version": version(enquiries.extension),
        "agree": st.one_of(st.sampled_from(["yes", "no", "maybe", ""]), hostile_text()),
        "note": hostile_text(),
    }
    signed_in(client, page.person)
    fuzz_page(client, page, data.draw(form_data(page.base, hostile), label="form"))


# --- Sent twice -----------------------------------------------------------------------------


def test_it_stores_an_action_sent_twice_once(client, org, enquiries):
    def check(build):
        html = assert_second_submission_refused(client, build(org, enquiries))
        assert "your first submission was saved, and the second was not." in html

    each_rolled_back(ACTIONS, check)


def test_it_files_an_enquiry_sent_twice_once(client, org, enquiries):
    page = filing(org, enquiries)
    data = {**page.base, "submission_key": submission_key(signed_in(client, page.person), page.url)}
    html = assert_second_submission_refused(client, page, data)
    assert "You have already sent this enquiry: it is ENQ-" in html
