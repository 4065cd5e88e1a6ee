"""The working-day calendar behind every deadline (DESIGN §3, 001 §7.1)."""

from datetime import date, timedelta

import pytest

from escalation.calendar import SkippedDay, WorkingDayCalendar, council_calendar, end_of_day, local_date
from escalation.models import ClosureDay

ENGLAND = WorkingDayCalendar(nation="england-and-wales")
SCOTLAND = WorkingDayCalendar(nation="scotland")
NORTHERN_IRELAND = WorkingDayCalendar(nation="northern-ireland")


def test_it_answers_the_worked_example_by_tuesday_29_december_2026():
    # DESIGN §3: received Friday 18 December 2026, in England.
    explanation = ENGLAND.explain(date(2026, 12, 18), 5)
    assert explanation.start == date(2026, 12, 18)
    assert explanation.counted == (
        date(2026, 12, 21),
        date(2026, 12, 22),
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 29),
    )
    assert explanation.skipped == (
        SkippedDay(date(2026, 12, 19), "Saturday"),
        SkippedDay(date(2026, 12, 20), "Sunday"),
        SkippedDay(date(2026, 12, 25), "Christmas Day (bank holiday)"),
        SkippedDay(date(2026, 12, 26), "Saturday"),
        SkippedDay(date(2026, 12, 27), "Sunday"),
        SkippedDay(date(2026, 12, 28), "Boxing Day (observed) (bank holiday)"),
    )
    assert explanation.due_on == date(2026, 12, 29)
    assert ENGLAND.add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 29)


def test_it_gives_the_weekend_as_the_reason_for_a_bank_holiday_on_a_weekend():
    # The package lists Boxing Day on Saturday 26 December 2026 as well as its substitute.
    assert ENGLAND.non_working_reason(date(2026, 12, 26)) == "Saturday"
    assert ENGLAND.non_working_reason(date(2027, 12, 25)) == "Saturday"
    assert ENGLAND.non_working_reason(date(2027, 12, 27)) == "Christmas Day (observed) (bank holiday)"


def test_it_knows_the_english_bank_holidays():
    assert ENGLAND.non_working_reason(date(2026, 4, 6)) == "Easter Monday (bank holiday)"
    assert ENGLAND.non_working_reason(date(2026, 5, 4)) == "May Day (bank holiday)"
    assert ENGLAND.is_working_day(date(2026, 12, 24))


def test_it_keeps_2_january_and_st_andrews_day_in_scotland_only():
    assert SCOTLAND.non_working_reason(date(2026, 1, 2)) == "New Year Holiday (bank holiday)"
    assert ENGLAND.is_working_day(date(2026, 1, 2))
    assert SCOTLAND.non_working_reason(date(2026, 11, 30)) == "Saint Andrew's Day (bank holiday)"
    assert ENGLAND.is_working_day(date(2026, 11, 30))
    # Easter Monday is not a bank holiday in Scotland.
    assert SCOTLAND.is_working_day(date(2026, 4, 6))


def test_it_keeps_st_patricks_day_and_the_twelfth_in_northern_ireland_only():
    assert NORTHERN_IRELAND.non_working_reason(date(2026, 3, 17)) == "Saint Patrick's Day (bank holiday)"
    assert ENGLAND.is_working_day(date(2026, 3, 17))
    # 12 July 2026 is a Sunday, so Monday 13th is the substitute.
    assert NORTHERN_IRELAND.non_working_reason(date(2026, 7, 12)) == "Sunday"
    assert NORTHERN_IRELAND.non_working_reason(date(2026, 7, 13)) == "Battle of the Boyne (observed) (bank holiday)"
    assert ENGLAND.is_working_day(date(2026, 7, 13))


def test_it_counts_working_days_between_two_dates():
    assert ENGLAND.working_days_between(date(2026, 12, 18), date(2026, 12, 29)) == 5
    assert ENGLAND.working_days_between(date(2026, 12, 18), date(2026, 12, 28)) == 4
    assert ENGLAND.working_days_between(date(2026, 12, 29), date(2026, 12, 29)) == 0
    assert ENGLAND.working_days_between(date(2026, 12, 29), date(2026, 12, 18)) == 0


def test_it_counts_working_days_between_as_a_day_by_day_count_would():
    calendar = WorkingDayCalendar(nation="scotland", closures={date(2026, 12, 29): "Christmas shutdown"})
    start = date(2025, 12, 30)
    for end in [start + timedelta(days=n) for n in range(0, 800, 37)]:
        expected = sum(calendar.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))
        assert calendar.working_days_between(start, end) == expected


def test_it_finds_the_next_working_day_across_christmas():
    assert ENGLAND.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert ENGLAND.next_working_day(date(2026, 12, 21)) == date(2026, 12, 22)


def test_it_skips_a_council_closure_day():
    calendar = WorkingDayCalendar(nation="england-and-wales", closures={date(2026, 12, 29): "Christmas shutdown"})
    assert calendar.non_working_reason(date(2026, 12, 29)) == "Council closure: Christmas shutdown"
    assert calendar.add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 30)
    assert (
        SkippedDay(date(2026, 12, 29), "Council closure: Christmas shutdown")
        in calendar.explain(date(2026, 12, 18), 5).skipped
    )


def test_it_gives_the_weekend_or_bank_holiday_before_a_closure():
    closures = {date(2026, 12, 25): "Christmas shutdown", date(2026, 12, 26): "Christmas shutdown"}
    calendar = WorkingDayCalendar(nation="england-and-wales", closures=closures)
    assert calendar.non_working_reason(date(2026, 12, 25)) == "Christmas Day (bank holiday)"
    assert calendar.non_working_reason(date(2026, 12, 26)) == "Saturday"


def test_it_counts_across_a_year_boundary():
    # Wed 30, Thu 31 December 2026; Fri 1 January 2027 is New Year's Day; Mon 4, Tue 5, Wed 6.
    assert ENGLAND.add_working_days(date(2026, 12, 29), 5) == date(2027, 1, 6)
    assert ENGLAND.non_working_reason(date(2027, 1, 1)) == "New Year's Day (bank holiday)"
    # In Scotland Monday 4 January 2027 is the substitute for Saturday 2 January.
    assert SCOTLAND.add_working_days(date(2026, 12, 29), 5) == date(2027, 1, 7)


def test_it_refuses_to_count_fewer_than_one_working_day():
    with pytest.raises(ValueError):
        ENGLAND.add_working_days(date(2026, 12, 18), 0)
    with pytest.raises(ValueError):
        ENGLAND.explain(date(2026, 12, 18), -1)


def test_it_refuses_an_unknown_nation():
    with pytest.raises(ValueError):
        WorkingDayCalendar(nation="wales")


def test_it_ends_the_day_at_midnight_in_london_summer_and_winter():
    assert end_of_day(date(2026, 7, 1)).isoformat() == "2026-07-01T23:59:59.999999+01:00"
    assert end_of_day(date(2026, 12, 29)).isoformat() == "2026-12-29T23:59:59.999999+00:00"


def test_it_reads_the_london_date_of_a_moment():
    summer = end_of_day(date(2026, 7, 1))
    # 23:30 UTC on 30 June is already 1 July in London.
    assert local_date(summer - timedelta(minutes=90)) == date(2026, 7, 1)
    assert local_date(summer + timedelta(microseconds=1)) == date(2026, 7, 2)


@pytest.mark.django_db
def test_it_builds_the_councils_calendar_from_settings_and_closure_days(settings, django_assert_num_queries):
    settings.COUNCIL_NATION = "scotland"
    ClosureDay.objects.create(date=date(2026, 12, 29), reason="Christmas shutdown")
    with django_assert_num_queries(1):
        calendar = council_calendar()
    assert calendar.non_working_reason(date(2026, 1, 2)) == "New Year Holiday (bank holiday)"
    assert calendar.non_working_reason(date(2026, 12, 29)) == "Council closure: Christmas shutdown"

    settings.COUNCIL_NATION = "england-and-wales"
    assert council_calendar().is_working_day(date(2026, 1, 2))
