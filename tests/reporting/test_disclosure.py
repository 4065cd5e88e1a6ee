"""Disclosure control on the Standards Committee's pages: counts from 1 to 4 show as "fewer
than 5", and none can be worked out from a total on the same line."""

import random
from fractions import Fraction

import pytest

from reporting.disclosure import (
    FEWER_THAN,
    TOO_FEW,
    Cell,
    Table,
    protect_lines,
    same_figure,
    suppress,
    suppress_figure,
    withhold_rate,
)
from tests.reporting.disclosure_checks import lines_with_totals, pinned


def counts(*values: int) -> list[Cell]:
    return [Cell(value) for value in values]


def table(rows: list[list[int]], *, total_column: bool = False, total_row: bool = False) -> Table:
    """A table of counts, with a total column and/or a total row added as the sums."""
    grid = [list(row) for row in rows]
    if total_column:
        grid = [[*row, sum(row)] for row in grid]
    if total_row:
        grid.append([sum(column) for column in zip(*grid, strict=True)])
    return Table(
        slug="t",
        title="T",
        columns=[f"c{n}" for n in range(len(grid[0]))],
        rows=[(f"r{n}", counts(*row)) for n, row in enumerate(grid)],
        definition="",
        total_column=len(grid[0]) - 1 if total_column else None,
        total_row=len(grid) - 1 if total_row else None,
    )


def shown(t: Table) -> list[list[str]]:
    return [[cell.text for cell in cells] for _, cells in t.rows]


def suppressed(t: Table) -> list[list[bool]]:
    return [[cell.suppressed for cell in cells] for _, cells in t.rows]


@pytest.mark.parametrize(("value", "text"), [(0, "0"), (1, FEWER_THAN), (4, FEWER_THAN), (5, "5"), (1234, "1,234")])
def test_it_shows_counts_from_1_to_4_as_fewer_than_5(value, text):
    cell = suppress_figure(Cell(value))
    assert cell.text == text
    assert cell.suppressed is (text == FEWER_THAN)


def test_it_leaves_a_table_without_small_counts_alone():
    t = suppress(table([[5, 0, 12], [7, 9, 0]], total_column=True, total_row=True))
    assert not any(any(row) for row in suppressed(t))
    assert shown(t)[-1] == ["12", "9", "12", "33"]
    assert t.notes == []


def test_it_suppresses_the_smallest_other_count_in_a_row_with_a_total():
    t = suppress(table([[3, 20, 8, 0]], total_column=True))
    assert shown(t) == [[FEWER_THAN, "20", "suppressed", "0", "31"]]
    assert t.notes  # the page says why


def test_it_suppresses_a_second_small_count_as_fewer_than_5():
    t = suppress(table([[2, 40, 4]], total_column=True))
    # Two primary suppressions already: nothing more to hide.
    assert shown(t) == [[FEWER_THAN, "40", FEWER_THAN, "46"]]


def test_it_never_takes_a_zero_as_the_second_cell():
    t = suppress(table([[0, 1, 0, 6, 0]], total_column=True))
    assert shown(t) == [["0", FEWER_THAN, "0", "suppressed", "0", "7"]]


def test_it_suppresses_the_smallest_other_count_in_a_column_with_a_total():
    t = suppress(table([[9], [2], [6], [0]], total_row=True))
    assert shown(t) == [["9"], [FEWER_THAN], ["suppressed"], ["0"], ["17"]]


def test_it_does_not_suppress_more_in_a_line_without_a_total():
    # A column with no total row: 9 and 6 give nothing away.
    t = suppress(table([[9], [2], [6]]))
    assert shown(t) == [["9"], [FEWER_THAN], ["6"]]
    # A row in a table that totals only its columns.
    t = suppress(table([[2, 30], [40, 50]], total_row=True))
    assert shown(t) == [[FEWER_THAN, "30"], ["suppressed", "50"], ["42", "80"]]


def test_it_carries_secondary_suppression_across_rows_and_columns():
    t = suppress(table([[3, 10, 12], [8, 9, 20], [7, 15, 30]], total_column=True, total_row=True))
    # The 3 hides the 10 in its row; the 3 and the 10 then need partners in their columns (7, 9),
    # and those in their rows (15, 8).
    assert shown(t) == [
        [FEWER_THAN, "suppressed", "12", "25"],
        ["suppressed", "suppressed", "20", "37"],
        ["suppressed", "suppressed", "30", "52"],
        ["18", "34", "62", "114"],
    ]
    assert_no_line_gives_a_cell_away(t)


@pytest.mark.parametrize(("base", "text"), [(0, "–"), (1, TOO_FEW), (4, TOO_FEW), (5, "40.0%")])
def test_it_withholds_a_rate_over_fewer_than_5_cases(base, text):
    value = None if base == 0 else 40.0
    cell = suppress_figure(Cell(value, text="–" if value is None else "40.0%", is_count=False, base=base))
    assert cell.text == text
    assert cell.suppressed is (text == TOO_FEW)


@pytest.mark.parametrize(("base", "text"), [(3, TOO_FEW), (5, "2")])
def test_it_withholds_a_median_over_fewer_than_5_cases(base, text):
    cell = Cell(2.0, text="2", is_count=False, base=base)
    t = suppress(Table("m", "M", ["Median"], [("All", [cell])], definition=""))
    assert t.cell(0, 0).text == text


def test_it_does_not_count_a_rate_as_a_cell_of_the_line():
    rate = Cell(75.0, text="75.0%", is_count=False, base=12)
    t = Table("r", "R", ["a", "b", "%", "total"], [("x", [*counts(9, 3), rate, Cell(12)])], "", total_column=3)
    suppress(t)
    assert [cell.text for cell in t.rows[0][1]] == ["suppressed", FEWER_THAN, "75.0%", "12"]


# --- No suppressed value derivable -------------------------------------------------------


def derivable(t: Table) -> set[tuple[int, int]]:
    """The suppressed cells whose value follows from the shown cells and the totals, by any
    combination of the lines' sums (exact Gaussian elimination over the rationals)."""
    unknowns = [(r, c) for r, (_, cells) in enumerate(t.rows) for c, cell in enumerate(cells) if cell.suppressed]
    index = {position: n for n, position in enumerate(unknowns)}
    equations = []
    for line in lines_with_totals(t):
        total = t.total_column if t.total_column is not None and all(r == line[0][0] for r, _ in line) else None
        coefficients = [Fraction(0)] * len(unknowns)
        for r, c in line:
            is_total = (c == t.total_column) if total is not None else (r == t.total_row)
            if (r, c) in index:
                coefficients[index[r, c]] += -1 if is_total else 1
        if any(coefficients):
            equations.append(coefficients)
    # Row-reduce, then a unknown is determined when its unit vector is in the row space.
    rows, pivots = [], []
    for equation in equations:
        equation = list(equation)
        for row, pivot in zip(rows, pivots, strict=True):
            if equation[pivot]:
                factor = equation[pivot]
                equation = [a - factor * b for a, b in zip(equation, row, strict=True)]
        lead = next((n for n, a in enumerate(equation) if a), None)
        if lead is None:
            continue
        equation = [a / equation[lead] for a in equation]
        for n, row in enumerate(rows):
            if row[lead]:
                factor = row[lead]
                rows[n] = [a - factor * b for a, b in zip(row, equation, strict=True)]
        rows.append(equation)
        pivots.append(lead)
    found = set()
    for row in rows:
        nonzero = [n for n, a in enumerate(row) if a]
        if len(nonzero) == 1:
            found.add(unknowns[nonzero[0]])
    return found


def assert_no_line_gives_a_cell_away(t: Table) -> None:
    for line in lines_with_totals(t):
        hidden = [position for position in line if t.cell(*position).suppressed]
        assert len(hidden) != 1, f"line {line} hides only {hidden}: {shown(t)}"
    for _, cells in t.rows:
        for cell in cells:
            if isinstance(cell.value, int) and 0 < cell.value < 5:
                assert cell.text == FEWER_THAN


def random_table(rng: random.Random) -> tuple[list[list[int]], bool, bool]:
    height, width = rng.randint(1, 5), rng.randint(1, 5)
    rows = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 30]) for _ in range(width)] for _ in range(height)]
    total_column, total_row = rng.choice([(True, False), (False, True), (True, True)])
    return rows, total_column, total_row


def test_it_leaves_no_line_with_a_total_and_exactly_one_suppressed_cell():
    rng = random.Random(20260501)
    for _ in range(3000):
        rows, total_column, total_row = random_table(rng)
        t = suppress(table(rows, total_column=total_column, total_row=total_row))
        assert_no_line_gives_a_cell_away(t)


def test_it_leaves_no_suppressed_cell_derivable_from_the_totals():
    rng = random.Random(4)
    for _ in range(1500):
        rows, total_column, total_row = random_table(rng)
        t = suppress(table(rows, total_column=total_column, total_row=total_row))
        assert derivable(t) == set(), shown(t)


def test_the_derivability_check_finds_a_cell_given_away():
    # The check itself: a row whose total is shown with one hidden cell gives it away.
    t = table([[3, 20, 8]], total_column=True)
    t.rows[0][1][0].suppressed = True
    assert derivable(t) == {(0, 0)}
    t.rows[0][1][2].suppressed = True
    assert derivable(t) == set()


# --- Across a page ---------------------------------------------------------------------------


def test_it_hides_a_figure_everywhere_once_it_is_hidden_anywhere():
    headline, in_a_table, in_another = Cell(12), Cell(12), Cell(12)
    in_a_table.suppressed, in_a_table.text = True, "suppressed"
    assert same_figure([headline, in_a_table, in_another]) is True
    assert [cell.text for cell in (headline, in_a_table, in_another)] == ["suppressed"] * 3
    assert same_figure([headline, in_a_table, in_another]) is False
    assert same_figure([Cell(3), Cell(3)]) is False  # nothing hidden yet: primary suppression comes first


def test_it_protects_a_line_whose_total_is_in_another_table():
    # A directorate's 23 (in one table) is its services' 3 and 20 (in another).
    directorate = Cell(23)
    services = counts(3, 20)
    for cell in services:
        suppress_figure(cell)
    assert protect_lines([[directorate, *services]]) is True
    assert [cell.text for cell in services] == [FEWER_THAN, "suppressed"]
    assert directorate.text == "23"
    assert protect_lines([[directorate, *services]]) is False


def test_it_withholds_a_rate_when_a_count_it_is_made_of_is_hidden():
    on_time, missed = Cell(5), suppress_figure(Cell(2))
    rate = Cell(71.4, text="71.4%", is_count=False, base=7)
    assert withhold_rate(rate, on_time, missed).text == TOO_FEW
    shown_rate = Cell(58.3, text="58.3%", is_count=False, base=12)
    assert withhold_rate(shown_rate, Cell(7), Cell(5)).text == "58.3%"
    nothing = Cell(None, text="–", is_count=False, base=0)
    assert withhold_rate(nothing, suppress_figure(Cell(1))).text == "–"


def test_it_says_why_once_however_often_a_table_is_suppressed():
    t = table([[3, 20]], total_column=True)
    suppress(suppress(t))
    assert len(t.notes) == 1


# --- No hidden cell pinned by its bounds (issue 15 B8) ------------------------------------------
# A hidden cell that only one value fits, given what it says of itself (1 to 4, or 5 or more)
# and every line's sum, is given away (tests/reporting/disclosure_checks.py finds them).


@pytest.mark.parametrize(
    ("rows", "total_column", "total_row"),
    [
        # concerns_by_kind, November 2026: fewer than 5 / 5 / fewer than 5 / All 7 (both were 1).
        ([[1], [5], [1]], False, True),
        # by_service, one directorate in 2025-26: fewer than 5, fewer than 5, 8, total 16 (both 4).
        ([[4, 4, 8]], True, False),
        # outcomes, 2026-27: a row and a column each with two small counts a total pins.
        ([[1, 1, 9, 12], [6, 1, 1, 7], [10, 8, 7, 9]], True, True),
    ],
    ids=["concerns_by_kind", "by_service", "outcomes"],
)
def test_it_leaves_no_hidden_cell_that_only_one_value_fits(rows, total_column, total_row):
    t = table(rows, total_column=total_column, total_row=total_row)
    before = table(rows, total_column=total_column, total_row=total_row)
    for _, cells in before.rows:  # primary and the one-per-line rule only, as before issue 15 B8
        for cell in cells:
            if 0 < cell.value < 5:
                cell.suppressed, cell.text = True, FEWER_THAN
    assert pinned(before), "the check should find what gave these tables away"

    suppress(t)

    assert pinned(t) == set(), shown(t)
    assert_no_line_gives_a_cell_away(t)


def test_the_bounds_check_finds_two_small_counts_a_total_pins():
    t = table([[1, 5, 1]], total_column=True)
    t.rows[0][1][0].suppressed = t.rows[0][1][2].suppressed = True
    t.rows[0][1][0].text = t.rows[0][1][2].text = FEWER_THAN
    assert pinned(t) == {(0, 0), (0, 2)}


def test_it_leaves_no_hidden_cell_pinned_by_its_bounds_in_random_tables():
    rng = random.Random(15)
    for _ in range(400):
        height, width = rng.randint(1, 3), rng.randint(1, 3)
        rows = [[rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 9]) for _ in range(width)] for _ in range(height)]
        total_column, total_row = rng.choice([(True, False), (False, True), (True, True)])
        t = suppress(table(rows, total_column=total_column, total_row=total_row))
        assert pinned(t) == set(), shown(t)
        assert derivable(t) == set(), shown(t)


def test_it_protects_a_line_across_tables_by_bounds_too():
    # A headline total of 7 elsewhere on the page, over parts shown here: 1, 5, 1.
    total, *parts = counts(7, 1, 5, 1)
    for part in parts:
        suppress_figure(part)
    protect_lines([[total, *parts]])
    line = Table("l", "L", ["t", "a", "b", "c"], [("r", [*parts, total])], "", total_column=3)
    assert pinned(line) == set(), shown(line)
