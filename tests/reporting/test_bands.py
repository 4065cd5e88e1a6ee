"""Good months are not hidden (issue 15 B9): a rate withheld because one of its counts is
"fewer than 5" shows as a band ("85% or more") where the other count is hidden too, and no
band lets a reader recover a hidden count, with every total, received count and rate of the
table beside it, and knowing the rule (reporting.disclosure.band_for, band_rate).

The proof is in two parts. The band depends on the base alone: for any base, every hidden
count from 1 to 4 gives the same band, and the band holds the rate each gives, so a reader who
knew the base would learn nothing from it. And by brute force over random tables like
"Enquiries by month", put through the committee's disclosure control: no hidden count is left
that only one value fits (tests/reporting/disclosure_checks.py, which shares no code with the
rule).
"""

import random
from dataclasses import replace
from fractions import Fraction

import pytest

from reporting.disclosure import (
    BANDS_FROM,
    BANDS_UP_TO,
    FEWER_THAN,
    TOO_FEW,
    Band,
    Cell,
    Table,
    band_for,
    band_rate,
    protect_lines,
    same_band,
    suppress,
    withhold_rate,
)
from tests.reporting.disclosure_checks import documented_band, month_table_pinned


def rate_cell(part: int, whole: int) -> Cell:
    value = round(100 * part / whole, 1) if whole else None
    return Cell(value, text="–" if value is None else f"{value:.1f}%", is_count=False, base=whole)


def hidden(value: int) -> Cell:
    return Cell(value, text=FEWER_THAN if value < 5 else "suppressed", suppressed=True)


@pytest.mark.parametrize(
    ("base", "missing", "text"),
    [
        (100, True, "95% or more"),  # 96 of 100 at the least
        (80, True, "95% or more"),
        (79, True, "90% or more"),
        (40, True, "90% or more"),
        (31, True, "85% or more"),  # 27 of 31 is 87.1%
        (20, True, "80% or more"),
        (8, True, "50% or more"),
        (7, True, None),  # 3 of 7 is under a half: no band holds it
        (100, False, "5% or less"),
        (40, False, "10% or less"),
        (8, False, "50% or less"),
        (7, False, None),
    ],
)
def test_it_picks_the_band_that_holds_every_rate_a_count_from_1_to_4_could_give(base, missing, text):
    band = band_for(base, small_part_missing=missing)
    assert (band.text if band else None) == text == documented_band(base, small_part_missing=missing)


def test_the_band_depends_on_the_base_alone_and_holds_the_true_rate():
    """For every base, whichever count from 1 to 4 is hidden, the page shows the same band, and it
    holds the rate: a reader who knows the base learns nothing more from the band."""
    for base in range(5, 1001):
        for missing in (True, False):
            shown = set()
            for small in range(1, 5):
                large = base - small
                if large < 5:
                    continue
                good, missed = (large, small) if missing else (small, large)
                rate = band_rate(withhold_rate(rate_cell(good, base), hidden(missed)), hidden(good), hidden(missed))
                shown.add(rate.text)
                if rate.band is not None:
                    share = 100 * Fraction(good, base)
                    assert rate.band.low <= share <= rate.band.high, (base, good, rate.text)
            assert len(shown) <= 1, (base, missing, shown)
    assert {band_for(base, small_part_missing=True).low for base in range(8, 200)} == set(BANDS_FROM)
    assert {band_for(base, small_part_missing=False).high for base in range(8, 200)} == set(BANDS_UP_TO)


def test_it_bands_only_a_rate_withheld_for_one_small_count_beside_a_hidden_large_one():
    def banded(good: Cell, missed: Cell, base: int) -> str:
        rate = withhold_rate(rate_cell(good.value, base), good, missed)
        return band_rate(rate, good, missed).text

    assert banded(hidden(29), hidden(2), 31) == "85% or more"
    assert banded(hidden(2), hidden(29), 31) == "15% or less"
    # The large count shown: with the base, the small one would follow. Withheld.
    assert banded(Cell(29), hidden(2), 31) == TOO_FEW
    # Both small, or both large: no band holds every rate they could give.
    assert banded(hidden(3), hidden(4), 7) == TOO_FEW
    assert banded(hidden(12), hidden(6), 18) == TOO_FEW
    # Nothing hidden: the rate as it is.
    assert banded(Cell(29), Cell(6), 35) == "82.9%"
    # A rate over fewer than 5 cases stays withheld.
    tiny = Cell(75.0, text=TOO_FEW, is_count=False, base=4, suppressed=True)
    assert band_rate(tiny, hidden(3), hidden(1)).text == TOO_FEW


def test_a_headline_shows_the_band_of_the_total_it_repeats():
    total = Cell(87.1, text="85% or more", is_count=False, base=31, suppressed=True, band=Band(85, 100, "85% or more"))
    headline = rate_cell(27, 31)
    assert same_band(headline, total).text == "85% or more" and headline.band == total.band
    assert same_band(rate_cell(27, 31), Cell(None, text=TOO_FEW, is_count=False, suppressed=True)).text == TOO_FEW
    assert same_band(rate_cell(27, 31), rate_cell(27, 31)).text == "87.1%"


# --- By brute force, as an adversary ---------------------------------------------------------


def month_table(months: list[tuple[int, int, int]]) -> Table:
    """A table like "Enquiries by month": (received, on time, missed) each month, and All; the
    received may be more than on time and missed (not yet due, or withdrawn before it)."""
    rows = [(f"m{n}", [Cell(r), Cell(g), Cell(m), rate_cell(g, g + m)]) for n, (r, g, m) in enumerate(months)]
    totals = [sum(month[n] for month in months) for n in range(3)]
    rows.append(("All", [*(Cell(total) for total in totals), rate_cell(totals[1], totals[1] + totals[2])]))
    return Table(
        "by_month",
        "Enquiries by month",
        ["Received", "On time", "Missed", "On time %"],
        rows,
        "",
        total_row=len(rows) - 1,
    )


def control(t: Table) -> Table:
    """The committee's disclosure control over the month table (reporting.figures.committee)."""
    lines = [cells[:3] for _, cells in t.rows]
    changed = True
    while changed:
        suppress(t)
        changed = protect_lines(lines)
    for _, cells in t.rows:
        band_rate(withhold_rate(cells[3], cells[1], cells[2]), cells[1], cells[2])
    return t


def shown(t: Table) -> list[list[str]]:
    return [[cell.text for cell in cells] for _, cells in t.rows]


def random_months(rng: random.Random) -> list[tuple[int, int, int]]:
    months = []
    for _ in range(rng.randint(1, 3)):
        received = rng.choice([0, 6, 9, 12, 15, 18, 20, 24, 27, 31])
        if not received:
            months.append((0, 0, 0))
            continue
        neither = rng.choice([0, 0, 0, 1, 2])
        missed = min(rng.choice([0, 1, 1, 2, 3, 4, 4, 5, 7]), received - neither)
        months.append((received, received - neither - missed, missed))
    return months


def without_bands(t: Table) -> Table:
    """The same page as it was before issue 15 B9: every band "too few to show"."""
    rows = [
        (label, [replace(cell, band=None, text=TOO_FEW) if cell.band else cell for cell in cells])
        for label, cells in t.rows
    ]
    return replace(t, rows=rows)


def test_no_band_gives_away_a_count_in_random_month_tables():
    """Whatever a reader can pin with the bands, they could pin without them: the bands add
    nothing to what the rest of the page gives away. (The rest of the page can give a count away
    on its own: see the report of issue 15 B9 for the case this finds, left to B8's control.)"""
    rng = random.Random(915)
    banded = 0
    for _ in range(150):
        t = control(month_table(random_months(rng)))
        if not any(cells[3].band for _, cells in t.rows):
            continue
        banded += 1
        assert month_table_pinned(t) <= month_table_pinned(without_bands(t), bands=False), shown(t)
    assert banded > 40  # the tables do exercise the bands


@pytest.mark.parametrize(
    "months",
    [
        # The demo's June to October 2026: 29 of 31, 30 of 34, 18 of 20, 27 of 31 on time.
        [(32, 29, 2), (35, 30, 4), (20, 18, 2), (32, 27, 4)],
        # A good month beside a bad one, and a month with a few not yet due.
        [(31, 30, 1), (24, 19, 5)],
        [(40, 33, 3), (9, 5, 4)],
        # Few on time: the band is "X% or less".
        [(31, 2, 29), (20, 15, 5)],
    ],
)
def test_it_shows_good_months_in_bands_that_pin_nothing(months):
    t = control(month_table(months))
    assert any(cells[3].band for _, cells in t.rows), shown(t)
    for _, cells in t.rows:
        if cells[3].band:
            assert cells[3].text == documented_band(cells[3].base, small_part_missing=cells[2].text == FEWER_THAN)
    assert month_table_pinned(t) == set(), shown(t)


def test_the_check_finds_a_count_a_narrower_band_would_give_away():
    """A band picked as the narrowest that holds the rate (29 of 30, "95% or more") would pin
    the one missed: 2 missed would need 38 on time, more than the 30 received."""
    t = control(month_table([(30, 29, 1), (30, 25, 5)]))
    assert shown(t)[0] == ["30", "suppressed", FEWER_THAN, "85% or more"]
    assert month_table_pinned(t) == set()
    t.rows[0][1][3].text = "95% or more"
    assert {(0, 1), (0, 2)} <= month_table_pinned(t)
