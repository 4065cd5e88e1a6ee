"""The demo council drawn in memory: its councillors and officers, from the organisation in
data/organisation.toml, the names in data/names.toml and ``random.Random(SEED)``, without
reading the database, so every call draws exactly the same council.

Telephone numbers are in Ofcom's drama ranges (01632 960xxx and 07700 900xxx); e-mail domains
are ``.example`` and ``example.org``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from people.models import Committee, Office, StatutoryRole
from protocol_portal.demo.accounts import DEMO_ACCOUNTS, DEMO_STAFF, DEMO_SUPERUSERS
from protocol_portal.demo.content import SEED, content

ORGANISATION = content("organisation")
NAMES = content("names")
# (name, short name) of each political group; independents have none.
GROUPS: list[tuple[str, str]] = [(group["name"], group["short_name"]) for group in ORGANISATION["group"]]
INDEPENDENT: str = ORGANISATION["independent"]
# Each ward and the party of each of its seats.
WARDS: list[tuple[str, list[str]]] = [(ward["name"], ward["seats"]) for ward in ORGANISATION["wards"]]
ELECTION_DAYS: list[date] = ORGANISATION["election_days"]
ANNUAL_COUNCIL: date = ORGANISATION["annual_council"]
# The service whose chain the demo accounts officer, liaison, head, … sit in, and those accounts.
DEMO_CHAIN: dict[str, str] = ORGANISATION["demo_service"]
DEMO_SERVICE: str = DEMO_CHAIN["name"]
# A service with no Councillor Liaison Officer: its enquiries fall back to the Head of Service.
SERVICE_WITHOUT_LIAISON: str = ORGANISATION["service_without_liaison"]
STAFF_PER_TEAM: tuple[int, int] = tuple(ORGANISATION["staff_per_team"])
# Directorate name -> its table: director's title, assistant directors' posts and their services.
DIRECTORATES: dict[str, dict] = {directorate["name"]: directorate for directorate in ORGANISATION["directorate"]}
# Service name -> its table: head of service's title, teams.
SERVICES: dict[str, dict] = {service["name"]: service for service in ORGANISATION["service"]}
STREETS: list[str] = content("places")["streets"]
LAST_NAMES: list[str] = NAMES["last_names"]


@dataclass
class Person:
    username: str
    first_name: str
    last_name: str
    email: str
    is_demo: bool = False  # a demo account: gets the demo password
    is_superuser: bool = False
    is_staff: bool = False  # Django admin (superusers are staff too)


@dataclass
class MemberPlan:
    person: Person
    party: str  # a group's short name, or INDEPENDENT
    ward: str
    elected_on: date
    phone: str = ""
    postal_address: str = ""
    skills_and_interests: str = ""
    other_responsibilities: str = ""


@dataclass
class OfficerPlan:
    person: Person
    job_title: str
    service: str | None
    manager: str | None  # the line manager's username
    is_senior: bool = False
    phone: str = ""


@dataclass
class ServicePlan:
    name: str
    directorate: str
    assistant_director: str  # usernames from here on
    head_of_service: str
    liaison_officers: list[str] = field(default_factory=list)


@dataclass
class CommitteePlan:
    name: str
    kind: str
    chair: str
    members: list[str]
    co_opted: list[str] = field(default_factory=list)


@dataclass
class CouncilPlan:
    people: list[Person] = field(default_factory=list)
    members: list[MemberPlan] = field(default_factory=list)
    group_leaders: dict[str, str] = field(default_factory=dict)  # short name -> username
    group_whips: dict[str, list[str]] = field(default_factory=dict)
    offices: list[tuple[str, str, str]] = field(default_factory=list)  # (office, portfolio, username)
    outside_appointments: list[tuple[str, str, str]] = field(default_factory=list)  # (username, organisation, role)
    officers: list[OfficerPlan] = field(default_factory=list)
    directors: dict[str, str] = field(default_factory=dict)  # directorate -> username
    services: list[ServicePlan] = field(default_factory=list)
    statutory: list[tuple[str, str, bool]] = field(default_factory=list)  # (role, username, is_deputy)
    committees: list[CommitteePlan] = field(default_factory=list)
    # Councillors holding no office and not a demo account, by party: they fill committee seats.
    backbenchers: dict[str, list[str]] = field(default_factory=dict)


def council_place_name() -> str:
    """The place a council is named after: "Northbridge" for "Northbridge City Council"."""
    generic = {"city", "county", "borough", "district", "metropolitan", "council", "of", "the", "royal"}
    words = [word for word in settings.COUNCIL_NAME.split() if word.lower() not in generic]
    return " ".join(words) or "Northbridge"


def council_email_domain() -> str:
    return re.sub(r"[^a-z0-9]+", "-", council_place_name().lower()).strip("-") + ".example"


class _NameDrawer:
    """Draws unique fictional names, and the username and e-mail that go with them."""

    def __init__(self, rng: random.Random, reserved: list[tuple[str, str]]) -> None:
        self.rng = rng
        self.used_names = {f"{first} {last}" for first, last in reserved}
        self.used_usernames = set(DEMO_ACCOUNTS)

    def person(self, *, domain: str) -> Person:
        while True:
            first, last = self.rng.choice(NAMES["first_names"]), self.rng.choice(LAST_NAMES)
            username = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
            if f"{first} {last}" not in self.used_names and username not in self.used_usernames:
                break
        self.used_names.add(f"{first} {last}")
        self.used_usernames.add(username)
        return Person(username, first, last, f"{username}@{domain}")


def _demo_person(username: str) -> Person:
    first, last, _ = DEMO_ACCOUNTS[username]
    return Person(
        username,
        first,
        last,
        f"{username}@example.org",
        is_demo=True,
        is_superuser=username in DEMO_SUPERUSERS,
        is_staff=username in DEMO_SUPERUSERS or username in DEMO_STAFF,
    )


def plan_demo_council() -> CouncilPlan:
    """The whole demo council, drawn in memory: the same every time it is called."""
    rng = random.Random(SEED)
    names = _NameDrawer(rng, [(first, last) for first, last, _ in DEMO_ACCOUNTS.values()])
    plan = CouncilPlan()
    # The administrators first: demo accounts that are neither councillors nor officers.
    plan.people += [_demo_person(username) for username in DEMO_ACCOUNTS if username in DEMO_SUPERUSERS]
    _plan_members(plan, rng, names)
    _plan_officers(plan, rng, names)
    _plan_committees(plan, rng, names)
    return plan


def _plan_members(plan: CouncilPlan, rng: random.Random, names: _NameDrawer) -> None:
    place, domain = council_place_name(), council_email_domain()
    demo_seats = {(seat["ward"], seat["party"]): seat["account"] for seat in ORGANISATION["demo_seats"]}
    mobiles = iter(rng.sample(range(1000), 60))
    for ward, parties in WARDS:
        for seat, party in enumerate(parties):
            demo = demo_seats.get((ward, party))
            if demo and not any(m.person.username == demo for m in plan.members):
                person = _demo_person(demo)
            else:
                person = names.person(domain=domain)
            plan.people.append(person)
            other_responsibilities = ORGANISATION["other_responsibilities"]
            other = rng.choice(other_responsibilities) if rng.random() < 0.35 else ""
            plan.members.append(
                MemberPlan(
                    person=person,
                    party=party,
                    ward=ward,
                    elected_on=ELECTION_DAYS[seat + 3 - len(parties)],
                    phone=f"07700 900{next(mobiles):03d}",
                    postal_address=(
                        f"{rng.randint(1, 120)} {rng.choice(STREETS)}\n{place}\n"
                        f"NB{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
                        f"{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
                    ),
                    skills_and_interests="; ".join(
                        rng.sample(ORGANISATION["interests"], rng.randint(2, 4))
                    ).capitalize(),
                    other_responsibilities=other.format(place=place),
                )
            )

    # Offices go to councillors who are not demo accounts, so each demo account holds only its own role.
    free = {
        party: [m.person.username for m in plan.members if m.party == party and not m.person.is_demo]
        for party in [short for _, short in GROUPS] + [INDEPENDENT]
    }

    def take(party: str) -> str:
        return free[party].pop(rng.randrange(len(free[party])))

    plan.group_leaders = {short: take(short) for _, short in GROUPS}
    plan.group_whips = {
        group["short_name"]: [*group["whips"], take(group["short_name"])] for group in ORGANISATION["group"]
    }
    administration, opposition = ORGANISATION["administration"], ORGANISATION["opposition"]
    cabinet, shadow = ORGANISATION["cabinet_portfolios"], ORGANISATION["shadow_portfolios"]
    leader, deputy = plan.group_leaders[administration], take(administration)
    plan.offices = [(Office.LEADER, "", leader), (Office.DEPUTY_LEADER, "", deputy)]
    plan.offices.append((Office.CABINET_MEMBER, cabinet[0], deputy))
    plan.offices += [(Office.CABINET_MEMBER, portfolio, take(administration)) for portfolio in cabinet[1:]]
    plan.offices += [(Office.SHADOW_CABINET_MEMBER, portfolio, take(opposition)) for portfolio in shadow]
    plan.offices.append((Office.LORD_MAYOR, "", take(administration)))
    # Backbenchers left in `free` sit on committees (_plan_committees).
    plan.backbenchers = free

    bodies = ORGANISATION["outside_bodies"]
    everyone = [m.person.username for m in plan.members]
    appointees = [leader, *rng.sample([u for u in everyone if u != leader], len(bodies) - 1)]
    plan.outside_appointments = [
        (username, body["organisation"].format(place=place), body["role"])
        for username, body in zip(appointees, bodies, strict=True)
    ]


class _Establishment:
    """Adds officers to the plan, each with a unique 01632 960xxx telephone number."""

    def __init__(self, plan: CouncilPlan, rng: random.Random, names: _NameDrawer) -> None:
        self.plan, self.rng, self.names = plan, rng, names
        self.phones = iter(rng.sample(range(1000), 1000))
        self.domain = council_email_domain()

    def drawn(self) -> Person:
        return self.names.person(domain=self.domain)

    def add(self, person: Person, job_title: str, service: str | None, manager: str | None, *, senior: bool) -> str:
        self.plan.people.append(person)
        phone = f"01632 960{next(self.phones):03d}"
        self.plan.officers.append(OfficerPlan(person, job_title, service, manager, senior, phone))
        return person.username


def _plan_officers(plan: CouncilPlan, rng: random.Random, names: _NameDrawer) -> None:
    staff = _Establishment(plan, rng, names)
    top = ORGANISATION["chief_executive"]
    chief = staff.add(_demo_person(top["account"]), top["title"], None, None, senior=True)
    plan.statutory.append((StatutoryRole.HEAD_OF_PAID_SERVICE, chief, False))

    for directorate, about in DIRECTORATES.items():
        is_demo = any(DEMO_SERVICE in post["services"] for post in about["post"])
        person = _demo_person(DEMO_CHAIN["director"]) if is_demo else staff.drawn()
        director = staff.add(person, about["director"], None, chief, senior=True)
        plan.directors[directorate] = director
        if "statutory" in about:
            plan.statutory.append((StatutoryRole(about["statutory"]), director, False))

        for post in about["post"]:
            if "account" in post:
                person = _demo_person(post["account"])
            elif DEMO_SERVICE in post["services"]:
                person = _demo_person(DEMO_CHAIN["assistant_director"])
            else:
                person = staff.drawn()
            ad = staff.add(person, post["title"], None, director, senior=True)
            if "statutory" in post:
                plan.statutory.append((StatutoryRole(post["statutory"]), ad, False))
            for service in post["services"]:
                _plan_service(plan, staff, service, directorate, ad)

    # Democratic Services (a role given by hand), added last, so that no one else's draw changes.
    clerk = ORGANISATION["democratic_services"]
    manager = next(o.person.username for o in plan.officers if o.job_title == clerk["manager"])
    staff.add(_demo_person(clerk["account"]), clerk["job_title"], clerk["service"], manager, senior=False)


def _plan_service(plan: CouncilPlan, staff: _Establishment, service: str, directorate: str, ad: str) -> None:
    about = SERVICES[service]
    is_demo = service == DEMO_SERVICE
    if "account" in about:
        person = _demo_person(about["account"])
    elif is_demo:
        person = _demo_person(DEMO_CHAIN["head"])
    else:
        person = staff.drawn()
    head = staff.add(person, about["head"], service, ad, senior=True)
    if "statutory" in about:
        plan.statutory.append((StatutoryRole(about["statutory"]), head, False))

    team_members: list[str] = []
    for team_number, team in enumerate(about["team"]):
        manager = staff.add(staff.drawn(), team["manager"], service, head, senior=False)
        if "deputy" in team:
            plan.statutory.append((StatutoryRole(team["deputy"]), manager, True))
        if is_demo and team_number == 0:
            # The demo officer's chain: officer -> team manager -> head -> AD -> director -> chief executive.
            staff.add(_demo_person(DEMO_CHAIN["officer"]), team["staff"][0], service, manager, senior=False)
        for _ in range(staff.rng.randint(*STAFF_PER_TEAM)):
            person = staff.drawn()
            team_members.append(staff.add(person, staff.rng.choice(team["staff"]), service, manager, senior=False))

    if is_demo:
        liaison = staff.add(
            _demo_person(DEMO_CHAIN["liaison"]), DEMO_CHAIN["liaison_title"], service, head, senior=False
        )
        liaison_officers = [liaison, staff.rng.choice(team_members)]
    elif service == SERVICE_WITHOUT_LIAISON:
        liaison_officers = []
    else:
        liaison_officers = staff.rng.sample(team_members, staff.rng.randint(1, 2))
    plan.services.append(ServicePlan(service, directorate, ad, head, liaison_officers))


def _plan_committees(plan: CouncilPlan, rng: random.Random, names: _NameDrawer) -> None:
    backbenchers = plan.backbenchers
    for committee in ORGANISATION["committee"]:
        # The demo accounts placed on it first, then backbenchers drawn for the other seats.
        placed = committee.get("accounts", {})
        members: list[str] = []
        for party, count in committee["seats"].items():
            fixed = placed.get(party, [])
            members += fixed + rng.sample(backbenchers[party], count - len(fixed))
        # Co-opted members are not councillors (the Standards Committee's independent member).
        co_opted = [names.person(domain="example.org") for _ in range(committee.get("co_opted", 0))]
        plan.people += co_opted
        if "chair" in committee:
            chair = committee["chair"]
        else:
            candidates = [u for u in members if u in backbenchers[committee["chair_party"]]]
            chair = rng.choice(candidates)
        plan.committees.append(
            CommitteePlan(
                committee["name"], Committee.Kind(committee["kind"]), chair, members, [p.username for p in co_opted]
            )
        )
