"""manage.py seed_demo builds the fictional demo council (people.demo)."""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from people import selectors
from people.demo import DEMO_ACCOUNTS
from people.models import Committee, Directorate, Member, Officer, PoliticalGroup, Service, Ward
from people.roles import Role
from people.selectors import user_roles

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "councillor": {Role.COUNCILLOR},
    "councillor2": {Role.COUNCILLOR},
    "independent": {Role.COUNCILLOR},
    "officer": {Role.OFFICER},
    "liaison": {Role.OFFICER, Role.LIAISON_OFFICER},
    "head": {Role.OFFICER, Role.HEAD_OF_SERVICE},
    "assistant.director": {Role.OFFICER, Role.ASSISTANT_DIRECTOR},
    "director": {Role.OFFICER, Role.DIRECTOR},
    "chief.executive": {Role.OFFICER, Role.CHIEF_EXECUTIVE},
    # The Monitoring Officer is also Head of Legal and Democratic Services.
    "monitoring.officer": {Role.OFFICER, Role.MONITORING_OFFICER, Role.HEAD_OF_SERVICE},
    # The Director of People Services sits at assistant director level, over People Services.
    "people.director": {Role.OFFICER, Role.DIRECTOR_OF_PEOPLE_SERVICES, Role.ASSISTANT_DIRECTOR},
    "whip": {Role.COUNCILLOR, Role.WHIP},
    "standards.chair": {Role.COUNCILLOR, Role.CHAIR_OF_STANDARDS, Role.STANDARDS_COMMITTEE},
    "standards.member": {Role.COUNCILLOR, Role.STANDARDS_COMMITTEE},
    "admin": set(),
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo password is hashed once a run and checked for every account: PBKDF2 would make that slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_it_creates_every_demo_account_with_the_role_its_name_says():
    output = seed_demo()

    assert set(EXPECTED_ROLES) == set(DEMO_ACCOUNTS)
    for username, roles in EXPECTED_ROLES.items():
        account = user(username)
        assert user_roles(account) == roles, username
        assert account.check_password(settings.DEMO_PASSWORD), username
        assert account.first_name and account.last_name and account.email, username
        assert username in output
    assert "Demo council ready" in output
    assert "password from DEMO_PASSWORD" in output


def test_it_makes_admin_a_superuser_who_is_neither_member_nor_officer():
    seed_demo()

    admin = user("admin")
    assert admin.is_staff and admin.is_superuser
    assert not Member.objects.filter(user=admin).exists()
    assert not Officer.objects.filter(user=admin).exists()


def test_it_places_the_demo_councillors_in_wards_groups_and_committees():
    seed_demo()

    councillor, councillor2 = user("councillor").member, user("councillor2").member
    assert councillor.group is not None and councillor2.group is not None
    assert councillor2.group != councillor.group
    assert councillor.wards.count() == 1 and councillor2.wards.count() == 1
    assert councillor2.wards.get() != councillor.wards.get()

    independent = user("independent").member
    assert independent.is_independent
    assert independent.wards.count() == 1

    whip = user("whip").member
    assert whip.group == councillor.group
    assert whip in selectors.member_whips(member=councillor)
    assert not selectors.member_whips(member=independent).exists()

    standards = Committee.objects.get(kind=Committee.Kind.STANDARDS)
    assert selectors.chair_of_standards() == user("standards.chair").member
    assert user("standards.member").member in standards.members.all()
    assert standards.chair != user("standards.member").member


def test_it_builds_a_council_of_realistic_size():
    seed_demo()

    assert Ward.objects.count() >= 12
    assert 45 <= Member.objects.count() <= 55
    assert Member.objects.filter(group__isnull=True).count() >= 2
    assert PoliticalGroup.objects.count() == 3
    for group in PoliticalGroup.objects.all():
        assert group.leader is not None and group.leader.group == group
        assert group.whips.exists()
    assert Directorate.objects.count() == 4
    assert Directorate.objects.filter(director__isnull=True).count() == 0
    assert Service.objects.count() >= 12
    assert Service.objects.filter(head_of_service__isnull=True).count() == 0
    assert Service.objects.filter(assistant_director__isnull=True).count() == 0
    assert Officer.objects.count() >= 250
    assert set(Committee.objects.values_list("kind", flat=True)) >= {
        Committee.Kind.STANDARDS,
        Committee.Kind.AUDIT,
        Committee.Kind.SCRUTINY,
        Committee.Kind.PLANNING,
        Committee.Kind.LICENSING,
    }
    assert Committee.objects.filter(chair__isnull=True).count() == 0


def test_it_gives_officer_a_chain_from_head_of_service_to_chief_executive():
    seed_demo()

    officer = user("officer").officer
    chain = [manager.user.username for manager in officer.management_chain()]
    assert chain[-4:] == ["head", "assistant.director", "director", "chief.executive"]
    assert len(chain) == 5  # a team manager first
    assert officer.management_chain()[0].service == officer.service

    service = officer.service
    assert service.head_of_service == user("head").officer
    assert service.assistant_director == user("assistant.director").officer
    assert service.director == user("director").officer
    assert user("liaison").officer in service.liaison_officers.all()
    assert officer not in service.liaison_officers.all()
    assert user("liaison").officer.line_manager == user("head").officer


def test_it_builds_a_single_line_management_tree_with_statutory_officers():
    seed_demo()

    chief = user("chief.executive").officer
    assert list(Officer.objects.filter(line_manager__isnull=True)) == [chief]
    manager_of = dict(Officer.objects.values_list("pk", "line_manager_id"))
    for pk in manager_of:
        seen = [pk]
        while manager_of[seen[-1]] is not None:
            seen.append(manager_of[seen[-1]])
            assert len(seen) <= 7, "a chain this long means a loop"
        assert seen[-1] == chief.pk
    assert not Officer.objects.filter(user__member__isnull=False).exists()

    assert selectors.head_of_paid_service() == chief
    assert selectors.monitoring_officer() == user("monitoring.officer").officer
    assert selectors.director_of_people_services() == user("people.director").officer
    deputies = selectors.monitoring_officer_team().filter(statutory_appointments__is_deputy=True)
    assert deputies.count() == 1
    assert Service.objects.filter(liaison_officers__isnull=True).count() == 1


def test_it_gives_only_the_demo_accounts_a_usable_password():
    seed_demo()

    usable = [u.username for u in User.objects.order_by("username") if u.has_usable_password()]
    assert sorted(usable) == sorted(DEMO_ACCOUNTS)


def snapshot() -> dict[str, list]:
    """Every row of the organisation and of the accounts and role groups."""
    tables: dict[str, list] = {}
    models = [*apps.get_app_config("people").get_models(), User, Group]
    for model in models:
        tables[model._meta.label] = list(model.objects.order_by("pk").values())
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            tables[through._meta.label] = list(through.objects.order_by("pk").values())
    return tables


def test_it_changes_nothing_when_run_twice():
    seed_demo()
    before = snapshot()

    output = seed_demo()

    after = snapshot()
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table
    assert before["auth.User_groups"], "the role groups should have members"
    assert "Demo council ready" in output
