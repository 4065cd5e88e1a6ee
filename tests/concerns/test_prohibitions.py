"""Contact prohibitions are enforced (DESIGN §5; 000 §VIII).

A prohibition is a formal sanction on a councillor (stage 4 of a concern) recorded as a
``people`` fact. While it is in force, that member's enquiries never reach an officer it
covers: they go to the Monitoring Officer's office, and the member is told so. It lifts
itself the day after its last day. The tests impose each one through the real ladder:
a safeguarding concern (stage 3), formal action proposed (stage 4), the sanction recorded.
"""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.concerns import services as cs
from cases.concerns.selectors import prohibition_get_for_user, sanctions_register
from cases.enquiries import services as enquiry_services
from cases.enquiries.deadlines import enquiry_deadline_sweep
from cases.enquiries.services import (
    enquiry_answer,
    enquiry_decline,
    enquiry_dispute,
    enquiry_dispute_decide,
    enquiry_file,
    enquiry_move,
    enquiry_reassign,
    enquiry_reopen,
)
from cases.models import Concern, Enquiry, EnquiryEscalation, Marking, Notification, Purpose, Sanction, TimelineEvent
from escalation.routing import enquiry_route
from people.models import ContactProhibition
from people.selectors import active_contact_prohibitions, contact_prohibition_for
from tests.concerns.conftest import SANCTIONED, london

pytestmark = pytest.mark.django_db

FILED = london(2027, 3, 1)


def file(org, *, member=None, service=None, now=FILED, subject="Pothole on Mill Road") -> Enquiry:
    return enquiry_file(
        member=member or org.councillor,
        service=service or org.highways,
        subject=subject,
        details="A deep pothole outside number 12.",
        purpose=Purpose.INFORMATION,
        now=now,
    )


def acknowledgement(enquiry: Enquiry) -> Notification:
    return Notification.objects.get(enquiry=enquiry, template="enquiry_acknowledged")


# --- Each kind of prohibition ----------------------------------------------------------------


def test_it_sends_an_enquiry_for_a_prohibited_officer_to_the_monitoring_officers_office(org, prohibit):
    prohibition = prohibit("officer", officer=org.liaison)
    assert (prohibition.member, prohibition.scope, prohibition.officer) == (org.councillor, "officer", org.liaison)

    enquiry = file(org)

    assert enquiry.owner == org.monitoring
    # The member is told why (DESIGN §5).
    body = acknowledgement(enquiry).body
    assert f"you may not contact {org.liaison.name}" in body
    # Issue 15 A5: the Monitoring Officer is not said to be in Highways.
    assert (
        f"Who owns it: {org.monitoring.name}, Monitoring Officer, the Monitoring Officer's office "
        "(you sent it to Highways)\n"
    ) in body
    assert "Monitoring Officer, Highways" not in body
    filed = enquiry.timeline.get(kind=TimelineEvent.Kind.FILED)
    assert "because a contact prohibition is in force" in filed.note
    assert Notification.objects.filter(enquiry=enquiry, recipient=org.monitoring.user).exists()
    assert not Notification.objects.filter(enquiry=enquiry, recipient=org.liaison.user).exists()


def test_it_sends_an_enquiry_for_a_prohibited_service_to_the_monitoring_officers_office(org, prohibit):
    prohibit("service", service=org.highways)
    enquiry = file(org)
    assert enquiry.owner == org.monitoring
    assert "the officers of Highways" in acknowledgement(enquiry).body
    # Another service is not covered: Libraries has no liaison officer, so its Head takes it.
    assert file(org, service=org.libraries).owner == org.other_head


def test_it_sends_every_enquiry_to_the_monitoring_officers_office_under_a_prohibition_on_all_officers(org, prohibit):
    prohibit("all")
    assert file(org).owner == org.monitoring
    libraries = file(org, service=org.libraries)
    assert libraries.owner == org.monitoring
    assert "you may not contact any officer" in acknowledgement(libraries).body


def test_it_leaves_another_members_enquiries_alone(org, prohibit):
    prohibit("all")
    enquiry = file(org, member=org.councillor2)
    assert enquiry.owner == org.liaison
    assert "contact prohibition" not in acknowledgement(enquiry).body


def test_it_does_not_redirect_for_a_prohibition_on_a_different_officer(org, prohibit):
    prohibit("officer", officer=org.colleague)
    enquiry = file(org)
    assert enquiry.owner == org.liaison
    assert "contact prohibition" not in acknowledgement(enquiry).body


def test_it_lifts_itself_the_day_after_its_last_day(org, prohibit):
    prohibit("officer", officer=org.liaison, ends_on=date(2027, 3, 31))
    # Its last day: still in force.
    assert file(org, now=london(2027, 3, 31, 17)).owner == org.monitoring
    # The day after: normal routing, with no job needed to lift it.
    after = file(org, now=london(2027, 4, 1, 9))
    assert after.owner == org.liaison
    assert "contact prohibition" not in acknowledgement(after).body


def test_it_does_not_apply_before_it_starts(org, prohibit):
    prohibit("officer", officer=org.liaison, starts_on=date(2027, 3, 1))
    assert file(org, now=london(2027, 2, 26)).owner == org.liaison
    assert file(org, now=london(2027, 3, 1, 9)).owner == org.monitoring


def test_it_stays_in_force_indefinitely_without_an_end(org, prohibit):
    prohibition = prohibit("service", service=org.highways)
    assert prohibition.period == "from 10 February 2027, indefinitely"
    assert file(org, now=london(2031, 6, 2)).owner == org.monitoring


def test_it_answers_routing_and_people_questions_without_cases(org, prohibit):
    # DESIGN §5, §8: the prohibition is a people fact that routing honours on its own.
    prohibition = prohibit("officer", officer=org.liaison, ends_on=date(2027, 3, 31))
    on = date(2027, 3, 1)
    assert contact_prohibition_for(member=org.councillor, officer=org.liaison, on=on) == prohibition
    assert contact_prohibition_for(member=org.councillor, officer=org.colleague, on=on) is None
    assert contact_prohibition_for(member=org.councillor2, officer=org.liaison, on=on) is None
    assert active_contact_prohibitions(member_ids=[org.councillor.pk, org.councillor2.pk], on=on) == {
        org.councillor.pk: [prohibition]
    }
    assert active_contact_prohibitions(member_ids=[org.councillor.pk], on=date(2027, 4, 1)) == {}
    route = enquiry_route(service=org.highways, member=org.councillor, on=on)
    assert (route.owner, route.prohibition) == (org.monitoring, prohibition)


# --- Recording the sanction ------------------------------------------------------------------


def test_it_moves_the_members_open_enquiries_with_the_covered_officer_when_the_sanction_is_recorded(org, prohibit):
    before = file(org, now=london(2027, 2, 8))
    answered = file(org, now=london(2027, 2, 8), subject="Street lights")
    enquiry_answer(
        enquiry=answered,
        actor=org.liaison.user,
        text="Fixed.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
        now=london(2027, 2, 9),
    )
    someone_elses = file(org, member=org.councillor2, now=london(2027, 2, 8))

    prohibit("officer", officer=org.liaison)

    before.refresh_from_db()
    assert before.owner == org.monitoring
    moved = before.timeline.get(kind=TimelineEvent.Kind.REASSIGNED)
    assert (moved.from_owner, moved.to_owner) == (org.liaison, org.monitoring)
    assert "contact prohibition is now in force" in moved.note
    told = Notification.objects.get(enquiry=before, template="enquiry_new_owner")
    assert told.recipient == org.councillor.user
    assert org.monitoring.name in told.body
    assert Notification.objects.filter(enquiry=before, template="enquiry_reassigned", recipient=org.monitoring.user)
    # Answered enquiries are not open; another member's enquiries are not covered.
    answered.refresh_from_db()
    someone_elses.refresh_from_db()
    assert (answered.owner, someone_elses.owner) == (org.liaison, org.liaison)


def test_it_leaves_open_enquiries_alone_until_a_future_prohibition_starts(org, prohibit):
    before = file(org, now=london(2027, 2, 8))
    prohibit("officer", officer=org.liaison, starts_on=date(2027, 3, 1))
    before.refresh_from_db()
    assert before.owner == org.liaison


def test_it_moves_open_enquiries_on_the_day_a_future_prohibition_starts(org, prohibit):
    """Each deadline sweep enforces prohibitions in force: one recorded to start later takes
    hold on its first day, and the member is told why the owner changed (DESIGN §5)."""
    before = file(org, now=london(2027, 2, 8))
    prohibit("officer", officer=org.liaison, starts_on=date(2027, 3, 1))

    assert enquiry_services.contact_prohibitions_enforce(now=london(2027, 2, 26)) == 0
    assert enquiry_services.contact_prohibitions_enforce(now=london(2027, 3, 1)) == 1
    assert enquiry_services.contact_prohibitions_enforce(now=london(2027, 3, 2)) == 0  # once only

    before.refresh_from_db()
    assert before.owner == org.monitoring
    told = Notification.objects.get(enquiry=before, recipient=org.councillor.user, template="enquiry_new_owner")
    assert "contact prohibition is now in force" in told.body


def test_it_refuses_an_unworkable_prohibition(org, raise_concern):
    concern = raise_concern(org.colleague.user, about=org.councillor, safeguarding=True, now=SANCTIONED)
    concern = cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="", now=SANCTIONED)
    today = date(2027, 2, 10)
    cases = [
        (cs.SanctionSpec(kind="contact_prohibition", scope="", starts_on=today), "scope"),
        (cs.SanctionSpec(kind="contact_prohibition", scope="officer", starts_on=today), "officer"),
        (cs.SanctionSpec(kind="contact_prohibition", scope="service", starts_on=today), "service"),
        (cs.SanctionSpec(kind="contact_prohibition", scope="all"), "starts_on"),
        (
            cs.SanctionSpec(kind="contact_prohibition", scope="all", starts_on=today, ends_on=date(2027, 2, 9)),
            "ends_on",
        ),
        (
            cs.SanctionSpec(
                kind="contact_prohibition", scope="all", starts_on=date(2027, 1, 1), ends_on=date(2027, 2, 1)
            ),
            "ends_on",
        ),
    ]
    for spec, field in cases:
        with pytest.raises(ValidationError) as error:
            cs.concern_sanctions_record(
                concern=concern, actor=org.monitoring.user, sanctions=[spec], outcome="", now=SANCTIONED
            )
        assert field in error.value.message_dict, (spec, error.value.message_dict)
    assert not ContactProhibition.objects.exists()
    assert Concern.objects.get(pk=concern.pk).state == "sanction"


def test_it_puts_the_prohibition_on_the_monitoring_officers_register_only(org, prohibit, whip):
    prohibition = prohibit("officer", officer=org.liaison, ends_on=date(2027, 3, 31))
    (sanction,) = sanctions_register(org.monitoring.user)
    assert (sanction.kind, sanction.member, sanction.prohibition) == (
        Sanction.Kind.CONTACT_PROHIBITION,
        org.councillor,
        prohibition,
    )
    told = Notification.objects.get(recipient=org.councillor.user, template="concern_sanction")
    assert f"no contact with {org.liaison.name}, from 10 February 2027 until 31 March 2027" in told.body
    assert prohibition_get_for_user(org.monitoring.user, prohibition.pk) == prohibition
    for user in (org.chief.user, whip.user, org.councillor.user):
        assert not sanctions_register(user).exists()


# --- Never handed to a prohibited officer ------------------------------------------------------


def test_it_refuses_to_reassign_an_enquiry_to_a_prohibited_officer(org, prohibit):
    prohibit("officer", officer=org.liaison)
    enquiry = file(org)
    assert enquiry.owner == org.monitoring
    with pytest.raises(ValidationError) as error:
        enquiry_reassign(enquiry=enquiry, actor=org.monitoring.user, new_owner=org.liaison, reason="", now=FILED)
    (message,) = error.value.message_dict["new_owner"]
    assert message.startswith(f"{org.councillor} may not contact {org.liaison.name} while a contact prohibition")
    assert "from 10 February 2027, indefinitely" in message
    enquiry.refresh_from_db()
    assert enquiry.owner == org.monitoring
    # Someone the prohibition does not cover is fine.
    enquiry = enquiry_reassign(
        enquiry=enquiry, actor=org.monitoring.user, new_owner=org.colleague, reason="", now=FILED
    )
    assert enquiry.owner == org.colleague


def test_an_enquiry_moved_to_a_service_the_member_may_not_contact_goes_to_the_monitoring_officer(
    org, prohibit, mailoutbox, django_capture_on_commit_callbacks
):
    # Issue 15 A2: moving honours a prohibition as filing does, and says why (A5).
    prohibit("officer", officer=org.other_head)  # the Head of Libraries, who would own it
    enquiry = file(org)
    assert enquiry.owner == org.liaison
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_move(
            enquiry=enquiry, actor=org.liaison.user, service=org.libraries, reason="Opening hours.", now=FILED
        )
    assert (enquiry.service, enquiry.owner) == (org.libraries, org.monitoring)
    because = (
        f"{org.monitoring.name}, Monitoring Officer, the Monitoring Officer's office, because a contact "
        f"prohibition is in force (no contact with {org.other_head.name}, from 10 February 2027, indefinitely)"
    )
    assert because in enquiry.timeline.get(kind=TimelineEvent.Kind.MOVED).note
    assert enquiry_services.enquiry_owner_because(enquiry, now=FILED).startswith(
        ", the Monitoring Officer's office, because"
    )
    member = next(message for message in mailoutbox if message.to == [org.councillor.user.email])
    assert f"Who owns it now: {because}." in member.body
    # The Head of Libraries has nothing to do with it, and is not told.
    assert org.other_head.user.email not in {message.to[0] for message in mailoutbox}


def test_it_moves_a_reopened_enquiry_away_from_a_prohibited_officer(org, prohibit):
    # Answered by the liaison officer on Monday 8 February; the prohibition comes on
    # Wednesday 10 February; the member follows up within the five working days (001 §7.1).
    enquiry = file(org, now=london(2027, 2, 5))
    enquiry_answer(
        enquiry=enquiry,
        actor=org.liaison.user,
        text="We will look.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
        now=london(2027, 2, 8),
    )
    prohibit("officer", officer=org.liaison)
    enquiry = enquiry_reopen(enquiry=enquiry, actor=org.councillor.user, follow_up="When?", now=london(2027, 2, 11))

    enquiry.refresh_from_db()
    assert enquiry.owner == org.monitoring
    assert not Notification.objects.filter(
        enquiry=enquiry, recipient=org.liaison.user, created_at__gte=SANCTIONED
    ).exists()
    assert Notification.objects.filter(enquiry=enquiry, recipient=org.councillor.user, template="enquiry_new_owner")


def test_it_refuses_to_direct_an_answer_from_a_prohibited_officer(org, prohibit):
    # Declined (so not open, and not moved) when the prohibition came; then disputed (001 §7.4).
    enquiry = file(org, now=london(2027, 2, 5))
    enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="A personal matter.", now=london(2027, 2, 8))
    prohibit("officer", officer=org.liaison)
    enquiry = enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="It is not.", now=london(2027, 2, 11))
    assert enquiry.owner == org.liaison
    for owner in (None, org.liaison):
        with pytest.raises(ValidationError) as error:
            enquiry_dispute_decide(
                enquiry=enquiry,
                actor=org.chief.user,
                decision="directed",
                reasons="Answer it.",
                owner=owner,
                now=london(2027, 2, 12),
            )
        assert "may not contact" in error.value.message_dict["owner"][0]
    enquiry = enquiry_dispute_decide(
        enquiry=enquiry,
        actor=org.chief.user,
        decision="directed",
        reasons="Answer it.",
        owner=org.colleague,
        now=london(2027, 2, 12),
    )
    assert enquiry.owner == org.colleague


def test_it_never_climbs_an_enquiry_to_a_prohibited_officer(org, prohibit):
    # 001 §7.1: owner → Head of Service → Director → Chief Executive; the Head of Highways is
    # prohibited, so the first climb goes straight to the Director (DESIGN §5).
    prohibit("officer", officer=org.head)
    enquiry = file(org)  # Monday 1 March: due by the end of Monday 8 March, first climb Tuesday 9 March 08:00
    assert enquiry.owner == org.liaison
    enquiry_deadline_sweep(now=london(2027, 3, 9, 9))
    enquiry.refresh_from_db()
    assert enquiry.owner == org.director
    (climb,) = EnquiryEscalation.objects.filter(enquiry=enquiry)
    assert (climb.from_owner, climb.to_owner) == (org.liaison, org.director)
    # Another member's enquiry climbs as usual.
    other = file(org, member=org.councillor2)
    enquiry_deadline_sweep(now=london(2027, 3, 9, 9, 5))
    other.refresh_from_db()
    assert other.owner == org.head


def test_it_climbs_to_the_head_of_service_again_once_the_prohibition_has_ended(org, prohibit):
    prohibit("officer", officer=org.head, ends_on=date(2027, 3, 5))
    enquiry = file(org)
    enquiry_deadline_sweep(now=london(2027, 3, 9, 9))
    enquiry.refresh_from_db()
    assert enquiry.owner == org.head


def test_it_skips_every_rung_in_a_prohibited_service(org, prohibit):
    # Under a prohibition on Highways, the member's enquiry is with the MO's office; the ladder
    # passes over the Head of Highways (in the service) to the Director.
    prohibit("service", service=org.highways)
    enquiry = file(org)
    assert enquiry.owner == org.monitoring
    enquiry_deadline_sweep(now=london(2027, 3, 9, 9))
    enquiry.refresh_from_db()
    assert enquiry.owner == org.director


# --- Ending a prohibition early ---------------------------------------------------------------


def test_it_lets_the_monitoring_officer_end_a_prohibition_early(org, prohibit):
    prohibition = prohibit("officer", officer=org.liaison)
    now = london(2027, 3, 1)
    for outsider in (org.chief.user, org.head.user, org.councillor.user):
        with pytest.raises(PermissionDenied):
            cs.prohibition_end_early(
                prohibition=prohibition, actor=outsider, ends_on=date(2027, 3, 1), reason="", now=now
            )
    prohibition = cs.prohibition_end_early(
        prohibition=prohibition, actor=org.monitoring.user, ends_on=date(2027, 3, 1), reason="On appeal.", now=now
    )
    assert ContactProhibition.objects.get(pk=prohibition.pk).ends_on == date(2027, 3, 1)
    assert file(org, now=london(2027, 3, 1, 15)).owner == org.monitoring
    assert file(org, now=london(2027, 3, 2, 9)).owner == org.liaison
    concern = prohibition.sanction.concern
    lifted = concern.timeline.get(kind=TimelineEvent.Kind.PROHIBITION_LIFTED)
    assert "On appeal." in lifted.note and lifted.internal
    told = Notification.objects.get(recipient=org.councillor.user, template="prohibition_ended")
    assert "now ends on Monday 1 March 2027" in told.body


def test_it_lifts_a_prohibition_at_once_by_ending_it_yesterday(org, prohibit):
    prohibition = prohibit("all")
    now = london(2027, 3, 2, 11)
    cs.prohibition_end_early(
        prohibition=prohibition, actor=org.monitoring.user, ends_on=date(2027, 3, 1), reason="Quashed.", now=now
    )
    assert file(org, now=now).owner == org.liaison


def test_it_refuses_to_end_a_prohibition_later_or_in_the_past(org, prohibit):
    prohibition = prohibit("all", ends_on=date(2027, 6, 30))
    now = london(2027, 3, 2)
    for ends_on in (date(2027, 6, 30), date(2027, 7, 1), date(2027, 2, 27)):
        with pytest.raises(ValidationError) as error:
            cs.prohibition_end_early(
                prohibition=prohibition, actor=org.monitoring.user, ends_on=ends_on, reason="", now=now
            )
        assert "ends_on" in error.value.message_dict
    assert ContactProhibition.objects.get(pk=prohibition.pk).ends_on == date(2027, 6, 30)


def test_it_ends_a_prohibition_that_started_today_at_once(org, prohibit):
    prohibition = prohibit("officer", officer=org.liaison, now=SANCTIONED)
    assert prohibition.starts_on == date(2027, 2, 10)
    # The same day, the Monitoring Officer finds it was imposed in error and ends it yesterday.
    cs.prohibition_end_early(
        prohibition=prohibition,
        actor=org.monitoring.user,
        ends_on=date(2027, 2, 9),
        reason="Imposed in error.",
        now=datetime(2027, 2, 10, 15, tzinfo=SANCTIONED.tzinfo),
    )
    assert not contact_prohibition_for(member=org.councillor, officer=org.liaison, on=date(2027, 2, 10))
    assert file(org, now=london(2027, 2, 10, 16)).owner == org.liaison


def test_it_ends_a_prohibition_before_it_starts(org, prohibit):
    prohibition = prohibit("officer", officer=org.liaison, starts_on=date(2027, 3, 1))
    cs.prohibition_end_early(
        prohibition=prohibition,
        actor=org.monitoring.user,
        ends_on=date(2027, 2, 28),
        reason="Withdrawn on appeal before it began.",
        now=london(2027, 2, 15),
    )
    assert file(org, now=london(2027, 3, 1)).owner == org.liaison
