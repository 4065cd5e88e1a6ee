"""A councillor leaves office (003): Democratic Services records the last day; each enquiry
they filed that is not yet closed is handed to a successor or closed with a reason, on its
timeline, all in one transaction; and their access ends after that day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.enquiries import services
from cases.leavers import services as leavers
from cases.models import Enquiry, EnquiryState, Marking, Notification, Purpose, TimelineEvent
from people.models import OfficeHeld
from people.roles import Role, role_group_name
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(org):
    user = UserFactory(username="democratic.services")
    user.groups.add(Group.objects.get(name=role_group_name(Role.DEMOCRATIC_SERVICES)))
    return user


@pytest.fixture
def successor(org):
    """The councillor's ward colleague (003: the natural successor)."""
    return MemberFactory(user__username="ward.colleague", wards=[org.ward])


def filed(org, **kwargs) -> Enquiry:
    return services.enquiry_file(
        member=org.councillor,
        subject=kwargs.pop("subject", "Pothole on Mill Lane"),
        details="When will it be repaired?",
        service=org.highways,
        purpose=Purpose.INFORMATION,
        **kwargs,
    )


@pytest.fixture
def open_enquiries(org):
    submitted = filed(org)
    answered = services.enquiry_answer(
        enquiry=filed(org),
        actor=org.liaison.user,
        text="Next week.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
    )
    withdrawn = services.enquiry_withdraw(enquiry=filed(org), actor=org.councillor.user)
    return submitted, answered, withdrawn


def test_it_hands_an_enquiry_to_a_successor_on_its_timeline(
    org, clerk, successor, open_enquiries, django_capture_on_commit_callbacks
):
    submitted, answered, withdrawn = open_enquiries
    last_day = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        leavers.member_leave_office(
            member=org.councillor,
            actor=clerk,
            left_on=last_day,
            dispositions={
                submitted.pk: leavers.Disposition(successor=successor, reason="Same ward."),
                answered.pk: leavers.Disposition(successor=None, reason="The answer settled it."),
            },
            expected_version=1,
        )
    submitted.refresh_from_db()
    assert submitted.member == successor and submitted.state == EnquiryState.SUBMITTED
    event = submitted.timeline.get(kind=TimelineEvent.Kind.HANDED_OVER)
    assert event.actor == clerk and str(successor) in event.note and "Same ward." in event.note
    # The successor sees it, and is told; so is the officer who owns it.
    assert successor.user.has_perm("cases.view_enquiry", submitted)
    told = set(
        Notification.objects.filter(enquiry=submitted, template="enquiry_handed_over").values_list(
            "recipient", flat=True
        )
    )
    assert told == {successor.user_id, org.liaison.user_id}
    answered.refresh_from_db()
    assert answered.state == EnquiryState.CLOSED
    closed = answered.timeline.filter(kind=TimelineEvent.Kind.CLOSED).last()
    assert "The answer settled it." in closed.note and closed.from_state == EnquiryState.ANSWERED
    withdrawn.refresh_from_db()
    assert withdrawn.member == org.councillor  # closed already: untouched
    org.councillor.refresh_from_db()
    assert org.councillor.left_office_on == last_day and org.councillor.version == 2


def test_closing_needs_a_reason(org, clerk, open_enquiries):
    submitted, answered, _ = open_enquiries
    with pytest.raises(ValidationError):
        leavers.member_leave_office(
            member=org.councillor,
            actor=clerk,
            left_on=timezone.localdate(),
            expected_version=1,
            dispositions={submitted.pk: leavers.Disposition(None, " "), answered.pk: leavers.Disposition(None, "x")},
        )


def test_every_open_enquiry_must_be_named_or_nothing_changes(org, clerk, successor, open_enquiries):
    submitted, _answered, _ = open_enquiries
    with pytest.raises(leavers.LeaverConflict):
        leavers.member_leave_office(
            member=org.councillor,
            actor=clerk,
            left_on=timezone.localdate(),
            expected_version=1,
            dispositions={submitted.pk: leavers.Disposition(successor)},
        )
    org.councillor.refresh_from_db()
    assert org.councillor.left_office_on is None


def test_a_successor_must_be_in_office_after_the_last_day(org, clerk, open_enquiries):
    submitted, answered, _ = open_enquiries
    leaving_too = MemberFactory(wards=[org.ward], left_office_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError):
        leavers.member_leave_office(
            member=org.councillor,
            actor=clerk,
            left_on=timezone.localdate() + timedelta(days=5),
            expected_version=1,
            dispositions={submitted.pk: leavers.Disposition(leaving_too), answered.pk: leavers.Disposition(None, "x")},
        )
    submitted.refresh_from_db()
    assert submitted.member == org.councillor  # one transaction: the answered one was not closed either
    assert Enquiry.objects.get(pk=answered.pk).state == EnquiryState.ANSWERED


@pytest.mark.parametrize("who", ["councillor", "head", "monitoring"])
def test_only_democratic_services_records_it(client, org, who):
    user = getattr(org, who).user
    with pytest.raises(PermissionDenied):
        leavers.member_leave_office(
            member=org.councillor2, actor=user, left_on=timezone.localdate(), dispositions={}, expected_version=1
        )
    client.force_login(user)
    url = reverse("cases:member_leave", args=[org.councillor2.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"version": "1", "left_on_0": "1", "left_on_1": "1", "left_on_2": "2030"}).status_code == 403
    )


def test_the_page_suggests_a_ward_colleague_and_records_it(client, org, clerk, successor, open_enquiries):
    submitted, answered, _ = open_enquiries
    cabinet = OfficeHeld.objects.create(member=org.councillor, office="cabinet_member", portfolio="Finance")
    client.force_login(clerk)
    url = reverse("cases:member_leave", args=[org.councillor.pk])
    html = client.get(url).content.decode()
    assert submitted.reference in html and answered.reference in html
    assert f'<option value="{successor.pk}" selected>{successor} (ward colleague)</option>' in html
    # Empty: errors, nothing changed.
    response = client.post(url, {})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    today = timezone.localdate()
    data = {
        "version": "1",
        "left_on_0": str(today.day),
        "left_on_1": str(today.month),
        "left_on_2": str(today.year),
        f"action_{submitted.pk}": "hand_over",
        f"successor_{submitted.pk}": str(successor.pk),
        f"action_{answered.pk}": "close",
        f"reason_{answered.pk}": "",
    }
    response = client.post(url, data)
    assert "Give the reason for closing" in response.content.decode()
    data[f"reason_{answered.pk}"] = "Answered in full."
    response = client.post(url, data)
    assert response.status_code == 302
    assert Enquiry.objects.get(pk=submitted.pk).member == successor
    assert Enquiry.objects.get(pk=answered.pk).state == EnquiryState.CLOSED
    cabinet.refresh_from_db()
    assert cabinet.ended_on == today


def test_an_enquiry_filed_while_the_page_was_open_is_not_left_behind(client, org, clerk, successor, open_enquiries):
    submitted, answered, _ = open_enquiries
    client.force_login(clerk)
    url = reverse("cases:member_leave", args=[org.councillor.pk])
    late = filed(org, subject="Streetlight out")
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "version": "1",
            "left_on_0": str(today.day),
            "left_on_1": str(today.month),
            "left_on_2": str(today.year),
            f"action_{submitted.pk}": "hand_over",
            f"successor_{submitted.pk}": str(successor.pk),
            f"action_{answered.pk}": "close",
            f"reason_{answered.pk}": "Done.",
        },
    )
    html = response.content.decode()
    # The page lists it now, asking what becomes of it; nothing is recorded until it is answered.
    assert response.status_code == 200 and f"Choose whether {late.reference} is handed on or closed" in html
    org.councillor.refresh_from_db()
    assert org.councillor.left_office_on is None
