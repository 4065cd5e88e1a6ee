"""A decade of enquiries: each drawn as a whole history (filed, answered, late and
climbing, declined and disputed, withdrawn), cut at ``now``, and written with its climbs,
decline, dispute and the guardian rows that let the member, the owner and the owner's
management chain see it."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.conf import settings

from cases.models import (
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
    EnquiryUserObjectPermission,
    Purpose,
)
from escalation.calendar import local_date
from protocol_portal.bench.scale.clock import Clock, moments, weighted
from protocol_portal.bench.scale.organisation import Council
from protocol_portal.bench.scale.writing import References, ScaleReport, Writer, take_ids

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
# Enquiries: the shares that are never answered, withdrawn before a response, declined, answered
# (or declined) late, and closed by the member once answered.
STUCK = 0.0004
WITHDRAWN = 0.02
DECLINED = 0.03
LATE = 0.15
CLOSED_BY_MEMBER = 0.35
DECLINE_REASONS = "This is a matter for the council's complaints procedure, not a member's enquiry (001 §7.1)."

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


class Enquiries:
    def __init__(self, council: Council, clock: Clock, rng: random.Random, writer: Writer) -> None:
        self.council, self.clock, self.rng, self.writer = council, clock, rng, writer
        self.member = weighted(rng, council.members, council.member_weights)
        self.service = weighted(rng, council.services, council.service_weights)
        self.texts = [
            (subject.format(n=n, street=street), details.format(n=n, street=street))
            for subject, details in SUBJECTS
            for street in STREETS
            for n in (3, 14, 27, 58, 112)
        ]
        self.purpose = weighted(
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
        references = References("ENQ")
        ids = take_ids(Enquiry, count)
        ladders: dict[tuple[int, int], tuple[int, ...]] = {}
        for day, minute in moments(rng, count, clock):
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
