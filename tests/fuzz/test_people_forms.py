"""Hostile input at the directory's searches, the councillor's profile forms and the page
recording that a councillor leaves office (003). Never a 500: the error summary or a
redirect; nothing printed raw; what is stored is shown escaped on the profile."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.enquiries import services
from cases.leavers.forms import LeaveOfficeForm
from cases.models import Purpose
from people.forms import MemberProfileForm, MemberRecordForm, MemberSearchForm, OfficerSearchForm
from people.models import Member
from people.roles import Role, role_group_name
from tests.factories import MemberFactory, UserFactory
from tests.fuzz.harness import assert_not_raw, fuzz_post, signed_in
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, choices, form_data, hostile_date, hostile_text, uploads

pytestmark = pytest.mark.django_db

COVERS = {OfficerSearchForm, MemberSearchForm, MemberProfileForm, MemberRecordForm, LeaveOfficeForm}


def version(member: Member) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([str(member.version - 1), str(member.version + 1)]), bad_ids)


@pytest.fixture
def clerk(org):
    user = UserFactory(username="democratic.services")
    user.groups.add(Group.objects.get(name=role_group_name(Role.DEMOCRATIC_SERVICES)))
    return user


@fuzz(30)
@given(data=st.data())
def test_the_directory_searches(client, org, data):
    url_name = data.draw(st.sampled_from(["people:officer_directory", "people:member_directory"]), label="page")
    params = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "q": hostile_text(300),
                "service": st.one_of(st.just(str(org.highways.pk)), bad_ids),
                "ward": st.one_of(st.just(str(org.ward.pk)), bad_ids),
                "group": choices([str(org.councillor.group_id), "independent"]),
                "page": st.one_of(st.sampled_from(["1", "2", "last", "0", "-1", "99999999999999999999"]), bad_ids),
            },
        ),
        label="query",
    )
    response = signed_in(client, org.colleague).get(reverse(url_name), params)
    assert response.status_code == 200
    assert bool(response.context["form"].errors) == ("govuk-error-summary" in response.content.decode())
    assert_not_raw(response, params)


@fuzz(40)
@given(data=st.data())
def test_the_councillors_own_profile(client, org, data):
    member = org.councillor
    base = {
        "version": str(member.version),
        "email": "aisha@example.org",
        "phone": "07700 900123",
        "postal_address": "1 High Street",
        "skills_and_interests": "Planning",
        "other_responsibilities": "",
    }
    hostile = {name: hostile_text(3000) for name in base if name != "version"}
    hostile |= {"version": version(member), "photo": uploads().map(lambda files: files[0] if files else "")}
    sent = data.draw(form_data(base, hostile), label="form")
    signed_in(client, member)
    fuzz_post(
        client,
        reverse("people:member_profile_edit", args=[member.pk]),
        sent,
        accepted=lambda: Member.objects.get(pk=member.pk).version > member.version,
        shown=("phone", "postal_address", "skills_and_interests", "other_responsibilities"),
    )


@fuzz(30)
@given(data=st.data())
def test_the_democratic_services_record(client, org, clerk, data):
    member = org.councillor
    base = {
        "version": str(member.version),
        "group": str(member.group_id),
        "wards": [str(org.ward.pk)],
        "committees": [],
        "elected_on_0": "4",
        "elected_on_1": "5",
        "elected_on_2": "2023",
    }
    hostile = {
        "version": version(member),
        "group": choices([str(member.group_id)]),
        "wards": st.lists(st.one_of(st.just(str(org.other_ward.pk)), bad_ids), max_size=3),
        "committees": st.lists(bad_ids, max_size=2),
        "elected_on": hostile_date("elected_on", (4, 5, 2023)),
    }
    sent = data.draw(form_data(base, hostile), label="form")
    signed_in(client, clerk)
    fuzz_post(
        client,
        reverse("people:member_record_edit", args=[member.pk]),
        sent,
        accepted=lambda: Member.objects.get(pk=member.pk).version > member.version,
    )


@pytest.fixture
def leaving(org):
    successor = MemberFactory(wards=[org.ward])
    enquiry = services.enquiry_file(
        member=org.councillor,
        subject="Pothole <b>on</b> Mill Lane",
        details="When?",
        service=org.highways,
        purpose=Purpose.INFORMATION,
    )
    return successor, enquiry


@fuzz(30)
@given(data=st.data())
def test_recording_that_a_councillor_leaves_office(client, org, clerk, leaving, data):
    successor, enquiry = leaving
    today = timezone.localdate()
    key = enquiry.pk
    base = {
        "version": "1",
        "left_on_0": str(today.day),
        "left_on_1": str(today.month),
        "left_on_2": str(today.year),
        f"action_{key}": "hand_over",
        f"successor_{key}": str(successor.pk),
        f"reason_{key}": "",
    }
    hostile = {
        "version": version(org.councillor),
        "left_on": hostile_date("left_on", (today.day, today.month, today.year)),
        f"action_{key}": choices(["hand_over", "close"]),
        f"successor_{key}": st.one_of(st.just(str(org.councillor.pk)), st.just(str(org.councillor2.pk)), bad_ids),
        f"reason_{key}": hostile_text(2000),
    }
    sent = data.draw(form_data(base, hostile), label="form")
    signed_in(client, clerk)
    fuzz_post(
        client,
        reverse("cases:member_leave", args=[org.councillor.pk]),
        sent,
        accepted=lambda: Member.objects.get(pk=org.councillor.pk).left_office_on is not None,
    )
