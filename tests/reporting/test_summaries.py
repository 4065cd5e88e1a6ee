"""The dashboards' summary tables (reporting.summaries) against hand-built histories: every
metric, the ticking of "on time" into "missed", refreshes that recount only the days that
changed, and agreement with a recount straight from the cases.

The history is the ``history`` fixture in conftest.py; its docstring gives every case and
the figures expected from it.
"""

from collections import Counter
from datetime import date, timedelta

import pytest

from cases.concerns import services as cs
from cases.enquiries.deadlines import enquiry_deadline_sweep
from cases.enquiries.services import enquiry_answer, enquiry_file, enquiry_hold, enquiry_reopen, enquiry_withdraw
from cases.models import Enquiry, Marking, Purpose, TimelineEvent
from escalation.calendar import local_date
from reporting import summaries
from reporting.figures import OPERATIONAL, dashboard
from reporting.models import DailyCount, SummaryState
from reporting.periods import municipal_year, municipal_year_of
from tests.reporting.conftest import FILED, SETTLED, london

MAY_19, JUNE_1, JUNE_8 = date(2026, 5, 19), date(2026, 6, 1), date(2026, 6, 8)


def counted(metric: str, *, key: str | None = None, service=None, day: date | None = None) -> int:
    rows = DailyCount.objects.filter(metric=metric)
    if key is not None:
        rows = rows.filter(key=key)
    if service is not None:
        rows = rows.filter(service=service)
    if day is not None:
        rows = rows.filter(day=day)
    return sum(rows.values_list("value", flat=True))


def keyed(metric: str, **filters) -> dict[str, int]:
    found: Counter = Counter()
    for key, value in DailyCount.objects.filter(metric=metric, **filters).values_list("key", "value"):
        found[key] += value
    return dict(found)


def file(org, subject="An enquiry", *, now, service=None, member=None) -> Enquiry:
    return enquiry_file(
        member=member or org.councillor,
        subject=subject,
        details="Details.",
        service=service or org.highways,
        purpose=Purpose.INFORMATION,
        now=now,
    )


def answer(enquiry: Enquiry, *, now) -> Enquiry:
    enquiry = Enquiry.objects.get(pk=enquiry.pk)
    return enquiry_answer(
        enquiry=enquiry,
        actor=enquiry.owner.user,
        text="The answer.",
        marking=Marking.PUBLIC,
        contains_personal_data=False,
        now=now,
    )


@pytest.fixture
def no_look_back(monkeypatch):
    """Refresh reads only the events newer than the last counted, so a test sees which days
    a change (or the passing of time) recounts, not the days the look-back reads again."""
    monkeypatch.setattr(summaries, "EVENT_LOOK_BACK", 0)


def rows_of(day: date, prefix: str = "") -> set[int]:
    return set(DailyCount.objects.filter(day=day, metric__startswith=prefix).values_list("pk", flat=True))


# --- Enquiries -------------------------------------------------------------------------------


def test_it_counts_each_enquiry_metric_of_the_history(org, history):
    summaries.rebuild(now=SETTLED)
    highways, libraries = org.highways, org.libraries

    assert counted("enq.received", day=MAY_19, service=highways) == 6
    assert counted("enq.received", day=MAY_19, service=libraries) == 1
    assert counted("enq.received", day=JUNE_1) == 1
    # On time: answered on the fifth working day's evening, the holding reply, the decline.
    assert counted("enq.on_time", day=MAY_19, service=highways) == 3
    # Late: answered the next morning, and the one never answered. The enquiry withdrawn
    # unanswered before its deadline is in neither.
    assert counted("enq.late", day=MAY_19, service=highways) == 2
    assert counted("enq.on_time", day=MAY_19, service=libraries) == 1
    assert counted("enq.late", service=libraries) == 0
    assert counted("enq.on_time", day=JUNE_1) == 1
    assert counted("enq.late", day=JUNE_1) == 0

    assert counted("enq.answered", day=MAY_19, service=highways) == 3
    # Working days from receipt, skipping the weekend and the Spring bank holiday (25 May).
    assert keyed("enq.answer_days", day=MAY_19, service=highways) == {"5": 1, "6": 1, "10": 1}
    assert keyed("enq.answer_days", service=libraries) == {"4": 1}
    assert keyed("enq.answer_days", day=JUNE_1) == {"1": 1}

    assert counted("enq.declined") == 1
    assert counted("enq.ce_referrals") == 1
    # The late one climbed once before it was answered; the open one climbed all three rungs.
    assert keyed("enq.escalations") == {"1": 2, "2": 1, "3": 1}
    assert set(DailyCount.objects.filter(metric__startswith="enq.").values_list("day", flat=True)) == {MAY_19, JUNE_1}


def test_it_counts_an_answer_on_the_fifth_working_days_evening_on_time_and_the_next_morning_late(org):
    early, late = file(org, "Early", now=FILED), file(org, "Late", now=FILED)
    answer(early, now=london(2026, 5, 27, 23, 59))
    answer(late, now=london(2026, 5, 28, 0, 1))
    summaries.rebuild(now=SETTLED)
    assert counted("enq.on_time") == 1
    assert counted("enq.late") == 1
    assert keyed("enq.answer_days") == {"5": 1, "6": 1}


def test_it_counts_a_holding_reply_as_the_response_even_when_the_answer_comes_later(org):
    enquiry = file(org, now=FILED)
    enquiry_hold(
        enquiry=enquiry, actor=org.liaison.user, reason="Waiting.", target_on=date(2026, 6, 10), now=london(2026, 5, 27)
    )
    summaries.rebuild(now=london(2026, 6, 1))
    assert (counted("enq.on_time"), counted("enq.late"), counted("enq.answered")) == (1, 0, 0)
    answer(enquiry, now=london(2026, 6, 9))
    summaries.refresh(now=london(2026, 6, 9, 12))
    assert (counted("enq.on_time"), counted("enq.late"), counted("enq.answered")) == (1, 0, 1)
    # 20–22 May, 26–29 May, 1–5 June, 8–9 June.
    assert keyed("enq.answer_days") == {"14": 1}


def test_it_counts_an_open_enquiry_as_missed_only_once_its_deadline_has_passed(org):
    file(org, now=FILED)
    summaries.rebuild(now=london(2026, 5, 27, 23, 59))
    assert (counted("enq.received"), counted("enq.on_time"), counted("enq.late")) == (1, 0, 0)
    summaries.rebuild(now=london(2026, 5, 28, 0, 1))
    assert (counted("enq.received"), counted("enq.on_time"), counted("enq.late")) == (1, 0, 1)


def test_it_keeps_the_first_response_when_an_answered_enquiry_is_reopened(org):
    enquiry = answer(file(org, now=FILED), now=london(2026, 5, 20))
    enquiry_reopen(enquiry=enquiry, actor=org.councillor.user, follow_up="And?", now=london(2026, 5, 21))
    summaries.rebuild(now=SETTLED)
    # Still on time (its first response was), no longer answered; once answered again, counted from receipt.
    assert (counted("enq.on_time"), counted("enq.late"), counted("enq.answered")) == (1, 0, 0)
    answer(enquiry, now=london(2026, 6, 2))
    summaries.refresh(now=SETTLED)
    assert keyed("enq.answer_days") == {"9": 1}


def test_it_counts_an_enquiry_withdrawn_unanswered_after_its_deadline_as_missed(org):
    enquiry = file(org, now=FILED)
    enquiry_withdraw(enquiry=enquiry, actor=org.councillor.user, now=london(2026, 5, 29))
    summaries.rebuild(now=SETTLED)
    assert (counted("enq.on_time"), counted("enq.late")) == (0, 1)


def test_it_puts_30_april_and_1_may_in_different_municipal_years(org):
    # 00:30 on 1 May is still 30 April in UTC (British Summer Time): the day is London's.
    april = file(org, "Last of the year", now=london(2027, 4, 30, 23, 30))
    may = file(org, "First of the next", now=london(2027, 5, 1, 0, 30))
    summaries.rebuild(now=london(2027, 5, 3, 9))
    assert counted("enq.received", day=date(2027, 4, 30)) == 1
    assert counted("enq.received", day=date(2027, 5, 1)) == 1
    now = london(2027, 5, 3, 9)
    for period, reference in ((municipal_year(2026), april.reference), (municipal_year(2027), may.reference)):
        assert period == municipal_year_of(local_date(Enquiry.objects.get(reference=reference).received_at))
        figures = dashboard(period, audience=OPERATIONAL, now=now)
        assert {label: cell.value for label, cell, _ in figures.headline}["Enquiries received"] == 1
        assert f"period={period.key}" in figures.headline[0][1].drill


def test_it_counts_escalations_by_rung_after_the_deadline_sweep(org):
    enquiry = file(org, now=FILED)
    enquiry_deadline_sweep(now=london(2026, 5, 28, 8))
    summaries.rebuild(now=london(2026, 5, 28, 9))
    assert keyed("enq.escalations") == {"1": 1}
    enquiry_deadline_sweep(now=london(2026, 6, 4, 8))
    summaries.refresh(now=london(2026, 6, 4, 9))
    assert keyed("enq.escalations") == {"1": 1, "2": 1}
    enquiry_deadline_sweep(now=london(2026, 6, 11, 8))
    summaries.refresh(now=london(2026, 6, 11, 9))
    assert keyed("enq.escalations") == {"1": 1, "2": 1, "3": 1}
    assert Enquiry.objects.get(pk=enquiry.pk).owner == org.chief


# --- Concerns --------------------------------------------------------------------------------


def test_it_counts_each_concern_metric_of_the_history(org, history):
    summaries.rebuild(now=SETTLED)
    first, second = history.behaviours
    assert keyed("con.opened", day=JUNE_8, service=org.highways) == {
        "member_about_officer": 3,
        "officer_about_member": 2,
        "duties": 1,
    }
    # Stage 1: resolved, duties, withdrawn. Stage 2: informal (started there), duties, referred (started
    # there). Stage 3: informal, formal (safeguarding starts there). Stage 4: formal (formal action proposed).
    assert keyed("con.reached") == {"1": 3, "2": 3, "3": 2, "4": 1}
    assert keyed("con.closed") == {
        "resolved:1": 1,
        "informal_action:3": 1,
        "formal_action:4": 1,
        "withdrawn:1": 1,
        "referred:2": 1,
    }
    # Working days from raising to the outcome; a withdrawal has no outcome to time.
    assert keyed("con.resolve_days") == {"2": 1, "10": 1, "17": 1, "6": 1}
    assert keyed("con.behaviour") == {str(first.pk): 2, str(second.pk): 1}
    assert counted("con.safeguarding") == 1
    assert set(DailyCount.objects.filter(metric__startswith="con.").values_list("day", flat=True)) == {JUNE_8}


def test_it_counts_the_stages_a_concern_reached_while_it_is_still_climbing(org):
    raised = london(2026, 6, 8)
    concern = cs.concern_raise(
        raised_by=org.liaison.user,
        about_member=org.councillor,
        occurred_on=date(2026, 6, 8),
        what_happened="x",
        feels_able_to_talk=True,
        now=raised,
    )
    summaries.rebuild(now=raised)
    assert keyed("con.reached") == {"1": 1}
    cs.concern_escalate(concern=concern, actor=org.liaison.user, reason="r", now=london(2026, 6, 9))
    summaries.refresh(now=london(2026, 6, 9, 12))
    assert keyed("con.reached") == {"1": 1, "2": 1}
    cs.concern_escalate(concern=concern, actor=org.head.user, reason="r", now=london(2026, 6, 10))
    cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="r", now=london(2026, 6, 11))
    summaries.refresh(now=london(2026, 6, 11, 12))
    assert keyed("con.reached") == {"1": 1, "2": 1, "3": 1, "4": 1}
    assert counted("con.closed") == 0
    assert counted("con.resolve_days") == 0


# --- Refreshing --------------------------------------------------------------------------------


def test_it_recounts_the_day_of_a_changed_case_and_leaves_the_other_days_alone(org, history, no_look_back):
    summaries.rebuild(now=SETTLED)
    june_1, june_8, may_19 = rows_of(JUNE_1), rows_of(JUNE_8), rows_of(MAY_19)
    answer(history.enquiries.open, now=london(2026, 7, 7))
    later = london(2026, 7, 7, 12)
    report = summaries.refresh(now=later)
    assert counted("enq.answered", day=MAY_19, service=org.highways) == 4
    assert keyed("enq.answer_days", day=MAY_19, service=org.highways) == {"5": 1, "6": 1, "10": 1, "34": 1}
    assert counted("enq.late", day=MAY_19) == 2  # answered, but still late
    assert rows_of(MAY_19).isdisjoint(may_19)  # rewritten
    assert rows_of(JUNE_1) == june_1  # untouched
    assert rows_of(JUNE_8) == june_8
    # 19 May (the change), and the three weeks of ticking enquiries before the last refresh and up to today.
    assert report.enquiry_days == 1 + (later.date() - (SETTLED.date() - timedelta(days=21))).days + 1
    assert report.concern_days == 0
    assert summaries.summarised() == summaries.recounted_for_check(now=later)


def test_it_recounts_a_concerns_day_when_the_concern_changes(org, history, no_look_back):
    summaries.rebuild(now=SETTLED)
    june_1, may_19 = rows_of(JUNE_1), rows_of(MAY_19)
    cs.concern_resolve(concern=history.concerns.duties, actor=org.head.user, outcome="Agreed.", now=london(2026, 7, 7))
    report = summaries.refresh(now=london(2026, 7, 7, 12))
    assert report.concern_days == 1
    assert keyed("con.closed")["resolved:2"] == 1
    assert rows_of(JUNE_1) == june_1
    assert rows_of(MAY_19) == may_19


def test_it_turns_a_pending_enquiry_into_a_missed_one_when_its_deadline_passes(org, no_look_back):
    """The ticking rule: no event happens, only time passes, and the next refresh sees it."""
    file(org, now=FILED)
    summaries.rebuild(now=london(2026, 5, 26, 12))
    assert (counted("enq.on_time"), counted("enq.late")) == (0, 0)
    summaries.refresh(now=london(2026, 5, 27, 23))
    assert (counted("enq.on_time"), counted("enq.late")) == (0, 0)
    report = summaries.refresh(now=london(2026, 5, 28, 7))
    assert report.concern_days == 0
    assert (counted("enq.on_time"), counted("enq.late")) == (0, 1)


def test_it_makes_good_the_deadlines_that_passed_while_no_refresh_ran(org, no_look_back):
    file(org, now=FILED)
    summaries.rebuild(now=london(2026, 5, 20, 12))
    assert counted("enq.late") == 0
    # The worker was down for two months: the enquiry's day is long outside the last three weeks.
    summaries.refresh(now=london(2026, 7, 20, 12))
    assert counted("enq.late") == 1
    assert summaries.summarised() == summaries.recounted_for_check(now=london(2026, 7, 20, 12))


def test_it_rebuilds_on_the_first_refresh_and_records_how_far_it_read(org, history):
    assert not SummaryState.objects.exists()
    report = summaries.refresh(now=SETTLED)
    state = SummaryState.objects.get()
    assert state.rebuilt_at == state.refreshed_at == SETTLED
    assert state.last_event_id == TimelineEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assert report.enquiry_days == (SETTLED.date() - MAY_19).days + 1
    assert report.concern_days == (SETTLED.date() - JUNE_8).days + 1
    assert report.rows == DailyCount.objects.count()


def test_it_agrees_with_a_recount_after_a_varied_history_and_after_more_changes(org, history):
    summaries.rebuild(now=SETTLED)
    assert summaries.summarised() == summaries.recounted_for_check(now=SETTLED)

    # More happens: a new enquiry, an answer to an old one, a concern climbs, another is raised and closed.
    later = london(2026, 7, 8, 16)
    fresh = file(org, "Fresh", now=london(2026, 7, 7), service=org.libraries)
    answer(history.enquiries.open, now=london(2026, 7, 7, 11))
    cs.concern_escalate(concern=history.concerns.duties, actor=org.head.user, reason="MO", now=london(2026, 7, 7))
    concern = cs.concern_raise(
        raised_by=org.councillor2.user,
        about_officer=org.outsider,
        occurred_on=date(2026, 7, 6),
        what_happened="x",
        feels_able_to_talk=True,
        now=london(2026, 7, 7, 12),
    )
    cs.concern_resolve(concern=concern, actor=org.councillor2.user, outcome="Fine.", now=london(2026, 7, 8))
    summaries.refresh(now=later)
    assert summaries.summarised() == summaries.recounted_for_check(now=later)
    assert counted("enq.received", service=org.libraries) == 2
    assert keyed("con.reached") == {"1": 4, "2": 3, "3": 3, "4": 1}

    # And once the fresh enquiry's deadline has passed unanswered.
    much_later = london(2026, 7, 20, 9)
    summaries.refresh(now=much_later)
    assert summaries.summarised() == summaries.recounted_for_check(now=much_later)
    assert counted("enq.late", day=fresh.received_at.date()) == 1


def test_it_rebuilds_to_the_same_rows_every_time(org, history):
    first = summaries.rebuild(now=SETTLED)
    once = summaries.summarised()
    second = summaries.rebuild(now=SETTLED)
    assert summaries.summarised() == once
    assert first.rows == second.rows == DailyCount.objects.count()
    summaries.refresh(now=SETTLED)
    assert summaries.summarised() == once
