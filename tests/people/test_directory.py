"""The officer directory and the councillors' directory (003: "an up to date online
directory", Councillor Liaison Officers marked per service, member profiles)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people.roles import Role, role_group_name
from tests.factories import MemberFactory, OfficerFactory, PoliticalGroupFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, user, url_name, params=None, *args):
    client.force_login(user)
    return client.get(reverse(url_name, args=args), params or {})


def test_it_finds_officers_by_name_job_title_or_service(client, org):
    OfficerFactory(
        user__first_name="Rosa", user__last_name="Quimby", job_title="Arboricultural Officer", service=org.libraries
    )
    for query in ("Quimby", "arboricultural", "Rosa Quimby"):
        html = page(client, org.councillor.user, "people:officer_directory", {"q": query}).content.decode()
        assert "Rosa" in html and org.liaison.name not in html, query
    html = page(client, org.councillor.user, "people:officer_directory", {"q": "Highways"}).content.decode()
    assert org.liaison.name in html and org.colleague.name in html and org.outsider.name not in html


def test_it_filters_by_service_and_shows_only_serving_officers(client, org):
    leaver = OfficerFactory(service=org.highways, left_on=timezone.localdate() - timedelta(days=1))
    html = page(client, org.councillor.user, "people:officer_directory", {"service": org.highways.pk}).content.decode()
    assert org.colleague.name in html and org.outsider.name not in html
    assert leaver.name not in html


TAG = '<strong class="govuk-tag govuk-tag--green">Councillor Liaison Officer'


def test_it_marks_the_councillor_liaison_officers(client, org):
    """003: Councillor Liaison Officers marked per service."""
    html = page(client, org.councillor.user, "people:officer_directory", {"q": org.liaison.name}).content.decode()
    assert f"{TAG}</strong>" in html
    html = page(client, org.councillor.user, "people:officer_directory", {"q": org.colleague.name}).content.decode()
    assert TAG not in html
    # Liaison officer for a service other than their own: the service is named.
    org.libraries.liaison_officers.add(org.liaison)
    html = page(client, org.councillor.user, "people:officer_directory", {"q": org.liaison.name}).content.decode()
    assert f"{TAG}, Libraries</strong>" in html


def test_it_lists_each_services_liaison_officers(client, org):
    html = page(client, org.colleague.user, "people:liaison_officers").content.decode()
    assert "Highways" in html and org.liaison.name in html
    assert "None named: contact the Head of Service." in html  # Libraries has none


def test_a_bad_filter_is_an_error_and_the_rest_still_applies(client, org):
    response = page(client, org.councillor.user, "people:officer_directory", {"service": "999999", "q": "Engineer"})
    html = response.content.decode()
    assert response.status_code == 200 and "Select a service from the list" in html
    assert org.colleague.name in html and org.liaison.name not in html


@pytest.mark.parametrize("who", ["stranger", "former", "left_officer"])
def test_it_is_only_for_serving_councillors_and_officers(client, org, who):
    person = {
        "stranger": lambda: org.stranger,
        "former": lambda: MemberFactory(left_office_on=timezone.localdate()).user,  # in office today: allowed
        "left_officer": lambda: OfficerFactory(left_on=timezone.localdate()).user,
    }[who]()
    assert page(client, person, "people:officer_directory").status_code == (403 if who == "stranger" else 200)
    assert page(client, person, "people:member_directory").status_code == (403 if who == "stranger" else 200)


def test_democratic_services_may_use_it(client, org):
    clerk = UserFactory()
    clerk.groups.add(Group.objects.get(name=role_group_name(Role.DEMOCRATIC_SERVICES)))
    assert page(client, clerk, "people:member_directory").status_code == 200


def test_it_finds_councillors_by_name_ward_and_group(client, org):
    other = PoliticalGroupFactory(name="Green Party")
    green = MemberFactory(user__first_name="Ivy", user__last_name="Hollis", group=other, wards=[org.other_ward])
    former = MemberFactory(user__last_name="Gone", left_office_on=timezone.localdate() - timedelta(days=1))
    viewer = org.colleague.user

    html = page(client, viewer, "people:member_directory").content.decode()
    assert "Hollis" in html and str(org.councillor) in html and "Gone" not in html
    html = page(client, viewer, "people:member_directory", {"q": "hollis"}).content.decode()
    assert "Hollis" in html and str(org.councillor) not in html
    html = page(client, viewer, "people:member_directory", {"ward": org.ward.pk}).content.decode()
    assert str(org.councillor) in html and "Hollis" not in html
    html = page(client, viewer, "people:member_directory", {"group": other.pk}).content.decode()
    assert "Hollis" in html and str(org.councillor) not in html
    html = page(client, viewer, "people:member_directory", {"group": "independent"}).content.decode()
    assert str(org.councillor) not in html
    assert former is not None and green is not None


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["people:officer_directory", "people:member_directory", "people:liaison_officers"])
def test_it_costs_the_same_for_few_or_many_rows(client, org, url_name):
    client.force_login(org.councillor.user)
    url = reverse(url_name)
    _count(client, url)  # warm the session and caches
    few = _count(client, url)
    for _ in range(30):
        service = ServiceFactory()
        officer = OfficerFactory(service=service)
        service.liaison_officers.add(officer)
        MemberFactory(wards=[org.ward])
    assert _count(client, url) == few


def test_a_profile_shows_what_003_lists(client, org):
    from people.models import OfficeHeld, OutsideAppointment

    member = org.councillor
    member.phone, member.postal_address = "07700 900123", "1 High Street"
    member.skills_and_interests, member.other_responsibilities = "Accountancy; cycling", "Armed Forces Champion"
    member.save()
    OfficeHeld.objects.create(member=member, office="cabinet_member", portfolio="Finance")
    OutsideAppointment.objects.create(member=member, organisation="Riverside Parish Council", role="Councillor")
    from tests.factories import CommitteeFactory

    CommitteeFactory(name="Planning Committee").members.add(member)
    html = page(client, org.colleague.user, "people:member_profile", None, member.pk).content.decode()
    for text in (
        "07700 900123",
        "1 High Street",
        "Accountancy; cycling",
        "Armed Forces Champion",
        "Cabinet Member for Finance",
        "Councillor, Riverside Parish Council",
        "Planning Committee",
        "Civic Party",
        "Riverside",
        member.user.email,
    ):
        assert text in html, text
    assert "Edit your profile" not in html
