"""Reviewers can act (issue 15 C13; 000 §VIII): those who join the Monitoring Officer at stage 3
(the councillor's Whip, the Chair of Standards for an independent councillor, the Director of
People Services and the line manager for an officer) add internal notes while the review runs,
through the sanction decided at stage 4, and no longer once they leave the role they joined in
or the concern has closed. A note is one transaction and one line on the timeline.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.concerns import services as cs
from cases.concerns.selectors import Reviewer, concern_review, concerns_visible_to
from cases.models import Concern, ConcernState, InformalAction, Notification, TimelineEvent
from people.models import Committee
from tests.concerns.conftest import london
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

LATER = london(2027, 2, 3)
LATEST = london(2027, 2, 4)


def at_review(org, raise_concern, *, by=None, about=None) -> Concern:
    """A concern sent straight to line management, then by its handler to the Monitoring Officer."""
    concern = raise_concern(by, about=about, feels_able_to_talk=False)
    return cs.concern_escalate(concern=concern, actor=concern.owner.user, reason="It carried on.", now=LATER)


@pytest.fixture
def about_councillor(org, raise_concern, whip):
    """The liaison officer's concern about the councillor, whose group's Whip joins at stage 3."""
    return at_review(org, raise_concern)


@pytest.fixture
def about_independent(org, raise_concern, independent, chair_of_standards):
    return at_review(org, raise_concern, about=independent)


@pytest.fixture
def about_officer(org, raise_concern, people_director):
    """The councillor's concern about the liaison officer: the Director of People Services and
    the liaison officer's line manager (the Head of Highways, who handled stage 2) join."""
    return at_review(org, raise_concern, by=org.councillor.user, about=org.liaison)


def record(concern: Concern) -> tuple[int, int, int]:
    """What a note may change: the concern's version, its timeline, the notifications."""
    concern.refresh_from_db()
    return concern.version, concern.timeline.count(), Notification.objects.count()


# --- Adding a note ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "reviewer"),
    [
        ("about_councillor", lambda org, whip, chair, director: whip.user),
        ("about_independent", lambda org, whip, chair, director: chair.user),
        ("about_officer", lambda org, whip, chair, director: director.user),
        ("about_officer", lambda org, whip, chair, director: org.head.user),  # the line manager
    ],
    ids=["whip", "chair of standards", "director of people services", "line manager"],
)
def test_it_lets_each_reviewer_add_a_note_at_stage_3(request, org, case, reviewer):
    concern = request.getfixturevalue(case)
    whip, chair = request.getfixturevalue("whip"), request.getfixturevalue("chair_of_standards")
    user = reviewer(org, whip, chair, request.getfixturevalue("people_director"))
    version, events, notifications = record(concern)

    cs.concern_note_add(
        concern=concern, actor=user, note="I know the councillor; this is not the first time.", now=LATEST
    )

    # One line on the timeline, internal, and nothing else: no one is told, nothing else moves.
    assert record(concern) == (version + 1, events + 1, notifications)
    note = concern.timeline.latest("pk")
    assert (note.kind, note.internal, note.actor, note.at) == (TimelineEvent.Kind.NOTE, True, user, LATEST)
    assert note.note == "I know the councillor; this is not the first time."
    assert concern.state == ConcernState.MO_REVIEW


def test_it_lets_the_whip_add_notes_while_the_sanction_is_decided(org, about_councillor, whip):
    # 000 §VIII: the Monitoring Officer and the Whip determine "the nature of the sanction".
    concern = cs.concern_propose_formal_action(
        concern=about_councillor, actor=org.monitoring.user, reason="Serious.", now=LATEST
    )
    cs.concern_note_add(concern=concern, actor=whip.user, note="The group would support removal.", now=LATEST)
    assert concern.timeline.filter(kind=TimelineEvent.Kind.NOTE, actor=whip.user).exists()


def test_it_gives_a_reviewer_no_power_to_decide(org, about_officer, people_director):
    for decide in (
        lambda: cs.concern_resolve(concern=about_officer, actor=people_director.user, outcome="x", now=LATEST),
        lambda: cs.concern_propose_formal_action(concern=about_officer, actor=people_director.user, reason=""),
        lambda: cs.concern_reassign(
            concern=about_officer, actor=people_director.user, new_owner=org.monitoring, reason="", now=LATEST
        ),
    ):
        with pytest.raises(PermissionDenied):
            decide()


def test_it_refuses_an_empty_note_and_records_nothing(about_councillor, whip):
    before = record(about_councillor)
    with pytest.raises(ValidationError) as error:
        cs.concern_note_add(concern=about_councillor, actor=whip.user, note="  \n ", now=LATEST)
    assert error.value.message_dict == {"note": ["Enter the note"]}
    assert record(about_councillor) == before


def test_it_refuses_a_note_from_a_page_loaded_before_someone_else_added_one(org, about_councillor, whip):
    loaded = about_councillor.version
    cs.concern_note_add(concern=about_councillor, actor=org.monitoring.user, note="Met the Whip.", now=LATEST)
    before = record(about_councillor)
    with pytest.raises(cs.ConcernConflict):
        cs.concern_note_add(
            concern=about_councillor, actor=whip.user, note="Will speak to him.", expected_version=loaded, now=LATEST
        )
    assert record(about_councillor) == before
    cs.concern_note_add(
        concern=about_councillor, actor=whip.user, note="Will speak to him.", expected_version=before[0], now=LATEST
    )


def test_after_a_reviewers_note_the_monitoring_officer_decides_from_the_latest_page(org, about_councillor, whip):
    # What may happen after a note: the Monitoring Officer's form loaded before it is refused (the
    # note may change the decision); loaded again, the decision goes ahead and ends the review.
    loaded = about_councillor.version
    cs.concern_note_add(concern=about_councillor, actor=whip.user, note="He has apologised.", now=LATEST)
    step = cs.InformalStep(kind=InformalAction.Kind.ADVICE, given_by="whip", details="Words from the Whip.")
    with pytest.raises(cs.ConcernConflict):
        cs.concern_informal_action(
            concern=about_councillor,
            actor=org.monitoring.user,
            steps=[step],
            outcome="Advice given.",
            expected_version=loaded,
            now=LATEST,
        )
    about_councillor.refresh_from_db()
    concern = cs.concern_informal_action(
        concern=about_councillor,
        actor=org.monitoring.user,
        steps=[step],
        outcome="Advice given.",
        expected_version=about_councillor.version,
        now=LATEST,
    )
    assert concern.state == ConcernState.INFORMAL_ACTION
    with pytest.raises(PermissionDenied, match="was closed on 4 February 2027"):
        cs.concern_note_add(concern=concern, actor=whip.user, note="One more thing.", now=LATEST)


# --- When a reviewer can no longer add notes -------------------------------------------------


@pytest.mark.parametrize("how", ["resolved", "referred", "sanctioned"])
def test_it_refuses_every_note_once_the_review_has_ended(org, about_councillor, whip, how):
    mo = org.monitoring.user
    if how == "resolved":
        concern = cs.concern_resolve(concern=about_councillor, actor=mo, outcome="Settled.", now=LATEST)
    elif how == "referred":
        concern = cs.concern_refer(
            concern=about_councillor, actor=mo, kind="police", details="Reported.", outcome="Referred.", now=LATEST
        )
    else:
        concern = cs.concern_propose_formal_action(concern=about_councillor, actor=mo, reason="", now=LATEST)
        concern = cs.concern_sanctions_record(
            concern=concern,
            actor=mo,
            sanctions=[cs.SanctionSpec(kind="group_disciplinary", details="Suspended.")],
            outcome="Formal action.",
            now=LATEST,
        )
    before = record(concern)
    for person in (whip.user, mo):
        with pytest.raises(PermissionDenied) as refused:
            cs.concern_note_add(concern=concern, actor=person, note="Too late.", now=LATEST)
        assert f"{concern.reference} was closed on 4 February 2027" in str(refused.value)
        assert "notes can no longer be added" in str(refused.value)
    assert record(concern) == before
    # They keep reading what they joined.
    assert concerns_visible_to(whip.user).filter(pk=concern.pk).exists()


def test_it_refuses_a_whip_who_is_no_longer_the_whip(org, about_councillor, whip):
    org.councillor.group.whips.remove(whip)
    before = record(about_councillor)

    with pytest.raises(PermissionDenied, match="You no longer hold the role in which you joined the review"):
        cs.concern_note_add(concern=about_councillor, actor=whip.user, note="Still here.", now=LATEST)

    assert record(about_councillor) == before
    assert not cs.may_add_note(about_councillor, whip.user)
    assert concerns_visible_to(whip.user).filter(pk=about_councillor.pk).exists()


def test_it_refuses_a_whip_who_has_left_office(org, about_councillor, whip):
    whip.left_office_on = timezone.localdate() - timedelta(days=1)
    whip.save()
    with pytest.raises(PermissionDenied, match="no longer hold the role"):
        cs.concern_note_add(concern=about_councillor, actor=whip.user, note="x", now=LATEST)


def test_it_refuses_a_chair_of_standards_once_someone_else_chairs(org, about_independent, chair_of_standards):
    standards = Committee.objects.get(kind=Committee.Kind.STANDARDS)
    standards.chair = org.standards_member
    standards.save()
    with pytest.raises(PermissionDenied, match="no longer hold the role"):
        cs.concern_note_add(concern=about_independent, actor=chair_of_standards.user, note="x", now=LATEST)
    # The new chair was not asked to join: they do not see it, and may not add to it.
    assert not concerns_visible_to(org.standards_member.user).filter(pk=about_independent.pk).exists()
    with pytest.raises(PermissionDenied, match="Only those handling or reviewing"):
        cs.concern_note_add(concern=about_independent, actor=org.standards_member.user, note="x", now=LATEST)


def test_it_refuses_a_line_manager_who_no_longer_manages_the_officer(org, about_officer, people_director):
    org.liaison.line_manager = org.other_head
    org.liaison.save()
    with pytest.raises(PermissionDenied, match="no longer hold the role"):
        cs.concern_note_add(concern=about_officer, actor=org.head.user, note="x", now=LATEST)
    # The Director of People Services still reviews it.
    cs.concern_note_add(concern=about_officer, actor=people_director.user, note="HR has no record.", now=LATEST)


def test_it_refuses_people_who_never_took_part(org, about_councillor, whip):
    for person in (org.liaison.user, org.councillor.user, org.chief.user, org.head.user, org.standards_member.user):
        with pytest.raises(PermissionDenied, match="Only those handling or reviewing"):
            cs.concern_note_add(concern=about_councillor, actor=person, note="x", now=LATEST)


# --- Who is reviewing (the concern's summary) ------------------------------------------------


def test_it_names_every_reviewer_with_their_role_and_who_leads(
    org, about_councillor, about_independent, about_officer, whip, independent, chair_of_standards, people_director
):
    review = concern_review(about_councillor)
    assert (review.in_progress, review.lead) == (True, org.monitoring)
    assert review.reviewers == [Reviewer(whip.user, str(whip), "Whip, Civic Party")]
    assert (review.former, review.not_joined) == ([], [])

    assert concern_review(about_independent).reviewers == [
        Reviewer(
            chair_of_standards.user,
            str(chair_of_standards),
            "Chair of the Standards Committee, for an independent councillor",
        )
    ]
    assert concern_review(about_officer).reviewers == [
        Reviewer(people_director.user, people_director.name, "Director of People Services"),
        Reviewer(org.head.user, org.head.name, f"Line manager of {org.liaison.name}"),
    ]


def test_it_says_who_left_the_role_and_who_took_it_on_without_being_asked(org, about_councillor, whip):
    org.councillor.group.whips.remove(whip)
    new_whip = MemberFactory(user__username="new.whip", group=org.councillor.group)
    org.councillor.group.whips.add(new_whip)

    review = concern_review(about_councillor)

    assert review.reviewers == []
    assert review.former == [Reviewer(whip.user, str(whip), "")]
    assert review.not_joined == [Reviewer(new_whip.user, str(new_whip), "Whip, Civic Party")]
    assert review.joined(whip.user) and not review.joined(new_whip.user)
    assert review.reviewing(whip.user) is None and review.reviewing(new_whip.user) is None
    assert not cs.may_add_note(about_councillor, new_whip.user)


def test_there_is_no_review_before_stage_3_and_it_is_over_once_closed(org, raise_concern, whip):
    concern = raise_concern(feels_able_to_talk=False)
    assert concern_review(concern) is None
    concern = cs.concern_escalate(concern=concern, actor=org.head.user, reason="", now=LATER)
    concern = cs.concern_resolve(concern=concern, actor=org.monitoring.user, outcome="Settled.", now=LATEST)
    review = concern_review(concern)
    assert review.in_progress is False
    assert review.part_of(whip.user) == Reviewer(whip.user, str(whip), "Whip, Civic Party")
    assert review.reviewing(whip.user) is None


def test_the_subject_a_record_is_shared_with_is_not_a_reviewer(org, about_councillor, whip):
    concern = cs.concern_share_with_subject(concern=about_councillor, actor=org.monitoring.user, now=LATEST)
    review = concern_review(concern)
    assert not review.joined(org.councillor.user)
    assert [reviewer.user for reviewer in review.reviewers] == [whip.user]
    with pytest.raises(PermissionDenied, match="Only those handling or reviewing"):
        cs.concern_note_add(concern=concern, actor=org.councillor.user, note="My side.", now=LATEST)
