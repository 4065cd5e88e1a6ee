"""Concerns, sanctions and positive examples drawn in memory (DESIGN §4–§6; 000 §VI–§VIII,
001 §6): the scripted stories of data/concerns.toml and data/positive_examples.toml, with the
people in them drawn from the council's plan and ``random.Random(SEED + 1)``, without reading
the database.

Contact prohibitions fall only on councillors who are not demo accounts, and only on officers
(or a service) their enquiries never reached: every enquiry in the demo was routed before the
prohibition existed, so a prohibition covering one would contradict it. The demo councillors'
enquiries always route normally.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from cases.models import ConcernState, ExternalReferral, InformalAction, Sanction
from people.models import ContactProhibition
from protocol_portal.demo.content import SEED, content
from protocol_portal.demo.plans import council
from protocol_portal.demo.plans.clock import CLOSES, OPENS, Clock
from protocol_portal.demo.plans.enquiries import EnquiryPlan, plan_demo_enquiries


class ConcernAction(StrEnum):
    ESCALATE = "escalate"
    NOTE = "note"
    REASSIGN = "reassign"
    SHARE = "share"
    RESOLVE = "resolve"
    INFORMAL = "informal"
    PROPOSE = "propose"
    SANCTION = "sanction"
    REFER = "refer"
    WITHDRAW = "withdraw"


C = ConcernAction


@dataclass(frozen=True)
class Who:
    """Someone in a concern or positive-example story: a demo account, or a person drawn
    from the council's plan. Stories naming the same ``key`` share the person."""

    username: str = ""  # a demo account
    party: str = ""  # else a councillor (not a demo account or a Whip) of this group, or council.INDEPENDENT
    service: str = ""  # else an officer in this service who manages no one
    key: str = ""
    committee: str = ""  # the councillor sits on this committee
    never_asked: str = ""  # the councillor has filed no demo enquiry with this service


@dataclass(frozen=True)
class SanctionPlan:
    """A sanction recorded at stage 4 (000 §VIII). A contact prohibition starts on the
    working day after it is recorded, so nothing the member has open is rerouted."""

    kind: str  # Sanction.Kind
    details: str = ""
    committees: tuple[str, ...] = ()
    scope: str = ""  # a contact prohibition: OFFICER covers the complainant, SERVICE covers ``service``
    service: str = ""
    lasts: int = 0  # calendar days; 0: indefinitely
    reference: str = ""  # an officer's disciplinary case
    officer: str = ""  # filled in by the plan: the officer a prohibition covers


@dataclass(frozen=True)
class ConcernStory:
    """A scripted concern (data/concerns.toml). Days count working days before today, as for
    enquiries; each step is a table with its ``action`` and ``day``."""

    complainant: Who
    subject: Who
    raised: int
    expected: str  # the ConcernState the story ends in
    what: str
    behaviours: tuple[str, ...]
    steps: tuple[dict, ...] = ()
    feels_able: bool = True
    safeguarding: bool = False
    duties: bool = False


@dataclass(frozen=True)
class ConcernStep:
    action: ConcernAction
    day: int
    minute: int
    text: str = ""  # the reason, note, outcome or referral details
    outcome: str = ""  # INFORMAL, SANCTION, REFER: what the complainant is told
    officer: str = ""  # REASSIGN: the new handler
    informal: tuple[tuple[str, str, str], ...] = ()  # (kind, given_by, details)
    sanctions: tuple[SanctionPlan, ...] = ()
    referral: str = ""  # ExternalReferral.Kind
    independent_person: str = ""


@dataclass(frozen=True)
class ConcernPlan:
    complainant: str  # usernames
    subject: str
    duties: bool
    raised: int
    minute: int
    occurred_days_before: int  # calendar days before it was raised
    what_happened: str
    behaviours: tuple[str, ...]
    feels_able_to_talk: bool
    safeguarding: bool
    steps: tuple[ConcernStep, ...]
    expected: str


@dataclass(frozen=True)
class PositiveStory:
    """000 §VI: member-officer working that went well (data/positive_examples.toml).
    ``forwarded`` is (day, the Assistant Director's comment); ``acknowledged`` is (day, the
    Monitoring Officer's comment, publishable)."""

    recorded_by: Who
    service: str
    recorded: int
    title: str
    what: str
    members: tuple[Who, ...] = ()
    officers: tuple[Who, ...] = ()
    forwarded: tuple[int, str] | None = None
    acknowledged: tuple[int, str, bool] | None = None


@dataclass(frozen=True)
class PositivePlan:
    recorded_by: str
    service: str
    recorded: int
    minute: int
    happened_days_before: int
    title: str
    what_happened: str
    members: tuple[str, ...]
    officers: tuple[str, ...]
    forwarded: tuple[int, int, str] | None  # (day, minute, comment)
    acknowledged: tuple[int, int, str, bool] | None  # (day, minute, comment, publishable)


@dataclass(frozen=True)
class DemoConcernsPlan:
    concerns: list[ConcernPlan]
    examples: list[PositivePlan]


# --- The stories, read from the data files --------------------------------------


def _who(table: dict) -> Who:
    return Who(**{"username" if name == "account" else name: value for name, value in table.items()})


def _concern_step(table: dict) -> dict:
    """A step as written, its action, kinds and people checked (a misspelt one fails here)."""
    step = {**table, "action": ConcernAction(table["action"])}
    if "to" in step:
        step["to"] = _who(step["to"])
    if "informal" in step:
        step["informal"] = tuple(
            (
                InformalAction.Kind(action["kind"]),
                InformalAction.GivenBy(action["given_by"]) if "given_by" in action else "",
                action["details"],
            )
            for action in step["informal"]
        )
    if "sanctions" in step:
        step["sanctions"] = tuple(
            SanctionPlan(
                kind=Sanction.Kind(sanction["kind"]),
                details=sanction["details"],
                committees=tuple(sanction.get("committees", ())),
                scope=ContactProhibition.Scope(sanction["scope"]) if "scope" in sanction else "",
                service=sanction.get("service", ""),
                lasts=sanction.get("lasts", 0),
                reference=sanction.get("reference", ""),
            )
            for sanction in step["sanctions"]
        )
    if "referral" in step:
        step["referral"] = ExternalReferral.Kind(step["referral"])
    return step


def _concern_story(table: dict) -> ConcernStory:
    return ConcernStory(
        complainant=_who(table["complainant"]),
        subject=_who(table["subject"]),
        raised=table["raised"],
        expected=ConcernState(table["expected"]),
        what=table["what"],
        behaviours=tuple(table["behaviours"]),
        steps=tuple(_concern_step(step) for step in table.get("steps", ())),
        feels_able=table.get("feels_able", True),
        safeguarding=table.get("safeguarding", False),
        duties=table.get("duties", False),
    )


def _positive_story(table: dict) -> PositiveStory:
    forwarded, acknowledged = table.get("forwarded"), table.get("acknowledged")
    return PositiveStory(
        recorded_by=_who(table["recorded_by"]),
        service=table["service"],
        recorded=table["recorded"],
        title=table["title"],
        what=table["what"],
        members=tuple(_who(who) for who in table.get("members", ())),
        officers=tuple(_who(who) for who in table.get("officers", ())),
        forwarded=(forwarded["day"], forwarded["comment"]) if forwarded else None,
        acknowledged=(
            (acknowledged["day"], acknowledged["comment"], acknowledged["publishable"]) if acknowledged else None
        ),
    )


CONCERNS = content("concerns")
# The Independent Person whose views are sought on a standards complaint (Localism Act 2011).
INDEPENDENT_PERSON: str = CONCERNS["independent_person"]
CONCERN_STORIES = [_concern_story(story) for story in CONCERNS["concern"]]
POSITIVE_STORIES = [_positive_story(story) for story in content("positive_examples")["example"]]


def plan_demo_concerns() -> DemoConcernsPlan:
    """Every demo concern and positive example, drawn in memory: the same every time."""
    drawer = _ConcernDrawer(random.Random(SEED + 1), council.plan_demo_council(), plan_demo_enquiries())
    concerns = [drawer.concern(story) for story in CONCERN_STORIES]
    examples = [drawer.example(story) for story in POSITIVE_STORIES]
    return DemoConcernsPlan(concerns=concerns, examples=examples)


class _ConcernDrawer:
    """Draws the people of each story from the council's plan, and their moments."""

    def __init__(self, rng: random.Random, plan: council.CouncilPlan, enquiries: list[EnquiryPlan]) -> None:
        self.rng = rng
        self.people = {person.username: person for person in plan.people}
        self.member_plans = {member.person.username: member for member in plan.members}
        self.officer_plans = {officer.person.username: officer for officer in plan.officers}
        self.group_names = {short: name for name, short in council.GROUPS}
        whips = {username for usernames in plan.group_whips.values() for username in usernames}
        self.councillors = {
            party: [
                m.person.username
                for m in plan.members
                if m.party == party and not m.person.is_demo and m.person.username not in whips
            ]
            for party in [*self.group_names, council.INDEPENDENT]
        }
        # Officers who manage no one and are not liaison officers: the people the stories are about.
        managers = {officer.manager for officer in plan.officers}
        not_staff = managers | {username for service in plan.services for username in service.liaison_officers}
        self.staff = {
            service.name: [
                o.person.username
                for o in plan.officers
                if o.service == service.name
                and not o.is_senior
                and not o.person.is_demo
                and o.person.username not in not_staff
            ]
            for service in plan.services
        }
        self.committees = {committee.name: set(committee.members) for committee in plan.committees}
        self.asked: dict[str, set[str]] = defaultdict(set)
        for enquiry in enquiries:
            self.asked[enquiry.member].add(enquiry.service)
        self.keyed: dict[str, str] = {}
        self.used: set[str] = set()

    def person(self, who: Who) -> str:
        if who.username:
            return who.username
        if who.key in self.keyed:
            return self.keyed[who.key]
        if who.party:
            pool = [
                username
                for username in self.councillors[who.party]
                if (not who.committee or username in self.committees[who.committee])
                and (not who.never_asked or who.never_asked not in self.asked[username])
            ]
        else:
            pool = self.staff[who.service]
        if not pool:
            raise ValueError(f"No one in the demo council fits {who}")
        # Someone new to the stories where possible (the smaller groups run out), so that only
        # the pattern's councillor is the subject of several informal actions.
        fresh = [username for username in pool if username not in self.used]
        username = self.rng.choice(fresh or pool)
        self.used.add(username)
        if who.key:
            self.keyed[who.key] = username
        return username

    def _about(self, prefix: str, username: str) -> dict[str, str]:
        person = self.people[username]
        if username in self.member_plans:
            return {
                prefix: f"Cllr {person.first_name} {person.last_name}",
                f"{prefix}_short": f"Cllr {person.last_name}",
                f"{prefix}_title": "councillor",
            }
        return {
            prefix: f"{person.first_name} {person.last_name}",
            f"{prefix}_short": person.first_name,
            f"{prefix}_title": self.officer_plans[username].job_title,
        }

    def _member_words(self, username: str | None) -> dict[str, str]:
        if username is None:
            return {}
        member = self.member_plans[username]
        group = self.group_names.get(member.party)
        return {"ward": member.ward, "group": f"{group} Group" if group else "councillor's group"}

    def concern(self, story: ConcernStory) -> ConcernPlan:
        complainant, subject = self.person(story.complainant), self.person(story.subject)
        member, officer = (complainant, subject) if complainant in self.member_plans else (subject, complainant)
        # The placeholders the stories' texts may name (data/concerns.toml).
        words = self._about("c", complainant) | self._about("s", subject) | self._member_words(member)
        words["service"] = self.officer_plans[officer].service
        clock = Clock(self.rng, story.raised, self.rng.randint(OPENS, CLOSES))
        minute = clock.minute
        steps = tuple(self._concern_step(step, clock, words, complainant) for step in story.steps)
        return ConcernPlan(
            complainant=complainant,
            subject=subject,
            duties=story.duties,
            raised=story.raised,
            minute=minute,
            occurred_days_before=self.rng.randint(0, 4),
            what_happened=story.what.format(**words),
            behaviours=story.behaviours,
            feels_able_to_talk=story.feels_able,
            safeguarding=story.safeguarding,
            steps=steps,
            expected=story.expected,
        )

    def _concern_step(self, step: dict, clock: Clock, words: dict[str, str], complainant: str) -> ConcernStep:
        action = step["action"]
        moment = clock.at(step["day"])
        if action == C.REASSIGN:
            return ConcernStep(action, *moment, officer=self.person(step["to"]), text=step["text"].format(**words))
        if action == C.INFORMAL:
            informal = tuple((kind, given_by, details.format(**words)) for kind, given_by, details in step["informal"])
            return ConcernStep(action, *moment, informal=informal, outcome=step["outcome"].format(**words))
        if action == C.SANCTION:
            sanctions = tuple(
                SanctionPlan(
                    kind=sanction.kind,
                    details=sanction.details.format(**words),
                    committees=sanction.committees,
                    scope=sanction.scope,
                    service=sanction.service,
                    lasts=sanction.lasts,
                    reference=sanction.reference,
                    officer=complainant if sanction.scope == ContactProhibition.Scope.OFFICER else "",
                )
                for sanction in step["sanctions"]
            )
            return ConcernStep(action, *moment, sanctions=sanctions, outcome=step["outcome"].format(**words))
        if action == C.REFER:
            return ConcernStep(
                action,
                *moment,
                referral=step["referral"],
                text=step["text"].format(**words),
                independent_person=INDEPENDENT_PERSON if step.get("independent_person") else "",
                outcome=step["outcome"].format(**words),
            )
        return ConcernStep(action, *moment, text=step["text"].format(**words))

    def example(self, story: PositiveStory) -> PositivePlan:
        recorded_by = self.person(story.recorded_by)
        members = tuple(self.person(who) for who in story.members)
        officers = tuple(self.person(who) for who in story.officers)
        # The placeholders the stories' texts may name (data/positive_examples.toml).
        words = self._member_words(members[0] if members else None)
        if members:
            words |= self._about("m", members[0])
        if officers:
            words |= self._about("o", officers[0])
        if "ward" not in words and recorded_by in self.member_plans:
            words |= self._member_words(recorded_by)
        clock = Clock(self.rng, story.recorded, self.rng.randint(OPENS, CLOSES))
        minute = clock.minute
        forwarded = acknowledged = None
        if story.forwarded:
            day, comment = story.forwarded
            forwarded = (*clock.at(day), comment)
        if story.acknowledged:
            day, comment, publishable = story.acknowledged
            acknowledged = (*clock.at(day), comment, publishable)
        return PositivePlan(
            recorded_by=recorded_by,
            service=story.service,
            recorded=story.recorded,
            minute=minute,
            happened_days_before=self.rng.randint(1, 10),
            title=story.title,
            what_happened=story.what.format(**words),
            members=members,
            officers=officers,
            forwarded=forwarded,
            acknowledged=acknowledged,
        )
