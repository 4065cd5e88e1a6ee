"""A year of members' enquiries drawn in memory (DESIGN §2–§6): every enquiry and everything
that happens to it, from the council's plan, the topics and stories in data/topics.toml and
data/enquiries.toml, and ``random.Random(SEED)``, without reading the database.

Moments are counted in working days before today, so the plan is the same whatever the date;
only the calendar dates it lands on move with today (protocol_portal.demo.enquiries).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from enum import StrEnum

from cases.models import ConsentRecord, Marking, Purpose
from protocol_portal.demo.content import SEED, content
from protocol_portal.demo.plans import council
from protocol_portal.demo.plans.clock import CLOSES, OPENS, Clock

# About twelve months of working days: enquiries are filed up to this many working days ago.
YEAR = 250
# Enquiries drawn at random on top of the scripted stories.
RANDOM_ENQUIRIES = 420
# Only answers given this many working days ago or fewer are reopened. A member may reopen
# within five working days of the answer, but the reopen transition's condition checks that
# against the real clock, not the service's ``now=``, so an older answer cannot be reopened
# in the past.
REOPENABLE = 4


class Action(StrEnum):
    REASSIGN = "reassign"
    HOLD = "hold"
    CONSENT = "consent"
    ANSWER = "answer"
    DECLINE = "decline"
    DISPUTE = "dispute"
    UPHOLD = "uphold"
    DIRECT = "direct"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    CLOSE = "close"
    # Issue 15 A3: a later date beyond a holding reply's limits, asked for; the councillor agrees
    # or not, or the Head of Service approves.
    EXTEND = "extend"
    AGREE = "agree"
    APPROVE = "approve"
    REFUSE = "refuse"


A = Action
CASEWORK = Purpose.CASEWORK


# --- What members ask about ------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    key: str
    service: str
    purpose: str
    subject: str
    details: str
    answer: str


@dataclass(frozen=True)
class Story:
    """A scripted enquiry: its topic, when it was filed (working days before today), and the
    steps of its story, each a table with its ``action`` and ``day`` (data/enquiries.toml)."""

    topic: str
    filed: int
    steps: tuple[dict, ...] = ()
    # 001 §8.1 (a)–(c) for ward casework: lives in the ward, acting for them, needed for a complaint.
    consent_answers: tuple[bool | None, bool | None, bool | None] = (True, True, True)


ENQUIRIES = content("enquiries")
PLACES = content("places")
TOPICS = [replace(Topic(**topic), purpose=Purpose(topic["purpose"])) for topic in content("topics")["topic"]]
TOPICS_BY_KEY = {topic.key: topic for topic in TOPICS}
# How often each service is asked, relative to the others: the demo service is the busiest.
SERVICE_WEIGHTS: dict[str, int] = ENQUIRIES["service_weights"]
# What officers, members and the Chief Executive say, by the action they say it with.
TEXTS: dict[Action, list[str]] = {Action(action): texts for action, texts in ENQUIRIES["texts"].items()}
RESIDENTS: list[list[str]] = content("names")["residents"]  # (title, first name)
STREETS: list[str] = [*PLACES["streets"], *PLACES["more_streets"]]


def _story(table: dict) -> Story:
    # A casework story's consent answers: any not given is not known (None).
    consent = table.get("consent")
    answers = (
        (True, True, True)
        if consent is None
        else tuple(consent.get(key) for key in ("lives_in_ward", "acting_for_constituent", "for_complaint"))
    )
    steps = tuple({**step, "action": Action(step["action"])} for step in table["steps"])
    return Story(table["topic"], table["filed"], steps, answers)


def _by_member(tables: list[dict]) -> dict[str, list[Story]]:
    stories: dict[str, list[Story]] = {}
    for table in tables:
        stories.setdefault(table["member"], []).append(_story(table))
    return stories


# The demo councillors' own enquiries, so that every page they see has something to show.
DEMO_STORIES = _by_member(ENQUIRIES["demo_story"])
# Filed by other councillors, so that every state and situation shows up whatever the draw.
COVERAGE_STORIES = [_story(table) for table in ENQUIRIES["coverage_story"]]
# Later dates asked for, agreed, approved or not (issue 15 A3, B7): drawn after the random
# enquiries, so the draws before them stay as they were.
EXTENSION_STORIES = [_story(table) for table in ENQUIRIES["extension_story"]]


# --- The plan ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing that happens to an enquiry, on a working day counted back from today."""

    action: Action
    day: int  # working days before today: 1 is the last working day before today
    minute: int  # minutes after midnight, council time
    text: str = ""
    officer: str = ""  # REASSIGN: the new owner's username
    target: int = 0  # HOLD, EXTEND: the new target day, counted like ``day`` (0 or less: today or later)
    marking: str = ""  # ANSWER
    personal: bool = False  # ANSWER: contains the constituent's personal data
    method: str = ""  # CONSENT
    given_days_before: int = 0  # CONSENT: calendar days before it was recorded


@dataclass(frozen=True)
class EnquiryPlan:
    member: str  # username
    service: str
    purpose: str
    subject: str
    details: str
    ward: str | None
    # 001 §8.1 (a)–(c) for ward casework: lives in the ward, acting for them, needed for a complaint.
    consent_answers: tuple[bool | None, bool | None, bool | None]
    constituent: str  # who gives consent, if it is asked for
    filed: int  # working days before today
    minute: int
    steps: tuple[Step, ...]


def plan_demo_enquiries() -> list[EnquiryPlan]:
    """Every demo enquiry and its story, drawn in memory: the same every time it is called."""
    drawer = _Drawer(random.Random(SEED), council.plan_demo_council())
    plans = [drawer.scripted(username, story) for username, stories in DEMO_STORIES.items() for story in stories]
    plans += [drawer.scripted(drawer.member(), story) for story in COVERAGE_STORIES]
    plans += [drawer.random() for _ in range(RANDOM_ENQUIRIES)]
    plans += [drawer.scripted(drawer.member(), story) for story in EXTENSION_STORIES]
    return plans


def _response_delay(rng: random.Random) -> int:
    """Working days from receipt to the answer: mostly within the five of 001 §7.1, some late,
    a few very late (the ones escalation would have chased)."""
    return rng.choices(range(1, 15), weights=[16, 22, 20, 15, 12, 7, 4, 4, 1, 1, 1, 1, 0.5, 0.5])[0]


class _Drawer:
    def __init__(self, rng: random.Random, plan: council.CouncilPlan) -> None:
        self.rng = rng
        demo = set(DEMO_STORIES)
        self.wards = {m.person.username: m.ward for m in plan.members}
        self.members = [m.person.username for m in plan.members if m.person.username not in demo]
        # Some councillors ask far more than others.
        self.activity = [rng.uniform(0.2, 2.5) for _ in self.members]
        liaison = {username for s in plan.services for username in s.liaison_officers}
        self.colleagues = {
            s.name: sorted(
                o.person.username
                for o in plan.officers
                if o.service == s.name and not o.is_senior and o.person.username not in liaison
            )
            for s in plan.services
        }
        in_service = {service: [t for t in TOPICS if t.service == service] for service in SERVICE_WEIGHTS}
        self.topics = [t for service in SERVICE_WEIGHTS for t in in_service[service]]
        self.topic_weights = [SERVICE_WEIGHTS[t.service] / len(in_service[t.service]) for t in self.topics]

    def member(self) -> str:
        return self.rng.choices(self.members, weights=self.activity)[0]

    # --- Whole enquiries

    def scripted(self, username: str, story: Story) -> EnquiryPlan:
        topic = TOPICS_BY_KEY[story.topic]
        clock = Clock(self.rng, story.filed, self.rng.randint(OPENS, CLOSES))
        filed_minute = clock.minute
        steps = []
        for step in story.steps:
            action, moment = step["action"], clock.at(step["day"])
            if action == A.REASSIGN:
                steps.append(self._step(action, moment, officer=step["to"]))
            elif action in (A.HOLD, A.EXTEND):
                steps.append(self._step(action, moment, target=step["target"]))
            elif action == A.ANSWER:
                steps.append(self._answer(moment, topic, personal=step.get("personal", False)))
            else:
                steps.append(self._step(action, moment))
        return self._plan(username, topic, story.consent_answers, story.filed, filed_minute, steps)

    def random(self) -> EnquiryPlan:
        rng = self.rng
        username = self.member()
        topic = rng.choices(self.topics, weights=self.topic_weights)[0]
        # A steady flow over the year, and more in the last three weeks so the queues are busy.
        filed = rng.randint(1, YEAR) if rng.random() < 0.8 else rng.randint(1, 15)
        consent_answers = (True, True, True)
        if topic.purpose == CASEWORK and rng.random() < 0.2:
            consent_answers = rng.choice([(True, True, False), (False, True, True), (True, True, None)])
        explicit = consent_answers != (True, True, True)
        clock = Clock(rng, filed, rng.randint(OPENS, CLOSES))
        filed_minute = clock.minute
        steps = self._random_story(clock, topic, explicit)
        return self._plan(username, topic, consent_answers, filed, filed_minute, steps)

    def _plan(self, username, topic, consent_answers, filed, minute, steps) -> EnquiryPlan:
        rng = self.rng
        title, first = rng.choice(RESIDENTS)
        last = rng.choice(council.LAST_NAMES)
        street, street2 = rng.sample(STREETS, 2)
        ward = self.wards[username]
        # The placeholders the topics' texts may name.
        words = {
            "resident": f"{title} {last}",
            "street": street,
            "street2": street2,
            "number": rng.randint(2, 180),
            "ward": ward,
            "school": rng.choice(PLACES["schools"]),
            "park": rng.choice(PLACES["parks"]),
        }
        casework = topic.purpose == CASEWORK
        steps = [replace(step, text=step.text.format(**words)) if step.action == A.ANSWER else step for step in steps]
        return EnquiryPlan(
            member=username,
            service=topic.service,
            purpose=topic.purpose,
            subject=topic.subject.format(**words),
            details=topic.details.format(**words),
            ward=ward if casework or "{ward}" in topic.subject + topic.details else None,
            consent_answers=consent_answers if casework else (None, None, None),
            constituent=f"{first} {last}",
            filed=filed,
            minute=minute,
            steps=tuple(steps),
        )

    # --- Stories

    def _random_story(self, clock: Clock, topic: Topic, explicit: bool) -> list[Step]:
        rng = self.rng
        steps = []
        colleagues = self.colleagues[topic.service]
        if topic.service == council.DEMO_SERVICE and rng.random() < 0.55:
            # The demo officer takes most of what the liaison officer hands on.
            to = council.DEMO_CHAIN["officer"] if rng.random() < 0.6 else rng.choice(colleagues)
            steps.append(self._step(A.REASSIGN, clock.after(rng.choice((0, 0, 1))), officer=to))
        elif topic.service != council.DEMO_SERVICE and colleagues and rng.random() < 0.3:
            steps.append(self._step(A.REASSIGN, clock.after(rng.choice((0, 0, 1))), officer=rng.choice(colleagues)))
        fate = rng.random()
        if fate < 0.03:
            steps.append(self._step(A.WITHDRAW, clock.after(rng.randint(0, 3))))
        elif fate < 0.09:
            steps += self._declined(clock, topic, explicit)
        elif fate < 0.18:
            moment = clock.after(rng.randint(2, 5))
            hold_day = moment[0]
            target = hold_day - rng.randint(4, 10)
            steps.append(self._step(A.HOLD, moment, target=target))
            # Mostly on or before the new target; now and then after it.
            answer_day = min(target + rng.choice((3, 2, 1, 1, 0, 0, 0, -1, -2)), hold_day - 1)
            steps += self._answered(clock, topic, explicit, answer_day)
        else:
            steps += self._answered(clock, topic, explicit, clock.day - _response_delay(rng))
        return steps

    def _declined(self, clock: Clock, topic: Topic, explicit: bool) -> list[Step]:
        rng = self.rng
        steps = [self._step(A.DECLINE, clock.after(rng.randint(1, 4)))]
        then = rng.random()
        if then < 0.5:
            steps.append(self._step(A.DISPUTE, clock.after(rng.randint(1, 3))))
            if rng.random() < 0.55:
                steps.append(self._step(A.UPHOLD, clock.after(rng.randint(1, 5))))
            else:
                steps.append(self._step(A.DIRECT, clock.after(rng.randint(1, 5))))
                steps += self._answered(clock, topic, explicit, clock.day - rng.randint(1, 5))
        elif then < 0.6:
            steps.append(self._step(A.WITHDRAW, clock.after(rng.randint(1, 3))))
        return steps

    def _answered(self, clock: Clock, topic: Topic, explicit: bool, day: int) -> list[Step]:
        rng = self.rng
        steps = []
        personal = False
        if topic.purpose == CASEWORK:
            if explicit and rng.random() < 0.6:
                # 001 §8.2: consent recorded first, so the answer may include the constituent's data.
                steps.append(self._consent(clock.at(day + rng.randint(0, 2))))
                personal = True
            elif not explicit:
                personal = rng.random() < 0.5
        steps.append(self._answer(clock.at(day), topic, personal=personal))
        after = rng.random()
        if after < 0.27:
            steps.append(self._step(A.CLOSE, clock.after(rng.randint(0, 8))))
        elif after < 0.45 and clock.day <= REOPENABLE:
            steps.append(self._step(A.REOPEN, clock.after(rng.randint(1, 3))))
            steps.append(self._answer(clock.after(rng.randint(1, 6)), topic, follow_up=True))
            if rng.random() < 0.35:
                steps.append(self._step(A.CLOSE, clock.after(rng.randint(0, 6))))
        return steps

    # --- Steps

    def _step(self, action: Action, moment: tuple[int, int], **values) -> Step:
        if action in TEXTS:
            values["text"] = self.rng.choice(TEXTS[action])
        day, minute = moment
        return Step(action, day, minute, **values)

    def _answer(self, moment: tuple[int, int], topic: Topic, *, personal: bool = False, follow_up=False) -> Step:
        # 001 §7.3: casework answers are mostly confidential; answers about policy mostly public.
        confidential = self.rng.random() < (0.8 if topic.purpose == CASEWORK else 0.25)
        text = self.rng.choice(ENQUIRIES["follow_up_answers"]) if follow_up else topic.answer
        marking = Marking.CONFIDENTIAL if confidential else Marking.PUBLIC
        return self._step(A.ANSWER, moment, text=text, marking=marking, personal=personal)

    def _consent(self, moment: tuple[int, int]) -> Step:
        method = self.rng.choice(ConsentRecord.Method.values)
        return self._step(A.CONSENT, moment, method=method, given_days_before=self.rng.randint(0, 3))
