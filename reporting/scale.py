"""A decade of protocol data at scale, for the benchmarks (issue 6 "fast at scale",
``manage.py seed_scale``, docs/performance.md).

It writes straight into the cases tables with bulk inserts (``escalation.bulk.insert_rows``:
one statement for each 50,000 rows), not through the services, so that a million
enquiries take minutes. It writes what the list pages, the dashboards and the deadline
sweep read, consistently with what the services would have written:

- enquiries, with the climbs of the late ones (``EnquiryEscalation``, already told),
  declines, disputes and the guardian rows that let the member, the owner and the
  owner's management chain see each one;
- concerns of every kind, stage and exit, with the timeline events the dashboards read
  (raised, stage changes, formal action proposed, the closing event), behaviours cited,
  informal actions, external referrals, sanctions and the stage-3 participants' access.

It does not write answers' text, holding replies, notifications or attachments.

Each case is drawn as a whole history, then cut at ``now``: a case whose answer (or
outcome) falls after ``now`` is still open, so the open and overdue ones come out of the
same rules as the rest: most enquiries are answered on time (about 85%), a holding reply
stands for a later answer, a late one climbs a rung at the start of the first working
day after its deadline and every five working days after (Head of Service, Director,
Chief Executive), and a few stay unanswered for good.

The people are the organisation already in the database (``protocol_portal.demo``'s council):
every row names real members, officers, services and behaviours.
"""

from __future__ import annotations

import functools
import random
import sys
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone

from cases.models import (
    Behaviour,
    Concern,
    ConcernKind,
    ConcernState,
    ConcernUserObjectPermission,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
    EnquiryUserObjectPermission,
    ExternalReferral,
    InformalAction,
    Purpose,
    ReferenceSequence,
    Sanction,
    TimelineEvent,
)
from escalation.bulk import insert_rows
from escalation.calendar import WorkingDayCalendar, council_calendar, end_of_day, local_date
from escalation.routing import concern_line_managers
from people.models import Committee, ContactProhibition, Member, Officer, Service
from people.selectors import chair_of_standards, director_of_people_services, head_of_paid_service, monitoring_officer
from protocol_portal.demo import DEMO_ACCOUNTS
from reporting.models import DailyCount

CHUNK = 50_000
YEARS = 10
# How much busier the latest year is than the first: the density of cases rises linearly.
GROWTH = 1.5
# The share of cases filed on a day the council is closed that stay on it (e-mail at the
# weekend); the rest move to the next working day.
CLOSED_DAY_SHARE = 0.25
TZ = timezone.get_default_timezone()

SERVICE_WEIGHTS = {
    "Highways and Transport": 24,
    "Waste and Recycling": 11,
    "Housing": 11,
    "Planning and Building Control": 8,
    "Adult Social Care": 6,
    "Revenues and Benefits": 6,
    "Parks and Green Spaces": 5,
    "Education and Skills": 6,
    "Legal and Democratic Services": 4,
}
STREETS = ["Mill Lane", "Church Street", "Elm Road", "Hawthorn Drive", "Brunswick Street", "Canal Side", "Orchard Way"]
SUBJECTS = [
    ("Pothole outside {n} {street}", "Residents of {street} report a deep pothole outside number {n}."),
    ("Street lights out on {street}", "Three street lights on {street} have been out for more than two weeks."),
    ("Missed bin collection on {street}", "The recycling on {street} has not been collected for a fortnight."),
    ("Housing repair at {n} {street}", "A tenant at {n} {street} has been waiting months for a damp repair."),
    ("Planning application on {street}", "Neighbours ask when the application for {n} {street} will be decided."),
    ("Fly-tipping behind {street}", "Bags of rubbish have been dumped in the alley behind {street}."),
    ("Council tax query for a resident of {street}", "A resident of {street} was charged twice this month."),
    ("Overgrown verge on {street}", "The verge on {street} blocks the view of drivers at the junction."),
    ("School transport from {street}", "A family on {street} was refused school transport and asks why."),
    ("Budget figures for the next committee", "Please send the figures behind the report to the next committee."),
]
CONCERN_TEXTS = [
    "Raised in a meeting about a ward issue: the tone of the exchange fell short of the protocol.",
    "Repeated calls and e-mails outside office hours about an enquiry already answered.",
    "Criticised in public, on social media, for a decision the officer did not take.",
    "Pressed to change a recommendation in a committee report.",
    "A disagreement over whether the request was the officer's job or the councillor's.",
    "Information shared without checking that it was not confidential.",
]
OUTCOMES = {
    ConcernState.RESOLVED: "Talked through and settled; both agreed how to work together from now on.",
    ConcernState.INFORMAL_ACTION: "Words of advice were given, and further training arranged.",
    ConcernState.FORMAL_ACTION: "Formal action was taken under the Codes of Conduct.",
    ConcernState.REFERRED: "Referred outside the council, which now decides it.",
    ConcernState.WITHDRAWN: "",
}
CLOSING_EVENTS = {
    ConcernState.RESOLVED: TimelineEvent.Kind.RESOLVED,
    ConcernState.INFORMAL_ACTION: TimelineEvent.Kind.INFORMAL_ACTION,
    ConcernState.FORMAL_ACTION: TimelineEvent.Kind.SANCTION_RECORDED,
    ConcernState.REFERRED: TimelineEvent.Kind.REFERRED,
    ConcernState.WITHDRAWN: TimelineEvent.Kind.WITHDRAWN,
}
STAGES = [ConcernState.DIRECT, ConcernState.LINE_MANAGEMENT, ConcernState.MO_REVIEW, ConcernState.SANCTION]
# How each stage ends when it ends by a decision (stages 1 and 2 climb by themselves when
# their target is missed: CONCERN_MISSED_TARGET).
STAGE_EXITS = {
    1: {"resolved": 55, "up": 39, "withdrawn": 3, "referred": 3},
    2: {"resolved": 55, "up": 38, "withdrawn": 3, "referred": 4},
    3: {"resolved": 40, "informal_action": 44, "up": 2, "referred": 11, "withdrawn": 3},
    4: {"formal_action": 100},
}
CONCERN_MISSED_TARGET = 0.15
# Enquiries: the shares that are never answered, withdrawn before a response, declined, answered
# (or declined) late, and closed by the member once answered.
STUCK = 0.0004
WITHDRAWN = 0.02
DECLINED = 0.03
LATE = 0.15
CLOSED_BY_MEMBER = 0.35


@dataclass
class ScaleReport:
    enquiries: Counter = field(default_factory=Counter)
    concerns: Counter = field(default_factory=Counter)
    rows: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)


class _Timer:
    def __init__(self, report: ScaleReport, log: Callable[[str], None]) -> None:
        self.report, self.log = report, log

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        self.report.seconds[label] = seconds
        self.log(f"{label}: {seconds:,.1f} s")


# --- The organisation ------------------------------------------------------------------------


@dataclass
class _Service:
    pk: int
    owners: list[int]
    ladder: tuple[int, ...]  # the rungs above a liaison officer: head, director, chief executive
    decliner: int


@dataclass
class _Council:
    members: list[tuple[int, int, int | None, int | None]]  # pk, user, first ward, group
    member_weights: list[float]
    services: list[_Service]
    service_weights: list[float]
    officer_user: dict[int, int]
    chains: dict[int, tuple[int, ...]]  # officer -> users of the officer and their management chain
    concern_officers: list[tuple[int, int]]  # (officer, service) who may be a concern's party
    line_managers: dict[int, int | None]  # officer -> stage-2 handler
    officer_line_manager: dict[int, int | None]
    serving: set[int]
    chief: int
    monitoring_officer: int
    people_director: int | None
    chair: tuple[int, int] | None  # member, user
    whips: dict[int, list[tuple[int, int]]]  # group -> [(member, user)]
    behaviours: list[int]
    committees: list[int]
    view_enquiry: int
    view_concern: int


def load_council() -> _Council:
    """The organisation to hang the cases on, in a few dozen queries."""
    chief, mo = head_of_paid_service(), monitoring_officer()
    if chief is None or mo is None:
        raise ValueError("The council needs a Head of Paid Service and a Monitoring Officer (seed_demo builds one).")
    officers = list(Officer.objects.current().select_related("line_manager"))
    officer_user = {o.pk: o.user_id for o in officers}
    serving = set(officer_user)
    by_pk = {o.pk: o for o in officers}
    wards = dict(Member.wards.through.objects.order_by("pk").values_list("member_id", "ward_id"))
    rows = Member.objects.current().order_by("pk").values_list("pk", "user_id", "group_id", "user__username")
    members = [(pk, user_id, wards.get(pk), group_id) for pk, user_id, group_id, _ in rows]
    # Some councillors ask more than others; the demo accounts ask an average share (a million
    # enquiries among fifty councillors: about 20,000 each), so the benchmarks see a typical one.
    rng = random.Random(len(members))
    member_weights = [1.0 if username in DEMO_ACCOUNTS else rng.uniform(0.5, 1.5) for *_, username in rows]
    services, service_weights = [], []
    liaison = defaultdict(list)
    for service_id, officer_id in Service.liaison_officers.through.objects.values_list("service_id", "officer_id"):
        if officer_id in serving:
            liaison[service_id].append(officer_id)
    for service in Service.objects.select_related("directorate").order_by("pk"):
        head, director = service.head_of_service_id, service.directorate.director_id
        owners = sorted(liaison[service.pk]) or [o for o in (head, director, chief.pk) if o in serving][:1]
        ladder = tuple(o for o in (head, director, chief.pk) if o in serving)
        decliner = next(o for o in (head, director, chief.pk) if o in serving)
        services.append(_Service(service.pk, owners, ladder, decliner))
        service_weights.append(SERVICE_WEIGHTS.get(service.name, 2))

    def chain(officer_id: int) -> tuple[int, ...]:
        users = [officer_user[officer_id]]
        users += [manager.user_id for manager in by_pk[officer_id].management_chain()]
        return tuple(dict.fromkeys(users))

    owners = {o for s in services for o in s.owners} | {o for s in services for o in s.ladder}
    chains = {officer_id: chain(officer_id) for officer_id in owners}
    mo_team = {mo.pk, chief.pk}
    concern_officers = [(o.pk, o.service_id) for o in officers if o.service_id and o.pk not in mo_team]
    chair = chair_of_standards()
    whips = defaultdict(list)
    for group_id, member_id, user_id in Member.groups_whipped.through.objects.values_list(
        "politicalgroup_id", "member_id", "member__user_id"
    ):
        whips[group_id].append((member_id, user_id))
    people_director = director_of_people_services()
    return _Council(
        members=members,
        member_weights=member_weights,
        services=services,
        service_weights=service_weights,
        officer_user=officer_user,
        chains=chains,
        concern_officers=concern_officers,
        line_managers=concern_line_managers([o for o, _ in concern_officers]),
        officer_line_manager={o.pk: o.line_manager_id for o in officers},
        serving=serving,
        chief=chief.pk,
        monitoring_officer=mo.pk,
        people_director=people_director.pk if people_director else None,
        chair=(chair.pk, chair.user_id) if chair else None,
        whips=dict(whips),
        behaviours=list(Behaviour.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)),
        committees=list(Committee.objects.order_by("pk").values_list("pk", flat=True)),
        view_enquiry=Permission.objects.get(codename="view_enquiry", content_type__app_label="cases").pk,
        view_concern=Permission.objects.get(codename="view_concern", content_type__app_label="cases").pk,
    )


# --- Working-day arithmetic, cached by day ------------------------------------------------------


class _Clock:
    """The calendar's answers, cached by day for the instance's life (a few thousand days)."""

    def __init__(self, calendar: WorkingDayCalendar, now: datetime) -> None:
        self.calendar, self.now = calendar, now
        self.today = local_date(now)
        self.starts = settings.WORKING_DAY_STARTS_AT
        self.interval = settings.ESCALATION_INTERVAL_WORKING_DAYS
        self.add = functools.cache(calendar.add_working_days)
        self.next_working_day = functools.cache(calendar.next_working_day)
        self.is_working_day = functools.cache(calendar.is_working_day)
        self.start = functools.cache(lambda day: datetime.combine(day, self.starts, tzinfo=TZ))
        self.end = functools.cache(end_of_day)
        self.climbs = functools.cache(self._climbs)
        self.reminder = functools.cache(self._reminder)

    def at(self, day: date, minute: int) -> datetime:
        """``minute`` minutes after midnight on ``day``, local time."""
        return self.start(day) + timedelta(minutes=minute - self.starts.hour * 60 - self.starts.minute)

    def _climbs(self, due_day: date) -> tuple[datetime, ...]:
        """When a case due on ``due_day`` climbs: the start of the next working day, then
        every five working days (escalation.deadlines)."""
        first = self.next_working_day(due_day)
        second = self.add(first, self.interval)
        return self.start(first), self.start(second), self.start(self.add(second, self.interval))

    def _reminder(self, due_day: date) -> datetime:
        """The start of the working day before the due day (escalation.deadlines.reminder_time)."""
        previous = due_day - timedelta(days=1)
        while not self.is_working_day(previous):
            previous -= timedelta(days=1)
        return self.start(previous)

    def remind_at(self, due_at: datetime) -> datetime | None:
        return None if due_at <= self.now else self.reminder(local_date(due_at))


def _moments(rng: random.Random, count: int, clock: _Clock) -> list[tuple[date, int]]:
    """``count`` (day, minute) pairs over the last ten years, in order, more recent years busier."""
    today = clock.today
    first = today.replace(year=today.year - YEARS) + timedelta(days=1)
    span = (today - first).days + 1
    a = GROWTH - 1
    picked = []
    for _ in range(count):
        # Inverse of the CDF of a density rising linearly from 1 to GROWTH over the span.
        u = rng.random()
        x = u if a == 0 else ((1 + a * (2 + a) * u) ** 0.5 - 1) / a
        day = first + timedelta(days=min(int(x * span), span - 1))
        if not clock.is_working_day(day) and rng.random() > CLOSED_DAY_SHARE:
            day = clock.next_working_day(day)
        minute = int(min(max(rng.gauss(12.5 * 60, 150), 7 * 60), 21 * 60))
        picked.append((day, minute))
    # Moving a day forward can pass today: those move back to today, before now.
    now_minute = clock.now.astimezone(TZ).hour * 60 + clock.now.astimezone(TZ).minute
    picked = [
        (today, min(minute, max(now_minute - 1, 0))) if day > today or (day == today and minute >= now_minute)
        else (day, minute)
        for day, minute in picked
    ]  # fmt: skip
    picked.sort()
    return picked


def _weighted(rng: random.Random, items: list, weights: list[float]) -> Callable[[], object]:
    cumulative = list(accumulate(weights))
    total = cumulative[-1]

    def pick():
        return items[bisect_left(cumulative, rng.random() * total)]

    return pick


# --- Writing -------------------------------------------------------------------------------


class _Writer:
    """Buffers rows per table and writes them CHUNK at a time."""

    def __init__(self, report: ScaleReport, timer: _Timer) -> None:
        self.report, self.timer = report, timer
        self.buffers: dict[str, list] = defaultdict(list)
        self.specs: dict[str, tuple] = {}

    def table(self, name: str, model, names: list[str], constants: dict | None = None) -> None:
        self.specs[name] = (model, names, constants or {})

    def add(self, name: str, row: tuple) -> None:
        buffer = self.buffers[name]
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write every buffer, in the order the tables were declared: a case before the rows
        that point at it, so each statement's foreign keys hold when it ends."""
        for table in self.specs:
            rows = self.buffers[table]
            if not rows:
                continue
            model, names, constants = self.specs[table]
            started = time.perf_counter()
            insert_rows(model, names, rows, constants=constants)
            label = f"writing {model._meta.db_table}"
            self.report.seconds[label] = self.report.seconds.get(label, 0.0) + time.perf_counter() - started
            self.report.rows[model._meta.db_table] += len(rows)
            self.buffers[table] = []


def _ids(model, count: int) -> Iterator[int]:
    """``count`` primary keys taken from the table's own sequence, so later inserts follow on."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        taken = 0
        while taken < count:
            batch = min(CHUNK, count - taken)
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, batch]
            )
            yield from (row[0] for row in cursor.fetchall())
            taken += batch


class _References:
    """PREFIX-YEAR-NNNNN, numbered on from each year's ReferenceSequence, which is moved on
    at the end so that later filings continue after these."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.last = dict(ReferenceSequence.objects.filter(prefix=prefix).values_list("year", "last_number"))

    def next(self, year: int) -> str:
        number = self.last.get(year, 0) + 1
        self.last[year] = number
        return f"{self.prefix}-{year}-{number:05d}"

    def save(self) -> None:
        for year, number in self.last.items():
            sequence, _ = ReferenceSequence.objects.get_or_create(prefix=self.prefix, year=year)
            if sequence.last_number < number:
                sequence.last_number = number
                sequence.save(update_fields=["last_number"])


# --- Enquiries -------------------------------------------------------------------------------

ENQUIRY_COLUMNS = [
    "id",
    "reference",
    "member",
    "subject",
    "details",
    "service",
    "ward",
    "purpose",
    "constituent_lives_in_ward",
    "acting_for_constituent",
    "information_needed_for_complaint",
    "state",
    "owner",
    "received_at",
    "clock_started_at",
    "due_at",
    "remind_at",
    "escalate_at",
    "rung",
    "responded_at",
    "answered_at",
    "closed_at",
    "version",
    "first_due_at",
]


class _Enquiries:
    def __init__(self, council: _Council, clock: _Clock, rng: random.Random, writer: _Writer) -> None:
        self.council, self.clock, self.rng, self.writer = council, clock, rng, writer
        self.member = _weighted(rng, council.members, council.member_weights)
        self.service = _weighted(rng, council.services, council.service_weights)
        self.texts = [
            (subject.format(n=n, street=street), details.format(n=n, street=street))
            for subject, details in SUBJECTS
            for street in STREETS
            for n in (3, 14, 27, 58, 112)
        ]
        self.purpose = _weighted(
            rng, [Purpose.CASEWORK, Purpose.INFORMATION, Purpose.DECISION, Purpose.COMMITTEE], [55, 25, 10, 10]
        )
        writer.table("enquiry", Enquiry, ENQUIRY_COLUMNS, {"explicit_consent_needed": False})
        writer.table(
            "escalation",
            EnquiryEscalation,
            ["enquiry", "rung", "from_owner", "to_owner", "due_at", "scheduled_at", "escalated_at", "notified_at"],
            {"after_holding_reply": False},
        )
        writer.table("decline", Decline, ["enquiry", "declined_by", "declined_at"], {"reasons": DECLINE_REASONS})
        writer.table(
            "dispute",
            Dispute,
            ["enquiry", "raised_at", "decision", "decision_reasons", "decided_by", "decided_at"],
            {"reasons": "The information is needed for my ward casework and is the council's to give."},
        )
        writer.table(
            "enquiry_access",
            EnquiryUserObjectPermission,
            ["user", "content_object"],
            {"permission": council.view_enquiry},
        )

    def _respond(self, day: date, received_at: datetime, due_at: datetime, late: bool) -> datetime:
        """A response by the end of the fifth working day, or after it when ``late``."""
        rng, clock = self.rng, self.clock
        if late:
            lateness = 1 + min(int(rng.expovariate(1 / 3)), 40)
            return clock.at(clock.add(local_date(due_at), lateness), rng.randint(8 * 60, 18 * 60))
        offset = rng.choices((0, 1, 2, 3, 4, 5), weights=(6, 22, 24, 20, 15, 13))[0]
        moment = clock.at(clock.add(day, offset) if offset else day, rng.randint(8 * 60 + 30, 17 * 60 + 30))
        if moment <= received_at:
            moment = received_at + timedelta(minutes=rng.randint(20, 180))
        return min(moment, due_at)

    def build(self, count: int, report: ScaleReport) -> None:
        clock, rng, council = self.clock, self.rng, self.council
        references = _References("ENQ")
        ids = _ids(Enquiry, count)
        ladders: dict[tuple[int, int], tuple[int, ...]] = {}
        for day, minute in _moments(rng, count, clock):
            pk = next(ids)
            member_id, member_user, ward_id, _ = self.member()
            service = self.service()
            owner = rng.choice(service.owners)
            steps = ladders.get((service.pk, owner))
            if steps is None:
                steps = ladders[service.pk, owner] = tuple(
                    dict.fromkeys(o for o in service.ladder if o != owner and o in council.serving)
                )
            received_at = clock.at(day, minute)
            state = self._story(pk, day, received_at, service, owner, steps)
            report.enquiries[state["state"]] += 1
            purpose = self.purpose()
            casework = purpose == Purpose.CASEWORK
            subject, details = rng.choice(self.texts)
            self.writer.add(
                "enquiry",
                (
                    pk,
                    references.next(day.year),
                    member_id,
                    subject,
                    details,
                    service.pk,
                    ward_id if casework else None,
                    purpose,
                    True if casework else None,
                    True if casework else None,
                    True if casework else None,
                    state["state"],
                    state["owner"],
                    received_at,
                    state["clock_started_at"],
                    state["due_at"],
                    state["remind_at"],
                    state["escalate_at"],
                    state["rung"],
                    state["responded_at"],
                    state["answered_at"],
                    state["closed_at"],
                    state["version"],
                    state["first_due_at"],
                ),
            )
            users = set(council.chains[owner])
            for to_owner in steps[: state["rung"]]:
                users.update(council.chains.get(to_owner, (council.officer_user[to_owner],)))
            users.add(member_user)
            for user_id in users:
                self.writer.add("enquiry_access", (user_id, pk))
        self.writer.flush()
        references.save()

    def _story(self, pk, day, received_at, service, owner, steps) -> dict:
        """The enquiry's history drawn whole, then cut at now. Returns its columns."""
        rng, clock, now = self.rng, self.clock, self.clock.now
        due_at = clock.end(clock.add(day, settings.ENQUIRY_RESPONSE_WORKING_DAYS))
        fate = rng.random()
        if fate < STUCK:
            kind, responded_at = "stuck", None  # never answered: it climbs to the top and stays
        elif fate < STUCK + WITHDRAWN:
            kind, responded_at = "withdrawn", received_at + timedelta(hours=rng.uniform(2, 96))
        else:
            kind = "declined" if fate < STUCK + WITHDRAWN + DECLINED else "holding" if rng.random() < 0.08 else "answer"
            responded_at = self._respond(day, received_at, due_at, late=rng.random() < LATE)
        # Until someone responds the enquiry climbs its service's ladder, a rung at a time.
        until = now if responded_at is None or responded_at > now else responded_at
        rung = sum(1 for at in clock.climbs(local_date(due_at))[: len(steps)] if at <= until)
        for number in range(1, rung + 1):
            scheduled = clock.climbs(local_date(due_at))[number - 1]
            escalated = scheduled + timedelta(seconds=rng.randint(5, 300))
            told = escalated + timedelta(seconds=rng.randint(1, 60))
            from_owner = steps[number - 2] if number > 1 else owner
            self.writer.add(
                "escalation", (pk, number, from_owner, steps[number - 1], due_at, scheduled, escalated, told)
            )
        columns = {
            "owner": steps[rung - 1] if rung else owner,
            "clock_started_at": received_at,
            "due_at": due_at,
            "first_due_at": due_at,
            "remind_at": None,
            "escalate_at": None,
            "rung": rung,
            "responded_at": None,
            "answered_at": None,
            "closed_at": None,
            "version": 1 + rung,
        }

        def awaiting(state: str, due: datetime, *, first_deadline: bool) -> dict:
            """Still owed a response: reminded before ``due`` and climbing after it."""
            escalate_at = None
            if rung < len(steps):
                escalate_at = clock.climbs(local_date(due))[rung if first_deadline else 0]
            columns.update(state=state, due_at=due, remind_at=clock.remind_at(due), escalate_at=escalate_at)
            return columns

        if responded_at is None or responded_at > now:
            return awaiting(EnquiryState.SUBMITTED, due_at, first_deadline=True)
        if kind == "withdrawn":
            columns.update(state=EnquiryState.WITHDRAWN, closed_at=responded_at, version=columns["version"] + 1)
            return columns
        columns["responded_at"] = responded_at
        if kind == "declined":
            return self._declined(pk, columns, responded_at, service, awaiting)
        answered_at = responded_at
        if kind == "holding":
            # A holding reply with a new target (001 §7.1), and the answer by that target.
            responded_day = local_date(responded_at)
            target_days = rng.randint(3, 10)
            target = clock.end(clock.add(responded_day, target_days))
            answered_day = clock.add(responded_day, rng.randint(1, target_days))
            answered_at = clock.at(answered_day, rng.randint(9 * 60, 17 * 60))
            columns["version"] += 1
            if answered_at > now:
                return awaiting(EnquiryState.HOLDING_REPLY, target, first_deadline=False)
            columns["due_at"] = target
        columns.update(state=EnquiryState.ANSWERED, answered_at=answered_at, version=columns["version"] + 1)
        if rng.random() < CLOSED_BY_MEMBER:
            closed_at = answered_at + timedelta(hours=rng.uniform(1, 120))
            if closed_at <= now:
                columns.update(state=EnquiryState.CLOSED, closed_at=closed_at, version=columns["version"] + 1)
        return columns

    def _declined(self, pk, columns, declined_at, service, awaiting) -> dict:
        rng, clock, now = self.rng, self.clock, self.clock.now
        self.writer.add("decline", (pk, service.decliner, declined_at))
        columns.update(state=EnquiryState.DECLINED, version=columns["version"] + 1)
        if rng.random() >= 0.35:
            return columns
        disputed_at = declined_at + timedelta(hours=rng.uniform(2, 96))
        if disputed_at > now:
            return columns
        disputed_day = local_date(disputed_at)
        dispute_due = clock.end(clock.add(disputed_day, settings.ENQUIRY_RESPONSE_WORKING_DAYS))
        decided_at = clock.at(clock.add(disputed_day, rng.randint(1, 6)), rng.randint(9 * 60, 17 * 60))
        columns.update(clock_started_at=disputed_at, due_at=dispute_due, version=columns["version"] + 1)
        if decided_at > now:
            self.writer.add("dispute", (pk, disputed_at, "", "", None, None))
            columns.update(state=EnquiryState.DISPUTED, remind_at=clock.remind_at(dispute_due))
            return columns
        upheld = rng.random() < 0.6
        decision = Dispute.Decision.UPHELD if upheld else Dispute.Decision.DIRECTED
        reasons = "The decline stands (001 §7.4)." if upheld else "The enquiry is to be answered (001 §7.4)."
        self.writer.add("dispute", (pk, disputed_at, decision, reasons, self.council.chief, decided_at))
        columns["version"] += 1
        if upheld:
            columns.update(state=EnquiryState.CLOSED, closed_at=decided_at)
            return columns
        decided_day = local_date(decided_at)
        new_due = clock.end(clock.add(decided_day, settings.ENQUIRY_RESPONSE_WORKING_DAYS))
        answered_at = clock.at(clock.add(decided_day, rng.randint(1, 5)), rng.randint(9 * 60, 17 * 60))
        columns.update(clock_started_at=decided_at)
        if answered_at > now:
            return awaiting(EnquiryState.SUBMITTED, new_due, first_deadline=False)
        columns.update(state=EnquiryState.ANSWERED, due_at=new_due, answered_at=answered_at)
        columns["version"] += 1
        return columns


DECLINE_REASONS = "This is a matter for the council's complaints procedure, not a member's enquiry (001 §7.1)."


# --- Concerns --------------------------------------------------------------------------------

CONCERN_COLUMNS = [
    "id",
    "reference",
    "kind",
    "complainant_user",
    "complainant_member",
    "complainant_officer",
    "subject_member",
    "subject_officer",
    "occurred_on",
    "what_happened",
    "feels_able_to_talk",
    "safeguarding",
    "state",
    "owner",
    "service",
    "raised_at",
    "stage_started_at",
    "closed_at",
    "outcome",
    "due_at",
    "remind_at",
    "escalate_at",
    "version",
]


class _Concerns:
    def __init__(self, council: _Council, clock: _Clock, rng: random.Random, writer: _Writer) -> None:
        self.council, self.clock, self.rng, self.writer = council, clock, rng, writer
        self.member = _weighted(rng, council.members, council.member_weights)
        writer.table("concern", Concern, CONCERN_COLUMNS, {"rung": 0})
        writer.table(
            "event",
            TimelineEvent,
            ["concern", "at", "actor", "kind", "from_state", "to_state", "to_owner", "note", "internal"],
        )
        writer.table("behaviour", Concern.behaviours.through, ["concern", "behaviour"])
        writer.table(
            "concern_access",
            ConcernUserObjectPermission,
            ["user", "content_object"],
            {"permission": council.view_concern},
        )
        writer.table(
            "informal",
            InformalAction,
            ["concern", "kind", "given_by", "recorded_at"],
            {
                "details": "Words of advice on the protocol, and a training session booked.",
                "recorded_by": council.monitoring_officer,
            },
        )
        writer.table(
            "referral",
            ExternalReferral,
            ["concern", "kind", "referred_by", "referred_at"],
            {"details": "Referred with the concern's record.", "independent_person": ""},
        )
        self.sanctions: list[tuple] = []

    def build(self, count: int, report: ScaleReport) -> None:
        clock, rng = self.clock, self.rng
        references = _References("CON")
        ids = _ids(Concern, count)
        for day, minute in _moments(rng, count, clock):
            pk = next(ids)
            raised_at = clock.at(day, minute)
            state = self._concern(pk, day, raised_at, references.next(day.year))
            report.concerns[state] += 1
        self.writer.flush()
        references.save()
        self._write_sanctions(report)

    def _parties(self) -> dict:
        rng, council = self.rng, self.council
        kind = rng.choices(list(ConcernKind), weights=(45, 40, 15))[0]
        member_id, member_user, _, group_id = self.member()
        officer_id, service_id = rng.choice(council.concern_officers)
        by_member = kind == ConcernKind.MEMBER_ABOUT_OFFICER or (kind == ConcernKind.DUTIES and rng.random() < 0.5)
        return {
            "kind": kind,
            "by_member": by_member,
            "member": (member_id, member_user, group_id),
            "officer": officer_id,
            "service": service_id,
            "complainant_user": member_user if by_member else council.officer_user[officer_id],
        }

    def _participants(self, parties: dict) -> list[int]:
        """Who joins the Monitoring Officer at stage 3 (concern_services.stage_three_participants)."""
        council = self.council
        member_id, _, group_id = parties["member"]
        users = []
        if not parties["by_member"]:  # the subject is the member
            whips = [user for whip, user in council.whips.get(group_id, []) if whip != member_id]
            if whips:
                users += whips
            elif council.chair and council.chair[0] != member_id:
                users.append(council.chair[1])
        else:
            officer = parties["officer"]
            if council.people_director and council.people_director != officer:
                users.append(council.officer_user[council.people_director])
            manager = council.officer_line_manager.get(officer)
            if manager in council.serving:
                users.append(council.officer_user[manager])
        return [user for user in dict.fromkeys(users) if user != parties["complainant_user"]]

    def _concern(self, pk: int, day: date, raised_at: datetime, reference: str) -> str:
        rng, clock, council, now = self.rng, self.clock, self.council, self.clock.now
        parties = self._parties()
        safeguarding = rng.random() < 0.03
        able = rng.random() < 0.75
        stage = 3 if safeguarding else 1 if able else 2
        mo_user = council.officer_user[council.monitoring_officer]
        complainant = parties["complainant_user"]

        def owner_at(number: int) -> int | None:
            if number == 1:
                return None
            if number == 2:
                return council.line_managers.get(parties["officer"]) or council.monitoring_officer
            return council.monitoring_officer

        events = [
            (raised_at, complainant, TimelineEvent.Kind.RAISED, "", "", owner_at(stage), "Concern raised.", False)
        ]
        started, closed_at, state, version, joined = raised_at, None, STAGES[stage - 1], 1, False
        if stage == 3:
            joined = True
        while True:
            start_day = local_date(started)
            due_at = clock.end(clock.add(start_day, settings.CONCERN_STAGE_WORKING_DAYS))
            if stage <= 2 and rng.random() < CONCERN_MISSED_TARGET:
                exit_, at, actor = "up", clock.climbs(local_date(due_at))[0], None
            else:
                exits = STAGE_EXITS[stage]
                exit_ = rng.choices(list(exits), weights=list(exits.values()))[0]
                if stage >= 3 and rng.random() < 0.003:
                    at = None  # stuck with the Monitoring Officer
                else:
                    days = rng.randint(1, settings.CONCERN_STAGE_WORKING_DAYS)
                    if stage >= 3 and rng.random() < 0.25:
                        days += rng.randint(1, 30)
                    at = clock.at(clock.add(start_day, days), rng.randint(9 * 60, 17 * 60))
                    if stage <= 2:
                        at = min(at, due_at)
                if exit_ == "withdrawn" or (stage == 1 and exit_ in ("resolved", "up")):
                    actor = complainant
                elif stage == 2 and exit_ != "withdrawn":
                    actor = council.officer_user.get(owner_at(2), mo_user)
                else:
                    actor = mo_user
            if at is None or at > now:
                break
            from_state = STAGES[stage - 1]
            if exit_ == "up":
                stage += 1
                state, started, version = STAGES[stage - 1], at, version + 1
                if stage == 4:
                    events.append(
                        (at, mo_user, TimelineEvent.Kind.FORMAL_ACTION_PROPOSED, from_state, state, None,
                         "Formal action to follow (000 §VIII).", True)
                    )  # fmt: skip
                else:
                    events.append(
                        (at, actor, TimelineEvent.Kind.STAGE_CHANGED, from_state, state, owner_at(stage),
                         f"Moved to {ConcernState(state).label}.", False)
                    )  # fmt: skip
                joined = joined or stage == 3
                continue
            state, closed_at, version = exit_, at, version + 1
            events.append(
                (at, actor, CLOSING_EVENTS[state], from_state, state, None, OUTCOMES[state] or "Withdrawn.", False)
            )
            if state == ConcernState.INFORMAL_ACTION:
                given_by = InformalAction.GivenBy.WHIP if not parties["by_member"] else InformalAction.GivenBy.MANAGER
                self.writer.add("informal", (pk, InformalAction.Kind.ADVICE, given_by, at))
            elif state == ConcernState.REFERRED:
                referral = (
                    ExternalReferral.Kind.SAFEGUARDING
                    if safeguarding
                    else ExternalReferral.Kind.STANDARDS_COMPLAINT
                    if not parties["by_member"]
                    else ExternalReferral.Kind.POLICE
                )
                by = owner_at(stage) if stage == 2 else council.monitoring_officer
                self.writer.add("referral", (pk, referral, by, at))
            elif state == ConcernState.FORMAL_ACTION:
                self.sanctions.append((pk, parties, at))
            break
        is_open = closed_at is None
        due_at = remind_at = escalate_at = None
        if is_open:
            due_at = clock.end(clock.add(local_date(started), settings.CONCERN_STAGE_WORKING_DAYS))
            remind_at = clock.remind_at(due_at)
            escalate_at = clock.climbs(local_date(due_at))[0] if stage <= 2 else None
        member_id = parties["member"][0]
        by_member = parties["by_member"]
        self.writer.add(
            "concern",
            (
                pk,
                reference,
                parties["kind"],
                complainant,
                member_id if by_member else None,
                None if by_member else parties["officer"],
                None if by_member else member_id,
                parties["officer"] if by_member else None,
                day - timedelta(days=rng.randint(0, 14)),
                rng.choice(CONCERN_TEXTS),
                able,
                safeguarding,
                state,
                owner_at(stage),
                parties["service"],
                raised_at,
                started,
                closed_at,
                OUTCOMES.get(state, "") if not is_open else "",
                due_at,
                remind_at,
                escalate_at,
                version,
            ),
        )
        for at, actor, kind, from_state, to_state, to_owner, note, internal in events:
            self.writer.add("event", (pk, at, actor, kind, from_state, to_state, to_owner, note, internal))
        cited = rng.sample(self.council.behaviours, k=min(len(self.council.behaviours), rng.choice((1, 1, 2, 2, 3))))
        for behaviour in cited:
            self.writer.add("behaviour", (pk, behaviour))
        if joined:
            for user in self._participants(parties):
                self.writer.add("concern_access", (user, pk))
        return state

    def _write_sanctions(self, report: ScaleReport) -> None:
        """The register: a disciplinary step within the group or removal from a committee for
        a councillor (now and then a contact prohibition, long expired), formal disciplinary
        action for an officer. Through the ORM: there are few."""
        rng, council, today = self.rng, self.council, self.clock.today
        sanctions, committees = [], []
        for pk, parties, at in self.sanctions:
            member_id = parties["member"][0]
            fields = {"concern_id": pk, "recorded_by_id": council.monitoring_officer, "recorded_at": at}
            if parties["by_member"]:
                reference = f"HR-{at.year}-{pk:06d}"
                sanctions.append(
                    Sanction(
                        kind=Sanction.Kind.OFFICER_DISCIPLINARY,
                        officer_id=parties["officer"],
                        disciplinary_reference=reference,
                        **fields,
                    )
                )
                continue
            kind = rng.choices(list(Sanction.MEMBER_KINDS), weights=(6, 3, 1))[0]
            ends_on = local_date(at) + timedelta(days=90)
            prohibition = None
            if kind == Sanction.Kind.CONTACT_PROHIBITION and ends_on < today:
                prohibition = ContactProhibition.objects.create(
                    member_id=member_id,
                    scope=ContactProhibition.Scope.OFFICER,
                    officer_id=parties["officer"],
                    starts_on=local_date(at),
                    ends_on=ends_on,
                    created_at=at,
                )
            elif kind == Sanction.Kind.CONTACT_PROHIBITION:
                kind = Sanction.Kind.GROUP_DISCIPLINARY
            if kind == Sanction.Kind.COMMITTEE_REMOVAL and not council.committees:
                kind = Sanction.Kind.GROUP_DISCIPLINARY
            sanction = Sanction(
                kind=kind,
                member_id=member_id,
                prohibition=prohibition,
                details="Recorded with the Group Leader." if kind == Sanction.Kind.GROUP_DISCIPLINARY else "",
                **fields,
            )
            sanctions.append(sanction)
            if kind == Sanction.Kind.COMMITTEE_REMOVAL:
                committees.append((sanction, rng.choice(council.committees)))
        Sanction.objects.bulk_create(sanctions, batch_size=1000)
        Sanction.committees.through.objects.bulk_create(
            [Sanction.committees.through(sanction_id=s.pk, committee_id=c) for s, c in committees]
        )
        report.rows[Sanction._meta.db_table] += len(sanctions)


# --- The whole build -------------------------------------------------------------------------


def build(
    *,
    enquiries: int,
    concerns: int,
    seed: int = 2026,
    now: datetime | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> ScaleReport:
    """Add ``enquiries`` enquiries and ``concerns`` concerns over the last ten years to the
    council in the database (PostgreSQL only), then rebuild the dashboards' summaries."""
    from reporting import summaries

    if connection.vendor != "postgresql":
        raise ValueError("seed_scale writes with PostgreSQL's bulk inserts: set DATABASE_URL=postgres://…")
    now = now or timezone.now()
    report = ScaleReport()
    timer = _Timer(report, log)
    rng = random.Random(seed)
    with timer.step("Reading the council"):
        council = load_council()
        clock = _Clock(council_calendar(), now)
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        with connection.cursor() as cursor:
            # Re-derivable data: a crash loses the lot, which is fine for a benchmark build.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            # Check the foreign keys as each statement ends, not all at the commit: the same work,
            # without queueing millions of pending checks in memory.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        writer = _Writer(report, timer)
        with timer.step(f"Enquiries ({enquiries:,}), their climbs, declines, disputes and access"):
            _Enquiries(council, clock, rng, writer).build(enquiries, report)
        with timer.step(f"Concerns ({concerns:,}), their events, behaviours, access and sanctions"):
            _Concerns(council, clock, rng, writer).build(concerns, report)
    except BaseException:
        atomic.__exit__(*sys.exc_info())
        raise
    with timer.step("Committing"):
        atomic.__exit__(None, None, None)
    tables = [
        connection.ops.quote_name(model._meta.db_table)
        for model in (
            Enquiry,
            EnquiryEscalation,
            Decline,
            Dispute,
            EnquiryUserObjectPermission,
            Concern,
            TimelineEvent,
            ConcernUserObjectPermission,
            Concern.behaviours.through,
        )
    ]
    with timer.step("ANALYZE"), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
    with timer.step("Rebuilding the dashboards' summaries"):
        rebuilt = summaries.rebuild(now=now)
    report.rows["reporting_dailycount"] = rebuilt.rows
    if not connection.in_atomic_block:
        # What autovacuum would do next: the visibility map lets the list pages count from their
        # indexes alone. (Not inside a transaction, as in the tests: VACUUM cannot run there.)
        with timer.step("VACUUM"), connection.cursor() as cursor:
            cursor.execute(f"VACUUM {', '.join([*tables, connection.ops.quote_name(DailyCount._meta.db_table)])}")
    return report
