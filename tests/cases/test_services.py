"""The enquiry services: filing, routing, consent, responses, disputes and the member's own
actions, with their permissions, deadlines, e-mails and timeline (DESIGN §3; 001 §7–§9)."""

from datetime import date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from guardian.models import UserObjectPermission

from cases.enquiries import services
from cases.enquiries.selectors import enquiries_visible_to
from cases.enquiries.services import (
    EnquiryConflict,
    enquiry_answer,
    enquiry_close,
    enquiry_consent_record,
    enquiry_decline,
    enquiry_dispute,
    enquiry_dispute_decide,
    enquiry_file,
    enquiry_hold,
    enquiry_reassign,
    enquiry_reopen,
    enquiry_withdraw,
)
from cases.models import (
    Answer,
    ConsentRecord,
    Dispute,
    Enquiry,
    EnquiryState,
    EnquiryUserObjectPermission,
    Marking,
    Notification,
    Purpose,
    ReferenceSequence,
    TimelineEvent,
)
from cases.shared.notifications import recording_history
from cases.shared.submissions import AlreadySubmitted
from cases.tasks import notification_email_send
from escalation.calendar import council_calendar, end_of_day
from escalation.models import ClosureDay
from tests.factories import MemberFactory, OfficerFactory, ServiceFactory

LONDON = ZoneInfo("Europe/London")
Kind = TimelineEvent.Kind


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


def file_enquiry(org, *, member=None, service=None, now=None, **fields):
    fields = {
        "subject": "Pothole on Mill Road",
        "details": "A deep pothole outside number 12 has damaged two cars.",
        "purpose": Purpose.INFORMATION,
        **fields,
    }
    return enquiry_file(member=member or org.councillor, service=service or org.highways, now=now, **fields)


def answer(org, enquiry, *, now=None, marking=Marking.PUBLIC, **kwargs):
    return enquiry_answer(
        enquiry=enquiry,
        actor=org.liaison.user,
        text="The pothole will be filled on Friday.",
        marking=marking,
        contains_personal_data=kwargs.pop("contains_personal_data", False),
        now=now,
        **kwargs,
    )


def decline(org, enquiry, *, now=None):
    return enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="This is a planning matter.", now=now)


def kinds(enquiry) -> list[str]:
    return list(enquiry.timeline.values_list("kind", flat=True))


def mail_to(mailoutbox, user) -> list:
    return [message for message in mailoutbox if message.to == [user.email]]


# --- Filing and routing -------------------------------------------------------------


def test_it_numbers_references_per_year(org):
    # Each year's references restart at 00001, so a reference says when the enquiry was filed.
    first = file_enquiry(org, now=london(2026, 12, 1))
    second = file_enquiry(org, now=london(2026, 12, 2))
    next_year = file_enquiry(org, now=london(2027, 1, 4))
    assert [first.reference, second.reference, next_year.reference] == [
        "ENQ-2026-00001",
        "ENQ-2026-00002",
        "ENQ-2027-00001",
    ]


def test_it_files_a_form_sent_twice_once(org):
    # A double click sends the filing form twice, with the key its page made (cases.shared.forms.SubmittedOnceForm).
    key = uuid4()
    first = file_enquiry(org, submission_key=key)

    with pytest.raises(AlreadySubmitted) as already:
        file_enquiry(org, submission_key=key)

    assert already.value.case == first
    assert Enquiry.objects.count() == 1
    # Without a key (the services' other callers) every filing is a new enquiry.
    file_enquiry(org)
    assert Enquiry.objects.count() == 2


def test_it_routes_to_the_councillor_liaison_officer(org):
    # 001 §3.2(e), 003: the service's Councillor Liaison Officer is the first point of contact.
    enquiry = file_enquiry(org)
    assert enquiry.owner == org.liaison


def test_it_routes_to_the_head_of_service_when_the_service_has_no_liaison_officer(org):
    enquiry = file_enquiry(org, service=org.libraries)
    assert enquiry.owner == org.other_head


def test_it_skips_a_liaison_officer_who_has_left(org):
    org.liaison.left_on = timezone.localdate() - timedelta(days=1)
    org.liaison.save()
    enquiry = file_enquiry(org)
    assert enquiry.owner == org.head


def test_it_refuses_a_service_with_nobody_to_answer(org):
    service = ServiceFactory(name="Parks", directorate=org.highways.directorate)
    with pytest.raises(ValidationError) as error:
        file_enquiry(org, service=service)
    assert "Parks has no Councillor Liaison Officer or Head of Service" in error.value.message_dict["service"][0]
    assert not Enquiry.objects.exists()


def test_it_refuses_a_service_whose_head_has_left_and_has_no_liaison_officer(org):
    org.other_head.left_on = timezone.localdate() - timedelta(days=1)
    org.other_head.save()
    with pytest.raises(ValidationError) as error:
        file_enquiry(org, service=org.libraries)
    assert "service" in error.value.message_dict


def test_it_sets_the_due_date_to_the_end_of_the_fifth_working_day(org):
    # 001 §7.1, DESIGN §3's worked example: receipt day not counted; Fri 25 and Mon 28
    # December 2026 are bank holidays, so an enquiry filed on Friday 18 December is due
    # by the end of Tuesday 29 December.
    enquiry = file_enquiry(org, now=london(2026, 12, 18, 10))
    assert enquiry.due_at == datetime(2026, 12, 29, 23, 59, 59, 999999, tzinfo=LONDON)
    assert enquiry.received_at == london(2026, 12, 18, 10)


def test_it_counts_council_closure_days_as_non_working_days(org):
    ClosureDay.objects.create(date=date(2026, 12, 29), reason="Christmas shutdown")
    enquiry = file_enquiry(org, now=london(2026, 12, 18, 10))
    assert enquiry.due_on == date(2026, 12, 30)


def test_it_acknowledges_the_member_and_tells_the_owner(org, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = file_enquiry(org, now=london(2026, 12, 18, 10))

    assert len(mailoutbox) == 2
    [acknowledgement] = mail_to(mailoutbox, org.councillor.user)
    assert acknowledgement.subject == "ENQ-2026-00001: your enquiry has been received"
    assert f"Who owns it: {org.liaison.name}, Liaison Officer, Highways" in acknowledgement.body
    assert "Due by: the end of Tuesday 29 December 2026" in acknowledgement.body
    [assigned] = mail_to(mailoutbox, org.liaison.user)
    assert assigned.subject == "ENQ-2026-00001: a councillor's enquiry for you to answer"
    assert "Pothole on Mill Road" in assigned.body

    notifications = Notification.objects.filter(enquiry=enquiry)
    assert {n.recipient for n in notifications} == {org.councillor.user, org.liaison.user}
    assert all(n.emailed_at is not None for n in notifications)


def test_it_records_the_filing_and_the_notifications_on_the_timeline(org):
    enquiry = file_enquiry(org, now=london(2026, 12, 18, 10))
    assert kinds(enquiry) == [Kind.FILED, Kind.NOTIFIED, Kind.NOTIFIED]
    filed = enquiry.timeline.get(kind=Kind.FILED)
    assert filed.actor == org.councillor.user
    assert filed.to_owner == org.liaison
    assert "Due by the end of Tuesday 29 December 2026" in filed.note
    # The owner's notification is for officers; the member's own is not.
    assert sorted(enquiry.timeline.filter(kind=Kind.NOTIFIED).values_list("internal", flat=True)) == [False, True]


def test_it_refuses_a_filing_from_a_councillor_who_has_left_office(org, mailoutbox):
    org.councillor.left_office_on = timezone.localdate() - timedelta(days=1)
    org.councillor.save()
    with pytest.raises(PermissionDenied):
        file_enquiry(org)
    assert not Enquiry.objects.exists()
    assert not ReferenceSequence.objects.exists()


# --- Ward casework and consent (001 §8) ---------------------------------------------------


def casework(org, **answers):
    fields = {
        "purpose": Purpose.CASEWORK,
        "ward": org.ward,
        "constituent_lives_in_ward": True,
        "acting_for_constituent": True,
        "information_needed_for_complaint": True,
        **answers,
    }
    return file_enquiry(org, **fields)


def test_it_relies_on_implicit_consent_when_all_three_conditions_hold(org):
    # 001 §8.1: the member represents the ward, acts for the constituent, and the
    # information is needed for the complaint.
    enquiry = casework(org)
    assert enquiry.explicit_consent_needed is False
    assert enquiry.may_release_personal_data()


@pytest.mark.parametrize(
    "answers",
    [
        {"constituent_lives_in_ward": False},
        {"acting_for_constituent": False},
        {"information_needed_for_complaint": False},
        {"acting_for_constituent": None},
    ],
)
def test_it_needs_explicit_consent_when_a_condition_fails(org, answers):
    # 001 §8.2
    assert casework(org, **answers).explicit_consent_needed is True


def test_it_needs_explicit_consent_for_a_ward_the_member_does_not_represent(org):
    # 001 §8.1(a): Hilltop is councillor2's ward, not this councillor's.
    assert casework(org, ward=org.other_ward).explicit_consent_needed is True


def test_it_does_not_ask_for_consent_outside_ward_casework(org):
    enquiry = file_enquiry(org, purpose=Purpose.COMMITTEE, ward=org.other_ward, acting_for_constituent=False)
    assert enquiry.explicit_consent_needed is False
    assert enquiry.acting_for_constituent is None


def test_it_holds_back_personal_data_until_consent_is_recorded(org):
    # 001 §8.2: without implicit consent, the constituent's data waits for their recorded consent.
    enquiry = casework(org, acting_for_constituent=False, now=london(2026, 12, 1))
    with pytest.raises(ValidationError) as error:
        answer(org, enquiry, contains_personal_data=True, now=london(2026, 12, 2))
    assert "Record the constituent's consent" in error.value.message_dict["contains_personal_data"][0]

    record = enquiry_consent_record(
        enquiry=enquiry,
        actor=org.liaison.user,
        given_by="Mrs J Smith",
        given_on=date(2026, 12, 2),
        method=ConsentRecord.Method.WRITING,
        now=london(2026, 12, 2, 11),
    )
    assert record.recorded_by == org.liaison
    assert enquiry.timeline.filter(kind=Kind.CONSENT_RECORDED).exists()

    enquiry = answer(org, enquiry, contains_personal_data=True, now=london(2026, 12, 2, 12))
    assert enquiry.state == EnquiryState.ANSWERED
    assert enquiry.answers.get().contains_personal_data is True


def test_it_allows_personal_data_under_implicit_consent(org):
    enquiry = answer(org, casework(org), contains_personal_data=True)
    assert enquiry.state == EnquiryState.ANSWERED


def test_it_refuses_a_consent_date_in_the_future(org):
    enquiry = casework(org, acting_for_constituent=False, now=london(2026, 12, 1))
    with pytest.raises(ValidationError) as error:
        enquiry_consent_record(
            enquiry=enquiry,
            actor=org.liaison.user,
            given_by="Mrs J Smith",
            given_on=date(2026, 12, 3),
            method=ConsentRecord.Method.PHONE,
            now=london(2026, 12, 2),
        )
    assert "today or in the past" in error.value.message_dict["given_on"][0]
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_it_lets_only_the_owner_or_a_manager_record_consent(org, who):
    enquiry = casework(org, acting_for_constituent=False)
    with pytest.raises(PermissionDenied):
        enquiry_consent_record(
            enquiry=enquiry,
            actor=getattr(org, who).user,
            given_by="Mrs J Smith",
            given_on=timezone.localdate(),
            method=ConsentRecord.Method.PHONE,
        )
    assert not ConsentRecord.objects.exists()


# --- Holding reply (001 §7.1) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("target_on", "message"),
    [
        (date(2026, 12, 14), "The new target date must be after today"),
        (date(2026, 12, 11), "The new target date must be after today"),
        (date(2026, 12, 19), "19 December 2026 is Saturday"),
        (date(2026, 12, 25), "25 December 2026 is Christmas Day (bank holiday)"),
    ],
    ids=["today", "past", "saturday", "bank-holiday"],
)
def test_it_refuses_a_holding_reply_target_that_is_not_a_working_day_after_today(org, target_on, message):
    enquiry = file_enquiry(org, now=london(2026, 12, 11))
    with pytest.raises(ValidationError) as error:
        enquiry_hold(
            enquiry=enquiry,
            actor=org.liaison.user,
            reason="Waiting for a survey.",
            target_on=target_on,
            now=london(2026, 12, 14),
        )
    assert message in error.value.message_dict["target_on"][0]
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.SUBMITTED
    assert not enquiry.holding_replies.exists()


def test_it_refuses_a_holding_reply_target_on_a_council_closure_day(org):
    ClosureDay.objects.create(date=date(2026, 12, 30), reason="Christmas shutdown")
    enquiry = file_enquiry(org, now=london(2026, 12, 11))
    with pytest.raises(ValidationError) as error:
        enquiry_hold(
            enquiry=enquiry,
            actor=org.liaison.user,
            reason="Survey.",
            target_on=date(2026, 12, 30),
            now=london(2026, 12, 14),
        )
    assert "Council closure: Christmas shutdown" in error.value.message_dict["target_on"][0]


def test_it_sends_a_holding_reply_with_a_new_target(org, mailoutbox, django_capture_on_commit_callbacks):
    # 001 §7.1: the enquiry is then measured against the new target.
    enquiry = file_enquiry(org, now=london(2026, 12, 11))
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_hold(
            enquiry=enquiry,
            actor=org.liaison.user,
            reason="The engineer's survey is booked for next week.",
            target_on=date(2026, 12, 23),
            now=london(2026, 12, 14),
        )
    assert enquiry.state == EnquiryState.HOLDING_REPLY
    assert enquiry.due_at == end_of_day(date(2026, 12, 23))
    assert enquiry.responded_at == london(2026, 12, 14)
    [email] = mailoutbox
    assert email.to == [org.councillor.user.email]
    assert "Why: The engineer's survey is booked for next week." in email.body
    assert "Expect an answer by: the end of Wednesday 23 December 2026" in email.body
    assert kinds(enquiry)[-2:] == [Kind.HOLDING_REPLY, Kind.NOTIFIED]


@pytest.mark.parametrize("who", ["colleague", "head", "outsider"])
def test_it_lets_only_the_owner_send_a_holding_reply(org, who, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = file_enquiry(org, now=london(2026, 12, 11))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        enquiry_hold(
            enquiry=enquiry,
            actor=getattr(org, who).user,
            reason="Survey.",
            target_on=date(2026, 12, 23),
            now=london(2026, 12, 14),
        )
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.SUBMITTED
    assert mailoutbox == []


# --- Answer (001 §7.3) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marking", "words"),
    [
        (Marking.CONFIDENTIAL, "This answer is marked: Confidential."),
        (Marking.PUBLIC, "This answer is marked: May be shared with the public."),
    ],
)
def test_it_sends_the_answer_with_its_marking(org, marking, words, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = file_enquiry(org, now=london(2026, 12, 11))
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = answer(org, enquiry, marking=marking, now=london(2026, 12, 14))
    assert enquiry.state == EnquiryState.ANSWERED
    assert enquiry.answered_at == london(2026, 12, 14)
    assert enquiry.answers.get().marking == marking
    [email] = mailoutbox
    assert email.to == [org.councillor.user.email]
    assert email.subject == f"{enquiry.reference}: your enquiry has been answered"
    assert words in email.body


def test_it_requires_a_marking_on_every_answer(org):
    enquiry = file_enquiry(org)
    with pytest.raises(ValidationError) as error:
        answer(org, enquiry, marking="")
    assert "marking" in error.value.message_dict
    assert not Answer.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "head", "outsider"])
def test_it_lets_only_the_owner_answer(org, who):
    enquiry = file_enquiry(org)
    with pytest.raises(PermissionDenied):
        enquiry_answer(
            enquiry=enquiry,
            actor=getattr(org, who).user,
            text="Done.",
            marking=Marking.PUBLIC,
            contains_personal_data=False,
        )
    assert not Answer.objects.exists()


# --- Decline and dispute (001 §7.1, §7.4, §9.1.4) -------------------------------------------


@pytest.mark.parametrize("who", ["head", "assistant", "director", "chief"])
def test_it_lets_a_head_of_service_or_above_decline(org, who, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = file_enquiry(org)
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_decline(enquiry=enquiry, actor=getattr(org, who).user, reasons="This is a planning matter.")
    assert enquiry.state == EnquiryState.DECLINED
    assert enquiry.declines.get().declined_by == getattr(org, who)
    [email] = mailoutbox
    assert email.to == [org.councillor.user.email]
    assert "Reasons: This is a planning matter." in email.body


@pytest.mark.parametrize("who", ["liaison", "colleague", "other_head", "outsider"])
def test_it_refuses_a_decline_from_anyone_else(org, who):
    # The liaison owner is not a Head of Service; the Head of Libraries heads another service.
    enquiry = file_enquiry(org)
    with pytest.raises(PermissionDenied):
        enquiry_decline(enquiry=enquiry, actor=getattr(org, who).user, reasons="Not for us.")
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.SUBMITTED


def test_it_sends_a_dispute_to_the_chief_executive(org, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = decline(org, file_enquiry(org))
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="It is about a road.")
    assert enquiry.state == EnquiryState.DISPUTED
    [email] = mailoutbox
    assert email.to == [org.chief.user.email]
    assert email.subject == f"{enquiry.reference}: a councillor disputes a declined enquiry"


@pytest.mark.parametrize("who", ["councillor2", "liaison"])
def test_it_lets_only_the_filing_member_dispute(org, who):
    enquiry = decline(org, file_enquiry(org))
    actor = getattr(org, who).user
    with pytest.raises(PermissionDenied):
        enquiry_dispute(enquiry=enquiry, actor=actor, reasons="I disagree.")
    assert not Dispute.objects.exists()


def test_it_closes_the_enquiry_when_the_chief_executive_upholds_the_decline(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    enquiry = enquiry_dispute(enquiry=decline(org, file_enquiry(org)), actor=org.councillor.user, reasons="Roads.")
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_dispute_decide(
            enquiry=enquiry, actor=org.chief.user, decision=Dispute.Decision.UPHELD, reasons="It is planning."
        )
    assert enquiry.state == EnquiryState.CLOSED
    dispute = enquiry.disputes.get()
    assert (dispute.decision, dispute.decided_by) == (Dispute.Decision.UPHELD, org.chief)
    [email] = mailoutbox
    assert email.to == [org.councillor.user.email]


def test_it_sends_the_enquiry_back_with_a_fresh_deadline_when_the_chief_executive_directs_an_answer(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    enquiry = file_enquiry(org, now=london(2026, 12, 14))
    enquiry = decline(org, enquiry, now=london(2026, 12, 15))
    enquiry = enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="Roads.", now=london(2026, 12, 16))
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_dispute_decide(
            enquiry=enquiry,
            actor=org.chief.user,
            decision=Dispute.Decision.DIRECTED,
            reasons="Highways should answer.",
            owner=org.colleague,
            now=london(2027, 1, 4),
        )
    assert enquiry.state == EnquiryState.SUBMITTED
    assert enquiry.owner == org.colleague
    # Five working days after Monday 4 January 2027.
    assert enquiry.due_at == end_of_day(date(2027, 1, 11))
    assert enquiries_visible_to(org.colleague.user).filter(pk=enquiry.pk).exists()
    assert {tuple(message.to) for message in mailoutbox} == {(org.colleague.user.email,), (org.councillor.user.email,)}
    directed = enquiry.timeline.get(kind=Kind.ANSWER_DIRECTED)
    assert (directed.from_owner, directed.to_owner) == (org.liaison, org.colleague)


def test_it_keeps_the_owner_when_the_chief_executive_directs_an_answer_without_naming_one(org):
    enquiry = enquiry_dispute(enquiry=decline(org, file_enquiry(org)), actor=org.councillor.user, reasons="Roads.")
    enquiry = enquiry_dispute_decide(
        enquiry=enquiry, actor=org.chief.user, decision=Dispute.Decision.DIRECTED, reasons="Answer it."
    )
    assert (enquiry.state, enquiry.owner) == (EnquiryState.SUBMITTED, org.liaison)


def test_it_refuses_to_direct_an_answer_to_an_officer_of_another_service(org):
    enquiry = enquiry_dispute(enquiry=decline(org, file_enquiry(org)), actor=org.councillor.user, reasons="Roads.")
    with pytest.raises(ValidationError) as error:
        enquiry_dispute_decide(
            enquiry=enquiry,
            actor=org.chief.user,
            decision=Dispute.Decision.DIRECTED,
            reasons="Answer.",
            owner=org.outsider,
        )
    assert "owner" in error.value.message_dict
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.DISPUTED
    assert enquiry.disputes.get().decided_at is None


def directed(org):
    """An enquiry declined, disputed, and directed by the Chief Executive to be answered by its owner."""
    enquiry = enquiry_dispute(enquiry=decline(org, file_enquiry(org)), actor=org.councillor.user, reasons="Roads.")
    return enquiry_dispute_decide(
        enquiry=enquiry, actor=org.chief.user, decision=Dispute.Decision.DIRECTED, reasons="Answer it."
    )


@pytest.mark.parametrize("who", ["head", "assistant", "director"])
def test_nobody_declines_an_enquiry_the_chief_executive_directed_be_answered(org, who):
    # 001 §7.4: the Chief Executive's ruling is final; before it, each of these could decline.
    enquiry = directed(org)
    with pytest.raises(PermissionDenied):
        enquiry_decline(enquiry=enquiry, actor=getattr(org, who).user, reasons="Still not for us.")
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.SUBMITTED
    assert enquiry.declines.count() == 1
    assert kinds(enquiry).count(Kind.DECLINED) == 1


def test_a_directed_enquiry_stays_undeclinable_after_a_holding_reply_an_answer_and_a_follow_up(org):
    enquiry = directed(org)  # the liaison officer keeps it
    enquiry = enquiry_hold(
        enquiry=enquiry,
        actor=org.liaison.user,
        reason="Surveying.",
        target_on=council_calendar().add_working_days(timezone.localdate(), 5),
    )
    enquiry = answer(org, enquiry)
    enquiry = enquiry_reopen(enquiry=enquiry, actor=org.councillor.user, follow_up="And the other road?")
    assert enquiry.state == EnquiryState.SUBMITTED
    with pytest.raises(PermissionDenied):
        enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="Enough.")
    # Nor, with no decline to dispute, can the councillor be sent back to the Chief Executive.
    with pytest.raises(PermissionDenied):
        enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="Again.")


def test_a_decline_the_chief_executive_upheld_cannot_be_disputed_again_or_reopened(org):
    enquiry = enquiry_dispute(enquiry=decline(org, file_enquiry(org)), actor=org.councillor.user, reasons="Roads.")
    enquiry = enquiry_dispute_decide(
        enquiry=enquiry, actor=org.chief.user, decision=Dispute.Decision.UPHELD, reasons="It is planning."
    )
    for step in (
        lambda: enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="Again."),
        lambda: enquiry_reopen(enquiry=enquiry, actor=org.councillor.user, follow_up="Please?"),
        lambda: enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="Again."),
    ):
        with pytest.raises(PermissionDenied):
            step()
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.CLOSED
    assert enquiry.disputes.get().decision == Dispute.Decision.UPHELD


@pytest.mark.parametrize("who", ["director", "head", "monitoring", "councillor"])
def test_it_lets_only_the_chief_executive_decide_a_dispute(org, who):
    enquiry = enquiry_dispute(enquiry=decline(org, file_enquiry(org)), actor=org.councillor.user, reasons="Roads.")
    with pytest.raises(PermissionDenied):
        enquiry_dispute_decide(
            enquiry=enquiry, actor=getattr(org, who).user, decision=Dispute.Decision.UPHELD, reasons="No."
        )
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.DISPUTED


# --- The member's own actions ---------------------------------------------------------------


def test_it_lets_the_member_withdraw(org, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = file_enquiry(org)
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_withdraw(enquiry=enquiry, actor=org.councillor.user, reason="Sorted locally.")
    assert enquiry.state == EnquiryState.WITHDRAWN
    assert enquiry.closed_at is not None
    [email] = mailoutbox
    assert email.to == [org.liaison.user.email]


@pytest.mark.parametrize("who", ["councillor2", "liaison", "head"])
def test_it_lets_only_the_filing_member_withdraw(org, who):
    enquiry = file_enquiry(org)
    with pytest.raises(PermissionDenied):
        enquiry_withdraw(enquiry=enquiry, actor=getattr(org, who).user)
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.SUBMITTED


def test_it_reopens_an_answer_within_five_working_days_with_a_fresh_deadline(org):
    # The dates are in the past on purpose: the window is measured from the ``now`` the
    # service is given, not from the wall clock.
    enquiry = file_enquiry(org, now=london(2026, 2, 23))
    enquiry = answer(org, enquiry, now=london(2026, 3, 2))  # Monday; the window runs to Monday 9 March
    enquiry = enquiry_reopen(
        enquiry=enquiry, actor=org.councillor.user, follow_up="When exactly?", now=london(2026, 3, 9, 16)
    )
    assert enquiry.state == EnquiryState.SUBMITTED
    assert enquiry.answered_at is None
    assert enquiry.due_at == end_of_day(date(2026, 3, 16))
    assert kinds(enquiry)[-2:] == [Kind.REOPENED, Kind.NOTIFIED]


def test_it_reopens_an_answer_given_today_with_a_fresh_deadline(org, mailoutbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    enquiry = answer(org, file_enquiry(org, now=now - timedelta(hours=1)), now=now)
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_reopen(enquiry=enquiry, actor=org.councillor.user, follow_up="When?", now=now)
    assert enquiry.state == EnquiryState.SUBMITTED
    assert enquiry.clock_started_at == now
    [email] = mailoutbox
    assert email.to == [org.liaison.user.email]


def test_it_refuses_to_reopen_after_five_working_days(org):
    enquiry = answer(org, file_enquiry(org, now=london(2026, 2, 23)), now=london(2026, 3, 2))
    with pytest.raises(ValidationError) as error:
        enquiry_reopen(enquiry=enquiry, actor=org.councillor.user, follow_up="Still?", now=london(2026, 3, 10, 9))
    assert "The time to reopen this enquiry has passed" in error.value.messages[0]
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.ANSWERED


@pytest.mark.parametrize("who", ["councillor2", "liaison"])
def test_it_lets_only_the_filing_member_reopen(org, who):
    now = timezone.now()
    enquiry = answer(org, file_enquiry(org, now=now), now=now)
    with pytest.raises(PermissionDenied):
        enquiry_reopen(enquiry=enquiry, actor=getattr(org, who).user, follow_up="More.", now=now)


def test_it_lets_the_member_close_an_answered_enquiry(org):
    enquiry = answer(org, file_enquiry(org))
    enquiry = enquiry_close(enquiry=enquiry, actor=org.councillor.user)
    assert enquiry.state == EnquiryState.CLOSED
    assert kinds(enquiry)[-1] == Kind.CLOSED


@pytest.mark.parametrize("who", ["councillor2", "liaison"])
def test_it_lets_only_the_filing_member_close(org, who):
    enquiry = answer(org, file_enquiry(org))
    with pytest.raises(PermissionDenied):
        enquiry_close(enquiry=enquiry, actor=getattr(org, who).user)
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.ANSWERED


# --- Reassignment -----------------------------------------------------------------------------


def test_it_reassigns_to_a_colleague_in_the_service(org, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = file_enquiry(org)
    assert not enquiries_visible_to(org.colleague.user).filter(pk=enquiry.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_reassign(
            enquiry=enquiry, actor=org.liaison.user, new_owner=org.colleague, reason="Roads are her patch."
        )
    assert enquiry.owner == org.colleague
    assert enquiries_visible_to(org.colleague.user).filter(pk=enquiry.pk).exists()
    event = enquiry.timeline.get(kind=Kind.REASSIGNED)
    assert (event.from_owner, event.to_owner, event.actor) == (org.liaison, org.colleague, org.liaison.user)
    assert {tuple(message.to) for message in mailoutbox} == {(org.colleague.user.email,), (org.councillor.user.email,)}


def test_a_reassignment_grants_the_new_owner_and_their_chain_once_each(org):
    # The colleague's chain (head, assistant director, director, chief executive) is the
    # liaison officer's: each already holds the grant, and keeps exactly one.
    enquiry = enquiry_reassign(enquiry=file_enquiry(org), actor=org.liaison.user, new_owner=org.colleague, reason="")
    grants = EnquiryUserObjectPermission.objects.filter(content_object=enquiry).values_list("user__username", flat=True)
    assert sorted(grants) == sorted(
        [
            "councillor", "liaison", "colleague", "head", "assistant.director", "director", "chief.executive"
        ]
    )  # fmt: skip


def test_it_refuses_to_reassign_to_an_officer_of_another_service(org):
    enquiry = file_enquiry(org)
    with pytest.raises(ValidationError) as error:
        enquiry_reassign(enquiry=enquiry, actor=org.liaison.user, new_owner=org.outsider, reason="")
    assert error.value.message_dict["new_owner"] == ["Choose a serving officer in Highways."]
    enquiry.refresh_from_db()
    assert enquiry.owner == org.liaison
    assert not enquiries_visible_to(org.outsider.user).filter(pk=enquiry.pk).exists()


def test_it_refuses_to_reassign_to_an_officer_who_has_left(org):
    leaver = OfficerFactory(service=org.highways, line_manager=org.head, left_on=timezone.localdate() - timedelta(1))
    with pytest.raises(ValidationError) as error:
        enquiry_reassign(enquiry=file_enquiry(org), actor=org.liaison.user, new_owner=leaver, reason="")
    assert "new_owner" in error.value.message_dict


@pytest.mark.parametrize("who", ["colleague", "outsider", "other_head"])
def test_it_refuses_a_reassignment_by_anyone_but_the_owner_or_a_manager(org, who):
    enquiry = file_enquiry(org)
    with pytest.raises(PermissionDenied):
        enquiry_reassign(enquiry=enquiry, actor=getattr(org, who).user, new_owner=org.colleague, reason="")
    enquiry.refresh_from_db()
    assert enquiry.owner == org.liaison


def test_it_lets_the_head_of_service_reassign(org):
    enquiry = enquiry_reassign(enquiry=file_enquiry(org), actor=org.head.user, new_owner=org.colleague, reason="")
    assert enquiry.owner == org.colleague


# --- Two people at once -------------------------------------------------------------------------


def test_it_refuses_a_form_sent_from_an_out_of_date_page(org, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = file_enquiry(org)
    stale_version = enquiry.version
    enquiry_consent_record(
        enquiry=enquiry,
        actor=org.liaison.user,
        given_by="Mr B",
        given_on=timezone.localdate(),
        method=ConsentRecord.Method.PHONE,
    )
    events = enquiry.timeline.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(EnquiryConflict) as error:
        answer(org, enquiry, expected_version=stale_version)
    assert "was changed by someone else" in str(error.value)
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.SUBMITTED
    assert enquiry.answers.count() == 0
    assert enquiry.timeline.count() == events
    assert mailoutbox == []


def test_it_refuses_the_second_of_two_conflicting_changes(org):
    enquiry = file_enquiry(org)
    copy_a = Enquiry.objects.get(pk=enquiry.pk)
    copy_b = Enquiry.objects.get(pk=enquiry.pk)
    answer(org, copy_a, expected_version=copy_a.version)
    events = enquiry.timeline.count()
    with pytest.raises(EnquiryConflict):
        enquiry_decline(enquiry=copy_b, actor=org.head.user, reasons="No.", expected_version=copy_b.version)
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.ANSWERED
    assert not enquiry.declines.exists()
    assert enquiry.timeline.count() == events


# --- One transaction per service ------------------------------------------------------------------


def test_it_saves_nothing_when_an_answer_is_refused(org, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = casework(org, acting_for_constituent=False)
    events = enquiry.timeline.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        answer(org, enquiry, contains_personal_data=True)
    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.version) == (EnquiryState.SUBMITTED, 1)
    assert not Answer.objects.exists()
    assert enquiry.timeline.count() == events
    assert mailoutbox == []


def test_it_saves_nothing_when_a_filing_fails_midway(org, monkeypatch, mailoutbox, django_capture_on_commit_callbacks):
    # The second notification fails after the enquiry, its permissions, its FILED event and
    # the member's notification were written: all of it goes, and the number is not used up.
    # enquiry_file tells people through the notify its module imported.
    from cases.enquiries.services import filing as services

    real_notify = services.notify
    calls = []

    def notify_then_fail(**kwargs):
        calls.append(kwargs["template"])
        if len(calls) == 2:
            raise RuntimeError("mail template broken")
        return real_notify(**kwargs)

    monkeypatch.setattr(services, "notify", notify_then_fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        file_enquiry(org, now=london(2026, 12, 1))
    assert calls == ["enquiry_acknowledged", "enquiry_assigned"]
    assert not Enquiry.objects.exists()
    assert not TimelineEvent.objects.exists()
    assert not Notification.objects.exists()
    assert not EnquiryUserObjectPermission.objects.exists()
    assert not UserObjectPermission.objects.exists()
    assert mailoutbox == []

    monkeypatch.setattr(services, "notify", real_notify)
    assert file_enquiry(org, now=london(2026, 12, 1)).reference == "ENQ-2026-00001"


# --- The timeline is append-only ------------------------------------------------------------------


def test_it_refuses_to_change_a_timeline_event(org):
    event = file_enquiry(org).timeline.get(kind=Kind.FILED)
    event.note = "Nothing happened."
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    event.refresh_from_db()
    assert event.note.startswith("Filed by")


def test_it_refuses_to_delete_a_timeline_event(org):
    event = file_enquiry(org).timeline.get(kind=Kind.FILED)
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert TimelineEvent.objects.filter(pk=event.pk).exists()


# --- E-mailing a notification -----------------------------------------------------------------------


def test_it_emails_a_notification_once(org, mailoutbox):
    notification = Notification.objects.create(
        recipient=org.councillor.user, template="enquiry_answered", subject="Your answer", body="Read it."
    )
    notification_email_send(notification.pk)
    notification_email_send(notification.pk)  # a redelivered task
    [email] = mailoutbox
    assert (email.to, email.subject, email.body) == ([org.councillor.user.email], "Your answer", "Read it.")
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_it_sends_nothing_to_a_recipient_without_an_email_address(db, mailoutbox):
    recipient = MemberFactory(user__email="").user
    notification = Notification.objects.create(recipient=recipient, template="x", subject="Hello", body="Hi.")
    notification_email_send(notification.pk)
    assert mailoutbox == []


def test_it_records_history_without_emailing_it(org, django_capture_on_commit_callbacks, mailoutbox):
    # The demo's year of past enquiries: notifications are on record as sent then, and none is e-mailed now.
    filed_at = datetime(2026, 3, 2, 10, tzinfo=LONDON)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, recording_history():
        enquiry = services.enquiry_file(
            member=org.councillor, subject="Old pothole", details="Fixed long ago", service=org.highways,
            purpose=Purpose.INFORMATION, now=filed_at,
        )  # fmt: skip
    assert callbacks == []
    assert mailoutbox == []
    notifications = Notification.objects.filter(enquiry=enquiry)
    assert notifications.count() == 2
    assert set(notifications.values_list("emailed_at", flat=True)) == {filed_at}
