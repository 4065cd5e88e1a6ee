"""While a colleague covers for an officer who is away (issue 15 C11) they see the officer's
open enquiries, in the one enquiry selector and My work, and act for the owner on them; once
the cover ends they lose sight of them, except those assigned to them or that they acted on.
Who may see what is tested as an adversary would: the colleague learns nothing else, and
nobody else learns anything from the cover.

These run on today's date, as the pages do: the enquiry selector and the owner's permissions
read the covers in force today.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_fsm import has_transition_perm

from cases.cover.services import cover_end
from cases.enquiries.selectors import enquiries_visible_to, enquiry_get_for_user, officer_work_queue
from cases.enquiries.services import (
    enquiry_answer,
    enquiry_consent_record,
    enquiry_decline,
    enquiry_extension_decide,
    enquiry_file,
    enquiry_hold,
    enquiry_reassign,
)
from cases.models import (
    Answer,
    ConsentRecord,
    Enquiry,
    EnquiryState,
    EnquiryUserObjectPermission,
    HoldingReply,
    Marking,
    Purpose,
    TimelineEvent,
)
from escalation.calendar import council_calendar
from tests.cases.covering import cover, cover_row, prohibition
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

Kind = TimelineEvent.Kind


def today():
    return timezone.localdate()


def file(org, *, member=None, service=None, **kwargs) -> Enquiry:
    return enquiry_file(
        member=member or org.councillor,
        service=service or org.highways,
        subject=kwargs.pop("subject", "Pothole on Mill Road"),
        details="A deep pothole outside number 12.",
        purpose=Purpose.INFORMATION,
        **kwargs,
    )


def answer(enquiry: Enquiry, actor) -> Enquiry:
    return enquiry_answer(
        enquiry=enquiry, actor=actor, text="It will be filled on Friday.", marking=Marking.PUBLIC,
        contains_personal_data=False,
    )  # fmt: skip


def target_day():
    return council_calendar().next_working_day(today() + timedelta(days=2))


def sees(user, enquiry: Enquiry) -> bool:
    return enquiries_visible_to(user).filter(pk=enquiry.pk).exists()


def in_my_work(user, enquiry: Enquiry) -> bool:
    return officer_work_queue(user).filter(pk=enquiry.pk).exists()


@pytest.fixture
def open_before(org):
    """The liaison officer's open enquiries, filed before they went away, in each open state."""
    submitted = file(org, subject="Submitted")
    held = enquiry_hold(
        enquiry=file(org, subject="Held"), actor=org.liaison.user, reason="Survey booked.", target_on=target_day()
    )
    answered = answer(file(org, subject="Answered"), org.liaison.user)
    declined = enquiry_decline(enquiry=file(org, subject="Declined"), actor=org.head.user, reasons="Not ours.")
    return {"submitted": submitted, "held": held, "answered": answered, "declined": declined}


@pytest.fixture
def away(org, open_before):
    """From today the colleague covers for the liaison officer, for a week."""
    return cover(org.liaison, org.colleague, starts_on=today(), ends_on=today() + timedelta(days=6))


# --- What the colleague sees while the cover lasts ----------------------------------------------------


def test_the_colleague_sees_the_officers_open_enquiries_and_no_others(org, open_before, away):
    colleague = org.colleague.user
    assert sees(colleague, open_before["submitted"]) and sees(colleague, open_before["held"])
    # Answered and declined ones are not open: the colleague has nothing to do on them.
    assert not sees(colleague, open_before["answered"]) and not sees(colleague, open_before["declined"])
    assert {e.pk for e in officer_work_queue(colleague)} == {open_before["submitted"].pk, open_before["held"].pk}


def test_nobody_else_sees_anything_more(org, open_before, away):
    for viewer in (org.outsider, org.other_head, org.councillor2):
        assert not enquiries_visible_to(viewer.user).filter(pk__in=[e.pk for e in open_before.values()]).exists()
    # The officer away keeps their own, and My work is theirs as before.
    assert in_my_work(org.liaison.user, open_before["submitted"])


def test_the_colleague_does_not_see_other_officers_enquiries(org, away):
    head_owns = file(org, service=org.libraries)  # Libraries: its Head of Service owns it
    assert head_owns.owner == org.other_head
    assert not sees(org.colleague.user, head_owns)


def test_the_colleague_does_not_see_the_enquiries_of_a_member_who_may_not_contact_them(org, open_before, away):
    prohibition(org.councillor, officer=org.colleague, starts_on=today() - timedelta(days=30))
    other = file(org, member=org.councillor2, subject="Another member's")  # to the colleague, as cover
    assert not sees(org.colleague.user, open_before["submitted"])
    assert not in_my_work(org.colleague.user, open_before["submitted"])
    assert sees(org.colleague.user, other)
    with pytest.raises(PermissionDenied):
        answer(open_before["submitted"], org.colleague.user)


@pytest.mark.parametrize("when", ["yet-to-start", "ended-by-itself"])
def test_a_cover_not_in_force_today_shows_nothing(org, open_before, when):
    if when == "yet-to-start":
        cover(org.liaison, org.colleague, starts_on=today() + timedelta(days=1), ends_on=today() + timedelta(days=3))
    else:
        cover_row(
            org.liaison, org.colleague, starts_on=today() - timedelta(days=7), ends_on=today() - timedelta(days=1)
        )
    assert not sees(org.colleague.user, open_before["submitted"])
    assert not in_my_work(org.colleague.user, open_before["submitted"])
    assert not has_transition_perm(open_before["submitted"].answer, org.colleague.user)


def test_the_enquiry_page_shows_the_colleague_the_owners_buttons(client, org, open_before, away):
    client.force_login(org.colleague.user)
    response = client.get(open_before["submitted"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for action in ("enquiry_answer", "enquiry_hold", "enquiry_reassign"):
        assert reverse(f"cases:{action}", args=[open_before["submitted"].reference]) in html
    assert client.get(reverse("cases:enquiry_answer", args=[open_before["submitted"].reference])).status_code == 200
    assert client.get(open_before["answered"].get_absolute_url()).status_code == 404


def test_my_work_lists_the_officers_open_enquiries_with_the_colleagues(client, org, open_before, away):
    own = file(org, subject="Routed to the colleague as cover")
    assert own.owner == org.colleague
    client.force_login(org.colleague.user)
    html = client.get(reverse("cases:my_work")).content.decode()
    assert "Open enquiries you own or cover" in html
    for enquiry in (own, open_before["submitted"], open_before["held"]):
        assert enquiry.reference in html
    assert open_before["answered"].reference not in html
    assert f"You are covering for {org.liaison.name}" in html
    client.force_login(org.liaison.user)
    html = client.get(reverse("cases:my_work")).content.decode()
    assert f"{org.colleague.name} is covering for you" in html


# --- Acting for the owner ---------------------------------------------------------------------------------


def test_the_colleague_answers_for_the_owner_and_the_timeline_says_so(org, open_before, away):
    enquiry = answer(open_before["submitted"], org.colleague.user)

    assert (enquiry.state, enquiry.owner) == (EnquiryState.ANSWERED, org.liaison)
    assert Answer.objects.get(enquiry=enquiry).author == org.colleague
    event = enquiry.timeline.get(kind=Kind.ANSWERED)
    assert event.actor == org.colleague.user
    assert event.note == (
        f"Answered by {org.colleague.name}, covering for {org.liaison.name} while they are away. "
        "Marked: May be shared with the public."
    )


def test_the_colleague_sends_a_holding_reply_records_consent_and_reassigns(org, open_before, away):
    enquiry = enquiry_hold(
        enquiry=open_before["submitted"], actor=org.colleague.user, reason="Survey booked.", target_on=target_day()
    )
    assert HoldingReply.objects.get(enquiry=enquiry).author == org.colleague
    covering = f"{org.colleague.name}, covering for {org.liaison.name} while they are away."
    assert f"Sent by {covering}" in enquiry.timeline.get(kind=Kind.HOLDING_REPLY).note
    enquiry_consent_record(
        enquiry=enquiry, actor=org.colleague.user, given_by="Mrs Patel", given_on=today(), method="phone"
    )
    assert ConsentRecord.objects.get(enquiry=enquiry).recorded_by == org.colleague
    assert f"Recorded by {covering}" in enquiry.timeline.get(kind=Kind.CONSENT_RECORDED).note
    engineer = OfficerFactory(user__username="engineer", job_title="Engineer", service=org.highways)
    enquiry = enquiry_reassign(enquiry=enquiry, actor=org.colleague.user, new_owner=engineer, reason="Knows it.")
    assert enquiry.owner == engineer
    assert f"By {covering}" in enquiry.timeline.get(kind=Kind.REASSIGNED).note


def test_the_colleague_does_not_decline_or_approve_their_own_later_date(org, open_before):
    """Declining stays with a Head of Service over the enquiry (001 §7.1); a later date the
    cover asked for is agreed by someone else (issue 15 A3), even when the cover is a manager."""
    cover(org.liaison, org.head, starts_on=today(), ends_on=today() + timedelta(days=6))
    enquiry = enquiry_hold(
        enquiry=open_before["submitted"], actor=org.head.user, reason="Contractor.",
        target_on=council_calendar().add_working_days(today(), 40), agreement="ask",
    )  # fmt: skip
    enquiry = Enquiry.objects.get(pk=enquiry.pk)
    assert enquiry.pending_extension() is not None
    assert not enquiry.may_decide_extension(org.head.user)
    with pytest.raises(PermissionDenied):
        enquiry_extension_decide(enquiry=enquiry, actor=org.head.user, agree=True)
    assert Enquiry.objects.get(pk=enquiry.pk).may_decide_extension(org.assistant.user)


def test_others_may_not_act_for_the_owner(org, open_before, away):
    for officer in (org.outsider, org.other_head):
        with pytest.raises(PermissionDenied):
            answer(open_before["submitted"], officer.user)


# --- When the cover ends (sequences) -----------------------------------------------------------------------


def test_after_the_cover_the_colleague_loses_sight_except_of_what_was_theirs(org, open_before, away):
    """Cover starts, an enquiry arrives (to the colleague), they answer one of the officer's;
    the cover ends: they keep the one assigned to them and the one they answered, and lose
    the rest, in the selector, My work, the enquiry page and their guardian rows."""
    assigned = file(org, subject="Arrived while away")
    assert assigned.owner == org.colleague
    acted_on = answer(open_before["held"], org.colleague.user)

    cover_end(cover=away, actor=org.liaison.user)

    colleague = org.colleague.user
    untouched = open_before["submitted"]
    assert not sees(colleague, untouched)
    assert not in_my_work(colleague, untouched)
    assert sees(colleague, assigned) and in_my_work(colleague, assigned)
    assert sees(colleague, acted_on)
    assert not EnquiryUserObjectPermission.objects.filter(user=colleague, content_object=untouched).exists()
    with pytest.raises(PermissionDenied):
        answer(untouched, colleague)
    with pytest.raises(Http404):
        enquiry_get_for_user(colleague, untouched.reference)
    # The officer is back: theirs to answer, and a new enquiry comes to them.
    assert answer(untouched, org.liaison.user).state == EnquiryState.ANSWERED
    assert file(org, subject="After").owner == org.liaison


def test_an_enquiry_handed_on_by_the_colleague_stays_visible_to_them(org, open_before, away):
    engineer = OfficerFactory(user__username="engineer", job_title="Engineer", service=org.highways)
    enquiry_reassign(enquiry=open_before["submitted"], actor=org.colleague.user, new_owner=engineer, reason="")
    cover_end(cover=away, actor=org.colleague.user)
    assert sees(org.colleague.user, open_before["submitted"])


def test_a_new_cover_by_someone_else_moves_sight_with_it(org, open_before, away):
    cover_end(cover=away, actor=org.head.user)
    cover(org.liaison, org.outsider, starts_on=today(), ends_on=today() + timedelta(days=2))
    assert sees(org.outsider.user, open_before["submitted"])
    assert not sees(org.colleague.user, open_before["submitted"])
