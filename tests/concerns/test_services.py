"""Raising a concern and moving it along the ladder of DESIGN §4 (000 §VII–§VIII, 001 §6, 002).

Stage 1 direct conversation → 2 line management → 3 Monitoring Officer review → 4 formal
sanction, with exits at each stage. Every service takes ``now=`` so the stage targets are
fixed dates: a concern raised on Monday 1 February 2027 has a target of the end of Monday
15 February (ten working days, CONCERN_STAGE_WORKING_DAYS).
"""

from datetime import date, timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.concerns import services as cs
from cases.concerns.selectors import concerns_visible_to
from cases.models import (
    Attachment,
    Behaviour,
    Concern,
    ConcernKind,
    ConcernState,
    ExternalReferral,
    InformalAction,
    Notification,
    Sanction,
    TimelineEvent,
)
from cases.shared.submissions import AlreadySubmitted
from escalation.calendar import end_of_day
from people.models import Committee
from tests.concerns.conftest import RAISED, london
from tests.factories import CommitteeFactory, MemberFactory, OfficerFactory

pytestmark = pytest.mark.django_db

Kind = TimelineEvent.Kind
STAGE_TARGET = end_of_day(date(2027, 2, 15))
LATER = london(2027, 2, 3)


def told(concern: Concern, user, template: str) -> list[Notification]:
    return list(Notification.objects.filter(concern=concern, recipient=user, template=template))


def events(concern: Concern, kind: str) -> list[TimelineEvent]:
    return list(TimelineEvent.objects.filter(concern=concern, kind=kind))


def at_line_management(org, raise_concern, **kwargs) -> Concern:
    """The liaison officer's concern about the councillor, sent straight to line management."""
    return raise_concern(feels_able_to_talk=False, **kwargs)


def at_review(org, raise_concern, **kwargs) -> Concern:
    concern = at_line_management(org, raise_concern, **kwargs)
    return cs.concern_escalate(concern=concern, actor=concern.owner.user, reason="It carried on.", now=LATER)


# --- Raising (000 §VII, 001 §6, DESIGN §4) --------------------------------------------------


def test_it_records_an_officers_concern_about_a_councillor_at_stage_1(org, raise_concern):
    behaviours = list(
        Behaviour.objects.filter(name__in=["Dignity and courtesy", "Bullying, harassment or intimidation"])
    )
    concern = raise_concern(behaviours=behaviours)

    concern.refresh_from_db()
    assert concern.reference == "CON-2027-00001"
    assert concern.kind == ConcernKind.OFFICER_ABOUT_MEMBER
    assert (concern.complainant_officer, concern.subject_member) == (org.liaison, org.councillor)
    assert concern.complainant_user == org.liaison.user
    # 001 §6.1, §6.2: the two people first try to settle it by talking directly.
    assert concern.state == ConcernState.DIRECT
    assert concern.stage == 1
    assert concern.owner is None
    assert set(concern.behaviours.all()) == set(behaviours)
    assert concern.occurred_on == date(2027, 1, 29)
    assert concern.service == org.highways
    assert concern.due_at == STAGE_TARGET
    assert concern.remind_at == london(2027, 2, 12, 8)
    assert concern.escalate_at == london(2027, 2, 16, 8)
    raised = events(concern, Kind.RAISED)
    assert len(raised) == 1
    assert "direct conversation" in raised[0].note and "Monday 15 February 2027" in raised[0].note
    (receipt,) = told(concern, org.liaison.user, "concern_raised")
    assert receipt.subject == "CON-2027-00001: your concern has been recorded"
    assert "Cllr" in receipt.body and "CON-2027-00001" in receipt.body
    # The subject is not told of a concern at stage 1 (DESIGN §4: they see it only when the MO shares it).
    assert not Notification.objects.filter(recipient=org.councillor.user).exists()


def test_it_records_a_councillors_concern_about_an_officer(org, raise_concern):
    concern = raise_concern(org.councillor.user, about=org.liaison)
    assert concern.kind == ConcernKind.MEMBER_ABOUT_OFFICER
    assert (concern.complainant_member, concern.subject_officer) == (org.councillor, org.liaison)
    assert concern.state == ConcernState.DIRECT
    assert told(concern, org.councillor.user, "concern_raised")


def test_it_records_a_disagreement_over_duties_either_way(org, raise_concern):
    # DESIGN §4: "or about a disagreement over duties that the people involved cannot settle".
    by_member = raise_concern(org.councillor.user, about=org.liaison, duties=True)
    by_officer = raise_concern(org.liaison.user, about=org.councillor, duties=True)
    assert (by_member.kind, by_officer.kind) == (ConcernKind.DUTIES, ConcernKind.DUTIES)
    assert by_member.subject == org.liaison and by_officer.subject == org.councillor


def test_it_numbers_concerns_in_sequence_each_year(org, raise_concern):
    first, second = raise_concern(), raise_concern()
    next_year = raise_concern(now=london(2028, 1, 4))
    assert [first.reference, second.reference, next_year.reference] == [
        "CON-2027-00001",
        "CON-2027-00002",
        "CON-2028-00001",
    ]


def test_it_raises_a_concern_sent_twice_once(org, raise_concern):
    # A double click sends the form twice, with the key its page made (cases.shared.forms.SubmittedOnceForm).
    key = uuid4()
    first = raise_concern(submission_key=key)

    with pytest.raises(AlreadySubmitted) as already:
        raise_concern(submission_key=key)

    assert already.value.case == first
    assert Concern.objects.count() == 1


def test_it_stores_the_evidence(org, raise_concern):
    upload = SimpleUploadedFile("notes.txt", b"What was said on 29 January.", content_type="text/plain")
    concern = raise_concern(evidence=[upload])
    attachment = Attachment.objects.get(concern=concern)
    assert (attachment.name, attachment.size, attachment.uploaded_by) == ("notes.txt", 28, org.liaison.user)
    assert attachment.file.read() == b"What was said on 29 January."


def test_it_goes_to_the_complainant_officers_head_of_service_when_they_cannot_talk_directly(org, raise_concern):
    # 001 §6.1, §6.2: not able to talk directly → line management; officer about member: their own manager.
    concern = raise_concern(org.outsider.user, about=org.councillor, feels_able_to_talk=False)
    assert concern.state == ConcernState.LINE_MANAGEMENT
    assert concern.owner == org.other_head
    assert concern.due_at == STAGE_TARGET
    (assigned,) = told(concern, org.other_head.user, "concern_assigned")
    assert "Stage 2: line management" in assigned.subject
    assert "Monday 15 February 2027" in assigned.body
    (receipt,) = told(concern, org.outsider.user, "concern_raised")
    assert "does not feel able to talk directly" in receipt.body


def test_it_goes_to_the_subject_officers_head_of_service_for_a_councillors_concern(org, raise_concern):
    # 001 §6.2: member about officer: the subject officer's line management.
    concern = raise_concern(org.councillor.user, about=org.outsider, feels_able_to_talk=False)
    assert (concern.state, concern.owner) == (ConcernState.LINE_MANAGEMENT, org.other_head)


def test_it_goes_to_the_director_when_the_head_of_service_is_a_party(org, raise_concern):
    by_head = raise_concern(org.head.user, about=org.councillor, feels_able_to_talk=False)
    about_head = raise_concern(org.councillor.user, about=org.head, feels_able_to_talk=False)
    assert by_head.owner == org.director
    assert about_head.owner == org.director


def test_it_goes_to_the_line_manager_of_an_officer_outside_any_service(org, raise_concern):
    # The Monitoring Officer's concern about a councillor: there is no Head of Service
    # above them, so their own line manager (the Chief Executive) handles stage 2.
    org.monitoring.service = None
    org.monitoring.save()
    concern = raise_concern(org.monitoring.user, about=org.councillor, feels_able_to_talk=False)
    assert concern.owner == org.chief


def test_it_sends_a_safeguarding_flag_straight_to_the_monitoring_officer(
    org, raise_concern, whip, deputy_monitoring_officer
):
    concern = raise_concern(safeguarding=True)
    assert concern.state == ConcernState.MO_REVIEW
    assert concern.owner == org.monitoring
    # Stages 3 and 4 never climb: the MO is the top (the target is shown overdue instead).
    assert concern.escalate_at is None
    assert concern.remind_at == london(2027, 2, 12, 8)
    assert told(concern, org.monitoring.user, "concern_assigned")
    assert told(concern, deputy_monitoring_officer.user, "concern_safeguarding")
    # The Whip joins at stage 3 (000 §VIII).
    assert told(concern, whip.user, "concern_stage_three")
    assert concern in concerns_visible_to(whip.user)
    (receipt,) = told(concern, org.liaison.user, "concern_raised")
    assert "safeguarding flag" in receipt.body


def test_it_refuses_a_date_in_the_future(org, raise_concern):
    with pytest.raises(ValidationError) as error:
        raise_concern(occurred_on=date(2027, 2, 2))
    assert error.value.message_dict == {"occurred_on": ["The date it happened must be today or in the past"]}
    assert not Concern.objects.exists()


def test_it_accepts_something_that_happened_today(org, raise_concern):
    assert raise_concern(occurred_on=date(2027, 2, 1)).occurred_on == date(2027, 2, 1)


def test_it_refuses_a_councillors_concern_about_a_councillor(org, raise_concern):
    with pytest.raises(ValidationError) as error:
        raise_concern(org.councillor.user, about=org.councillor2)
    assert error.value.message_dict == {"about_officer": ["Choose the officer your concern is about"]}


def test_it_refuses_an_officers_concern_about_an_officer(org, raise_concern):
    with pytest.raises(ValidationError) as error:
        raise_concern(org.liaison.user, about=org.colleague)
    assert error.value.message_dict == {"about_member": ["Choose the councillor your concern is about"]}


def test_it_refuses_a_concern_about_a_councillor_who_has_left_office(org, raise_concern):
    org.councillor2.left_office_on = date(2027, 1, 10)
    org.councillor2.save()
    with pytest.raises(ValidationError) as error:
        raise_concern(org.liaison.user, about=org.councillor2)
    assert "is no longer a councillor" in error.value.message_dict["about_member"][0]


def test_it_refuses_a_concern_about_an_officer_who_has_left(org, raise_concern):
    org.colleague.left_on = date(2027, 1, 10)
    org.colleague.save()
    with pytest.raises(ValidationError) as error:
        raise_concern(org.councillor.user, about=org.colleague)
    assert "no longer works for the council" in error.value.message_dict["about_officer"][0]


def test_it_refuses_a_concern_from_a_councillor_who_has_left_office(org, raise_concern):
    org.councillor.left_office_on = date(2027, 1, 10)
    org.councillor.save()
    with pytest.raises(PermissionDenied):
        raise_concern(org.councillor.user, about=org.liaison)


def test_it_refuses_a_concern_from_someone_who_is_neither_councillor_nor_officer(org, raise_concern):
    with pytest.raises(PermissionDenied):
        raise_concern(org.stranger, about=org.liaison)
    assert not Concern.objects.exists()


# --- Stage 1 → 2 → 3 (001 §6.1, §6.2; 000 §VIII) ------------------------------------------


def test_it_moves_to_line_management_when_talking_did_not_help(org, raise_concern):
    concern = raise_concern()
    concern = cs.concern_escalate(concern=concern, actor=org.liaison.user, reason="He would not listen.", now=LATER)

    concern.refresh_from_db()
    assert (concern.state, concern.owner) == (ConcernState.LINE_MANAGEMENT, org.head)
    assert concern.stage_started_at == LATER
    # A new ten-working-day target from the move: Wednesday 17 February.
    assert concern.due_at == end_of_day(date(2027, 2, 17))
    assert concern.version == 2
    (moved,) = events(concern, Kind.STAGE_CHANGED)
    assert (moved.from_state, moved.to_state, moved.to_owner, moved.actor) == (
        ConcernState.DIRECT,
        ConcernState.LINE_MANAGEMENT,
        org.head,
        org.liaison.user,
    )
    assert "He would not listen." in moved.note
    assert told(concern, org.liaison.user, "concern_stage_changed")
    assert told(concern, org.head.user, "concern_assigned")


def test_it_moves_to_the_monitoring_officer_from_line_management(org, raise_concern, whip):
    concern = at_line_management(org, raise_concern)
    concern = cs.concern_escalate(concern=concern, actor=org.head.user, reason="A pattern.", now=LATER)
    assert (concern.state, concern.owner) == (ConcernState.MO_REVIEW, org.monitoring)
    assert concern.escalate_at is None
    assert told(concern, org.monitoring.user, "concern_assigned")
    assert told(concern, whip.user, "concern_stage_three")
    assert told(concern, org.liaison.user, "concern_stage_changed")


def test_it_lets_only_the_complainant_or_the_monitoring_officer_end_stage_1(
    org, raise_concern, deputy_monitoring_officer
):
    concern = raise_concern()
    for outsider in (org.councillor.user, org.head.user, org.chief.user, org.stranger, org.colleague.user):
        with pytest.raises(PermissionDenied):
            cs.concern_escalate(concern=concern, actor=outsider, reason="", now=LATER)
        with pytest.raises(PermissionDenied):
            cs.concern_resolve(concern=concern, actor=outsider, outcome="", now=LATER)
    concern.refresh_from_db()
    assert (concern.state, concern.version) == (ConcernState.DIRECT, 1)
    # A deputy acts for the Monitoring Officer (000 §VIII).
    concern = cs.concern_escalate(concern=concern, actor=deputy_monitoring_officer.user, reason="", now=LATER)
    assert concern.state == ConcernState.LINE_MANAGEMENT


def test_it_lets_only_the_handler_or_the_monitoring_officer_act_at_stage_2(org, raise_concern):
    concern = at_line_management(org, raise_concern)
    for outsider in (org.liaison.user, org.councillor.user, org.chief.user, org.director.user, org.stranger):
        with pytest.raises(PermissionDenied):
            cs.concern_escalate(concern=concern, actor=outsider, reason="", now=LATER)
        with pytest.raises(PermissionDenied):
            cs.concern_resolve(concern=concern, actor=outsider, outcome="Sorted.", now=LATER)
    concern = cs.concern_escalate(concern=concern, actor=org.monitoring.user, reason="", now=LATER)
    assert concern.state == ConcernState.MO_REVIEW


def test_it_does_not_escalate_past_the_monitoring_officer(org, raise_concern):
    concern = at_review(org, raise_concern)
    with pytest.raises(PermissionDenied):
        cs.concern_escalate(concern=concern, actor=org.monitoring.user, reason="", now=LATER)


# --- Exits ---------------------------------------------------------------------------------


def test_it_tells_the_complainant_the_outcome_when_resolved_at_stage_2(org, raise_concern):
    # 001 §6.1: the complainant is told the outcome.
    concern = raise_concern(org.councillor.user, about=org.liaison, feels_able_to_talk=False)
    outcome = "I have spoken to the officer, who will copy you into replies from now on."
    concern = cs.concern_resolve(concern=concern, actor=org.head.user, outcome=outcome, now=LATER)

    assert concern.state == ConcernState.RESOLVED
    assert (concern.outcome, concern.closed_at) == (outcome, LATER)
    assert (concern.due_at, concern.remind_at, concern.escalate_at) == (None, None, None)
    (resolved,) = events(concern, Kind.RESOLVED)
    assert outcome in resolved.note and resolved.actor == org.head.user
    (notification,) = told(concern, org.councillor.user, "concern_outcome")
    assert notification.subject == f"{concern.reference}: resolved"
    assert outcome in notification.body


def test_it_lets_the_complainant_resolve_stage_1(org, raise_concern):
    concern = raise_concern()
    concern = cs.concern_resolve(concern=concern, actor=org.liaison.user, outcome="We talked it over.", now=LATER)
    assert concern.state == ConcernState.RESOLVED
    assert "We talked it over." in told(concern, org.liaison.user, "concern_outcome")[0].body


def test_it_records_informal_action_at_stage_3(org, raise_concern, whip):
    concern = at_review(org, raise_concern)
    for outsider in (org.liaison.user, org.head.user, whip.user, org.chief.user, org.councillor.user):
        with pytest.raises(PermissionDenied):
            cs.concern_informal_action(
                concern=concern,
                actor=outsider,
                steps=[cs.InformalStep(kind=InformalAction.Kind.TRAINING, details="Course")],
                outcome="",
                now=LATER,
            )
    steps = [
        cs.InformalStep(kind="advice", details="Treat officers with courtesy.", given_by="whip"),
        cs.InformalStep(kind="training", details="Member-officer relations course."),
    ]
    concern = cs.concern_informal_action(
        concern=concern, actor=org.monitoring.user, steps=steps, outcome="The Whip has spoken to him.", now=LATER
    )

    assert concern.state == ConcernState.INFORMAL_ACTION
    assert list(concern.informal_actions.values_list("kind", "given_by", "details", "recorded_by")) == [
        ("advice", "whip", "Treat officers with courtesy.", org.monitoring.pk),
        ("training", "", "Member-officer relations course.", org.monitoring.pk),
    ]
    assert "The Whip has spoken to him." in told(concern, org.liaison.user, "concern_outcome")[0].body
    assert events(concern, Kind.INFORMAL_ACTION)


def test_it_refuses_informal_action_without_a_step_or_without_who_gives_the_advice(org, raise_concern):
    concern = at_review(org, raise_concern)
    with pytest.raises(ValidationError):
        cs.concern_informal_action(concern=concern, actor=org.monitoring.user, steps=[], outcome="", now=LATER)
    with pytest.raises(ValidationError) as error:
        cs.concern_informal_action(
            concern=concern,
            actor=org.monitoring.user,
            steps=[cs.InformalStep(kind="advice", details="Be polite.")],
            outcome="",
            now=LATER,
        )
    assert "given_by" in error.value.message_dict
    assert not InformalAction.objects.exists()


def test_it_records_formal_sanctions_on_a_councillor_at_stage_4(org, raise_concern):
    planning = CommitteeFactory(name="Planning", kind=Committee.Kind.PLANNING, chair=org.councillor)
    planning.members.add(org.councillor, org.councillor2)
    audit = CommitteeFactory(name="Audit", kind=Committee.Kind.AUDIT)
    audit.members.add(org.councillor)
    concern = at_review(org, raise_concern)
    with pytest.raises(PermissionDenied):
        cs.concern_propose_formal_action(concern=concern, actor=org.head.user, reason="", now=LATER)
    concern = cs.concern_propose_formal_action(
        concern=concern, actor=org.monitoring.user, reason="Serious and repeated.", now=LATER
    )
    assert (concern.state, concern.stage, concern.owner) == (ConcernState.SANCTION, 4, org.monitoring)
    assert concern.stage_started_at == LATER

    concern = cs.concern_sanctions_record(
        concern=concern,
        actor=org.monitoring.user,
        sanctions=[
            cs.SanctionSpec(kind="group_disciplinary", details="Suspended from the group whip for a month."),
            cs.SanctionSpec(kind="committee_removal", committees=[planning]),
        ],
        outcome="Formal sanctions have been imposed.",
        now=london(2027, 2, 4),
    )

    assert concern.state == ConcernState.FORMAL_ACTION
    sanctions = Sanction.objects.filter(concern=concern).order_by("pk")
    assert [(s.kind, s.member, s.recorded_by) for s in sanctions] == [
        ("group_disciplinary", org.councillor, org.monitoring),
        ("committee_removal", org.councillor, org.monitoring),
    ]
    assert list(sanctions[1].committees.all()) == [planning]
    # Applied as it is recorded: off the Planning Committee and out of its chair; still on Audit.
    planning.refresh_from_db()
    assert list(planning.members.all()) == [org.councillor2] and planning.chair is None
    assert list(org.councillor.committees.all()) == [audit]
    (sanctioned,) = told(concern, org.councillor.user, "concern_sanction")
    assert "removal from Planning" in sanctioned.body
    assert "Formal sanctions have been imposed." in told(concern, org.liaison.user, "concern_outcome")[0].body


def test_it_records_formal_disciplinary_action_on_an_officer(org, raise_concern):
    concern = at_review(org, raise_concern, raised_by=org.councillor.user, about=org.colleague)
    concern = cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="", now=LATER)
    with pytest.raises(ValidationError) as error:
        cs.concern_sanctions_record(
            concern=concern,
            actor=org.monitoring.user,
            sanctions=[cs.SanctionSpec(kind="group_disciplinary")],
            outcome="",
            now=LATER,
        )
    assert "kinds" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        cs.concern_sanctions_record(
            concern=concern,
            actor=org.monitoring.user,
            sanctions=[cs.SanctionSpec(kind="officer_disciplinary")],
            outcome="",
            now=LATER,
        )
    assert "disciplinary_reference" in error.value.message_dict
    concern = cs.concern_sanctions_record(
        concern=concern,
        actor=org.monitoring.user,
        sanctions=[cs.SanctionSpec(kind="officer_disciplinary", disciplinary_reference="HR/2027/014")],
        outcome="Dealt with under the employment procedures.",
        now=LATER,
    )
    sanction = Sanction.objects.get(concern=concern)
    assert (sanction.officer, sanction.member, sanction.disciplinary_reference) == (org.colleague, None, "HR/2027/014")


def test_it_refuses_a_formal_officer_sanction_on_a_councillor(org, raise_concern):
    concern = at_review(org, raise_concern)
    concern = cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="", now=LATER)
    with pytest.raises(ValidationError):
        cs.concern_sanctions_record(
            concern=concern,
            actor=org.monitoring.user,
            sanctions=[cs.SanctionSpec(kind="officer_disciplinary", disciplinary_reference="HR/1")],
            outcome="",
            now=LATER,
        )
    with pytest.raises(ValidationError):
        cs.concern_sanctions_record(concern=concern, actor=org.monitoring.user, sanctions=[], outcome="", now=LATER)
    assert not Sanction.objects.exists()


def test_it_needs_the_independent_person_for_a_standards_complaint(org, raise_concern):
    # DESIGN §4: a formal standards complaint under the Localism Act 2011 arrangements.
    concern = at_review(org, raise_concern)
    with pytest.raises(ValidationError) as error:
        cs.concern_refer(
            concern=concern,
            actor=org.monitoring.user,
            kind="standards_complaint",
            details="A breach of the Code of Conduct.",
            independent_person="  ",
            outcome="Referred.",
            now=LATER,
        )
    assert error.value.message_dict == {"independent_person": ["Enter the Independent Person consulted"]}
    concern = cs.concern_refer(
        concern=concern,
        actor=org.monitoring.user,
        kind="standards_complaint",
        details="A breach of the Code of Conduct.",
        independent_person="Ms P. Independent",
        outcome="Referred as a formal standards complaint.",
        now=LATER,
    )
    assert concern.state == ConcernState.REFERRED
    referral = ExternalReferral.objects.get(concern=concern)
    assert (referral.kind, referral.independent_person, referral.referred_by) == (
        "standards_complaint",
        "Ms P. Independent",
        org.monitoring,
    )
    (referred,) = events(concern, Kind.REFERRED)
    assert "Formal standards complaint" in referred.note and not referred.internal
    # Who was consulted is in the record for those deciding it, not in the complainant's view.
    (record,) = events(concern, Kind.NOTE)
    assert "Independent Person consulted: Ms P. Independent" in record.note and record.internal
    assert told(concern, org.liaison.user, "concern_outcome")


def test_it_lets_the_line_manager_refer_a_concern_to_the_police_at_stage_2(org, raise_concern):
    concern = at_line_management(org, raise_concern)
    with pytest.raises(PermissionDenied):
        cs.concern_refer(
            concern=concern, actor=org.liaison.user, kind="police", details="Threats.", outcome="", now=LATER
        )
    concern = cs.concern_refer(
        concern=concern, actor=org.head.user, kind="police", details="Threats.", outcome="Reported.", now=LATER
    )
    assert concern.state == ConcernState.REFERRED


def test_it_lets_only_the_complainant_withdraw(org, raise_concern):
    concern = at_line_management(org, raise_concern)
    for outsider in (org.head.user, org.monitoring.user, org.councillor.user):
        with pytest.raises(PermissionDenied):
            cs.concern_withdraw(concern=concern, actor=outsider, now=LATER)
    concern = cs.concern_withdraw(concern=concern, actor=org.liaison.user, reason="We have made up.", now=LATER)
    assert (concern.state, concern.closed_at) == (ConcernState.WITHDRAWN, LATER)
    assert (concern.remind_at, concern.escalate_at) == (None, None)
    assert "We have made up." in told(concern, org.head.user, "concern_withdrawn")[0].body
    assert events(concern, Kind.WITHDRAWN)


def test_it_does_nothing_more_once_closed(org, raise_concern):
    concern = raise_concern()
    concern = cs.concern_resolve(concern=concern, actor=org.liaison.user, outcome="Fine.", now=LATER)
    with pytest.raises(PermissionDenied):
        cs.concern_escalate(concern=concern, actor=org.monitoring.user, reason="", now=LATER)
    with pytest.raises(PermissionDenied):
        cs.concern_withdraw(concern=concern, actor=org.liaison.user, now=LATER)


def test_it_refuses_a_form_loaded_before_someone_else_changed_the_concern(org, raise_concern):
    concern = at_line_management(org, raise_concern)
    loaded = concern.version
    cs.concern_note_add(concern=concern, actor=org.head.user, note="Met the councillor.", now=LATER)
    with pytest.raises(cs.ConcernConflict) as error:
        cs.concern_resolve(concern=concern, actor=org.head.user, outcome="Done.", expected_version=loaded, now=LATER)
    assert "was changed by someone else" in str(error.value)
    concern.refresh_from_db()
    assert concern.state == ConcernState.LINE_MANAGEMENT
    cs.concern_resolve(
        concern=concern, actor=org.head.user, outcome="Done.", expected_version=concern.version, now=LATER
    )


# --- The Monitoring Officer's tools --------------------------------------------------------


def test_it_shares_the_record_with_its_subject_only_by_the_monitoring_officer(org, raise_concern):
    concern = at_review(org, raise_concern)
    for outsider in (org.liaison.user, org.head.user, org.chief.user):
        with pytest.raises(PermissionDenied):
            cs.concern_share_with_subject(concern=concern, actor=outsider, now=LATER)
    concern = cs.concern_share_with_subject(concern=concern, actor=org.monitoring.user, note="For comment.", now=LATER)
    assert (concern.shared_with_subject_at, concern.shared_with_subject_by) == (LATER, org.monitoring.user)
    assert told(concern, org.councillor.user, "concern_shared")
    assert events(concern, Kind.SHARED)
    with pytest.raises(ValidationError):
        cs.concern_share_with_subject(concern=concern, actor=org.monitoring.user, now=LATER)


def test_it_lets_the_monitoring_officer_hand_stage_2_to_another_senior_officer(org, raise_concern):
    concern = at_line_management(org, raise_concern)
    handlers = list(cs.reassignable_handlers(concern))
    assert org.other_head in handlers
    # Never the current handler, never a party to the concern, never a junior officer.
    assert org.head not in handlers and org.liaison not in handlers and org.colleague not in handlers
    with pytest.raises(PermissionDenied):
        cs.concern_reassign(concern=concern, actor=org.head.user, new_owner=org.other_head, reason="", now=LATER)
    with pytest.raises(ValidationError):
        cs.concern_reassign(concern=concern, actor=org.monitoring.user, new_owner=org.colleague, reason="", now=LATER)
    concern = cs.concern_reassign(
        concern=concern, actor=org.monitoring.user, new_owner=org.other_head, reason="A fresh pair of eyes.", now=LATER
    )
    assert concern.owner == org.other_head
    assert told(concern, org.other_head.user, "concern_assigned")
    (reassigned,) = events(concern, Kind.REASSIGNED)
    assert (reassigned.from_owner, reassigned.to_owner) == (org.head, org.other_head)
    # The old handler no longer sees it; the new one does.
    assert concern not in concerns_visible_to(org.head.user)
    assert concern in concerns_visible_to(org.other_head.user)


def test_it_hands_stage_3_only_within_the_monitoring_officers_team(org, raise_concern, deputy_monitoring_officer):
    concern = at_review(org, raise_concern)
    assert list(cs.reassignable_handlers(concern)) == [deputy_monitoring_officer]
    concern = cs.concern_reassign(
        concern=concern, actor=org.monitoring.user, new_owner=deputy_monitoring_officer, reason="Leave.", now=LATER
    )
    assert concern.owner == deputy_monitoring_officer


def test_it_keeps_notes_for_those_handling_it(org, raise_concern):
    # 001 §6.1, 002: the line manager may talk to the member or their Group Leader.
    concern = at_line_management(org, raise_concern)
    for outsider in (org.liaison.user, org.councillor.user, org.chief.user):
        with pytest.raises(PermissionDenied):
            cs.concern_note_add(concern=concern, actor=outsider, note="x", now=LATER)
    cs.concern_note_add(concern=concern, actor=org.head.user, note="Spoke to the Group Leader.", now=LATER)
    (note,) = events(concern, Kind.NOTE)
    assert note.internal and note.actor == org.head.user


def test_a_deputy_monitoring_officer_may_act_for_the_monitoring_officer(org, raise_concern, deputy_monitoring_officer):
    concern = at_review(org, raise_concern)
    concern = cs.concern_resolve(
        concern=concern, actor=deputy_monitoring_officer.user, outcome="Advice given.", now=LATER
    )
    assert concern.state == ConcernState.RESOLVED


def test_it_gives_the_concern_to_a_deputy_when_the_monitoring_officer_is_a_party(
    org, raise_concern, deputy_monitoring_officer
):
    concern = raise_concern(org.monitoring.user, about=org.councillor, safeguarding=True)
    assert concern.owner == deputy_monitoring_officer


def test_it_gives_stage_3_participants_no_power_to_decide(org, raise_concern, whip):
    concern = at_review(org, raise_concern)
    with pytest.raises(PermissionDenied):
        cs.concern_resolve(concern=concern, actor=whip.user, outcome="", now=LATER)
    with pytest.raises(PermissionDenied):
        cs.concern_propose_formal_action(concern=concern, actor=whip.user, reason="", now=LATER)


def test_it_moves_a_member_about_officer_concern_to_stage_3_with_whoever_handles_it(org, raise_concern):
    # A member whose group has no Whip: stage 3 goes ahead with the Monitoring Officer alone.
    member = MemberFactory(user__username="lonely")
    concern = raise_concern(org.liaison.user, about=member, safeguarding=True)
    assert concern.state == ConcernState.MO_REVIEW
    assert not Notification.objects.filter(concern=concern, template="concern_stage_three").exists()


def test_it_asks_the_chair_of_standards_to_join_when_the_subject_is_their_groups_whip(
    org, raise_concern, whip, chair_of_standards
):
    # A Whip does not review a concern about themselves (000 §VIII); the Chair of Standards
    # joins instead, as for an independent (000 §II.A).
    concern = raise_concern(org.liaison.user, about=whip, safeguarding=True)
    joined = Notification.objects.filter(concern=concern, template="concern_stage_three")
    assert [notification.recipient for notification in joined] == [chair_of_standards.user]
    assert concern not in concerns_visible_to(whip.user)


def test_it_lets_a_new_officer_raise_a_concern_on_their_first_day(org, raise_concern):
    newcomer = OfficerFactory(user__username="newcomer", service=org.highways, line_manager=org.head)
    concern = raise_concern(newcomer.user, about=org.councillor, now=RAISED + timedelta(hours=1))
    assert concern.complainant_officer == newcomer


def test_it_refuses_to_remove_a_councillor_from_a_committee_they_do_not_sit_on(org, raise_concern):
    """000 §VIII: removal from *named* committees: the councillor's own, and nothing changes otherwise."""
    planning = CommitteeFactory(name="Planning", kind=Committee.Kind.PLANNING)
    planning.members.add(org.councillor2)
    concern = at_review(org, raise_concern)
    concern = cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="", now=LATER)
    with pytest.raises(ValidationError) as error:
        cs.concern_sanctions_record(
            concern=concern,
            actor=org.monitoring.user,
            sanctions=[cs.SanctionSpec(kind="committee_removal", committees=[planning])],
            outcome="Removed.",
            now=LATER,
        )
    assert error.value.message_dict == {
        "committees": ["The councillor does not sit on Planning: choose from their committees"]
    }
    assert list(planning.members.all()) == [org.councillor2]
    assert not Sanction.objects.filter(concern=concern).exists()
