"""Role groups follow the organisation (people.roles)."""

import pytest

from people.models import Committee, StatutoryRole
from people.roles import Role
from people.selectors import user_roles
from people.services import role_groups_sync
from tests.factories import (
    CommitteeFactory,
    DirectorateFactory,
    MemberFactory,
    OfficerFactory,
    PoliticalGroupFactory,
    ServiceFactory,
    UserFactory,
    appoint,
)

pytestmark = pytest.mark.django_db


def test_it_derives_each_role_from_the_organisation():
    director = OfficerFactory()
    directorate = DirectorateFactory(director=director)
    head, assistant, liaison, officer = OfficerFactory(), OfficerFactory(), OfficerFactory(), OfficerFactory()
    service = ServiceFactory(directorate=directorate, head_of_service=head, assistant_director=assistant)
    service.liaison_officers.set([liaison])
    chief, monitoring_deputy = OfficerFactory(service=None), OfficerFactory()
    appoint(chief, StatutoryRole.HEAD_OF_PAID_SERVICE)
    appoint(monitoring_deputy, StatutoryRole.MONITORING_OFFICER, deputy=True)
    group = PoliticalGroupFactory()
    whip, chair, committee_member = MemberFactory(group=group), MemberFactory(), MemberFactory()
    group.whips.set([whip])
    standards = CommitteeFactory(kind=Committee.Kind.STANDARDS, chair=chair)
    standards.members.set([chair, committee_member])

    role_groups_sync()

    assert user_roles(officer.user) == {Role.OFFICER}
    assert user_roles(liaison.user) == {Role.OFFICER, Role.LIAISON_OFFICER}
    assert user_roles(head.user) == {Role.OFFICER, Role.HEAD_OF_SERVICE}
    assert user_roles(assistant.user) == {Role.OFFICER, Role.ASSISTANT_DIRECTOR}
    assert user_roles(director.user) == {Role.OFFICER, Role.DIRECTOR}
    assert user_roles(chief.user) == {Role.OFFICER, Role.CHIEF_EXECUTIVE}
    assert user_roles(monitoring_deputy.user) == {Role.OFFICER, Role.MONITORING_OFFICER}
    assert user_roles(whip.user) == {Role.COUNCILLOR, Role.WHIP}
    assert user_roles(chair.user) == {Role.COUNCILLOR, Role.CHAIR_OF_STANDARDS, Role.STANDARDS_COMMITTEE}
    assert user_roles(committee_member.user) == {Role.COUNCILLOR, Role.STANDARDS_COMMITTEE}


def test_it_takes_a_role_away_when_the_fact_changes():
    head = OfficerFactory()
    service = ServiceFactory(head_of_service=head)
    role_groups_sync()
    assert Role.HEAD_OF_SERVICE in user_roles(head.user)

    service.head_of_service = None
    service.save()
    role_groups_sync()
    # A fresh user, as the next request would load: roles are read once per user object.
    head.user.refresh_from_db()
    del head.user._portal_roles
    assert user_roles(head.user) == {Role.OFFICER}


def test_it_keeps_democratic_services_given_by_hand():
    from django.contrib.auth.models import Group

    administrator = UserFactory()
    administrator.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
    role_groups_sync()
    assert user_roles(administrator) == {Role.DEMOCRATIC_SERVICES}


def test_a_member_who_has_left_office_loses_their_roles():
    import datetime

    member = MemberFactory(left_office_on=datetime.date(2022, 5, 5))
    role_groups_sync()
    assert user_roles(member.user) == set()


def test_democratic_services_cannot_make_anyone_a_superuser_in_the_admin(client):
    """DESIGN §1: Democratic Services maintain people in the admin (auth.change_user), but the
    superuser flag and one-by-one permissions are a superuser's alone, or they could make
    themselves one."""
    from django.contrib.auth.models import Group

    from people.roles import role_group_name

    clerk = UserFactory(username="democratic.services", is_staff=True)
    role_groups_sync()
    clerk.groups.add(Group.objects.get(name=role_group_name(Role.DEMOCRATIC_SERVICES)))
    client.force_login(clerk)
    page = f"/admin/auth/user/{clerk.pk}/change/"

    response = client.get(page)
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()
    assert 'name="user_permissions"' not in response.content.decode()
    assert 'name="first_name"' in response.content.decode()

    form = {
        "username": clerk.username,
        "first_name": "Nadia",
        "last_name": "Brooks",
        "email": "democratic.services@example.org",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [group.pk for group in clerk.groups.all()],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-05",
        "initial-date_joined_1": "09:00:00",
    }
    response = client.post(page, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    clerk.refresh_from_db()
    assert clerk.first_name == "Nadia"
    assert not clerk.is_superuser


def test_no_one_gives_a_derived_role_by_ticking_its_group_in_the_admin(client, org):
    """people.roles: only the roles given by hand are ticked in the admin. A crafted form adding
    someone to "Monitoring Officer" gives them nothing, and saving an account keeps the roles the
    organisation gives it."""
    from django.contrib.auth.models import Group

    from people.roles import role_group_name
    from people.selectors import user_roles

    role_groups_sync()
    clerk = UserFactory(username="democratic.services", is_staff=True)
    clerk.groups.add(Group.objects.get(name=role_group_name(Role.DEMOCRATIC_SERVICES)))
    client.force_login(clerk)
    target = org.colleague.user
    page = f"/admin/auth/user/{target.pk}/change/"
    html = client.get(page).content.decode()
    monitoring = Group.objects.get(name=role_group_name(Role.MONITORING_OFFICER))
    assert f'value="{monitoring.pk}"' not in html

    form = {
        "username": target.username,
        "first_name": "Colin",
        "last_name": "League",
        "email": "colin@example.org",
        "is_active": "on",
        "groups": [monitoring.pk],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-05",
        "initial-date_joined_1": "09:00:00",
    }
    response = client.post(page, form)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    target.refresh_from_db()
    assert Role.MONITORING_OFFICER not in user_roles(target)

    # Saved with no group ticked: the roles the organisation gives stay.
    response = client.post(page, form | {"groups": []})
    assert response.status_code == 302
    target = type(target).objects.get(pk=target.pk)
    assert target.first_name == "Colin"
    assert Role.OFFICER in user_roles(target) and Role.MONITORING_OFFICER not in user_roles(target)
