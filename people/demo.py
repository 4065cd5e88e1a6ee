"""A fictional council for demonstrations and manual testing (DESIGN §2).

``manage.py seed_demo`` calls :func:`build_demo_council`. It works in two steps:

1. :func:`plan_demo_council` draws the whole council in memory from fixed name
   lists and ``random.Random(2026)``, without reading the database, so every run
   draws exactly the same council.
2. The ``_apply_*`` functions write that plan keyed on natural keys (usernames
   and names), creating what is missing and changing only fields that differ.
   Running the command twice therefore changes nothing.

Everything here is invented: names, wards, addresses, e-mail domains
(``.example`` and ``example.org``) and telephone numbers (Ofcom's drama ranges
01632 960xxx and 07700 900xxx).
"""

from __future__ import annotations

import hashlib
import hmac
import random
import re
from dataclasses import dataclass, field
from datetime import date

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
    Office,
    OfficeHeld,
    Officer,
    OutsideAppointment,
    PoliticalGroup,
    Service,
    StatutoryAppointment,
    StatutoryRole,
    Ward,
)
from people.roles import Role, role_group_name
from people.selectors import two_factor_required
from people.services import TWO_FACTOR_DEVICE_NAME, role_groups_sync

SEED = 2026

# --- The demo accounts -------------------------------------------------------

# username -> (first name, last name, what the account is for). These are the only
# accounts given the demo password; their e-mail is <username>@example.org.
DEMO_ACCOUNTS: dict[str, tuple[str, str, str]] = {
    "councillor": ("Aisha", "Rahman", "Labour councillor for Brookside"),
    "councillor2": ("Thomas", "Whitfield", "Conservative councillor for Kingsmead"),
    "independent": ("Margaret", "Doyle", "independent councillor for Southmoor"),
    "officer": ("Jamie", "Collins", "Highways Inspector, Highways and Transport"),
    "liaison": ("Priya", "Shah", "Councillor Liaison Officer, Highways and Transport"),
    "head": ("Mark", "Ellison", "Head of Highways and Transport"),
    "assistant.director": ("Claire", "Hughes", "Assistant Director, Highways and Environment"),
    "director": ("Richard", "Osborne", "Director of Place and Environment"),
    "chief.executive": ("Fiona", "Marsh", "Chief Executive (Head of Paid Service)"),
    "monitoring.officer": ("David", "Kemp", "Head of Legal and Democratic Services, Monitoring Officer"),
    "people.director": ("Sophie", "Grant", "Director of People Services"),
    "democratic.services": ("Nadia", "Brooks", "Democratic Services Officer, Legal and Democratic Services"),
    "whip": ("Daniel", "Okafor", "Labour councillor for Riverside, Labour Group Whip"),
    "standards.chair": ("Helen", "Carter", "Liberal Democrat councillor, Chair of Standards"),
    "standards.member": ("Rajesh", "Patel", "Conservative councillor, Standards Committee member"),
    "admin": ("Portal", "Administrator", "superuser for Django admin"),
}
# Roles given by hand (people.roles ASSIGNED_ROLES), which role_groups_sync never derives.
# Democratic Services keep the organisation in Django admin, so theirs is a staff account.
DEMO_ASSIGNED_ROLES: dict[str, Role] = {"democratic.services": Role.DEMOCRATIC_SERVICES}
DEMO_STAFF = frozenset(DEMO_ASSIGNED_ROLES)

# --- Names -------------------------------------------------------------------

FIRST_NAMES = [
    "Adam",
    "Adebayo",
    "Alice",
    "Amara",
    "Amir",
    "Andrew",
    "Angela",
    "Anna",
    "Asif",
    "Barbara",
    "Ben",
    "Bethany",
    "Carl",
    "Caroline",
    "Catherine",
    "Charlotte",
    "Chloe",
    "Chris",
    "Connor",
    "Craig",
    "Deborah",
    "Declan",
    "Deepa",
    "Dominic",
    "Eleanor",
    "Elizabeth",
    "Emily",
    "Emma",
    "Farah",
    "Gareth",
    "Gemma",
    "Georgia",
    "Graham",
    "Hannah",
    "Harjit",
    "Harry",
    "Imran",
    "Isabel",
    "Jack",
    "James",
    "Jane",
    "Jasmine",
    "Jennifer",
    "Joanne",
    "John",
    "Jonathan",
    "Joseph",
    "Julie",
    "Karen",
    "Kate",
    "Keith",
    "Kelly",
    "Kwame",
    "Laura",
    "Leanne",
    "Lee",
    "Lucy",
    "Luke",
    "Mandeep",
    "Martin",
    "Matthew",
    "Megan",
    "Michael",
    "Mohammed",
    "Nadia",
    "Natalie",
    "Neil",
    "Nicola",
    "Oliver",
    "Patrick",
    "Paul",
    "Peter",
    "Rachel",
    "Rebecca",
    "Rhys",
    "Robert",
    "Ruth",
    "Ryan",
    "Samina",
    "Samuel",
    "Sandra",
    "Sean",
    "Simon",
    "Siobhan",
    "Stephen",
    "Stuart",
    "Susan",
    "Tariq",
    "Tracey",
    "Usha",
    "Victoria",
    "Wayne",
    "William",
    "Yasmin",
    "Zoe",
]

LAST_NAMES = [
    "Adams", "Ahmed", "Akhtar", "Allen", "Anderson", "Armstrong", "Atkinson", "Bailey", "Baker", "Barker",
    "Bell", "Bennett", "Booth", "Bradley", "Brennan", "Brooks", "Brown", "Butler", "Campbell",
    "Chapman", "Clarke", "Cole", "Cooper", "Cox", "Davies", "Dawson", "Dixon", "Edwards", "Evans",
    "Fletcher", "Foster", "Fox", "Gill", "Gordon", "Graham", "Green", "Griffiths", "Hall", "Harris",
    "Harrison", "Hart", "Hill", "Holmes", "Hussain", "Iqbal", "Jackson", "James", "Johnson", "Jones",
    "Kaur", "Kelly", "Khan", "King", "Knight", "Lawrence", "Lee", "Lewis", "Lloyd", "Mahmood",
    "Marshall", "Martin", "Mason", "Matthews", "Mensah", "Miller", "Mills", "Mistry", "Moore", "Morgan",
    "Morris", "Murphy", "Murray", "Nelson", "Nguyen", "Nowak", "O'Brien", "O'Connor", "Owen", "Palmer",
    "Parker", "Parry", "Pearson", "Phillips", "Price", "Quinn", "Reid", "Richards", "Richardson", "Roberts",
    "Robinson", "Rogers", "Russell", "Saunders", "Scott", "Sharma", "Simpson", "Singh", "Smith", "Spencer",
    "Stevens", "Stewart", "Taylor", "Thomas", "Thompson", "Turner", "Walker", "Walsh", "Ward", "Watson",
    "Webb", "White", "Williams", "Wilson", "Wood", "Wright", "Yates", "Young",
]  # fmt: skip

# --- Wards and political groups ------------------------------------------------

# (name, short name) of each political group; independents have none.
GROUPS = [
    ("Labour", "Lab"),
    ("Conservative", "Con"),
    ("Liberal Democrats", "LD"),
]
INDEPENDENT = "Ind"

# Each ward and the party of each of its seats: 16 three-member wards and one
# two-member ward, 50 seats (Lab 27, Con 13, LD 6, Ind 4). Seats are elected by
# thirds, so a ward's seats were won in different years (ELECTION_DAYS).
WARDS = [
    ("Abbey Fields", ["Con", "Con", "Con"]),
    ("Ashton Park", ["Lab", "Lab", "Lab"]),
    ("Brookside", ["Lab", "Lab", "Lab"]),
    ("Castle Hill", ["Con", "Con", "LD"]),
    ("Eastgate", ["Lab", "Lab", "Lab"]),
    ("Fairfield", ["LD", "LD", "LD"]),
    ("Greenacres", ["Con", "Con", "Con"]),
    ("Harbourside", ["Lab", "Lab", "Lab"]),
    ("Kingsmead", ["Con", "Con", "Ind"]),
    ("Millbrook", ["Lab", "Lab", "Ind"]),
    ("Northfield", ["Lab", "Lab", "Lab"]),
    ("Old Town", ["Lab", "Lab", "LD"]),
    ("Riverside", ["Lab", "Lab", "Lab"]),
    ("St Anne's", ["Con", "Con", "Lab"]),
    ("Southmoor", ["Ind", "Ind"]),
    ("Westwood", ["LD", "Con", "Lab"]),
    ("Wharf Street", ["Lab", "Lab", "Lab"]),
]
ELECTION_DAYS = [date(2022, 5, 5), date(2023, 5, 4), date(2024, 5, 2)]
ANNUAL_COUNCIL = date(2024, 5, 22)

# (ward, party) -> demo account that takes the first such seat.
DEMO_SEATS = {
    ("Brookside", "Lab"): "councillor",
    ("Kingsmead", "Con"): "councillor2",
    ("Southmoor", "Ind"): "independent",
    ("Riverside", "Lab"): "whip",
    ("Fairfield", "LD"): "standards.chair",
    ("Abbey Fields", "Con"): "standards.member",
}

CABINET_PORTFOLIOS = [
    "Finance and Resources",  # held by the Deputy Leader
    "Adult Social Care and Health",
    "Children and Families",
    "Climate, Environment and Transport",
    "Housing and Regeneration",
    "Communities, Equalities and Culture",
    "Economy and Skills",
]
SHADOW_PORTFOLIOS = [
    "Finance and Resources",
    "Adult Social Care and Health",
    "Children and Families",
    "Climate, Environment and Transport",
]

INTERESTS = [
    "housing", "planning", "young people", "older people", "transport", "the environment and climate",
    "community safety", "arts and culture", "small businesses", "schools", "public health", "council finances",
    "digital inclusion", "sport and leisure", "parks and green spaces", "equalities", "regeneration",
]  # fmt: skip
OTHER_RESPONSIBILITIES = [
    "School governor, {place} Primary School",
    "Trustee, {place} Community Association",
    "Volunteer, {place} Food Bank",
    "Magistrate",
    "Member, {place} Allotment Society",
]
OUTSIDE_BODIES = [
    ("Local Government Association General Assembly", "Council representative"),
    ("{place} Fire and Rescue Authority", "Member"),
    ("Police and Crime Panel", "Member"),
    ("{place} Citizens Advice", "Trustee"),
    ("{place} Canal and River Partnership", "Board member"),
    ("{place} Theatre Trust", "Trustee"),
    ("{place} Credit Union", "Director"),
    ("{place} Airport Consultative Committee", "Council representative"),
]
STREETS = [
    "Acacia Avenue", "Albert Road", "Beech Grove", "Chapel Street", "Church Lane", "Elm Road", "Mill Lane",
    "Park Terrace", "Queen Street", "Station Road", "The Crescent", "Victoria Street", "Willow Close",
]  # fmt: skip

# (committee name, kind, chair's party, seats by party). Demo accounts are placed below.
COMMITTEES = [
    ("Standards Committee", Committee.Kind.STANDARDS, "LD", {"Lab": 3, "Con": 2, "LD": 1, "Ind": 1}),
    ("Audit and Governance Committee", Committee.Kind.AUDIT, "Con", {"Lab": 4, "Con": 2, "LD": 1}),
    ("Overview and Scrutiny Committee", Committee.Kind.SCRUTINY, "LD", {"Lab": 6, "Con": 3, "LD": 1, "Ind": 1}),
    ("Planning Committee", Committee.Kind.PLANNING, "Lab", {"Lab": 6, "Con": 3, "LD": 1, "Ind": 1}),
    ("Licensing Committee", Committee.Kind.LICENSING, "Lab", {"Lab": 5, "Con": 3, "LD": 1, "Ind": 1}),
]

# --- Directorates, services and teams -----------------------------------------

# Directorate -> (director's title, [(assistant director's title, [services])]).
DIRECTORATES = {
    "Adults and Health": (
        "Director of Adults and Health",
        [
            ("Assistant Director, Adult Social Care", ["Adult Social Care", "Commissioning and Quality"]),
            ("Assistant Director, Public Health", ["Public Health"]),
        ],
    ),
    "Children and Families": (
        "Director of Children and Families",
        [
            ("Assistant Director, Children's Social Care", ["Children's Social Care", "Early Help and Family Support"]),
            ("Assistant Director, Education and Skills", ["Education and Skills"]),
        ],
    ),
    "Place and Environment": (
        "Director of Place and Environment",
        [
            (
                "Assistant Director, Highways and Environment",
                ["Highways and Transport", "Waste and Recycling", "Parks and Green Spaces"],
            ),
            ("Assistant Director, Planning and Housing", ["Planning and Building Control", "Housing"]),
        ],
    ),
    "Resources": (
        "Director of Resources",
        [
            ("Assistant Director, Finance", ["Finance", "Revenues and Benefits"]),
            ("Director of People Services", ["People Services"]),
            (
                "Assistant Director, Corporate Services",
                ["Legal and Democratic Services", "Customer Services and Digital"],
            ),
        ],
    ),
}

# Service -> (head of service's title, [(team manager's title, [staff job titles])]).
SERVICES = {
    "Adult Social Care": (
        "Head of Adult Social Care",
        [
            ("Locality Social Work Manager", ["Social Worker", "Senior Social Worker", "Occupational Therapist"]),
            ("Safeguarding Adults Manager", ["Safeguarding Officer", "Best Interests Assessor", "Social Worker"]),
        ],
    ),
    "Commissioning and Quality": (
        "Head of Commissioning",
        [
            ("Commissioning Manager", ["Commissioning Officer", "Contracts Officer", "Quality Assurance Officer"]),
            ("Brokerage Manager", ["Brokerage Officer", "Placements Officer"]),
        ],
    ),
    "Public Health": (
        "Head of Public Health",
        [
            ("Health Improvement Manager", ["Health Improvement Officer", "Public Health Practitioner"]),
            ("Public Health Intelligence Manager", ["Public Health Analyst", "Epidemiologist"]),
        ],
    ),
    "Children's Social Care": (
        "Head of Children's Social Care",
        [
            ("Children in Care Team Manager", ["Social Worker", "Senior Social Worker", "Personal Adviser"]),
            ("Front Door Team Manager", ["Social Worker", "Contact Officer", "Family Support Worker"]),
        ],
    ),
    "Early Help and Family Support": (
        "Head of Early Help",
        [
            ("Family Hubs Manager", ["Family Support Worker", "Early Help Coordinator"]),
            ("Youth Services Manager", ["Youth Worker", "Youth Justice Officer"]),
        ],
    ),
    "Education and Skills": (
        "Head of Education and Skills",
        [
            ("School Admissions Manager", ["Admissions Officer", "School Transport Officer"]),
            ("SEND Manager", ["SEND Caseworker", "Educational Psychologist", "Education Welfare Officer"]),
        ],
    ),
    "Highways and Transport": (
        "Head of Highways and Transport",
        [
            ("Highways Maintenance Manager", ["Highways Inspector", "Highways Engineer", "Street Works Coordinator"]),
            ("Transport and Parking Manager", ["Transport Planner", "Road Safety Officer", "Parking Services Officer"]),
        ],
    ),
    "Waste and Recycling": (
        "Head of Waste and Recycling",
        [
            ("Collections Manager", ["Waste Services Officer", "Round Supervisor", "Recycling Officer"]),
            ("Street Cleansing Manager", ["Street Scene Officer", "Environmental Enforcement Officer"]),
        ],
    ),
    "Parks and Green Spaces": (
        "Head of Parks and Green Spaces",
        [
            ("Parks Manager", ["Park Ranger", "Arboricultural Officer", "Grounds Maintenance Supervisor"]),
            ("Bereavement Services Manager", ["Bereavement Services Officer", "Cemetery Supervisor"]),
        ],
    ),
    "Planning and Building Control": (
        "Head of Planning",
        [
            (
                "Development Management Manager",
                ["Planning Officer", "Senior Planning Officer", "Planning Enforcement Officer"],
            ),
            ("Building Control Manager", ["Building Control Surveyor", "Planning Technician"]),
        ],
    ),
    "Housing": (
        "Head of Housing",
        [
            ("Housing Options Manager", ["Housing Options Officer", "Homelessness Prevention Officer"]),
            ("Tenancy Services Manager", ["Housing Officer", "Tenancy Sustainment Officer", "Lettings Officer"]),
        ],
    ),
    "Finance": (
        "Head of Finance",
        [
            ("Financial Planning Manager", ["Accountant", "Finance Business Partner", "Finance Officer"]),
            ("Procurement Manager", ["Procurement Officer", "Contracts Officer"]),
        ],
    ),
    "Revenues and Benefits": (
        "Head of Revenues and Benefits",
        [
            ("Revenues Manager", ["Council Tax Officer", "Business Rates Officer", "Recovery Officer"]),
            ("Benefits Manager", ["Benefits Assessor", "Benefits Officer"]),
        ],
    ),
    "Legal and Democratic Services": (
        "Head of Legal and Democratic Services and Monitoring Officer",
        [
            # This team's manager is the Deputy Monitoring Officer.
            ("Legal Services Manager and Deputy Monitoring Officer", ["Solicitor", "Senior Solicitor", "Paralegal"]),
            (
                "Democratic Services Manager",
                ["Democratic Services Officer", "Committee Clerk", "Electoral Services Officer"],
            ),
        ],
    ),
    "People Services": (
        "Head of HR and Organisational Development",
        [
            ("HR Advisory Manager", ["HR Adviser", "HR Officer"]),
            ("Learning and Development Manager", ["Learning and Development Officer", "Payroll Officer"]),
        ],
    ),
    "Customer Services and Digital": (
        "Head of Customer Services and Digital",
        [
            ("Customer Contact Manager", ["Customer Services Adviser", "Complaints Officer"]),
            ("ICT Manager", ["ICT Support Analyst", "Digital Developer", "Data Protection Officer"]),
        ],
    ),
}

# The service whose chain the demo accounts officer, liaison, head, … sit in.
DEMO_SERVICE = "Highways and Transport"
# A service with no Councillor Liaison Officer: its enquiries fall back to the Head of Service.
SERVICE_WITHOUT_LIAISON = "Parks and Green Spaces"
STAFF_PER_TEAM = (5, 10)


# --- The plan ------------------------------------------------------------------


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
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
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
        is_superuser=username == "admin",
        is_staff=username == "admin" or username in DEMO_STAFF,
    )


def plan_demo_council() -> CouncilPlan:
    """The whole demo council, drawn in memory: the same every time it is called."""
    rng = random.Random(SEED)
    names = _NameDrawer(rng, [(first, last) for first, last, _ in DEMO_ACCOUNTS.values()])
    plan = CouncilPlan()
    plan.people.append(_demo_person("admin"))
    _plan_members(plan, rng, names)
    _plan_officers(plan, rng, names)
    _plan_committees(plan, rng, names)
    return plan


def _plan_members(plan: CouncilPlan, rng: random.Random, names: _NameDrawer) -> None:
    place, domain = council_place_name(), council_email_domain()
    mobiles = iter(rng.sample(range(1000), 60))
    for ward, parties in WARDS:
        for seat, party in enumerate(parties):
            demo = DEMO_SEATS.get((ward, party))
            if demo and not any(m.person.username == demo for m in plan.members):
                person = _demo_person(demo)
            else:
                person = names.person(domain=domain)
            plan.people.append(person)
            other = rng.choice(OTHER_RESPONSIBILITIES) if rng.random() < 0.35 else ""
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
                    skills_and_interests="; ".join(rng.sample(INTERESTS, rng.randint(2, 4))).capitalize(),
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
    plan.group_whips = {"Lab": ["whip", take("Lab")], "Con": [take("Con")], "LD": [take("LD")]}
    leader, deputy = plan.group_leaders["Lab"], take("Lab")
    plan.offices = [(Office.LEADER, "", leader), (Office.DEPUTY_LEADER, "", deputy)]
    plan.offices.append((Office.CABINET_MEMBER, CABINET_PORTFOLIOS[0], deputy))
    plan.offices += [(Office.CABINET_MEMBER, portfolio, take("Lab")) for portfolio in CABINET_PORTFOLIOS[1:]]
    plan.offices += [(Office.SHADOW_CABINET_MEMBER, portfolio, take("Con")) for portfolio in SHADOW_PORTFOLIOS]
    plan.offices.append((Office.LORD_MAYOR, "", take("Lab")))
    # Backbenchers left in `free` sit on committees (_plan_committees).
    plan.backbenchers = free

    everyone = [m.person.username for m in plan.members]
    appointees = [leader, *rng.sample([u for u in everyone if u != leader], len(OUTSIDE_BODIES) - 1)]
    plan.outside_appointments = [
        (username, organisation.format(place=place), role)
        for username, (organisation, role) in zip(appointees, OUTSIDE_BODIES, strict=True)
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
    chief = staff.add(_demo_person("chief.executive"), "Chief Executive", None, None, senior=True)
    plan.statutory.append((StatutoryRole.HEAD_OF_PAID_SERVICE, chief, False))

    for directorate, (director_title, ad_posts) in DIRECTORATES.items():
        is_demo = any(DEMO_SERVICE in services for _, services in ad_posts)
        person = _demo_person("director") if is_demo else staff.drawn()
        director = staff.add(person, director_title, None, chief, senior=True)
        plan.directors[directorate] = director
        if directorate == "Resources":
            plan.statutory.append((StatutoryRole.CHIEF_FINANCE_OFFICER, director, False))

        for ad_title, services in ad_posts:
            if ad_title == "Director of People Services":
                person = _demo_person("people.director")
            else:
                person = _demo_person("assistant.director") if DEMO_SERVICE in services else staff.drawn()
            ad = staff.add(person, ad_title, None, director, senior=True)
            if ad_title == "Director of People Services":
                plan.statutory.append((StatutoryRole.DIRECTOR_OF_PEOPLE_SERVICES, ad, False))
            for service in services:
                _plan_service(plan, staff, service, directorate, ad)

    # Democratic Services (a role given by hand): an officer in the Monitoring Officer's service,
    # in the Democratic Services Manager's team. Added last, so that no one else's draw changes.
    manager = next(o.person.username for o in plan.officers if o.job_title == "Democratic Services Manager")
    staff.add(
        _demo_person("democratic.services"),
        "Democratic Services Officer",
        "Legal and Democratic Services",
        manager,
        senior=False,
    )


def _plan_service(plan: CouncilPlan, staff: _Establishment, service: str, directorate: str, ad: str) -> None:
    head_title, teams = SERVICES[service]
    is_demo = service == DEMO_SERVICE
    if service == "Legal and Democratic Services":
        person = _demo_person("monitoring.officer")
    else:
        person = _demo_person("head") if is_demo else staff.drawn()
    head = staff.add(person, head_title, service, ad, senior=True)
    if service == "Legal and Democratic Services":
        plan.statutory.append((StatutoryRole.MONITORING_OFFICER, head, False))

    team_members: list[str] = []
    for team_number, (manager_title, titles) in enumerate(teams):
        manager = staff.add(staff.drawn(), manager_title, service, head, senior=False)
        if "Deputy Monitoring Officer" in manager_title:
            plan.statutory.append((StatutoryRole.MONITORING_OFFICER, manager, True))
        if is_demo and team_number == 0:
            # The demo officer's chain: officer -> team manager -> head -> AD -> director -> chief executive.
            staff.add(_demo_person("officer"), titles[0], service, manager, senior=False)
        for _ in range(staff.rng.randint(*STAFF_PER_TEAM)):
            team_members.append(staff.add(staff.drawn(), staff.rng.choice(titles), service, manager, senior=False))

    if is_demo:
        liaison = staff.add(_demo_person("liaison"), "Member Enquiries Officer", service, head, senior=False)
        liaison_officers = [liaison, staff.rng.choice(team_members)]
    elif service == SERVICE_WITHOUT_LIAISON:
        liaison_officers = []
    else:
        liaison_officers = staff.rng.sample(team_members, staff.rng.randint(1, 2))
    plan.services.append(ServicePlan(service, directorate, ad, head, liaison_officers))


def _plan_committees(plan: CouncilPlan, rng: random.Random, names: _NameDrawer) -> None:
    backbenchers = plan.backbenchers
    # Demo accounts placed on committees; standards.chair chairs Standards.
    placed = {
        Committee.Kind.STANDARDS: {"LD": ["standards.chair"], "Con": ["standards.member"]},
        Committee.Kind.PLANNING: {"Lab": ["councillor"]},
        Committee.Kind.LICENSING: {"Con": ["councillor2"]},
    }
    for name, kind, chair_party, seats in COMMITTEES:
        members: list[str] = []
        for party, count in seats.items():
            fixed = placed.get(kind, {}).get(party, [])
            members += fixed + rng.sample(backbenchers[party], count - len(fixed))
        if kind == Committee.Kind.STANDARDS:
            chair = "standards.chair"
            # An independent (co-opted) member who is not a councillor.
            co_opted = [names.person(domain="example.org")]
            plan.people += co_opted
            plan.committees.append(CommitteePlan(name, kind, chair, members, [p.username for p in co_opted]))
        else:
            candidates = [u for u in members if u in backbenchers[chair_party]]
            plan.committees.append(CommitteePlan(name, kind, rng.choice(candidates), members))


# --- Writing the plan ------------------------------------------------------------


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


def demo_totp_key(username: str) -> str:
    """The demo authenticator key of a demo account: derived from DEMO_TOTP_SECRET, so
    `manage.py demo_totp` can print its codes (README: "Demo accounts")."""
    return hmac.new(settings.DEMO_TOTP_SECRET.encode(), username.encode(), hashlib.sha1).hexdigest()


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
