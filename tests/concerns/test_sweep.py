"""The concern deadline sweep: each stage's target, its reminder and the climb (DESIGN §4:
"Each stage has a target (configurable, default ten working days) with the same reminder
and escalation machinery as enquiries").

The worked example: a concern raised on Monday 1 February 2027 has a target of the end of
Monday 15 February. Whoever acts at its stage is reminded at 08:00 on Friday 12 February
(the complainant at stage 1, the handler at stage 2). Missed, it moves on at 08:00 on
Tuesday 16 February: stage 1 → 2 (line management, 001 §6.1, §6.2), stage 2 → 3 (the
Monitoring Officer with the Whip, 000 §VIII), with a new target from the move. Stages 3 and 4
are the top: they are reminded and shown overdue on the triage queue, never moved.
"""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.concerns import services as cs
from cases.concerns.deadlines import concern_deadline_sweep
from cases.concerns.selectors import concerns_visible_to
from cases.models import Concern, ConcernState, Notification, TimelineEvent
from cases.monitoring.selectors import triage_queue
from cases.tasks import deadline_sweep
from escalation.calendar import end_of_day
from escalation.services import closure_day_add
from tests.concerns.conftest import RAISED, london
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = TimelineEvent.Kind
TARGET = end_of_day(date(2027, 2, 15))
REMINDER = london(2027, 2, 12, 8)
MISSED = london(2027, 2, 16, 8)
SWEPT = london(2027, 2, 16, 9)
# Ten working days from Tuesday 16 February: the end of Tuesday 2 March.
NEXT_TARGET = end_of_day(date(2027, 3, 2))


def reminders(concern: Concern) -> list[Notification]:
    return list(Notification.objects.filter(concern=concern, template="concern_reminder"))


def snapshot() -> list:
    return [
        list(Concern.objects.order_by("pk").values_list("state", "owner", "due_at", "remind_at", "escalate_at")),
        TimelineEvent.objects.count(),
        Notification.objects.count(),
    ]


# --- Reminders -------------------------------------------------------------------------------


def test_it_sends_no_reminder_before_its_time(org, raise_concern):
    concern = raise_concern()
    report = concern_deadline_sweep(now=REMINDER - timedelta(minutes=1))
    assert (report.reminders, report.climbs) == (0, 0)
    assert reminders(concern) == []


def test_it_reminds_the_complainant_the_working_day_before_the_stage_1_target(org, raise_concern):
    concern = raise_concern()
    report = concern_deadline_sweep(now=london(2027, 2, 12, 9))

    assert report.reminders == 1
    (reminder,) = reminders(concern)
    assert reminder.recipient == org.liaison.user
    assert (
        reminder.subject == f"{concern.reference}: reminder, this stage's target is the end of Monday 15 February 2027"
    )
    assert "escalate it to line management (001 §6.1, §6.2)" in reminder.body
    # The subject is never reminded of a concern they have not been shown.
    assert not Notification.objects.filter(recipient=org.councillor.user).exists()
    concern.refresh_from_db()
    assert (concern.state, concern.remind_at) == (ConcernState.DIRECT, None)
    # Once only, however often the sweep runs.
    concern_deadline_sweep(now=london(2027, 2, 12, 9, 5))
    concern_deadline_sweep(now=london(2027, 2, 15, 17))
    assert len(reminders(concern)) == 1


def test_it_reminds_the_handler_the_working_day_before_the_stage_2_target(org, raise_concern):
    concern = raise_concern(feels_able_to_talk=False)
    concern_deadline_sweep(now=london(2027, 2, 12, 9))
    (reminder,) = reminders(concern)
    assert reminder.recipient == org.head.user
    assert "goes to the Monitoring Officer after that day (000 §VIII)" in reminder.body


def test_it_reminds_whoever_handles_stage_2_now(org, raise_concern):
    concern = raise_concern(feels_able_to_talk=False)
    cs.concern_reassign(
        concern=concern, actor=org.monitoring.user, new_owner=org.other_head, reason="", now=london(2027, 2, 2)
    )
    concern_deadline_sweep(now=london(2027, 2, 12, 9))
    assert [reminder.recipient for reminder in reminders(concern)] == [org.other_head.user]


def test_it_reminds_the_monitoring_officer_at_stage_3(org, raise_concern):
    concern = raise_concern(safeguarding=True)
    concern_deadline_sweep(now=london(2027, 2, 12, 9))
    assert [reminder.recipient for reminder in reminders(concern)] == [org.monitoring.user]


def test_it_e_mails_the_reminder_after_the_sweep_commits(
    org, raise_concern, mailoutbox, django_capture_on_commit_callbacks
):
    concern = raise_concern()
    Notification.objects.update(emailed_at=RAISED)  # the receipt went when the concern was raised
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern_deadline_sweep(now=london(2027, 2, 12, 9))
    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        ([org.liaison.user.email], reminders(concern)[0].subject)
    ]


# --- Climbing to the next stage ----------------------------------------------------------------


def test_it_moves_a_concern_to_line_management_when_the_stage_1_target_is_missed(org, raise_concern):
    concern = raise_concern()
    assert concern_deadline_sweep(now=MISSED - timedelta(minutes=1)).climbs == 0

    report = concern_deadline_sweep(now=SWEPT)

    assert report.climbs == 1
    concern.refresh_from_db()
    assert (concern.state, concern.owner, concern.rung) == (ConcernState.LINE_MANAGEMENT, org.head, 1)
    assert concern.stage_started_at == SWEPT
    assert concern.due_at == NEXT_TARGET
    assert concern.remind_at == london(2027, 3, 1, 8)
    assert concern.escalate_at == london(2027, 3, 3, 8)
    (moved,) = concern.timeline.filter(kind=Kind.STAGE_CHANGED)
    assert (moved.from_state, moved.to_state, moved.to_owner, moved.actor) == (
        ConcernState.DIRECT,
        ConcernState.LINE_MANAGEMENT,
        org.head,
        None,
    )
    assert "target for Stage 1: direct conversation passed on Monday 15 February 2027" in moved.note
    assert Notification.objects.filter(concern=concern, recipient=org.liaison.user, template="concern_stage_changed")
    (assigned,) = Notification.objects.filter(concern=concern, recipient=org.head.user, template="concern_assigned")
    assert "Tuesday 2 March 2027" in assigned.body
    assert concern in concerns_visible_to(org.head.user)


def test_it_moves_a_concern_to_the_monitoring_officer_when_the_stage_2_target_is_missed(org, raise_concern, whip):
    concern = raise_concern(feels_able_to_talk=False)
    concern_deadline_sweep(now=SWEPT)

    concern.refresh_from_db()
    assert (concern.state, concern.owner) == (ConcernState.MO_REVIEW, org.monitoring)
    assert concern.due_at == NEXT_TARGET
    # The top: reminded, never moved on.
    assert concern.remind_at == london(2027, 3, 1, 8)
    assert concern.escalate_at is None
    assert Notification.objects.filter(concern=concern, recipient=org.monitoring.user, template="concern_assigned")
    # The Whip joins (000 §VIII); the line manager, no longer handling it, loses sight.
    assert Notification.objects.filter(concern=concern, recipient=whip.user, template="concern_stage_three")
    assert concern in concerns_visible_to(whip.user)
    assert concern not in concerns_visible_to(org.head.user)
    assert Notification.objects.filter(concern=concern, recipient=org.liaison.user, template="concern_stage_changed")


def test_it_climbs_the_whole_ladder_stage_by_stage_and_stops_at_the_monitoring_officer(org, raise_concern):
    concern = raise_concern()
    concern_deadline_sweep(now=SWEPT)
    concern_deadline_sweep(now=london(2027, 3, 3, 9))
    concern.refresh_from_db()
    assert (concern.state, concern.owner, concern.rung) == (ConcernState.MO_REVIEW, org.monitoring, 2)
    # Stage 3 from Wednesday 3 March: its target is the end of Wednesday 17 March.
    assert concern.due_at == end_of_day(date(2027, 3, 17))

    report = concern_deadline_sweep(now=london(2027, 4, 30, 9))
    assert report.climbs == 0
    concern.refresh_from_db()
    assert concern.state == ConcernState.MO_REVIEW
    (item,) = triage_queue(org.monitoring.user, now=london(2027, 4, 30, 9))
    assert item.overdue and "overdue since 17 March 2027" in item.why


def test_it_never_moves_a_stage_3_concern_but_shows_it_overdue(org, raise_concern):
    concern = raise_concern(safeguarding=True)
    before = concern.version
    report = concern_deadline_sweep(now=SWEPT)
    assert (report.climbs, report.at_top) == (0, 0)
    concern.refresh_from_db()
    assert (concern.state, concern.owner, concern.version) == (ConcernState.MO_REVIEW, org.monitoring, before)
    (item,) = triage_queue(org.monitoring.user, now=SWEPT)
    assert (item.reference, item.overdue, item.stage) == (concern.reference, True, 3)


def test_it_never_moves_a_stage_4_concern(org, raise_concern):
    concern = raise_concern(safeguarding=True)
    cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="", now=RAISED)
    assert concern_deadline_sweep(now=london(2027, 5, 3)).climbs == 0
    concern.refresh_from_db()
    assert concern.state == ConcernState.SANCTION


def test_it_does_nothing_more_when_rerun(org, raise_concern):
    raise_concern()
    raise_concern(feels_able_to_talk=False)
    first = concern_deadline_sweep(now=SWEPT)
    assert first.climbs == 2
    after = snapshot()
    again = concern_deadline_sweep(now=SWEPT)
    later = concern_deadline_sweep(now=london(2027, 2, 16, 17))
    assert [(r.reminders, r.climbs, r.batches) for r in (again, later)] == [(0, 0, 0), (0, 0, 0)]
    assert snapshot() == after


def test_it_moves_a_concern_on_once_when_the_sweep_runs_late(org, raise_concern):
    # The worker was down for weeks: the concern moves one stage, and its new stage's target
    # starts from the move, so it does not rush through stage 2 unseen.
    concern = raise_concern()
    report = concern_deadline_sweep(now=london(2027, 3, 10, 9))
    assert (report.reminders, report.climbs) == (0, 1)
    concern.refresh_from_db()
    assert concern.state == ConcernState.LINE_MANAGEMENT
    assert concern.due_at == end_of_day(date(2027, 3, 24))
    # The stale reminder about 15 February was not sent.
    assert reminders(concern) == []


def test_it_never_reminds_or_moves_a_closed_concern(org, raise_concern):
    resolved = raise_concern()
    cs.concern_resolve(concern=resolved, actor=org.liaison.user, outcome="Settled.", now=london(2027, 2, 2))
    withdrawn = raise_concern(feels_able_to_talk=False)
    cs.concern_withdraw(concern=withdrawn, actor=org.liaison.user, now=london(2027, 2, 2))
    report = concern_deadline_sweep(now=london(2027, 3, 10))
    assert (report.reminders, report.climbs) == (0, 0)
    resolved.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (resolved.state, withdrawn.state) == (ConcernState.RESOLVED, ConcernState.WITHDRAWN)


def test_it_refuses_a_form_loaded_before_the_sweep_moved_the_concern(org, raise_concern):
    concern = raise_concern()
    loaded = concern.version
    concern_deadline_sweep(now=SWEPT)
    with pytest.raises(cs.ConcernConflict):
        cs.concern_resolve(
            concern=concern, actor=org.liaison.user, outcome="Settled.", expected_version=loaded, now=SWEPT
        )


def test_it_uses_the_configured_number_of_working_days(org, raise_concern, settings):
    settings.CONCERN_STAGE_WORKING_DAYS = 5
    concern = raise_concern()
    # Five working days from Monday 1 February: the end of Monday 8 February.
    assert concern.due_at == end_of_day(date(2027, 2, 8))
    assert concern.escalate_at == london(2027, 2, 9, 8)
    concern_deadline_sweep(now=london(2027, 2, 9, 9))
    concern.refresh_from_db()
    assert concern.state == ConcernState.LINE_MANAGEMENT
    assert concern.due_at == end_of_day(date(2027, 2, 16))


# --- Closure days ------------------------------------------------------------------------------


def test_it_moves_an_open_concerns_target_past_a_new_closure_day(org, raise_concern):
    concern = raise_concern()
    settled = raise_concern()
    cs.concern_resolve(concern=settled, actor=org.liaison.user, outcome="Settled.", now=london(2027, 2, 2))

    closure_day_add(day=date(2027, 2, 10), reason="Election count", actor=UserFactory(username="democratic"))

    concern.refresh_from_db()
    assert concern.due_at == end_of_day(date(2027, 2, 16))
    assert concern.remind_at == london(2027, 2, 15, 8)
    assert concern.escalate_at == london(2027, 2, 17, 8)
    (changed,) = concern.timeline.filter(kind=Kind.DUE_DATE_CHANGED)
    assert "Tuesday 16 February 2027" in changed.note
    settled.refresh_from_db()
    assert settled.due_at is None
    assert not settled.timeline.filter(kind=Kind.DUE_DATE_CHANGED).exists()
    # The sweep follows the moved target.
    assert concern_deadline_sweep(now=SWEPT).climbs == 0
    assert concern_deadline_sweep(now=london(2027, 2, 17, 9)).climbs == 1


def test_it_leaves_a_target_a_closure_day_does_not_touch(org, raise_concern):
    concern = raise_concern()
    closure_day_add(day=date(2027, 3, 10), reason="Training day", actor=UserFactory(username="democratic"))
    concern.refresh_from_db()
    assert concern.due_at == TARGET
    assert not concern.timeline.filter(kind=Kind.DUE_DATE_CHANGED).exists()


# --- The beat task and the management command ----------------------------------------------------


def test_the_beat_task_sweeps_concerns_too(org, raise_concern):
    concern = raise_concern(now=timezone.now() - timedelta(weeks=4))
    deadline_sweep.delay()
    concern.refresh_from_db()
    assert (concern.state, concern.owner) == (ConcernState.LINE_MANAGEMENT, org.head)


def test_the_command_sweeps_concerns_too(org, raise_concern):
    concern = raise_concern()
    out = io.StringIO()
    call_command("run_deadline_sweep", "--now=2027-02-16T09:00", stdout=out)
    concern.refresh_from_db()
    assert concern.state == ConcernState.LINE_MANAGEMENT
    assert out.getvalue().splitlines() == [
        "Sent 0 reminders and made 0 escalations (0 already at the Chief Executive) as of 2027-02-16 09:00 GMT.",
        "Concerns: sent 0 reminders and moved 1 to their next stage (DESIGN §4).",
    ]


def test_the_command_plans_the_concern_sweep_on_a_dry_run(org, raise_concern):
    concern = raise_concern()
    reminded = raise_concern(now=london(2027, 2, 3))
    before = snapshot()
    out = io.StringIO()
    call_command("run_deadline_sweep", "--dry-run", "--now=2027-02-16T09:00", stdout=out)
    assert out.getvalue().splitlines() == [
        f"  concern: remind owner None of case {reminded.pk} due 2027-02-17",
        f"  concern: climb case {concern.pk} to rung 1: owner None -> {org.head.pk}",
        "Would send 0 reminders and would make 0 escalations (0 already at the Chief Executive) "
        "as of 2027-02-16 09:00 GMT.",
        "Concerns: would send 1 reminders and would move 1 to their next stage (DESIGN §4).",
        "Dry run: nothing was changed or sent.",
    ]
    assert snapshot() == before
