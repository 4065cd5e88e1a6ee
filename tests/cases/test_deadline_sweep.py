"""The deadline sweep for members' enquiries: reminders and the climb up the ladder (001 §7.1, §7.4).

The clock is moved by passing ``now=`` to the services and to ``enquiry_deadline_sweep``.
The worked example throughout: an enquiry filed on Friday 18 December 2026 is due by the
end of Tuesday 29 December (Fri 25 and Mon 28 December are bank holidays). Its owner is
reminded on Thursday 24 December; it climbs to the Head of Service on Wednesday 30
December, to the Director on Thursday 7 January 2027 (Fri 1 January is a bank holiday),
to the Chief Executive on Thursday 14 January, and stops there.
"""

import io
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.enquiries.deadlines import enquiry_deadline_sweep
from cases.enquiries.selectors import enquiries_visible_to, officer_work_queue
from cases.enquiries.services import (
    EnquiryConflict,
    enquiry_answer,
    enquiry_decline,
    enquiry_dispute,
    enquiry_file,
    enquiry_hold,
    enquiry_reassign,
    enquiry_reopen,
)
from cases.models import (
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
    EnquiryUserObjectPermission,
    Marking,
    Notification,
    Purpose,
    TimelineEvent,
)
from cases.tasks import deadline_sweep
from escalation.calendar import end_of_day
from escalation.services import closure_day_add
from tests.factories import OfficerFactory, ServiceFactory

LONDON = ZoneInfo("Europe/London")
Kind = TimelineEvent.Kind


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


FILED = london(2026, 12, 18, 10)
DUE = end_of_day(date(2026, 12, 29))
REMINDER = london(2026, 12, 24, 8)
FIRST_CLIMB = london(2026, 12, 30, 8)
SECOND_CLIMB = london(2027, 1, 7, 8)
THIRD_CLIMB = london(2027, 1, 14, 8)
AFTER_THE_TOP = london(2027, 1, 21, 8)
# Twenty working days after the deadline: the worker was down all that time.
CATCH_UP = london(2027, 1, 27, 9)
WHY = "because it was due by the end of Tuesday 29 December 2026 and has had no answer or holding reply"


@pytest.fixture(autouse=True)
def england(settings):
    settings.COUNCIL_NATION = "england-and-wales"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service or a sweep and what it queues after commit (e-mails land in mailoutbox)."""

    def run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


@pytest.fixture
def sweep(committed, mailoutbox):
    """Sweep as of ``now``; mailoutbox then holds only what this sweep sent."""

    def run(now: datetime):
        mailoutbox.clear()
        return committed(enquiry_deadline_sweep, now=now)

    return run


@pytest.fixture
def file(org, committed):
    def run(*, service=None, now: datetime = FILED) -> Enquiry:
        return committed(
            enquiry_file,
            member=org.councillor,
            service=service or org.highways,
            subject="Pothole on Mill Road",
            details="A deep pothole outside number 12 has damaged two cars.",
            purpose=Purpose.INFORMATION,
            now=now,
        )

    return run


@pytest.fixture
def enquiry(file) -> Enquiry:
    return file()


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "correct-horse-battery-staple")


@pytest.fixture
def parks(org):
    """A service with no Head of Service: its ladder starts at the Director."""
    service = ServiceFactory(name="Parks", directorate=org.highways.directorate, head_of_service=None)
    liaison = OfficerFactory(user__username="parks.liaison", job_title="Parks Officer", service=service)
    service.liaison_officers.set([liaison])
    return service


@pytest.fixture
def planning(org):
    """A service the Director heads themself."""
    service = ServiceFactory(name="Planning", directorate=org.highways.directorate, head_of_service=org.director)
    liaison = OfficerFactory(user__username="planning.liaison", job_title="Planning Officer", service=service)
    service.liaison_officers.set([liaison])
    return service


def hold(enquiry, *, actor, target_on: date, now: datetime) -> Enquiry:
    return enquiry_hold(enquiry=enquiry, actor=actor, reason="The survey is booked.", target_on=target_on, now=now)


def answer(enquiry, *, actor, now: datetime, **kwargs) -> Enquiry:
    return enquiry_answer(
        enquiry=enquiry,
        actor=actor,
        text="The pothole will be filled on Friday.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
        now=now,
        **kwargs,
    )


def sent(mailoutbox, template: str = "") -> list[tuple[str, str]]:
    """(to, subject) of each e-mail sent, or only those of notifications whose template contains ``template``."""
    messages = [(message.to[0], message.subject) for message in mailoutbox]
    if template:
        subjects = set(Notification.objects.filter(template__contains=template).values_list("subject", flat=True))
        messages = [(to, subject) for to, subject in messages if subject in subjects]
    return sorted(messages)


def climbs(enquiry) -> list[tuple[int, int, int]]:
    return list(enquiry.escalations.order_by("rung").values_list("rung", "from_owner", "to_owner"))


def escalated(enquiry) -> list[TimelineEvent]:
    return list(enquiry.timeline.filter(kind=Kind.ESCALATED).order_by("pk"))


def reminded(enquiry) -> list[TimelineEvent]:
    return list(enquiry.timeline.filter(kind=Kind.REMINDED).order_by("pk"))


def counts() -> tuple[int, int, int]:
    return EnquiryEscalation.objects.count(), TimelineEvent.objects.count(), Notification.objects.count()


# --- The reminder --------------------------------------------------------------------------


def test_it_schedules_the_reminder_and_the_first_climb_when_the_enquiry_is_filed(enquiry):
    assert (enquiry.due_at, enquiry.remind_at, enquiry.escalate_at, enquiry.rung) == (DUE, REMINDER, FIRST_CLIMB, 0)


@pytest.mark.parametrize("now", [london(2026, 12, 23, 17), REMINDER - timedelta(microseconds=1)])
def test_it_sends_no_reminder_before_its_time(enquiry, sweep, mailoutbox, now):
    report = sweep(now)
    assert (report.reminders, report.climbs) == (0, 0)
    enquiry.refresh_from_db()
    assert enquiry.remind_at == REMINDER
    assert reminded(enquiry) == []
    assert mailoutbox == []


def test_it_reminds_the_owner_the_working_day_before_the_deadline(org, enquiry, sweep, mailoutbox):
    report = sweep(REMINDER)
    assert (report.reminders, report.climbs) == (1, 0)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.remind_at, enquiry.escalate_at) == (org.liaison, None, FIRST_CLIMB)
    assert sent(mailoutbox) == [
        (org.liaison.user.email, "ENQ-2026-00001: reminder, due by the end of Tuesday 29 December 2026")
    ]
    assert "Answer it or send a holding reply by then" in mailoutbox[0].body
    [event] = reminded(enquiry)
    assert event.at == REMINDER
    assert event.internal
    assert event.note == f"Reminded {org.liaison.name} that it is due by the end of Tuesday 29 December 2026."


def test_it_reminds_once_however_often_the_sweep_runs(org, enquiry, sweep, mailoutbox):
    sweep(REMINDER)
    before = counts()
    for now in (REMINDER, london(2026, 12, 24, 17), london(2026, 12, 29, 16)):
        report = sweep(now)
        assert (report.reminders, report.climbs) == (0, 0)
        assert mailoutbox == []
    assert counts() == before
    assert len(reminded(enquiry)) == 1
    assert Notification.objects.filter(template="enquiry_reminder").count() == 1


def test_it_reminds_the_owner_again_before_a_holding_replys_target(org, enquiry, sweep, committed, mailoutbox):
    sweep(REMINDER)
    enquiry = committed(hold, enquiry=enquiry, actor=org.liaison.user, target_on=date(2027, 1, 5), now=REMINDER)
    # The target is Tuesday 5 January 2027: reminded on Monday 4 January.
    assert enquiry.remind_at == london(2027, 1, 4, 8)
    assert sweep(london(2026, 12, 31, 16)).reminders == 0
    report = sweep(london(2027, 1, 4, 8))
    assert report.reminders == 1
    assert sent(mailoutbox) == [
        (org.liaison.user.email, "ENQ-2026-00001: reminder, due by the end of Tuesday 5 January 2027")
    ]
    assert len(reminded(enquiry)) == 2


def test_it_reminds_before_the_target_of_a_holding_reply_sent_before_the_first_reminder(org, enquiry, sweep, committed):
    committed(hold, enquiry=enquiry, actor=org.liaison.user, target_on=date(2027, 1, 8), now=london(2026, 12, 21))
    assert sweep(REMINDER).reminders == 0
    assert sweep(london(2027, 1, 7, 8)).reminders == 1
    [event] = reminded(enquiry)
    assert "due by the end of Friday 8 January 2027" in event.note


# --- Climbing the ladder ---------------------------------------------------------------------


@pytest.mark.parametrize("now", [DUE, FIRST_CLIMB - timedelta(microseconds=1)])
def test_it_does_not_climb_before_the_first_working_day_after_the_deadline(org, enquiry, sweep, now):
    sweep(REMINDER)
    report = sweep(now)
    assert report.climbs == 0
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung, enquiry.escalate_at) == (org.liaison, 0, FIRST_CLIMB)
    assert climbs(enquiry) == []


# (when it climbs, who had it, who has it now, the rung reached, the next climb)
RUNGS = [
    pytest.param([FIRST_CLIMB], "liaison", "head", 1, SECOND_CLIMB, id="to-the-head-of-service"),
    pytest.param([FIRST_CLIMB, SECOND_CLIMB], "head", "director", 2, THIRD_CLIMB, id="to-the-director"),
    pytest.param(
        [FIRST_CLIMB, SECOND_CLIMB, THIRD_CLIMB], "director", "chief", 3, AFTER_THE_TOP, id="to-the-chief-executive"
    ),
]


@pytest.mark.parametrize(("times", "previous", "accountable", "rung", "next_climb"), RUNGS)
def test_it_climbs_a_rung_and_makes_the_next_officer_accountable(
    org, enquiry, sweep, mailoutbox, times, previous, accountable, rung, next_climb
):
    previous, accountable = getattr(org, previous), getattr(org, accountable)
    sweep(REMINDER)
    for now in times[:-1]:
        sweep(now)
    version = Enquiry.objects.get(pk=enquiry.pk).version

    report = sweep(times[-1])

    assert (report.reminders, report.climbs, report.at_top) == (0, 1, 0)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung, enquiry.escalate_at) == (accountable, rung, next_climb)
    assert enquiry.version == version + 1  # a form loaded before the climb is refused
    assert enquiry.state == EnquiryState.SUBMITTED
    escalation = enquiry.escalations.get(rung=rung)
    assert (escalation.from_owner, escalation.to_owner) == (previous, accountable)
    assert (escalation.due_at, escalation.escalated_at) == (DUE, times[-1])
    assert len(climbs(enquiry)) == rung

    event = escalated(enquiry)[-1]
    assert (event.from_owner, event.to_owner, event.at) == (previous, accountable, times[-1])
    assert not event.internal  # the member sees who is accountable now, and why
    assert event.note == (
        f"Escalated from {previous.name} to {accountable.name}, {accountable.job_title}, {WHY} (001 §7.1)."
    )

    assert sent(mailoutbox, "escalat") == sorted(
        [
            (org.councillor.user.email, f"ENQ-2026-00001: {accountable.name} is now accountable for your enquiry"),
            (accountable.user.email, "ENQ-2026-00001: an overdue enquiry has been escalated to you"),
        ]
    )
    to_member = next(message for message in mailoutbox if message.to == [org.councillor.user.email])
    assert f"{accountable.name}, {accountable.job_title}, is now accountable for it" in to_member.body
    assert WHY in to_member.body
    to_owner = next(message for message in mailoutbox if message.to == [accountable.user.email])
    assert f"escalated to you from {previous.name}, {previous.job_title}, {WHY}" in to_owner.body

    assert enquiries_visible_to(accountable.user).filter(pk=enquiry.pk).exists()
    assert list(officer_work_queue(accountable.user).filter(pk=enquiry.pk)) == [enquiry]
    assert not officer_work_queue(previous.user).filter(pk=enquiry.pk).exists()


def test_it_lets_the_new_owner_see_and_answer_it(org, enquiry, sweep, committed):
    sweep(FIRST_CLIMB)
    assert enquiries_visible_to(org.head.user).filter(pk=enquiry.pk).exists()
    enquiry = committed(answer, enquiry=enquiry, actor=org.head.user, now=london(2026, 12, 30, 11))
    assert enquiry.state == EnquiryState.ANSWERED


def test_it_stops_at_the_chief_executive(org, enquiry, sweep, mailoutbox):
    for now in (FIRST_CLIMB, SECOND_CLIMB, THIRD_CLIMB):
        sweep(now)
    before = counts()

    report = sweep(AFTER_THE_TOP)

    assert (report.climbs, report.at_top) == (0, 1)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung, enquiry.escalate_at) == (org.chief, 3, None)
    assert counts() == before
    assert mailoutbox == []
    report = sweep(london(2027, 6, 1))
    assert (report.reminders, report.climbs, report.at_top) == (0, 0, 0)
    assert counts() == before


def test_it_skips_a_service_without_a_head_of_service(org, parks, file, sweep):
    enquiry = file(service=parks)
    liaison = enquiry.owner

    sweep(FIRST_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 1)

    sweep(SECOND_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.chief, 2)
    assert climbs(enquiry) == [(1, liaison.pk, org.director.pk), (2, org.director.pk, org.chief.pk)]

    assert sweep(THIRD_CLIMB).at_top == 1
    enquiry.refresh_from_db()
    assert enquiry.escalate_at is None


def test_it_skips_a_rung_held_by_the_same_person(org, planning, file, sweep):
    # The Director also heads Planning: after them comes the Chief Executive, not the Director again.
    enquiry = file(service=planning)
    liaison = enquiry.owner
    sweep(FIRST_CLIMB)
    sweep(SECOND_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.chief, 2)
    assert climbs(enquiry) == [(1, liaison.pk, org.director.pk), (2, org.director.pk, org.chief.pk)]
    assert [(event.from_owner, event.to_owner) for event in escalated(enquiry)] == [
        (liaison, org.director),
        (org.director, org.chief),
    ]


def test_it_skips_a_head_of_service_who_has_left(org, enquiry, sweep):
    org.head.left_on = date(2026, 12, 29)
    org.head.save()
    sweep(FIRST_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 1)


def test_it_climbs_a_service_headed_by_its_own_liaison_officer_past_them(org, file, sweep):
    # Libraries has no liaison officer, so its Head of Service owns the enquiry from the start.
    enquiry = file(service=org.libraries)
    assert enquiry.owner == org.other_head
    sweep(FIRST_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 1)


# --- Working days ----------------------------------------------------------------------------


def test_it_does_not_count_new_years_day_between_climbs(org, enquiry, sweep):
    sweep(FIRST_CLIMB)
    # Five working days after Wednesday 30 December would be Wednesday 6 January if
    # Friday 1 January counted.
    assert sweep(london(2027, 1, 6, 12)).climbs == 0
    assert sweep(SECOND_CLIMB).climbs == 1


def test_it_pushes_the_climb_past_a_closure_day_in_the_enquirys_window(org, enquiry, admin, sweep):
    closure_day_add(day=date(2026, 12, 22), reason="Office move", actor=admin)
    enquiry.refresh_from_db()
    assert enquiry.due_at == end_of_day(date(2026, 12, 30))
    assert sweep(REMINDER).reminders == 0
    assert sweep(london(2026, 12, 29, 8)).reminders == 1
    assert sweep(london(2026, 12, 30, 12)).climbs == 0
    assert sweep(london(2026, 12, 31, 8)).climbs == 1


def test_it_counts_a_closure_day_known_at_the_climb_out_of_the_next_interval(org, enquiry, admin, sweep):
    closure_day_add(day=date(2027, 1, 5), reason="Office move", actor=admin)
    sweep(FIRST_CLIMB)
    enquiry.refresh_from_db()
    assert enquiry.escalate_at == london(2027, 1, 8, 8)
    assert sweep(london(2027, 1, 7, 12)).climbs == 0
    assert sweep(london(2027, 1, 8, 8)).climbs == 1


def test_it_pushes_the_first_climb_past_a_closure_day_added_on_the_day_after_the_deadline(org, enquiry, admin, sweep):
    # 001 §7.1: the climb is on the first *working* day after the missed deadline. The
    # council closes on Wednesday 30 December after the enquiry was filed.
    closure_day_add(day=date(2026, 12, 30), reason="Snow", actor=admin)
    assert sweep(london(2026, 12, 30, 12)).climbs == 0
    assert sweep(london(2026, 12, 31, 8)).climbs == 1


def test_it_pushes_the_next_climb_past_a_closure_day_added_after_the_last_climb(org, enquiry, admin, sweep):
    # Climbed on Wednesday 30 December; then the council closes on Tuesday 5 January, inside
    # the five working days before the next climb, which moves to Friday 8 January.
    sweep(FIRST_CLIMB)
    closure_day_add(day=date(2027, 1, 5), reason="Snow", actor=admin)
    assert sweep(london(2027, 1, 7, 12)).climbs == 0
    assert sweep(london(2027, 1, 8, 8)).climbs == 1


def test_it_does_not_climb_a_reopened_enquiry_before_its_moved_deadline(org, enquiry, admin, sweep, committed):
    # Climbed to the Head of Service, answered, then reopened on Monday 4 January with a
    # fresh deadline of Monday 11 January; a closure on Wednesday 6 January moves the
    # deadline to Tuesday 12 January, so nothing may climb before Wednesday 13 January.
    sweep(FIRST_CLIMB)
    committed(answer, enquiry=enquiry, actor=org.head.user, now=london(2026, 12, 31))
    enquiry = committed(
        enquiry_reopen,
        enquiry=Enquiry.objects.get(pk=enquiry.pk),
        actor=org.councillor.user,
        follow_up="When exactly?",
        now=london(2027, 1, 4),
    )
    assert enquiry.due_at == end_of_day(date(2027, 1, 11))
    closure_day_add(day=date(2027, 1, 6), reason="Snow", actor=admin)
    enquiry.refresh_from_db()
    assert enquiry.due_at == end_of_day(date(2027, 1, 12))
    assert enquiry.escalate_at == london(2027, 1, 13, 8)
    assert sweep(london(2027, 1, 12, 9)).climbs == 0
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.head, 1)


# --- What stops the climb ----------------------------------------------------------------------


def test_it_stops_climbing_once_answered(org, enquiry, sweep, committed, mailoutbox):
    sweep(FIRST_CLIMB)
    enquiry = committed(answer, enquiry=enquiry, actor=org.head.user, now=london(2026, 12, 31))
    assert (enquiry.remind_at, enquiry.escalate_at) == (None, None)
    before = counts()
    for now in (SECOND_CLIMB, THIRD_CLIMB, CATCH_UP):
        report = sweep(now)
        assert (report.reminders, report.climbs, report.at_top) == (0, 0, 0)
        assert mailoutbox == []
    assert counts() == before
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung, enquiry.state) == (org.head, 1, EnquiryState.ANSWERED)


def test_it_never_reminds_or_climbs_an_enquiry_answered_in_time(org, enquiry, sweep, committed):
    enquiry = committed(answer, enquiry=enquiry, actor=org.liaison.user, now=london(2026, 12, 21))
    assert (enquiry.remind_at, enquiry.escalate_at) == (None, None)
    report = sweep(CATCH_UP)
    assert (report.reminders, report.climbs) == (0, 0)
    assert climbs(enquiry) == []


def test_it_climbs_only_after_a_holding_replys_target_is_missed(org, enquiry, sweep, committed):
    # The holding reply sets the target to Friday 8 January 2027: the first climb is then
    # Monday 11 January, not Wednesday 30 December.
    enquiry = committed(
        hold, enquiry=enquiry, actor=org.liaison.user, target_on=date(2027, 1, 8), now=london(2026, 12, 21)
    )
    assert enquiry.escalate_at == london(2027, 1, 11, 8)
    assert sweep(FIRST_CLIMB).climbs == 0
    assert sweep(end_of_day(date(2027, 1, 8))).climbs == 0
    assert sweep(london(2027, 1, 11, 8)).climbs == 1
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung, enquiry.escalate_at) == (org.head, 1, london(2027, 1, 18, 8))
    [escalation] = enquiry.escalations.all()
    assert escalation.due_at == end_of_day(date(2027, 1, 8))


def test_it_says_the_holding_replys_target_was_missed_when_it_climbs_after_one(
    org, enquiry, sweep, committed, mailoutbox
):
    # The member was sent a holding reply: the climb must not tell them there was none.
    committed(hold, enquiry=enquiry, actor=org.liaison.user, target_on=date(2027, 1, 8), now=london(2026, 12, 21))
    sweep(london(2027, 1, 11, 8))
    [event] = escalated(enquiry)
    assert "Friday 8 January 2027" in event.note
    assert "no answer or holding reply" not in event.note
    to_member = next(message for message in mailoutbox if message.to == [org.councillor.user.email])
    assert "no answer or holding reply" not in to_member.body


def test_it_pauses_an_escalated_enquiry_for_a_holding_reply_from_its_new_owner(org, enquiry, sweep, committed):
    sweep(FIRST_CLIMB)
    committed(hold, enquiry=enquiry, actor=org.head.user, target_on=date(2027, 1, 12), now=london(2026, 12, 31))
    assert sweep(SECOND_CLIMB).climbs == 0
    assert sweep(london(2027, 1, 12, 20)).climbs == 0
    assert sweep(london(2027, 1, 13, 8)).climbs == 1
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 2)
    assert climbs(enquiry) == [(1, org.liaison.pk, org.head.pk), (2, org.head.pk, org.director.pk)]


# --- Reruns, overlapping sweeps and catching up ---------------------------------------------


def test_it_does_nothing_more_when_rerun_at_the_same_moment(org, enquiry, sweep, mailoutbox):
    sweep(FIRST_CLIMB)
    before, version = counts(), Enquiry.objects.get(pk=enquiry.pk).version
    report = sweep(FIRST_CLIMB)
    assert (report.reminders, report.climbs, report.at_top) == (0, 0, 0)
    assert counts() == before
    assert mailoutbox == []
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung, enquiry.version) == (org.head, 1, version)


def test_it_does_nothing_more_when_a_second_sweep_runs_later_the_same_day(org, enquiry, sweep):
    sweep(FIRST_CLIMB)
    before = counts()
    assert sweep(london(2026, 12, 30, 17)).climbs == 0
    assert counts() == before


def test_it_catches_up_every_climb_that_fell_due_while_the_worker_was_down(org, enquiry, file, sweep, mailoutbox):
    later = file(now=london(2027, 1, 4))  # due Monday 11 January: climbs 12, 19 and 26 January

    report = sweep(CATCH_UP)

    assert (report.climbs, report.at_top) == (6, 1)
    for case, next_climb in ((enquiry, None), (later, london(2027, 2, 2, 8))):
        case.refresh_from_db()
        assert (case.owner, case.rung, case.escalate_at) == (org.chief, 3, next_climb)
        assert climbs(case) == [
            (1, org.liaison.pk, org.head.pk),
            (2, org.head.pk, org.director.pk),
            (3, org.director.pk, org.chief.pk),
        ]
        assert [(event.from_owner, event.to_owner) for event in escalated(case)] == [
            (org.liaison, org.head),
            (org.head, org.director),
            (org.director, org.chief),
        ]
    # The member hears of each climb, and each new owner of theirs.
    subjects = [message.subject for message in mailoutbox if message.to == [org.councillor.user.email]]
    assert sorted(subjects) == sorted(
        f"{case.reference}: {officer.name} is now accountable for your enquiry"
        for case in (enquiry, later)
        for officer in (org.head, org.director, org.chief)
    )
    assert sweep(CATCH_UP).climbs == 0


def test_it_catches_up_in_several_batches(org, file, sweep, settings):
    settings.DEADLINE_SWEEP_BATCH_SIZE = 2
    enquiries = [file() for _ in range(5)]
    report = sweep(CATCH_UP)
    assert (report.climbs, report.at_top) == (15, 5)
    assert report.batches > 3
    assert EnquiryEscalation.objects.count() == 15
    assert {case.rung for case in Enquiry.objects.filter(pk__in=[e.pk for e in enquiries])} == {3}


def _sweep_in_thread(now: datetime, start: threading.Barrier, reports: list, errors: list) -> None:
    try:
        start.wait(timeout=10)
        reports.append(enquiry_deadline_sweep(now=now))
    except Exception as error:  # reported to the test below
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_it_climbs_each_rung_once_when_two_sweeps_run_at_the_same_moment(org, file, settings, mailoutbox):
    settings.DEADLINE_SWEEP_BATCH_SIZE = 2  # several batches each, so the two sweeps interleave
    enquiries = [file() for _ in range(6)]
    mailoutbox.clear()
    start, reports, errors = threading.Barrier(2), [], []
    threads = [threading.Thread(target=_sweep_in_thread, args=(CATCH_UP, start, reports, errors)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(report.climbs for report in reports) == 18
    assert sum(report.at_top for report in reports) == 6
    assert EnquiryEscalation.objects.count() == 18
    for case in Enquiry.objects.filter(pk__in=[e.pk for e in enquiries]):
        assert (case.owner_id, case.rung, case.escalate_at) == (org.chief.pk, 3, None)
        assert case.timeline.filter(kind=Kind.ESCALATED).count() == 3
    # Each e-mail went once: six enquiries, three climbs, the member and the new owner.
    assert Notification.objects.filter(template__startswith="enquiry_escalated").count() == 36
    assert len(sent(mailoutbox, "enquiry_escalated")) == 36
    assert Notification.objects.filter(template__startswith="enquiry_escalated", emailed_at__isnull=True).count() == 0


def _hold_lock(pk: int, locked: threading.Event, release: threading.Event) -> None:
    try:
        with transaction.atomic():
            list(Enquiry.objects.select_for_update().filter(pk=pk).values_list("pk"))
            locked.set()
            release.wait(timeout=30)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_it_leaves_an_enquiry_another_sweep_holds_for_that_sweep(org, file):
    busy, free = file(), file()
    locked, release = threading.Event(), threading.Event()
    other = threading.Thread(target=_hold_lock, args=(busy.pk, locked, release))
    other.start()
    try:
        assert locked.wait(timeout=10)
        report = enquiry_deadline_sweep(now=FIRST_CLIMB)  # neither waits for nor doubles the other's work
    finally:
        release.set()
        other.join(timeout=30)
    assert report.climbs == 1
    assert (Enquiry.objects.get(pk=free.pk).rung, Enquiry.objects.get(pk=busy.pk).rung) == (1, 0)
    assert enquiry_deadline_sweep(now=FIRST_CLIMB).climbs == 1
    assert enquiry_deadline_sweep(now=FIRST_CLIMB).climbs == 0
    assert EnquiryEscalation.objects.count() == 2


def test_the_scheduled_task_runs_the_sweep(org, committed, mailoutbox):
    # Filed 40 days ago: by now it has climbed to the Chief Executive.
    enquiry = committed(
        enquiry_file,
        member=org.councillor,
        service=org.highways,
        subject="Pothole",
        details="Deep.",
        purpose=Purpose.INFORMATION,
        now=timezone.now() - timedelta(days=40),
    )
    committed(deadline_sweep.delay)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.chief, 3)


# --- run_deadline_sweep and --dry-run -----------------------------------------------------------


def snapshot() -> dict:
    return {
        "enquiries": list(
            Enquiry.objects.order_by("pk").values_list(
                "pk", "state", "owner_id", "rung", "due_at", "remind_at", "escalate_at", "version"
            )
        ),
        "escalations": EnquiryEscalation.objects.count(),
        "events": TimelineEvent.objects.count(),
        "notifications": list(Notification.objects.order_by("pk").values_list("pk", "emailed_at")),
        "access": EnquiryUserObjectPermission.objects.count(),
    }


@pytest.fixture
def plan(org, enquiry, file, sweep):
    """As of Thursday 7 January 2027 09:00: one reminder and two climbs are due."""
    sweep(REMINDER)
    later = file(now=london(2026, 12, 31))  # due Friday 8 January: reminded Thursday 7 January
    return enquiry, later


def test_it_prints_the_plan_and_changes_nothing_on_a_dry_run(org, plan, mailoutbox, django_capture_on_commit_callbacks):
    enquiry, later = plan
    before = snapshot()
    mailoutbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("run_deadline_sweep", "--dry-run", "--now=2027-01-07T09:00", stdout=out)

    assert out.getvalue().splitlines() == [
        f"  remind owner {org.liaison.pk} of case {later.pk} due 2027-01-08",
        f"  climb case {enquiry.pk} to rung 1: owner {org.liaison.pk} -> {org.head.pk}",
        f"  climb case {enquiry.pk} to rung 2: owner {org.head.pk} -> {org.director.pk}",
        "Would send 1 reminders and would make 2 escalations (0 already at the Chief Executive) "
        "as of 2027-01-07 09:00 GMT.",
        "Dry run: nothing was changed or sent.",
    ]
    assert snapshot() == before
    assert callbacks == []
    assert mailoutbox == []


def test_it_does_what_the_dry_run_planned(org, plan, mailoutbox, django_capture_on_commit_callbacks):
    enquiry, later = plan
    dry, real = io.StringIO(), io.StringIO()
    call_command("run_deadline_sweep", "--dry-run", "--now=2027-01-07T09:00", stdout=dry)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_deadline_sweep", "--list", "--now=2027-01-07T09:00", stdout=real)

    planned = [line for line in dry.getvalue().splitlines() if line.startswith("  ")]
    assert [line for line in real.getvalue().splitlines() if line.startswith("  ")] == planned
    assert "Sent 1 reminders and made 2 escalations" in real.getvalue()
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 2)
    assert len(sent(mailoutbox, "enquiry_escalated")) == 4  # the member and the new owner, for each climb
    assert Notification.objects.filter(enquiry=later, template="enquiry_reminder").count() == 1


def test_it_refuses_a_now_that_is_not_a_date(db):
    with pytest.raises(CommandError, match="is not an ISO 8601 date and time"):
        call_command("run_deadline_sweep", "--dry-run", "--now=next tuesday", stdout=io.StringIO())


# --- Disputes, reassignment and stale forms -----------------------------------------------------


def test_it_reminds_the_chief_executive_of_a_dispute_but_never_climbs_it(org, enquiry, sweep, committed, mailoutbox):
    # 001 §7.4: the Chief Executive decides a dispute within five working days.
    committed(enquiry_decline, enquiry=enquiry, actor=org.head.user, reasons="A planning matter.", now=FILED)
    enquiry = committed(
        enquiry_dispute, enquiry=enquiry, actor=org.councillor.user, reasons="It is not.", now=london(2026, 12, 18, 12)
    )
    assert (enquiry.due_at, enquiry.remind_at, enquiry.escalate_at) == (DUE, REMINDER, None)

    report = sweep(REMINDER)

    assert report.reminders == 1
    assert sent(mailoutbox) == [
        (org.chief.user.email, "ENQ-2026-00001: reminder, due by the end of Tuesday 29 December 2026")
    ]
    assert "Uphold the decline or direct an answer" in mailoutbox[0].body
    [event] = reminded(enquiry)
    assert event.note == f"Reminded {org.chief.name} that it is due by the end of Tuesday 29 December 2026."

    report = sweep(CATCH_UP)
    assert (report.reminders, report.climbs, report.at_top) == (0, 0, 0)
    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.owner, enquiry.rung) == (EnquiryState.DISPUTED, org.liaison, 0)
    assert climbs(enquiry) == []


def test_it_keeps_the_climb_schedule_when_an_escalated_enquiry_is_reassigned(org, enquiry, sweep, committed):
    sweep(FIRST_CLIMB)
    enquiry = committed(
        enquiry_reassign,
        enquiry=enquiry,
        actor=org.head.user,
        new_owner=org.colleague,
        reason="Our engineer knows the road.",
        now=london(2026, 12, 31),
    )
    assert (enquiry.owner, enquiry.rung, enquiry.remind_at, enquiry.escalate_at) == (
        org.colleague,
        1,
        None,
        SECOND_CLIMB,
    )
    assert sweep(london(2027, 1, 6, 17)).climbs == 0
    assert sweep(SECOND_CLIMB).climbs == 1
    enquiry.refresh_from_db()
    assert enquiry.rung == 2


def test_it_climbs_past_the_head_of_service_who_reassigned_it(org, enquiry, sweep, committed):
    # Handing an escalated enquiry down must not send it back to the rung it came from:
    # otherwise a Head of Service who reassigns it every five working days keeps it from
    # ever reaching the Director.
    sweep(FIRST_CLIMB)
    committed(
        enquiry_reassign,
        enquiry=enquiry,
        actor=org.head.user,
        new_owner=org.colleague,
        reason="Our engineer knows the road.",
        now=london(2026, 12, 31),
    )
    sweep(SECOND_CLIMB)
    enquiry.refresh_from_db()
    assert (enquiry.owner, enquiry.rung) == (org.director, 2)


def test_it_refuses_a_form_loaded_before_a_climb(org, enquiry, sweep):
    stale_version = Enquiry.objects.get(pk=enquiry.pk).version
    sweep(FIRST_CLIMB)
    with pytest.raises(EnquiryConflict):
        answer(enquiry, actor=org.head.user, now=london(2026, 12, 30, 11), expected_version=stale_version)
    current = Enquiry.objects.get(pk=enquiry.pk).version
    enquiry = answer(enquiry, actor=org.head.user, now=london(2026, 12, 30, 11), expected_version=current)
    assert enquiry.state == EnquiryState.ANSWERED


# --- What a sweep costs ----------------------------------------------------------------------

# The calendar; the reminder claim (in its savepoint); the climb batch: claim, the ladders
# (serving officers, the Chief Executive, the services), the cases' members and their contact
# prohibitions in force (DESIGN §5), the covers in force for the rungs' holders (issue 15 C11),
# the owners' update, the officers' names, the rung records and the timeline events (in its
# savepoint); the empty claim that ends it; and each of those three transactions' SET LOCAL
# synchronous_commit. (First climbs: no earlier rung to look up.)
SWEEP_STATEMENTS = 23


@pytest.mark.parametrize("due", [5, 50])
def test_it_climbs_5_or_50_enquiries_with_the_same_statements(org, parks, file, due):
    services = [org.highways, org.libraries, parks]
    for n in range(due):
        file(service=services[n % 3])
    enquiry_deadline_sweep(now=REMINDER)  # the reminders, so only climbs are due below

    with CaptureQueriesContext(connection) as queries:
        report = enquiry_deadline_sweep(now=FIRST_CLIMB)

    assert report.climbs == due
    assert len(queries) == SWEEP_STATEMENTS, "\n".join(query["sql"][:200] for query in queries.captured_queries)
