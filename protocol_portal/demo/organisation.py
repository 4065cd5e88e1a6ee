"""Write the demo council drawn by protocol_portal.demo.plans.council (DESIGN §2).

The plan is written keyed on natural keys (usernames and names), creating what is missing
and changing only fields that differ, so running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import (
    Committee,
    Directorate,
    Member,
    OfficeHeld,
    Officer,
    OutsideAppointment,
    PoliticalGroup,
    Service,
    StatutoryAppointment,
    Ward,
)
from people.roles import role_group_name
from people.selectors import two_factor_required
from people.services import TWO_FACTOR_DEVICE_NAME, role_groups_sync
from protocol_portal.demo.accounts import DEMO_ACCOUNTS, DEMO_ASSIGNED_ROLES, demo_totp_key
from protocol_portal.demo.plans.council import (
    ANNUAL_COUNCIL,
    DIRECTORATES,
    GROUPS,
    WARDS,
    CouncilPlan,
    Person,
    plan_demo_council,
)


@dataclass
class DemoSummary:
    council: str
    counts: dict[str, int]
    accounts: list[tuple[str, str]]  # (username, what it is for)
    two_factor_accounts: list[str]  # those that sign in with a code too (manage.py demo_totp)


@transaction.atomic
def build_demo_council() -> DemoSummary:
    """Create or bring up to date the demo council; running it again changes nothing."""
    plan = plan_demo_council()
    users = _apply_users(plan.people)
    wards = _apply_by_key(Ward, "name", {name: {"code": f"NB{i:02d}"} for i, (name, _) in enumerate(WARDS, 1)})
    groups = _apply_by_key(PoliticalGroup, "name", {name: {"short_name": short} for name, short in GROUPS})
    members = _apply_members(plan, users, wards, groups)
    officers = _apply_officers(plan, users)
    _apply_statutory_appointments(plan, officers)
    _apply_offices(plan, members)
    for username, organisation, role in plan.outside_appointments:
        _ensure(
            OutsideAppointment,
            lookup={"member_id": members[username].pk, "organisation": organisation},
            values={"role": role, "started_on": ANNUAL_COUNCIL, "ended_on": None},
        )
    _apply_committees(plan, users, members)
    role_groups_sync()
    for username, role in DEMO_ASSIGNED_ROLES.items():
        users[username].groups.add(Group.objects.get(name=role_group_name(role)))
    two_factor_accounts = _apply_demo_two_factor(users)
    return DemoSummary(
        council=settings.COUNCIL_NAME,
        counts={
            "wards": Ward.objects.count(),
            "political groups": PoliticalGroup.objects.count(),
            "members": Member.objects.current().count(),
            "independents": Member.objects.current().filter(group__isnull=True).count(),
            "directorates": Directorate.objects.count(),
            "services": Service.objects.count(),
            "officers": Officer.objects.current().count(),
            "committees": Committee.objects.count(),
        },
        accounts=[(username, purpose) for username, (_, _, purpose) in DEMO_ACCOUNTS.items()],
        two_factor_accounts=two_factor_accounts,
    )


def _apply_demo_two_factor(users: dict[str, models.Model]) -> list[str]:
    """Demo accounts whose roles need two-factor sign-in get an authenticator app already
    set up, so the demo signs in with `manage.py demo_totp <username>` instead of a phone."""
    usernames = [username for username in DEMO_ACCOUNTS if two_factor_required(users[username])]
    for username in usernames:
        _ensure(
            TOTPDevice,
            lookup={"user_id": users[username].pk, "name": TWO_FACTOR_DEVICE_NAME},
            values={"key": demo_totp_key(username), "confirmed": True},
        )
    return usernames


def _ensure(model: type[models.Model], *, lookup: dict, values: dict) -> models.Model:
    """get_or_create on ``lookup``, then save only the fields of ``values`` that differ."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed and not created:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj


def _apply_by_key(model: type[models.Model], key: str, rows: dict[object, dict]) -> dict[object, models.Model]:
    """Bulk version of _ensure: one row per key, creating the missing ones and
    updating only fields that differ. Field names are attnames (``service_id``)."""
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": list(rows)})}
    missing = [model(**{key: k}, **values) for k, values in rows.items() if k not in existing]
    changed, changed_fields = [], []
    for k, values in rows.items():
        obj = existing.get(k)
        if obj is None:
            continue
        differing = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in differing:
            setattr(obj, name, values[name])
        if differing:
            changed.append(obj)
            changed_fields += [name for name in differing if name not in changed_fields]
    if changed:
        model.objects.bulk_update(changed, changed_fields)
    for obj in model.objects.bulk_create(missing):
        existing[getattr(obj, key)] = obj
    return existing


def _apply_users(people: list[Person]) -> dict[str, models.Model]:
    User = get_user_model()
    rows = {
        p.username: {
            "first_name": p.first_name,
            "last_name": p.last_name,
            "email": p.email,
            "is_active": True,
            "is_staff": p.is_staff or p.is_superuser,
            "is_superuser": p.is_superuser,
        }
        for p in people
    }
    existing = set(User.objects.filter(username__in=list(rows)).values_list("username", flat=True))
    # Passwords are set only when an account is created, never on a re-run. Hashing
    # with PBKDF2 is deliberately slow (a good fraction of a second each), so:
    # the few demo accounts share one hash of DEMO_PASSWORD, computed once, and the
    # hundreds of fictional members and officers get an unusable password (no
    # hashing at all; an administrator can set one if a login is wanted).
    demo_hash = None
    if any(p.is_demo and p.username not in existing for p in people):
        demo_hash = make_password(settings.DEMO_PASSWORD)
    for p in people:
        if p.username not in existing:
            rows[p.username]["password"] = demo_hash if p.is_demo else make_password(None)
    return _apply_by_key(User, "username", rows)


def _apply_members(plan: CouncilPlan, users, wards, groups) -> dict[str, Member]:
    group_ids = {short: groups[name].pk for name, short in GROUPS}
    rows = {
        users[m.person.username].pk: {
            "group_id": group_ids.get(m.party),
            "phone": m.phone,
            "postal_address": m.postal_address,
            "skills_and_interests": m.skills_and_interests,
            "other_responsibilities": m.other_responsibilities,
            "elected_on": m.elected_on,
            "left_office_on": None,
        }
        for m in plan.members
    }
    by_user_id = _apply_by_key(Member, "user_id", rows)
    members = {m.person.username: by_user_id[users[m.person.username].pk] for m in plan.members}
    for m in plan.members:
        members[m.person.username].wards.set([wards[m.ward]])
    for name, short in GROUPS:
        group = groups[name]
        leader_id = members[plan.group_leaders[short]].pk
        if group.leader_id != leader_id:
            group.leader_id = leader_id
            group.save(update_fields=["leader"])
        group.whips.set([members[username] for username in plan.group_whips[short]])
    return members


def _apply_officers(plan: CouncilPlan, users) -> dict[str, Officer]:
    directorates = _apply_by_key(Directorate, "name", {name: {} for name in DIRECTORATES})
    services = _apply_by_key(
        Service, "name", {s.name: {"directorate_id": directorates[s.directorate].pk} for s in plan.services}
    )
    service_ids = {name: service.pk for name, service in services.items()}
    rows = {
        users[o.person.username].pk: {
            "job_title": o.job_title,
            "service_id": service_ids.get(o.service),
            "is_senior": o.is_senior,
            "phone": o.phone,
            "left_on": None,
        }
        for o in plan.officers
    }
    by_user_id = _apply_by_key(Officer, "user_id", rows)
    officers = {o.person.username: by_user_id[users[o.person.username].pk] for o in plan.officers}
    # Line managers in a second pass, now that every officer has a primary key.
    _apply_by_key(
        Officer,
        "user_id",
        {
            users[o.person.username].pk: {"line_manager_id": officers[o.manager].pk if o.manager else None}
            for o in plan.officers
        },
    )
    _apply_by_key(
        Directorate, "name", {name: {"director_id": officers[plan.directors[name]].pk} for name in DIRECTORATES}
    )
    _apply_by_key(
        Service,
        "name",
        {
            s.name: {
                "assistant_director_id": officers[s.assistant_director].pk,
                "head_of_service_id": officers[s.head_of_service].pk,
            }
            for s in plan.services
        },
    )
    for s in plan.services:
        services[s.name].liaison_officers.set([officers[username] for username in s.liaison_officers])
    return officers


def _apply_statutory_appointments(plan: CouncilPlan, officers: dict[str, Officer]) -> None:
    for role, username, is_deputy in plan.statutory:
        if is_deputy:
            lookup = {"role": role, "officer_id": officers[username].pk}
            _ensure(StatutoryAppointment, lookup=lookup, values={"is_deputy": True})
        else:
            lookup = {"role": role, "is_deputy": False}
            _ensure(StatutoryAppointment, lookup=lookup, values={"officer_id": officers[username].pk})


def _apply_offices(plan: CouncilPlan, members: dict[str, Member]) -> None:
    for office, portfolio, username in plan.offices:
        _ensure(
            OfficeHeld,
            lookup={"office": office, "portfolio": portfolio, "ended_on": None},
            values={"member_id": members[username].pk, "started_on": ANNUAL_COUNCIL},
        )


def _apply_committees(plan: CouncilPlan, users, members: dict[str, Member]) -> None:
    """Each committee as appointed at the annual meeting. Once it exists its membership is the
    council's: a sanction removing a councillor (000 §VIII) stays applied when the demo is built again."""
    for c in plan.committees:
        committee, created = Committee.objects.get_or_create(
            name=c.name, defaults={"kind": c.kind, "chair_id": members[c.chair].pk}
        )
        if created:
            committee.members.set([members[username] for username in c.members])
            committee.co_opted_members.set([users[username] for username in c.co_opted])
