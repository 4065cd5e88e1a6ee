"""What the figures are called and how each is counted (the "how this is counted" note
beside each table), and the ``Dashboard`` that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from cases.models import ConcernState
from people.models import Directorate
from reporting.disclosure import Cell, Table
from reporting.periods import Period

RUNG_NAMES = {"1": "To the Head of Service", "2": "To the Director", "3": "To the Chief Executive"}
STAGE_NAMES = {
    "1": "Stage 1: direct conversation",
    "2": "Stage 2: line management",
    "3": "Stage 3: Monitoring Officer review",
    "4": "Stage 4: formal sanction",
}
OUTCOME_NAMES = {
    ConcernState.RESOLVED: "Resolved",
    ConcernState.INFORMAL_ACTION: "Informal action",
    ConcernState.FORMAL_ACTION: "Formal action",
    ConcernState.REFERRED: "Referred outside the council",
    ConcernState.WITHDRAWN: "Withdrawn",
}

DEFINITIONS = {
    "enquiries": "Enquiries received in the period, as they stand today. “On time” means answered or given a "
    "holding reply by the end of the fifth working day after receipt (001 §7.1); enquiries still open after "
    "that day count as missed, not left out; those not yet due, or withdrawn unanswered before their "
    "deadline, count in neither.",
    "promised": "Enquiries received in the period, as they stand today, whose first answer (or decline as "
    "inappropriate, with reasons) came by the end of the date promised: the fifth working day after receipt "
    "(001 §7.1), or the new target of a first holding reply sent before that day had passed and no more than "
    f"{settings.HOLDING_REPLY_MAX_WORKING_DAYS} working days after it, or a later date the councillor agreed to "
    "or a manager of the service approved (001 §7.4). A later date still waiting for agreement, or not agreed, "
    "leaves the date as it was. Enquiries not answered by a date that has passed count as after it; those not "
    "yet due, or withdrawn unanswered before it, count in neither.",
    "extensions": "Holding replies on enquiries received in the period whose later date needed agreement (a "
    f"target more than {settings.HOLDING_REPLY_MAX_WORKING_DAYS} working days after the deadline it extends, or "
    "a second holding reply) and got it: agreed by the councillor in the portal, agreed by phone or e-mail as "
    "the officer recorded, or approved by a manager of the service (001 §7.4).",
    "median": "Working days from receipt to the answer, for enquiries received in the period and answered; the "
    "receipt day does not count, weekends, bank holidays and closure days are skipped.",
    "overdue": "Enquiries open now, awaiting an answer or holding reply, whose deadline has passed.",
    "escalations": "Climbs of the ladder (001 §7.1) by enquiries received in the period: first to the Head of "
    "Service, then the Director, then the Chief Executive.",
    "declines": "Enquiries received in the period that a Head of Service or above declined as inappropriate "
    "(001 §7.1); Chief Executive referrals are those the councillor disputed (001 §7.4).",
    "concerns": "Concerns raised in the period, by who raised them about whom (000 §VII, 001 §6).",
    "ladder": "How far concerns raised in the period have climbed: each counts at every stage it reached "
    "(a concern can start at stage 2 when the complainant did not feel able to talk, or at stage 3 with a "
    "safeguarding flag).",
    "outcomes": "Concerns raised in the period that have left the ladder, by how they ended and the stage they "
    "were at (000 §VIII).",
    "behaviours": "Behaviours cited by concerns raised in the period: a concern may cite several.",
    "resolve": "Working days from raising a concern to its outcome, for concerns raised in the period that have "
    "ended other than by withdrawal.",
    "patterns": "Councillors or officers with three or more concerns ended in informal action in the last twelve "
    "months (000 §VIII), today.",
    "sanctions": "Sanctions in force today: contact prohibitions started and not yet ended; other sanctions "
    "recorded in the last twelve months.",
    "positive": "Examples of good member-officer working recorded in the period (000 §VI).",
    "briefings": "Briefings officers offered to a political group, by the date they take place in the period. "
    "One counts as not offered to every group when a group that existed on its day has no offer of it "
    "(001 §9.5.2: a briefing offered to one group is offered to the others); independent councillors are in no "
    "group. By directorate: the directorate of the officer giving it.",
    "trend": "For each month of the period, the share of enquiries received that month answered or given a "
    "holding reply within five working days. Where the exact share would give away a count below 5, it shows "
    "as a band such as 85% or more, one that holds every share a count from 1 to 4 could give, so it tells no "
    "more than the hidden count does. The chart draws the band, and its line runs through the middle of it.",
}


@dataclass
class Dashboard:
    period: Period
    audience: str
    directorate: Directorate | None
    headline: list[tuple[str, Cell, str]] = field(default_factory=list)  # (label, figure, definition key)
    concern_headline: list[tuple[str, Cell, str]] = field(default_factory=list)
    briefing_headline: list[tuple[str, Cell, str]] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    # (month label, the on-time % cell of the month's row: exact, a band, or withheld)
    trend: list[tuple[str, Cell]] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=lambda: dict(DEFINITIONS))
