"""A decade of concerns: each drawn as a whole history through its stages (raised,
climbing when a target is missed, resolved, informal action, referred, withdrawn, formal
action), cut at ``now``, and written with the timeline events the dashboards read, the
behaviours cited, informal actions, external referrals, sanctions and the stage-3
participants' access."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.conf import settings

from cases.models import (
    Concern,
    ConcernKind,
    ConcernState,
    ConcernUserObjectPermission,
    ExternalReferral,
    InformalAction,
    Sanction,
    TimelineEvent,
)
from escalation.calendar import local_date
from people.models import ContactProhibition
from protocol_portal.bench.scale.clock import Clock, moments, weighted
from protocol_portal.bench.scale.organisation import Council
from protocol_portal.bench.scale.writing import References, ScaleReport, Writer, take_ids

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


class Concerns:
    def __init__(self, council: Council, clock: Clock, rng: random.Random, writer: Writer) -> None:
        self.council, self.clock, self.rng, self.writer = council, clock, rng, writer
        self.member = weighted(rng, council.members, council.member_weights)
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
        references = References("CON")
        ids = take_ids(Concern, count)
        for day, minute in moments(rng, count, clock):
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
