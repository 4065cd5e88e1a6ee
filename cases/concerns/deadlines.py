"""What the deadline sweep means for concerns (DESIGN §4: "the same reminder and escalation
machinery as enquiries"): a stage's target is reminded the working day before, and a
missed target at stage 1 or 2 climbs to the next stage.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.concerns.models import CONCERN_OPEN_STATES, Concern, ConcernState
from cases.concerns.services import concern_climbed, tell
from cases.shared.dispatch import NOTIFICATIONS_SEND_PENDING, task_queue
from escalation.routing import concern_line_managers, concern_reviewer
from escalation.sweep import Claimed, Climb, SweepReport, sweep


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment, timezone.get_default_timezone()):%A %-d %B %Y}"


class ConcernSweep:
    """A concern's stage target works like an enquiry's deadline: the handler (or, at
    stage 1, the complainant) is reminded the working day before; a missed target at
    stage 1 or 2 climbs to the next stage, whose handler is the new owner."""

    bumped_on_change = ("version",)

    def open_cases(self):
        return Concern.objects.filter(state__in=CONCERN_OPEN_STATES)

    def reminded(self, cases: list[Claimed], *, now: datetime) -> None:
        concerns = Concern.objects.filter(pk__in=[case.pk for case in cases]).select_related(
            "owner__user", "complainant_user", "subject_member__user", "subject_officer__user"
        )
        for concern in concerns:
            due = _day(concern.due_at)
            if concern.state == ConcernState.DIRECT:
                recipient = concern.complainant_user
                to_do = (
                    "If talking directly has settled it, record that; if it has not, escalate it to line "
                    "management (001 §6.1, §6.2). Otherwise it moves to line management after that day."
                )
            elif concern.owner_id:
                recipient = concern.owner.user
                to_do = {
                    ConcernState.LINE_MANAGEMENT: "Record the outcome, or send it to the Monitoring Officer; "
                    "otherwise it goes to the Monitoring Officer after that day (000 §VIII).",
                }.get(concern.state, "Record the decision by then (000 §VIII).")
            else:
                continue
            tell(
                recipient=recipient,
                concern=concern,
                template="concern_reminder",
                subject=f"{concern.reference}: reminder, this stage's target is the end of {due}",
                body=f"The concern about {concern.subject_name} is at {concern.get_state_display()}, with a "
                f"target of the end of {due}. {to_do}",
                at=now,
            )

    def climb_targets(self, cases: list[Claimed], *, on: date) -> dict[int, int | None]:
        """Stage 1 → the officer party's line manager (001 §6.1, §6.2); stage 2 → the
        Monitoring Officer (000 §VIII). Stages 3 and 4 never climb (escalate_at is empty)."""
        parties = dict(
            Concern.objects.filter(pk__in=[case.pk for case in cases])
            .annotate(party=Coalesce("complainant_officer_id", "subject_officer_id"))
            .values_list("pk", "party")
        )
        managers = concern_line_managers(parties.values(), on=on)
        targets: dict[int, int | None] = {}
        for case in cases:
            if case.state == ConcernState.DIRECT:
                targets[case.pk] = managers.get(parties[case.pk])
            elif case.state == ConcernState.LINE_MANAGEMENT:
                reviewer = concern_reviewer(excluding=[parties[case.pk]])
                targets[case.pk] = reviewer.pk if reviewer else None
            else:
                targets[case.pk] = None
        return targets

    def climbed(self, climbs: list[Climb], *, now: datetime) -> None:
        concern_climbed([climb.case.pk for climb in climbs], now=now)

    def after_commit(self) -> None:
        task_queue(NOTIFICATIONS_SEND_PENDING)


def concern_deadline_sweep(*, now: datetime | None = None, dry_run: bool = False) -> SweepReport:
    """Remind handlers and move on every concern whose stage target has passed (DESIGN §4)."""
    return sweep(ConcernSweep(), now=now, batch_size=settings.DEADLINE_SWEEP_BATCH_SIZE, dry_run=dry_run)
