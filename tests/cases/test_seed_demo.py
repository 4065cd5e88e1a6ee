"""manage.py seed_demo builds the fictional demo council, a year of its members' enquiries,
and concerns, sanctions and positive examples (protocol_portal.demo, from its data files), and
changes nothing when run again."""

import io
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.test import TestCase
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.concerns.deadlines import concern_deadline_sweep
from cases.concerns.selectors import (
    concerns_handled_by,
    concerns_joined_by,
    concerns_visible_to,
    my_concerns,
    patterns,
    sanctions_register,
)
from cases.models import (
    CONCERN_OPEN_STATES,
    Answer,
    Concern,
    ConcernKind,
    ConcernState,
    Dispute,
    Enquiry,
    EnquiryState,
    EnquiryUserObjectPermission,
    ExternalReferral,
    HoldingReply,
    InformalAction,
    Marking,
    Notification,
    PositiveExample,
    PositiveExampleState,
    Purpose,
    Sanction,
    TimelineEvent,
)
from cases.monitoring.selectors import triage_queue
from cases.positive.selectors import positive_examples_visible_to
from escalation.calendar import council_calendar, local_date
from escalation.routing import Route, enquiry_route
from people import selectors
from people.models import (
    Committee,
    ContactProhibition,
    Directorate,
    Member,
    Officer,
    PoliticalGroup,
    Service,
    Ward,
)
from people.roles import Role
from people.selectors import user_roles
from protocol_portal.demo import DEMO_ACCOUNTS, DEMO_SERVICE, history_swept, plan_demo_concerns, plan_demo_enquiries

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
    # Democratic Services is given by hand (people.roles), to an officer of the Monitoring Officer's service.
    "democratic.services": {Role.OFFICER, Role.DEMOCRATIC_SERVICES},
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


def test_it_places_democratic_services_beside_the_monitoring_officer_with_admin_access(seeded):
    """DESIGN §1: Democratic Services maintain people, wards, groups, services and calendars in
    Django admin (docs/production.md: a staff account in the Democratic Services administrator group)."""
    clerk = user("democratic.services")
    assert clerk.is_staff and not clerk.is_superuser
    assert clerk.officer.service == user("monitoring.officer").officer.service
    assert clerk.officer.line_manager.job_title == "Democratic Services Manager"
    assert clerk.officer.management_chain()[1] == user("monitoring.officer").officer
    assert clerk.has_perm("people.change_ward") and clerk.has_perm("people.change_member")
    assert clerk.get_full_name() == "Nadia Brooks"


def test_it_sets_up_two_factor_sign_in_for_the_demo_accounts_whose_roles_need_it(seeded):
    with_app = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))

    assert with_app == {"chief.executive", "monitoring.officer", "people.director", "democratic.services", "admin"}
    assert (
        "chief.executive, monitoring.officer, people.director, democratic.services, admin also give a two-factor code"
        in seeded.output
    )
    for username in with_app:
        assert selectors.two_factor_required(user(username)), username


@pytest.mark.parametrize("account", ["monitoring.officer", "democratic.services"])
def test_demo_totp_prints_the_code_the_demo_account_signs_in_with(seeded, account):
    out, err = io.StringIO(), io.StringIO()
    call_command("demo_totp", account, stdout=out, stderr=err)

    code = out.getvalue().strip()
    assert re.fullmatch(r"[0-9]{6}", code)
    assert f"Code for {account}: valid for" in err.getvalue()
    assert selectors.two_factor_device(user(account)).verify_token(code)
    # Both streams to one place, as a terminal shows them: the code alone on the first line.
    both = io.StringIO()
    call_command("demo_totp", account, stdout=both, stderr=both)
    first, second = both.getvalue().splitlines()[:2]
    assert re.fullmatch(r"[0-9]{6}", first) and second.startswith(f"Code for {account}: valid for")
    for username in ["councillor", "no.such.person"]:
        with pytest.raises(CommandError, match=f"{username} is not a demo account with a demo authenticator"):
            call_command("demo_totp", username, stdout=out, stderr=err)


def test_the_readme_names_each_demo_account_as_the_pages_do(seeded):
    # Issue 15 C17: the pages show names and job titles, so the README's table says who is who.
    readme = (settings.BASE_DIR / "README.md").read_text()
    rows = dict(re.findall(r"^\| `([a-z0-9.]+)` \| ([^|]+) \|", readme, flags=re.MULTILINE))
    assert set(rows) == set(DEMO_ACCOUNTS)
    for username, who in rows.items():
        account = user(username)
        if hasattr(account, "member"):
            member = account.member
            ward = ", ".join(f"{ward.name} ward" for ward in member.wards.all())
            expected = ", ".join(part for part in (str(member), member.group and member.group.name, ward) if part)
        elif hasattr(account, "officer"):
            expected = f"{account.get_full_name()}, {account.officer.job_title}"
        else:
            expected = account.get_full_name()
        assert who.strip() == expected, username


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
    assert Notification.objects.filter(concern__isnull=False).exists()
    assert Notification.objects.filter(positive_example__isnull=False).exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # Nothing is queued for the worker: a year of history would keep it busy for half an hour.
    # The deadline sweeps run in the concerns' past leave only a callback that does nothing.
    assert all(callback is history_swept for callback in seeded.on_commit)
    for callback in seeded.on_commit:
        callback()
    assert mailoutbox == []


def test_it_leaves_only_the_last_few_days_notifications_unread(seeded):
    unread = Notification.objects.filter(read_at__isnull=True)
    assert 0 < unread.count() < Notification.objects.count() / 5


def test_it_plans_the_same_enquiries_every_time():
    assert plan_demo_enquiries() == plan_demo_enquiries()


# --- Concerns, sanctions and positive examples (DESIGN §4–§6) ------------------------


def test_it_raises_concerns_of_every_kind_at_every_stage_and_every_exit(seeded):
    assert 30 <= Concern.objects.count() <= 40
    assert set(Concern.objects.values_list("kind", flat=True)) == set(ConcernKind.values)
    assert set(Concern.objects.values_list("state", flat=True)) == set(ConcernState.values)
    # Every story played out as written: the services and the sweep took each where it was meant to end.
    planned = Counter(plan.expected for plan in plan_demo_concerns().concerns)
    assert Counter(Concern.objects.values_list("state", flat=True)) == planned
    assert not Concern.objects.filter(behaviours__isnull=True).exists()
    calendar, today = council_calendar(), timezone.localdate()
    for concern in Concern.objects.all():
        assert calendar.is_working_day(local_date(concern.raised_at))
        assert 0 < (today - local_date(concern.raised_at)).days <= 366
        assert concern.occurred_on <= local_date(concern.raised_at)
        events = list(concern.timeline.order_by("pk").values_list("at", flat=True))
        assert events == sorted(events), f"{concern.reference}'s history runs forward in time"
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.RAISED).count() == Concern.objects.count()
    assert "Demo concerns ready" in seeded.output
    for state in ConcernState.labels:
        assert state.lower() in seeded.output


def test_it_leaves_the_monitoring_officer_a_triage_queue_with_a_few_overdue_rows(seeded):
    open_concerns = Concern.objects.filter(state__in=CONCERN_OPEN_STATES)
    for state in CONCERN_OPEN_STATES:
        assert open_concerns.filter(state=state).exists(), state
    overdue = [concern for concern in open_concerns if concern.is_overdue()]
    assert sorted(concern.stage for concern in overdue) == [3, 4]
    assert open_concerns.filter(safeguarding=True, state=ConcernState.MO_REVIEW).exists()

    queue = triage_queue(user("monitoring.officer"))
    concerns = [item for item in queue if item.kind == "concern"]
    assert len([item for item in concerns if item.overdue]) == 2
    assert {3, 4} <= {item.stage for item in concerns}
    assert any("Safeguarding flag" in item.why for item in concerns)
    assert {"pattern", "positive_example"} <= {item.kind for item in queue}


def test_it_leaves_the_running_deadline_sweep_nothing_to_catch_up_on(seeded):
    report = concern_deadline_sweep(dry_run=True)
    assert (report.reminders, report.climbs) == (0, 0)
    # The concerns left alone were moved on by the sweep, in the past: stage 1 -> 2 and 2 -> 3.
    climbed = TimelineEvent.objects.filter(
        concern__isnull=False, kind=TimelineEvent.Kind.STAGE_CHANGED, actor__isnull=True
    )
    assert {ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT} <= set(climbed.values_list("from_state", flat=True))
    assert Notification.objects.filter(template="concern_reminder").exists()


def test_it_plays_out_every_exit_through_the_services(seeded):
    resolved = TimelineEvent.objects.filter(concern__isnull=False, kind=TimelineEvent.Kind.RESOLVED)
    assert {ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT, ConcernState.MO_REVIEW} == set(
        resolved.values_list("from_state", flat=True)
    )
    told = [ConcernState.RESOLVED, ConcernState.INFORMAL_ACTION, ConcernState.FORMAL_ACTION, ConcernState.REFERRED]
    assert not Concern.objects.filter(state__in=told, outcome="").exists(), "001 §6.1: the complainant is told"

    actions = InformalAction.objects.all()
    assert set(actions.values_list("kind", flat=True)) == set(InformalAction.Kind.values)
    given_by = actions.filter(kind=InformalAction.Kind.ADVICE).values_list("given_by", flat=True)
    assert set(given_by) == set(InformalAction.GivenBy.values)

    assert set(ExternalReferral.objects.values_list("kind", flat=True)) == set(ExternalReferral.Kind.values)
    standards = ExternalReferral.objects.get(kind=ExternalReferral.Kind.STANDARDS_COMPLAINT)
    assert standards.independent_person

    reassigned = TimelineEvent.objects.filter(concern__isnull=False, kind=TimelineEvent.Kind.REASSIGNED)
    assert reassigned.filter(to_owner=user("assistant.director").officer).exists()

    shared = Concern.objects.filter(shared_with_subject_at__isnull=False)
    assert shared.count() >= 3
    for concern in shared:
        assert concern in concerns_visible_to(concern.subject.user)
    unshared = Concern.objects.filter(shared_with_subject_at__isnull=True).first()
    assert unshared not in concerns_visible_to(unshared.subject.user)


def test_it_records_every_kind_of_sanction(seeded):
    assert set(Sanction.objects.values_list("kind", flat=True)) == set(Sanction.Kind.values)
    removal = Sanction.objects.get(kind=Sanction.Kind.COMMITTEE_REMOVAL)
    assert removal.committees.exists()
    disciplinary = Sanction.objects.get(kind=Sanction.Kind.OFFICER_DISCIPLINARY)
    assert disciplinary.officer is not None and disciplinary.disciplinary_reference
    assert set(sanctions_register(user("monitoring.officer"))) == set(Sanction.objects.all())

    today = timezone.localdate()
    prohibitions = ContactProhibition.objects.select_related("sanction")
    assert all(prohibition.sanction.kind == Sanction.Kind.CONTACT_PROHIBITION for prohibition in prohibitions)
    active = [prohibition for prohibition in prohibitions if prohibition.is_active(on=today)]
    assert any(prohibition.ends_on is None for prohibition in active), "one indefinitely"
    assert any(prohibition.ends_on is not None for prohibition in active), "one for a period covering today"
    assert any(prohibition.ends_on is not None and prohibition.ends_on < today for prohibition in prohibitions)
    assert {prohibition.scope for prohibition in prohibitions} >= {
        ContactProhibition.Scope.OFFICER,
        ContactProhibition.Scope.SERVICE,
    }


def test_it_never_prohibits_the_demo_councillors_or_reroutes_their_enquiries(seeded):
    demo_members = Member.objects.filter(user__username__in=DEMO_ACCOUNTS)
    assert not ContactProhibition.objects.filter(member__in=demo_members).exists()
    assert not Concern.objects.filter(subject_member__in=demo_members).exists()
    highways = Service.objects.get(name=DEMO_SERVICE)
    for username in ["councillor", "councillor2", "independent"]:
        route = enquiry_route(service=highways, member=user(username).member)
        assert route == Route(owner=user("liaison").officer), username


def test_it_never_records_two_prohibitions_on_the_same_contact_at_once(seeded):
    # Issue 15 A6: the register once showed one councillor prohibited twice from the same officer.
    for prohibition in ContactProhibition.objects.all():
        others = ContactProhibition.objects.overlapping(
            member_id=prohibition.member_id,
            scope=prohibition.scope,
            officer_id=prohibition.officer_id,
            service_id=prohibition.service_id,
            starts_on=prohibition.starts_on,
            ends_on=prohibition.ends_on,
        ).exclude(pk=prohibition.pk)
        assert not others.exists(), prohibition


def test_it_never_prohibits_contact_with_an_officer_a_members_enquiries_reached(seeded):
    # The enquiries were routed as if no prohibition existed, so none may cover their handlers.
    for prohibition in ContactProhibition.objects.all():
        enquiries = Enquiry.objects.filter(member=prohibition.member)
        events = TimelineEvent.objects.filter(enquiry__in=enquiries, to_owner__isnull=False)
        handlers = {*enquiries.values_list("owner_id", flat=True), *events.values_list("to_owner_id", flat=True)}
        assert enquiries.exists()
        for officer in Officer.objects.filter(pk__in=handlers):
            assert not prohibition.forbids(officer_id=officer.pk, service_id=officer.service_id), prohibition


def test_it_flags_one_councillor_with_a_pattern_of_informal_action(seeded):
    (pattern,) = patterns()
    councillor = pattern.subject
    assert isinstance(councillor, Member) and councillor.user.username not in DEMO_ACCOUNTS
    assert pattern.informal_actions == 3
    concerns = Concern.objects.filter(subject_member=councillor)
    assert concerns.filter(state=ConcernState.MO_REVIEW).exists(), "a fourth is with the Monitoring Officer"
    # whip, of the councillor's group, joined every review.
    assert set(concerns) <= set(concerns_joined_by(user("whip")))


def test_it_gives_the_demo_accounts_concerns_to_explore(seeded):
    monitoring = concerns_handled_by(user("monitoring.officer"))
    assert monitoring.filter(state__in=[ConcernState.MO_REVIEW, ConcernState.SANCTION]).count() >= 5
    assert concerns_handled_by(user("head")).filter(state=ConcernState.LINE_MANAGEMENT).count() >= 2
    assert concerns_joined_by(user("whip")).filter(state=ConcernState.MO_REVIEW).exists()
    assert concerns_joined_by(user("people.director")).filter(subject_officer__isnull=False).exists()
    independents = concerns_joined_by(user("standards.chair")).filter(subject_member__group__isnull=True)
    assert independents.filter(state=ConcernState.MO_REVIEW).exists()
    assert independents.filter(referrals__kind=ExternalReferral.Kind.STANDARDS_COMPLAINT).exists()
    # A member-about-officer concern resolved at stage 2, with the outcome shown to the member.
    mine = my_concerns(user("councillor")).filter(state=ConcernState.RESOLVED, kind=ConcernKind.MEMBER_ABOUT_OFFICER)
    resolved_by_line_management = {"timeline__kind": "resolved", "timeline__from_state": "line_management"}
    assert mine.filter(**resolved_by_line_management).exists()
    assert mine.exclude(outcome="").exists()
    assert my_concerns(user("councillor2")).filter(state=ConcernState.DIRECT).exists()
    assert my_concerns(user("liaison")).filter(state=ConcernState.LINE_MANAGEMENT).exists()
    for username in ["officer", "independent"]:
        assert my_concerns(user(username)).exists(), username


def test_it_records_positive_examples_in_every_state(seeded):
    examples = PositiveExample.objects.all()
    assert 10 <= examples.count() <= 15
    assert set(examples.values_list("state", flat=True)) == set(PositiveExampleState.values)
    with_ad = examples.filter(state=PositiveExampleState.WITH_ASSISTANT_DIRECTOR)
    assert not with_ad.filter(forwarded_at__isnull=False).exists()
    with_mo = examples.filter(state=PositiveExampleState.WITH_MONITORING_OFFICER)
    assert not with_mo.filter(forwarded_at__isnull=True).exists()
    recorded = examples.filter(state=PositiveExampleState.RECORDED)
    assert recorded.filter(publishable=True).exists() and recorded.filter(publishable=False).exists()
    assert not recorded.filter(acknowledged_at__isnull=True).exists()
    for example in examples:
        assert example.members.exists() or example.officers.exists(), example.reference
        assert example.happened_on <= local_date(example.recorded_at)
    ad = user("assistant.director")
    assert positive_examples_visible_to(ad).filter(assistant_director=ad.officer, pk__in=with_ad).exists()
    assert f"{examples.count()} positive examples" in seeded.output


def test_it_records_briefings_offered_to_every_group_with_mixed_responses_and_one_left_out(seeded):
    """001 §9.5.2: the demo's briefings, through cases.briefings.services, and one brought over from
    the council's old spreadsheet with a group left out, for the compliance view and dashboard."""
    from cases.briefings.selectors import briefings_not_offered_to_every_group, briefings_visible_to
    from cases.models import Briefing, BriefingOffer

    groups = PoliticalGroup.objects.count()
    briefings = Briefing.objects.all()
    assert briefings.count() == 5
    left_out = list(briefings_not_offered_to_every_group())
    assert len(left_out) == 1 and left_out[0].offers.count() == groups - 1
    for briefing in briefings.exclude(pk=left_out[0].pk):
        assert briefing.offers.count() == groups, briefing.reference
    assert set(BriefingOffer.objects.values_list("response", flat=True)) == {"accepted", "declined", "no_reply"}
    assert briefings_visible_to(user("officer")).exists()
    assert briefings_visible_to(user("whip")).count() >= 4
    assert "of which 1 not offered to every political group" in seeded.output


def test_it_sends_ward_notices_of_every_kind_to_every_member_of_their_wards(seeded):
    """001 §9.4: a handful of notices across the wards, one for the demo councillor's ward, each
    told to every member in office for its wards, whatever their group."""
    from cases.models import WardNotice, WardNoticeKind
    from cases.notices.selectors import ward_notices_for_member

    notices = WardNotice.objects.prefetch_related("wards", "recipients")
    assert 5 <= notices.count() <= 10
    assert set(notices.values_list("kind", flat=True)) == set(WardNoticeKind.values)
    assert notices.filter(sent_late=True, kind=WardNoticeKind.PUBLIC_CONSULTATION).exists()
    for notice in notices:
        members = Member.objects.current(on=local_date(notice.sent_at)).filter(wards__in=notice.wards.all())
        assert {row.member_id for row in notice.recipients.all()} == set(members.values_list("pk", flat=True))
    assert ward_notices_for_member(user("councillor").member).exists()
    assert WardNotice.objects.filter(sent_by=user("officer")).exists()
    groups = set(
        WardNotice.objects.get(title__startswith="Consultation on the Kingsmead").recipients.values_list(
            "group_name", flat=True
        )
    )
    assert {"Labour", "Conservative", ""} <= groups  # "" is the independent
    assert f"Demo ward notices: {notices.count()}." in seeded.output


def test_it_plans_the_same_concerns_and_positive_examples_every_time():
    assert plan_demo_concerns() == plan_demo_concerns()


def snapshot() -> dict[str, list]:
    """Every row of the organisation, the accounts, role groups and authenticator apps, and the cases."""
    tables: dict[str, list] = {}
    models = [*apps.get_app_config("people").get_models(), *apps.get_app_config("cases").get_models(), User, Group]
    models += apps.get_app_config("guardian").get_models()
    models += apps.get_app_config("otp_totp").get_models()
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
    for label in [
        "cases.Enquiry",
        "cases.TimelineEvent",
        "cases.Notification",
        "cases.EnquiryUserObjectPermission",
        "cases.Concern",
        "cases.ConcernUserObjectPermission",
        "cases.Sanction",
        "cases.PositiveExample",
        "people.ContactProhibition",
    ]:
        assert before[label], label
    assert "Demo council ready" in output
    assert f"Demo enquiries already present: {Enquiry.objects.count()}" in output
    assert f"Demo concerns already present: {Concern.objects.count()}" in output
