"""manage.py seed_demo builds the fictional demo council (people.demo) and a year of its
members' enquiries (cases.demo), and changes nothing when run again."""

import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.test import TestCase
from django.utils import timezone

from cases.demo import plan_demo_enquiries
from cases.models import (
    Answer,
    Dispute,
    Enquiry,
    EnquiryState,
    EnquiryUserObjectPermission,
    HoldingReply,
    Marking,
    Notification,
    Purpose,
    TimelineEvent,
)
from escalation.calendar import council_calendar, local_date
from people import selectors
from people.demo import DEMO_ACCOUNTS, DEMO_SERVICE
from people.models import Committee, Directorate, Member, Officer, PoliticalGroup, Service, Ward
from people.roles import Role
from people.selectors import user_roles

pytestmark = pytest.mark.django_db


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module (it takes a while) in a transaction rolled back
    at the end, as TestCase.setUpTestData does; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks() as callbacks:
            output = seed_demo()
        yield SimpleNamespace(output=output, on_commit=callbacks)
        transaction.set_rollback(True)


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


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_it_creates_every_demo_account_with_the_role_its_name_says(seeded):
    output = seeded.output

    assert set(EXPECTED_ROLES) == set(DEMO_ACCOUNTS)
    for username, roles in EXPECTED_ROLES.items():
        account = user(username)
        assert user_roles(account) == roles, username
        assert account.check_password(settings.DEMO_PASSWORD), username
        assert account.first_name and account.last_name and account.email, username
        assert username in output
    assert "Demo council ready" in output
    assert "password from DEMO_PASSWORD" in output


def test_it_makes_admin_a_superuser_who_is_neither_member_nor_officer(seeded):
    admin = user("admin")
    assert admin.is_staff and admin.is_superuser
    assert not Member.objects.filter(user=admin).exists()
    assert not Officer.objects.filter(user=admin).exists()


def test_it_places_the_demo_councillors_in_wards_groups_and_committees(seeded):
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


def test_it_builds_a_council_of_realistic_size(seeded):
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


def test_it_gives_officer_a_chain_from_head_of_service_to_chief_executive(seeded):
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


def test_it_builds_a_single_line_management_tree_with_statutory_officers(seeded):
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


def test_it_gives_only_the_demo_accounts_a_usable_password(seeded):
    usable = [u.username for u in User.objects.order_by("username") if u.has_usable_password()]
    assert sorted(usable) == sorted(DEMO_ACCOUNTS)


# --- The enquiries ---------------------------------------------------------------


def enquiries_of(username: str):
    return Enquiry.objects.filter(member__user__username=username)


def test_it_files_a_year_of_enquiries_in_every_state_across_every_service(seeded):
    assert 300 <= Enquiry.objects.count() <= 600
    assert set(Enquiry.objects.values_list("state", flat=True)) == set(EnquiryState.values)
    assert set(Enquiry.objects.values_list("purpose", flat=True)) == set(Purpose.values)
    assert Service.objects.filter(enquiries__isnull=True).count() == 0
    assert Member.objects.filter(enquiries__isnull=True).count() == 0
    calendar, today = council_calendar(), timezone.localdate()
    for received_at in Enquiry.objects.values_list("received_at", flat=True):
        assert calendar.is_working_day(local_date(received_at))
        assert 8 <= timezone.localtime(received_at).hour <= 17
        assert 0 < (today - local_date(received_at)).days <= 366
    for state in EnquiryState.labels:
        assert state.lower() in seeded.output
    assert "Demo enquiries ready" in seeded.output


def test_it_gives_councillor_enquiries_in_a_spread_of_states(seeded):
    mine = enquiries_of("councillor")
    assert 10 <= mine.count() <= 20
    assert len(set(mine.values_list("state", flat=True))) >= 6
    answered = mine.filter(state=EnquiryState.ANSWERED)
    assert any(enquiry.reopen_window_open() for enquiry in answered), "one answered recently enough to reopen"
    for state in [EnquiryState.DECLINED, EnquiryState.DISPUTED, EnquiryState.HOLDING_REPLY]:
        assert mine.filter(state=state).exists(), state
    for state in [EnquiryState.CLOSED, EnquiryState.WITHDRAWN]:
        assert mine.filter(state=state).exists(), state
    assert any(enquiry.is_overdue() for enquiry in mine)
    needs_consent = mine.filter(purpose=Purpose.CASEWORK, explicit_consent_needed=True, state=EnquiryState.SUBMITTED)
    assert needs_consent.filter(consent_records__isnull=True).exists()
    for username in ["councillor2", "independent"]:
        assert 3 <= enquiries_of(username).count() <= 8, username


def test_it_keeps_the_demo_service_busy(seeded):
    service = Service.objects.get(name=DEMO_SERVICE)
    assert service.enquiries.count() >= 50
    assert service.enquiries.filter(state=EnquiryState.SUBMITTED).count() >= 5
    for username in ["liaison", "officer"]:
        owned = Enquiry.objects.filter(owner__user__username=username)
        assert owned.filter(state__in=[EnquiryState.SUBMITTED, EnquiryState.HOLDING_REPLY]).exists(), username
        assert owned.filter(state=EnquiryState.ANSWERED).exists(), username


def test_it_plays_out_every_kind_of_story_through_the_services(seeded):
    assert Enquiry.objects.filter(timeline__kind=TimelineEvent.Kind.REOPENED, state=EnquiryState.SUBMITTED).exists()
    directed = Enquiry.objects.filter(timeline__kind=TimelineEvent.Kind.ANSWER_DIRECTED)
    assert directed.filter(state=EnquiryState.SUBMITTED).exists()
    assert set(Dispute.objects.values_list("decision", flat=True)) == {*Dispute.Decision.values, ""}
    assert set(Answer.objects.values_list("marking", flat=True)) == set(Marking.values)
    assert Answer.objects.filter(contains_personal_data=True, enquiry__explicit_consent_needed=True).exists()
    assert HoldingReply.objects.exists()
    late = [e for e in Enquiry.objects.filter(state=EnquiryState.ANSWERED) if e.answers.last().sent_at > e.due_at]
    assert len(late) >= 10, "some answers are late"
    # Written by the services: each enquiry was filed, and its member and owner may see it.
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.FILED).count() == Enquiry.objects.count()
    for user_field in ["member__user", "owner__user"]:
        granted = EnquiryUserObjectPermission.objects.filter(user=OuterRef(user_field), content_object=OuterRef("pk"))
        assert not Enquiry.objects.exclude(Exists(granted)).exists(), user_field


def test_it_records_the_historys_notifications_as_sent_and_queues_no_email(seeded, mailoutbox):
    assert Notification.objects.count() > 0
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # Nothing is queued for the worker: a year of history would keep it busy for half an hour.
    assert seeded.on_commit == []
    assert mailoutbox == []


def test_it_leaves_only_the_last_few_days_notifications_unread(seeded):
    unread = Notification.objects.filter(read_at__isnull=True)
    assert 0 < unread.count() < Notification.objects.count() / 5


def test_it_plans_the_same_enquiries_every_time():
    assert plan_demo_enquiries() == plan_demo_enquiries()


def snapshot() -> dict[str, list]:
    """Every row of the organisation, the accounts and role groups, and the enquiries."""
    tables: dict[str, list] = {}
    models = [*apps.get_app_config("people").get_models(), *apps.get_app_config("cases").get_models(), User, Group]
    models += apps.get_app_config("guardian").get_models()
    for model in models:
        tables[model._meta.label] = list(model.objects.order_by("pk").values())
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            tables[through._meta.label] = list(through.objects.order_by("pk").values())
    return tables


def test_it_changes_nothing_when_run_twice(seeded):
    before = snapshot()

    output = seed_demo()

    after = snapshot()
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table
    assert before["auth.User_groups"], "the role groups should have members"
    for label in ["cases.Enquiry", "cases.TimelineEvent", "cases.Notification", "cases.EnquiryUserObjectPermission"]:
        assert before[label], label
    assert "Demo council ready" in output
    assert f"Demo enquiries already present: {Enquiry.objects.count()}" in output
