"""The periods the Standards Committee reads figures by: months, municipal-year quarters and
municipal years (1 May to 30 April)."""

import itertools
from datetime import date, timedelta

import pytest

from reporting.periods import (
    custom,
    month_of,
    months_in,
    municipal_year,
    municipal_year_of,
    parse,
    quarter_of,
    recent_periods,
)

TODAY = date(2026, 11, 15)


def test_it_puts_30_april_in_the_year_that_ends_and_1_may_in_the_next():
    assert municipal_year_of(date(2027, 4, 30)).label == "2026/27"
    assert municipal_year_of(date(2027, 5, 1)).label == "2027/28"
    assert municipal_year_of(date(2027, 1, 1)).label == "2026/27"
    assert municipal_year_of(date(2026, 12, 31)).label == "2026/27"


def test_it_runs_a_municipal_year_from_1_may_to_30_april():
    year = municipal_year(2026)
    assert (year.start, year.last_day, year.end) == (date(2026, 5, 1), date(2027, 4, 30), date(2027, 5, 1))
    assert date(2026, 5, 1) in year
    assert date(2027, 4, 30) in year
    assert date(2026, 4, 30) not in year
    assert date(2027, 5, 1) not in year
    assert year.key == "2026-27"


def test_it_names_the_year_across_a_century():
    assert municipal_year(2099).label == "2099/00"
    assert municipal_year(2099).key == "2099-00"
    assert parse("2099-00", today=TODAY) == municipal_year(2099)


@pytest.mark.parametrize(
    ("day", "number", "first", "last"),
    [
        (date(2026, 5, 1), 1, date(2026, 5, 1), date(2026, 7, 31)),
        (date(2026, 7, 31), 1, date(2026, 5, 1), date(2026, 7, 31)),
        (date(2026, 8, 1), 2, date(2026, 8, 1), date(2026, 10, 31)),
        (date(2026, 10, 31), 2, date(2026, 8, 1), date(2026, 10, 31)),
        (date(2026, 11, 1), 3, date(2026, 11, 1), date(2027, 1, 31)),
        (date(2027, 1, 31), 3, date(2026, 11, 1), date(2027, 1, 31)),
        (date(2027, 2, 1), 4, date(2027, 2, 1), date(2027, 4, 30)),
        (date(2027, 4, 30), 4, date(2027, 2, 1), date(2027, 4, 30)),
    ],
)
def test_it_uses_the_municipal_years_quarters(day, number, first, last):
    quarter = quarter_of(day)
    assert quarter.kind == "quarter"
    assert (quarter.start, quarter.last_day) == (first, last)
    assert quarter.key == f"2026-27-q{number}"
    assert quarter.label.startswith(f"Q{number} 2026/27 (")


def test_it_labels_a_quarter_with_its_months():
    assert quarter_of(date(2026, 5, 14)).label == "Q1 2026/27 (May to July 2026)"
    assert quarter_of(date(2026, 12, 25)).label == "Q3 2026/27 (November to January 2027)"
    assert quarter_of(date(2027, 3, 1)).label == "Q4 2026/27 (February to April 2027)"


@pytest.mark.parametrize("starting", [2016, 2023, 2026, 2027, 2031])
def test_it_tiles_a_year_with_its_four_quarters_and_twelve_months(starting):
    year = municipal_year(starting)
    quarters = [quarter_of(year.start)]
    while len(quarters) < 4:
        quarters.append(quarter_of(quarters[-1].end))
    assert quarters[0].start == year.start
    assert all(a.end == b.start for a, b in itertools.pairwise(quarters))
    assert quarters[-1].end == year.end
    assert [q.key for q in quarters] == [f"{year.key}-q{n}" for n in (1, 2, 3, 4)]
    # Every day of the year is in exactly one quarter.
    day = year.start
    while day < year.end:
        assert sum(day in quarter for quarter in quarters) == 1
        day += timedelta(days=1)

    months = months_in(year)
    assert [m.start for m in months] == [date(starting + (4 + n) // 12, (4 + n) % 12 + 1, 1) for n in range(12)]
    assert months[0].start == year.start and months[-1].end == year.end
    assert all(a.end == b.start for a, b in itertools.pairwise(months))
    assert [len(months_in(q)) for q in quarters] == [3, 3, 3, 3]


def test_it_finds_the_month_of_a_day():
    month = month_of(date(2027, 2, 28))
    assert (month.kind, month.start, month.end, month.label, month.key) == (
        "month",
        date(2027, 2, 1),
        date(2027, 3, 1),
        "February 2027",
        "2027-02",
    )
    december = month_of(date(2026, 12, 31))
    assert (december.start, december.end) == (date(2026, 12, 1), date(2027, 1, 1))
    assert months_in(december) == [december]


def test_it_lists_the_months_a_custom_period_touches():
    period = custom(date(2026, 4, 20), date(2026, 6, 2))
    assert period.label == "20 April 2026 to 2 June 2026"
    assert [m.key for m in months_in(period)] == ["2026-04", "2026-05", "2026-06"]


def test_it_parses_every_kind_of_key():
    assert parse("2026-27", today=TODAY) == municipal_year(2026)
    assert parse("2027-28", today=TODAY) == municipal_year(2027)
    assert parse("2026-27-q1", today=TODAY) == quarter_of(date(2026, 5, 1))
    assert parse("2026-27-q3", today=TODAY) == quarter_of(date(2026, 11, 1))
    assert parse("2026-27-q4", today=TODAY) == quarter_of(date(2027, 2, 1))
    assert parse("2026-11", today=TODAY) == month_of(date(2026, 11, 1))
    assert parse("2027-04", today=TODAY) == month_of(date(2027, 4, 1))
    assert parse("2027-05", today=TODAY) == month_of(date(2027, 5, 1))


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   ",
        "2026",
        "2026-28",
        "2026-13",
        "2026-00",
        "2026-1",
        "26-27",
        "2026-27-q5",
        "2026-27-q0",
        "2026-27-Q2",
        "2026-27-q",
        "abcd-ef",
        "abcd-12",
        "2026-27-q1-x",
        "0000-01",
        "9999-00-q4",
        "<script>",
        "2026/27",
        "2026-27-q1\x00",
    ],
)
def test_it_falls_back_to_the_current_municipal_year_for_a_key_it_does_not_understand(junk):
    assert parse(junk, today=TODAY) == municipal_year(2026)
    assert parse(junk, today=date(2027, 4, 30)) == municipal_year(2026)
    assert parse(junk, today=date(2027, 5, 1)) == municipal_year(2027)


def test_it_round_trips_every_key_through_parse():
    day = date(2015, 5, 1)
    while day < date(2040, 5, 1):
        for period in (municipal_year_of(day), quarter_of(day), month_of(day)):
            assert parse(period.key, today=TODAY) == period, period.key
        day += timedelta(days=13)


def test_it_steps_back_to_the_previous_period_of_the_same_kind():
    assert municipal_year(2026).previous() == municipal_year(2025)
    assert quarter_of(date(2026, 5, 1)).previous() == quarter_of(date(2026, 2, 1))
    assert quarter_of(date(2026, 5, 1)).previous().key == "2025-26-q4"
    assert quarter_of(date(2026, 11, 1)).previous().key == "2026-27-q2"
    assert month_of(date(2027, 1, 9)).previous() == month_of(date(2026, 12, 1))
    assert month_of(date(2026, 5, 9)).previous().key == "2026-04"
    week = custom(date(2026, 6, 8), date(2026, 6, 14))
    assert week.previous() == custom(date(2026, 6, 1), date(2026, 6, 7))


def test_it_offers_recent_periods_newest_first_and_none_in_the_future():
    periods = recent_periods(today=TODAY, years=3)
    assert [p.key for p in periods if p.kind == "municipal_year"] == ["2026-27", "2025-26", "2024-25"]
    quarters = [p.key for p in periods if p.kind == "quarter"]
    assert quarters == [
        "2026-27-q3",
        "2026-27-q2",
        "2026-27-q1",
        "2025-26-q4",
        "2025-26-q3",
        "2025-26-q2",
        "2025-26-q1",
    ]
    months = [p.key for p in periods if p.kind == "month"]
    assert months[0] == "2026-11" and months[-1] == "2025-05" and len(months) == 19
    assert all(p.start <= TODAY for p in periods)
    assert all(parse(p.key, today=TODAY) == p for p in periods)
