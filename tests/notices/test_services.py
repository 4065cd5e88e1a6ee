"""Sending a ward notice (001 §9.4): who is told, once each, and the consultation rule."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Notification, WardNotice, WardNoticeKind, WardNoticeRecipient
from cases.notices.services import ward_notice_send
from cases.shared.submissions import AlreadySubmitted

pytestmark = pytest.mark.django_db


def send(org, wards, **overrides):
    fields = {
        "sent_by": org.liaison.user,
        "kind": WardNoticeKind.SERVICE_CHANGE,
        "title": "Mill Lane depot to close",
        "concerns_on": timezone.localdate() + timedelta(days=30),
        "summary": "The depot closes in a month; collections move to Station Road.",
        "wards": wards,
    }
    return ward_notice_send(**(fields | overrides))


def test_it_tells_every_member_of_the_wards_whatever_their_group_independents_included(org, wards):
    """001 §9.4.2: 'regardless of political affiliation'."""
    notice = send(org, [wards.riverside, wards.hilltop])

    told = {row.member for row in notice.recipients.all()}
    assert told == wards.told
    groups = {row.group_name for row in notice.recipients.all()}
    assert {"Civic Party", "Red Party", "Blue Party", ""} <= groups  # "" is the independent
    notifications = Notification.objects.filter(ward_notice=notice)
    assert {n.recipient for n in notifications} == {member.user for member in wards.told}
    assert all(row.notification.recipient_id == row.member.user_id for row in notice.recipients.all())
    assert all(row.notified_at == notice.sent_at for row in notice.recipients.all())


def test_it_tells_a_member_of_two_of_the_wards_once(org, wards):
    notice = send(org, [wards.riverside, wards.hilltop])

    assert WardNoticeRecipient.objects.filter(notice=notice, member=wards.both).count() == 1
    assert Notification.objects.filter(ward_notice=notice, recipient=wards.both.user).count() == 1
    row = notice.recipients.get(member=wards.both)
    assert row.ward_names == "Hilltop and Riverside"


def test_it_does_not_tell_members_who_have_left_office_or_of_other_wards(org, wards):
    notice = send(org, [wards.hilltop])

    told = {row.member for row in notice.recipients.all()}
    assert wards.left not in told
    assert wards.elsewhere not in told
    assert told == {org.councillor2, org.standards_member, wards.both}


def test_it_emails_each_member_once_the_notice_is_saved(org, wards, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notice = send(org, [wards.riverside])

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        row.member.user.email for row in notice.recipients.all()
    )
    assert all(notice.reference in message.subject for message in mail.outbox)
    assert all("Mill Lane depot to close" in message.body for message in mail.outbox)


def test_it_refuses_a_consultation_that_started_before_today_until_the_officer_confirms(org, wards):
    """001 §9.4.5: ward members are consulted at the start of a consultation."""
    yesterday = timezone.localdate() - timedelta(days=1)
    consultation = {"kind": WardNoticeKind.PUBLIC_CONSULTATION, "concerns_on": yesterday}

    with pytest.raises(ValidationError) as refused:
        send(org, [wards.riverside], **consultation)
    assert "confirm_late" in refused.value.message_dict
    assert not WardNotice.objects.exists()

    notice = send(org, [wards.riverside], **consultation, confirmed_late=True)
    assert notice.sent_late
    assert notice.recipients.count() == 4


def test_it_sends_a_consultation_starting_today_in_time(org, wards):
    today = timezone.localdate()
    notice = send(org, [wards.riverside], kind=WardNoticeKind.PUBLIC_CONSULTATION, concerns_on=today)

    assert not notice.sent_late


def test_it_sends_a_notice_about_a_past_incident_without_a_warning(org, wards):
    """Only a consultation has to reach members at its start: an incident is told after it happens."""
    notice = send(
        org,
        [wards.riverside],
        kind=WardNoticeKind.SIGNIFICANT_INCIDENT,
        concerns_on=timezone.localdate() - timedelta(days=1),
    )

    assert not notice.sent_late


def test_it_sends_a_notice_sent_twice_once(org, wards):
    key = uuid4()
    first = send(org, [wards.riverside], submission_key=key)

    with pytest.raises(AlreadySubmitted) as again:
        send(org, [wards.riverside], submission_key=key)

    assert again.value.case == first
    assert WardNotice.objects.count() == 1
    assert Notification.objects.filter(ward_notice__isnull=False).count() == 4


def test_it_gives_notices_references_in_sequence(org, wards):
    first = send(org, [wards.riverside])
    second = send(org, [wards.hilltop])

    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"WN-{year}-00001", f"WN-{year}-00002")


def test_it_lets_only_a_serving_officer_send_one(org, wards):
    with pytest.raises(PermissionDenied):
        send(org, [wards.riverside], sent_by=org.councillor.user)
    org.outsider.left_on = timezone.localdate() - timedelta(days=1)
    org.outsider.save()
    with pytest.raises(PermissionDenied):
        send(org, [wards.riverside], sent_by=org.outsider.user)


def test_it_refuses_a_notice_for_no_ward(org, wards):
    with pytest.raises(ValidationError) as refused:
        send(org, [])
    assert "wards" in refused.value.message_dict
