"""Who sees a concern, patterns, and the Monitoring Officer's triage queue (DESIGN §4; 000 §VIII).

Visibility is need-to-know: the complainant, the handler at the current stage, the Monitoring
Officer (and deputies); the Whip, the Chair of Standards or the Director of People Services and
the line manager only from stage 3; the subject only once the MO shares it. Never the Chief
Executive or an administrator as such.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases.concerns import services as cs
from cases.concerns.selectors import (
    concern_get_for_user,
    concerns_handled_by,
    concerns_joined_by,
    concerns_visible_to,
    my_concerns,
    pattern_for,
    patterns,
    sees_internal_record,
)
from cases.enquiries.services import enquiry_decline, enquiry_dispute, enquiry_file
from cases.models import Concern, Purpose, TimelineEvent
from cases.monitoring.selectors import TRIAGE_SORTS, triage_queue
from cases.positive import services as positive_services
from tests.concerns.conftest import RAISED, london
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

LATER = london(2027, 2, 3)


def sees(user, concern: Concern) -> bool:
    return concerns_visible_to(user).filter(pk=concern.pk).exists()


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "correct-horse-battery-staple")


# --- Visibility ----------------------------------------------------------------------------


def test_it_shows_a_stage_1_concern_to_the_complainant_and_the_monitoring_officers_only(
    org, raise_concern, whip, deputy_monitoring_officer, superuser
):
    concern = raise_concern()
    assert sees(org.liaison.user, concern)
    assert sees(org.monitoring.user, concern)
    assert sees(deputy_monitoring_officer.user, concern)
    for outsider in (
        org.councillor.user,  # the subject
        org.head.user,  # line management comes in only at stage 2
        whip.user,  # the Whip only from stage 3
        org.chief.user,  # the Chief Executive is not on the ladder (DESIGN §4)
        superuser,
        org.colleague.user,
        org.stranger,
    ):
        assert not sees(outsider, concern), outsider
        with pytest.raises(Http404):
            concern_get_for_user(outsider, concern.reference)


def test_it_shows_the_whip_an_officers_concern_only_from_stage_3_and_keeps_it_afterwards(org, raise_concern, whip):
    # 000 §VIII: the Monitoring Officer reviews with the subject's Whip.
    concern = raise_concern()
    concern = cs.concern_escalate(concern=concern, actor=org.liaison.user, reason="", now=LATER)
    assert sees(org.head.user, concern)
    assert not sees(whip.user, concern)

    concern = cs.concern_escalate(concern=concern, actor=org.head.user, reason="", now=LATER)
    assert sees(whip.user, concern)
    # The past stage-2 handler loses sight once it has moved on.
    assert not sees(org.head.user, concern)

    concern = cs.concern_informal_action(
        concern=concern,
        actor=org.monitoring.user,
        steps=[cs.InformalStep(kind="advice", details="Be courteous.", given_by="whip")],
        outcome="Advice given.",
        now=LATER,
    )
    assert sees(whip.user, concern)
    assert list(concerns_joined_by(whip.user)) == [concern]


def test_it_shows_the_chair_of_standards_a_concern_about_an_independent_from_stage_3(
    org, raise_concern, independent, chair_of_standards, whip
):
    # 000 §II.A, §VIII: the Chair of Standards does the Whip's part for an independent member.
    concern = raise_concern(org.liaison.user, about=independent, feels_able_to_talk=False)
    assert not sees(chair_of_standards.user, concern)
    concern = cs.concern_escalate(concern=concern, actor=org.head.user, reason="", now=LATER)
    assert sees(chair_of_standards.user, concern)
    assert not sees(whip.user, concern)


def test_it_shows_the_director_of_people_services_and_the_line_manager_a_concern_about_an_officer(
    org, raise_concern, people_director
):
    # 000 §VIII: for an officer, the MO with the Director of People Services and the line manager.
    apprentice = OfficerFactory(
        user__username="apprentice", job_title="Apprentice", service=org.highways, line_manager=org.colleague
    )
    concern = raise_concern(org.councillor.user, about=apprentice)
    concern = cs.concern_escalate(concern=concern, actor=org.councillor.user, reason="", now=LATER)
    # Stage 2: the subject officer's Head of Service handles it (001 §6.2).
    assert concern.owner == org.head
    assert not sees(people_director.user, concern)
    assert not sees(org.colleague.user, concern)

    concern = cs.concern_escalate(concern=concern, actor=org.head.user, reason="", now=LATER)
    assert sees(people_director.user, concern)
    assert sees(org.colleague.user, concern)
    assert not sees(org.head.user, concern)
    # The subject does not see it (DESIGN §4).
    assert not sees(apprentice.user, concern)

    concern = cs.concern_resolve(concern=concern, actor=org.monitoring.user, outcome="Resolved.", now=LATER)
    assert sees(people_director.user, concern) and sees(org.colleague.user, concern)


def test_it_keeps_a_line_manager_who_handled_stage_2_in_the_review_of_their_own_officer(
    org, raise_concern, people_director
):
    concern = raise_concern(org.councillor.user, about=org.colleague, feels_able_to_talk=False)
    concern = cs.concern_escalate(concern=concern, actor=org.head.user, reason="", now=LATER)
    # The Head of Highways is the colleague's line manager: they join the review and keep sight.
    assert sees(org.head.user, concern)
    assert sees(people_director.user, concern)


def test_it_shows_the_subject_the_record_only_once_the_monitoring_officer_shares_it(org, raise_concern):
    concern = raise_concern(feels_able_to_talk=False)
    assert not sees(org.councillor.user, concern)
    cs.concern_share_with_subject(concern=concern, actor=org.monitoring.user, now=LATER)
    assert sees(org.councillor.user, concern)
    shared = concern_get_for_user(org.councillor.user, concern.reference)
    # The subject sees the concern and its stages, not the internal record.
    assert not sees_internal_record(shared, org.councillor.user)
    assert all(not event.internal for event in shared.timeline_events)


def test_it_never_shows_a_concern_to_the_chief_executive_or_an_administrator(org, raise_concern, whip, superuser):
    concern = raise_concern(safeguarding=True)
    cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="", now=LATER)
    for user in (org.chief.user, superuser):
        assert not concerns_visible_to(user).exists()
        assert triage_queue(user, now=LATER) == []


def test_it_hides_the_internal_record_from_the_complainant(org, raise_concern):
    concern = raise_concern(feels_able_to_talk=False)
    cs.concern_note_add(concern=concern, actor=org.head.user, note="Spoke to the Group Leader.", now=LATER)
    mine = concern_get_for_user(org.liaison.user, concern.reference)
    kinds = [event.kind for event in mine.timeline_events]
    assert TimelineEvent.Kind.NOTE not in kinds
    assert TimelineEvent.Kind.RAISED in kinds
    theirs = concern_get_for_user(org.head.user, concern.reference)
    assert TimelineEvent.Kind.NOTE in [event.kind for event in theirs.timeline_events]
    assert sees_internal_record(theirs, org.head.user)


def test_it_lists_my_concerns_and_the_concerns_i_handle(org, raise_concern):
    mine = raise_concern(feels_able_to_talk=False)
    raise_concern(org.councillor.user, about=org.outsider, feels_able_to_talk=False)
    assert list(my_concerns(org.liaison.user)) == [mine]
    assert list(concerns_handled_by(org.head.user)) == [mine]
    cs.concern_resolve(concern=mine, actor=org.head.user, outcome="Done.", now=LATER)
    assert list(concerns_handled_by(org.head.user)) == []


# --- Patterns (000 §VIII) --------------------------------------------------------------------


def ended_in_informal_action(org, raise_concern, *, on, about=None):
    raised = london(on.year, on.month, on.day)
    concern = raise_concern(about=about, now=raised, safeguarding=True)
    return cs.concern_informal_action(
        concern=concern,
        actor=org.monitoring.user,
        steps=[cs.InformalStep(kind="training", details="Course.")],
        outcome="Training arranged.",
        now=raised,
    )


NOW = london(2027, 3, 1)


def test_it_flags_a_subject_with_three_informal_actions_in_twelve_months(org, raise_concern):
    # 000 §VIII: "a pattern of behaviours that require repeated informal intervention".
    concerns = [
        ended_in_informal_action(org, raise_concern, on=day)
        for day in (date(2026, 3, 10), date(2026, 11, 2), date(2027, 2, 1))
    ]
    ended_in_informal_action(org, raise_concern, on=date(2027, 2, 2), about=org.councillor2)

    (pattern,) = patterns(now=NOW)
    assert (pattern.subject, pattern.informal_actions) == (org.councillor, 3)
    assert pattern_for(concerns[0], now=NOW) == pattern
    row = next(item for item in triage_queue(org.monitoring.user, now=NOW) if item.kind == "pattern")
    assert row.title == str(org.councillor)
    assert "3 concerns ended in informal action" in row.why and "000 §VIII" in row.why


def test_it_does_not_flag_two_informal_actions(org, raise_concern):
    for day in (date(2026, 11, 2), date(2027, 2, 1)):
        ended_in_informal_action(org, raise_concern, on=day)
    assert patterns(now=NOW) == []
    assert [item for item in triage_queue(org.monitoring.user, now=NOW) if item.kind == "pattern"] == []


def test_it_does_not_count_an_informal_action_more_than_twelve_months_old(org, raise_concern):
    for day in (date(2026, 2, 2), date(2026, 11, 2), date(2027, 2, 1)):
        ended_in_informal_action(org, raise_concern, on=day)
    assert patterns(now=NOW) == []
    # A month earlier all three were within twelve months.
    assert [p.subject for p in patterns(now=london(2027, 1, 29))] == [org.councillor]


def test_it_flags_a_pattern_about_an_officer_from_councillors_concerns(org, raise_concern):
    for day in (date(2026, 12, 1), date(2027, 1, 5), date(2027, 2, 1)):
        raised = london(day.year, day.month, day.day)
        concern = raise_concern(org.councillor.user, about=org.colleague, now=raised, safeguarding=True)
        cs.concern_informal_action(
            concern=concern,
            actor=org.monitoring.user,
            steps=[cs.InformalStep(kind="advice", details="Reply on time.", given_by="manager")],
            outcome="Advice given.",
            now=raised,
        )
    (pattern,) = patterns(now=NOW)
    assert (pattern.subject, pattern.informal_actions) == (org.colleague, 3)


# --- The triage queue ------------------------------------------------------------------------


@pytest.fixture
def queue(org, raise_concern):
    """One of everything that awaits the Monitoring Officer on Monday 1 March 2027, and some that do not."""
    review = raise_concern(now=london(2027, 2, 8))
    review = cs.concern_escalate(concern=review, actor=org.liaison.user, reason="", now=london(2027, 2, 8))
    review = cs.concern_escalate(concern=review, actor=org.head.user, reason="", now=london(2027, 2, 22))
    sanction = raise_concern(org.councillor.user, about=org.outsider, safeguarding=True, now=london(2027, 2, 1))
    sanction = cs.concern_propose_formal_action(
        concern=sanction, actor=org.monitoring.user, reason="", now=london(2027, 2, 15)
    )
    # At stage 2 since Monday 1 February, due by the end of Monday 15 February: overdue, and
    # the sweep has not yet run.
    overdue = raise_concern(org.outsider.user, about=org.councillor2, feels_able_to_talk=False, now=RAISED)
    # Not awaiting the MO: stage 1 and stage 2 within their targets.
    raise_concern(now=london(2027, 2, 26))
    raise_concern(org.outsider.user, about=org.councillor, feels_able_to_talk=False, now=london(2027, 2, 26))

    # A disputed decline whose Chief Executive's decision was due by the end of Monday 22 February.
    disputed = enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Parking permits",
        details="Why was my request refused?",
        purpose=Purpose.INFORMATION,
        now=london(2027, 2, 10),
    )
    enquiry_decline(enquiry=disputed, actor=org.head.user, reasons="A personal matter.", now=london(2027, 2, 12))
    enquiry_dispute(enquiry=disputed, actor=org.councillor.user, reasons="It is not.", now=london(2027, 2, 15))
    # Another dispute, still within the Chief Executive's five working days.
    recent = enquiry_file(
        member=org.councillor,
        service=org.highways,
        subject="Bins",
        details="Missed collection",
        purpose=Purpose.INFORMATION,
        now=london(2027, 2, 24),
    )
    enquiry_decline(enquiry=recent, actor=org.head.user, reasons="A personal matter.", now=london(2027, 2, 25))
    enquiry_dispute(enquiry=recent, actor=org.councillor.user, reasons="It is not.", now=london(2027, 2, 26))

    example = positive_services.positive_example_record(
        recorded_by=org.councillor.user,
        title="Flood response",
        what_happened="The team kept me informed hour by hour.",
        happened_on=date(2027, 2, 10),
        service=org.highways,
        now=london(2027, 2, 11),
    )
    example = positive_services.positive_example_forward(
        example=example, actor=org.assistant.user, comment="Well deserved.", now=london(2027, 2, 12)
    )
    return {"review": review, "sanction": sanction, "overdue": overdue, "disputed": disputed, "example": example}


def test_it_shows_everything_awaiting_the_monitoring_officer(org, queue):
    items = triage_queue(org.monitoring.user, now=london(2027, 3, 1))
    by_reference = {item.reference: item for item in items}
    assert set(by_reference) == {
        queue["review"].reference,
        queue["sanction"].reference,
        queue["overdue"].reference,
        queue["disputed"].reference,
        queue["example"].reference,
    }
    review = by_reference[queue["review"].reference]
    assert (review.kind, review.stage, review.overdue) == ("concern", 3, False)
    assert review.why == "Stage 3: Monitoring Officer review"
    # Stage 3 since Monday 22 February: Tue–Fri and Monday 1 March are five working days.
    assert review.age_working_days == 5
    sanction = by_reference[queue["sanction"].reference]
    assert sanction.stage == 4
    assert sanction.why.startswith("Safeguarding flag; Stage 4: formal sanction")
    overdue = by_reference[queue["overdue"].reference]
    assert (overdue.stage, overdue.overdue) == (2, True)
    assert overdue.why == "Stage 2: line management, overdue since 15 February 2027"
    assert overdue.age_working_days == 20
    dispute = by_reference[queue["disputed"].reference]
    assert (dispute.kind, dispute.overdue) == ("dispute", True)
    assert "22 February 2027" in dispute.why
    example = by_reference[queue["example"].reference]
    assert example.kind == "positive_example"
    assert example.url == queue["example"].get_absolute_url()


def test_it_sorts_the_queue_by_age_reference_or_kind(org, queue):
    now = london(2027, 3, 1)
    by_age = triage_queue(org.monitoring.user, now=now)
    ages = [item.age_working_days for item in by_age]
    assert ages == sorted(ages, reverse=True)
    assert by_age[0].reference == queue["overdue"].reference
    by_reference = triage_queue(org.monitoring.user, sort="reference", now=now)
    assert [item.reference for item in by_reference] == sorted(item.reference for item in by_age)
    by_kind = triage_queue(org.monitoring.user, sort="kind", now=now)
    assert [item.kind for item in by_kind] == ["concern", "concern", "concern", "dispute", "positive_example"]
    # An unknown sort falls back to age.
    assert triage_queue(org.monitoring.user, sort="nonsense", now=now) == by_age
    assert set(TRIAGE_SORTS) == {"age", "reference", "kind"}


def test_it_shows_the_queue_to_the_monitoring_officers_only(org, queue, whip, deputy_monitoring_officer):
    now = london(2027, 3, 1)
    assert len(triage_queue(deputy_monitoring_officer.user, now=now)) == 5
    for user in (org.chief.user, org.head.user, whip.user, org.liaison.user, org.councillor.user, org.stranger):
        assert triage_queue(user, now=now) == []


def test_it_shows_a_stage_3_concern_past_its_target_as_overdue(org, raise_concern):
    concern = raise_concern(safeguarding=True)
    (item,) = triage_queue(org.monitoring.user, now=london(2027, 2, 16, 9))
    assert item.reference == concern.reference and item.overdue
    # Issue 15 C17: the stage once, not "Stage 3: …; Stage 3: … overdue since …".
    assert item.why == "Safeguarding flag; Stage 3: Monitoring Officer review, overdue since 15 February 2027"


# --- The Monitoring Officer as a party ---------------------------------------------------------


def test_it_hides_a_concern_about_the_monitoring_officer_from_them(org, raise_concern, deputy_monitoring_officer):
    # The subject sees the record only if it is shared (DESIGN §4); a deputy reviews it
    # (escalation.routing.concern_reviewer), and the Monitoring Officer may not decide it.
    about_them = raise_concern(org.councillor.user, about=org.monitoring, safeguarding=True)
    other = raise_concern(safeguarding=True)
    assert about_them.owner == deputy_monitoring_officer

    assert list(concerns_visible_to(org.monitoring.user)) == [other]
    assert [item.reference for item in triage_queue(org.monitoring.user, now=LATER)] == [other.reference]
    assert sees(deputy_monitoring_officer.user, about_them)
    assert {item.reference for item in triage_queue(deputy_monitoring_officer.user, now=LATER)} == {
        about_them.reference,
        other.reference,
    }
    with pytest.raises(PermissionDenied):
        cs.concern_resolve(concern=about_them, actor=org.monitoring.user, outcome="Nothing in it.", now=LATER)
    with pytest.raises(PermissionDenied):
        cs.concern_share_with_subject(concern=about_them, actor=org.monitoring.user, now=LATER)

    cs.concern_share_with_subject(concern=about_them, actor=deputy_monitoring_officer.user, now=LATER)
    shared = concern_get_for_user(org.monitoring.user, about_them.reference)
    assert not sees_internal_record(shared, org.monitoring.user)


def test_it_lets_the_monitoring_officer_follow_their_own_concern_but_not_decide_it(
    org, raise_concern, deputy_monitoring_officer
):
    concern = raise_concern(org.monitoring.user, about=org.councillor, safeguarding=True)
    assert concern.owner == deputy_monitoring_officer
    assert sees(org.monitoring.user, concern)
    cs.concern_note_add(concern=concern, actor=deputy_monitoring_officer.user, note="Internal.", now=LATER)
    mine = concern_get_for_user(org.monitoring.user, concern.reference)
    assert not sees_internal_record(mine, org.monitoring.user)
    assert TimelineEvent.Kind.NOTE not in [event.kind for event in mine.timeline_events]
    assert triage_queue(org.monitoring.user, now=LATER) == []
    with pytest.raises(PermissionDenied):
        cs.concern_informal_action(
            concern=concern,
            actor=org.monitoring.user,
            steps=[cs.InformalStep(kind="training", details="Course.")],
            outcome="",
            now=LATER,
        )
    # As the complainant they may still withdraw it.
    assert cs.concern_withdraw(concern=concern, actor=org.monitoring.user, now=LATER).state == "withdrawn"
