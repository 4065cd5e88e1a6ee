"""Disclosure control for the Standards Committee's pages (DESIGN §7; issue 6).

The committee sees aggregates only: any count from 1 to 4 shows as "fewer than 5",
and no suppressed count may be worked out from the others on the same page. Each
table is checked along its rows and its columns: where a line with a total would
have exactly one suppressed cell, the smallest other non-zero cell in that line is
suppressed too (secondary suppression), so the total no longer gives it away. In a
table with both a total row and a total column, two hidden cells per line are not
always enough (the lines' sums can be combined to single one out), so while any hidden
cell still follows from the sums another is hidden beside it. A reader also knows what
each hidden cell says of itself: "fewer than 5" is 1 to 4 (a hidden cell is never 0) and
"suppressed" is 5 or more. Two cells of "fewer than 5" beside a total that leaves 2 for
them are 1 each; that pins them as surely as a sum does, so a hidden cell that only one
value fits, within those bounds and every line's sum, has another hidden beside it too
(issue 15 B8). A percentage or median over fewer than five cases is not shown either.

A page shows the same figure in several places and has sums that run across tables:
``same_figure``, ``protect_lines`` and ``withhold_rate`` apply the same rules across a
page (reporting.figures does so for the committee's dashboard).

A rate withheld because one of its two counts is "fewer than 5" (and the other hidden too)
shows as a band instead, by ``band_rate`` (issue 15 B9): of 31 enquiries, fewer than 5
missed means at least 27 of 31 on time, 87.1% or more, so it shows "85% or more". The band
is the one that holds every rate the hidden count could give, 1 to 4 of the base; it
depends on the base alone, never on the hidden count, so it says no more about the hidden
count than "fewer than 5" already did, even to a reader who knows the base and the rule. A
band that narrowed the count further ("90% to 95%" is 2 or 3 of 31 missed) could pin it
with the totals beside it, so no band is two-sided.

The Monitoring Officer and Chief Executive see the operational view: no suppression.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

THRESHOLD = 5
FEWER_THAN = "fewer than 5"
TOO_FEW = "too few to show"
NOTE = (
    "Counts from 1 to 4 show as “fewer than 5”, and where a total would give one away another small "
    "count is withheld too, so no one can be identified."
)
# The bands a rate can show in (issue 15 B9): "95% or more" and down, for a rate with fewer than
# 5 missing from its base; "5% or less" and up, for one with fewer than 5 in it.
BANDS_FROM = (95, 90, 85, 80, 75, 70, 60, 50)
BANDS_UP_TO = (5, 10, 15, 20, 25, 30, 40, 50)
BAND_NOTE = (
    "Where an exact percentage would give a count of fewer than 5 away, it shows as a band "
    "(“85% or more”): the band that holds every percentage a count from 1 to 4 could give."
)


@dataclass(frozen=True)
class Band:
    """A rate shown as a range, in percent: ``low`` to ``high``, both included."""

    low: int
    high: int
    text: str


@dataclass
class Cell:
    value: int | float | None
    # What the page shows: the number formatted, or "fewer than 5".
    text: str = ""
    suppressed: bool = False
    # A count (suppressible) rather than a rate or a median (shown or withheld by its base).
    is_count: bool = True
    # For a rate or median: how many cases it is over.
    base: int | None = None
    # Where the operational view's drill-down goes (a query string for reporting's case list).
    drill: str = ""
    # A withheld rate shown as a band instead (band_rate).
    band: Band | None = None

    def __post_init__(self) -> None:
        if not self.text:
            self.text = format_value(self.value)


def format_value(value: int | float | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}"


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    definition: str
    # Which columns and rows hold totals of the others (their cells are the sums shown).
    total_column: int | None = None
    total_row: int | None = None
    notes: list[str] = field(default_factory=list)

    def cell(self, row: int, column: int) -> Cell:
        return self.rows[row][1][column]


def _primary(cell: Cell) -> None:
    if cell.is_count:
        if isinstance(cell.value, int) and 0 < cell.value < THRESHOLD:
            cell.suppressed, cell.text = True, FEWER_THAN
    elif cell.base is not None and cell.base < THRESHOLD and cell.value is not None:
        cell.suppressed, cell.text = True, TOO_FEW


def _protect(line: list[Cell]) -> bool:
    """Suppress one more cell in a line that has exactly one suppressed count."""
    counts = [cell for cell in line if cell.is_count]
    suppressed = [cell for cell in counts if cell.suppressed]
    if len(suppressed) != 1:
        return False
    others = [cell for cell in counts if not cell.suppressed and isinstance(cell.value, int) and cell.value > 0]
    if not others:
        return False
    _hide(min(others, key=lambda cell: cell.value))
    return True


def _lines(table: Table) -> list[list[tuple[Cell, int]]]:
    """Each line that has a total, as (count cell, +1 for a part or -1 for the total)."""
    lines = []
    if table.total_column is not None:
        for _, cells in table.rows:
            lines.append([(cell, -1 if n == table.total_column else 1) for n, cell in enumerate(cells)])
    if table.total_row is not None:
        width = max((len(cells) for _, cells in table.rows), default=0)
        for column in range(width):
            lines.append(
                [(cells[column], -1 if n == table.total_row else 1) for n, (_, cells) in enumerate(table.rows)]
            )
    return [[(cell, sign) for cell, sign in line if cell.is_count] for line in lines]


def _given_away(table: Table) -> list[Cell]:
    """The hidden counts that the lines' sums still determine, combined any way (exact
    elimination over the hidden cells; tables are small)."""
    hidden = [cell for _, cells in table.rows for cell in cells if cell.is_count and cell.suppressed]
    index = {id(cell): n for n, cell in enumerate(hidden)}
    reduced: list[list[Fraction]] = []
    pivots: list[int] = []
    for line in _lines(table):
        equation = [Fraction(0)] * len(hidden)
        for cell, sign in line:
            if id(cell) in index:
                equation[index[id(cell)]] += sign
        for row, pivot in zip(reduced, pivots, strict=True):
            if equation[pivot]:
                equation = [a - equation[pivot] * b for a, b in zip(equation, row, strict=True)]
        lead = next((n for n, a in enumerate(equation) if a), None)
        if lead is None:
            continue
        equation = [a / equation[lead] for a in equation]
        for n, row in enumerate(reduced):
            if row[lead]:
                reduced[n] = [a - row[lead] * b for a, b in zip(row, equation, strict=True)]
        reduced.append(equation)
        pivots.append(lead)
    return [hidden[pivot] for row, pivot in zip(reduced, pivots, strict=True) if sum(1 for a in row if a) == 1]


# --- Hidden cells pinned by their bounds ---------------------------------------------------------

INFINITY = math.inf
# How many trial values one check may try before it gives up and counts the cell as pinned
# (so hides more: the safe side). Real tables need a few hundred at most.
SEARCH_BUDGET = 20_000
Bounds = list[tuple[float, float]]
Equation = tuple[dict[int, int], int]


class _OutOfBudget(Exception):
    """The search tried SEARCH_BUDGET values without an answer: the cell counts as pinned."""


def _bounds(cell: Cell) -> tuple[float, float]:
    """What a hidden count says of itself: "fewer than 5" is 1 to 4, anything else 5 or more."""
    return (1, THRESHOLD - 1) if cell.value is not None and cell.value < THRESHOLD else (THRESHOLD, INFINITY)


def _system(lines: list[list[tuple[Cell, int]]]) -> tuple[list[Cell], list[Equation]]:
    """The hidden counts of ``lines`` and, for each line, sum(sign × hidden) = constant."""
    hidden: list[Cell] = []
    index: dict[int, int] = {}
    equations: list[Equation] = []
    for line in lines:
        coefficients: dict[int, int] = {}
        constant = 0
        for cell, sign in line:
            if cell.suppressed:
                if id(cell) not in index:
                    index[id(cell)] = len(hidden)
                    hidden.append(cell)
                n = index[id(cell)]
                coefficients[n] = coefficients.get(n, 0) + sign
            else:
                constant -= sign * int(cell.value or 0)
        coefficients = {n: a for n, a in coefficients.items() if a}
        if coefficients:
            equations.append((coefficients, constant))
    return hidden, equations


def _narrow(bounds: Bounds, equations: list[Equation]) -> bool:
    """Tighten each hidden count's bounds from every line's sum until nothing changes;
    False if no values fit."""
    changed = True
    while changed:
        changed = False
        for coefficients, constant in equations:
            for n, a in coefficients.items():
                low_rest = high_rest = 0.0
                for m, b in coefficients.items():
                    if m != n:
                        low, high = bounds[m]
                        low_rest += b * low if b > 0 else b * high
                        high_rest += b * high if b > 0 else b * low
                # a·x = constant − rest
                ends = ((constant - high_rest) / a, (constant - low_rest) / a)
                low, high = min(ends), max(ends)
                new_low = max(bounds[n][0], math.ceil(low) if math.isfinite(low) else low)
                new_high = min(bounds[n][1], math.floor(high) if math.isfinite(high) else high)
                if new_low > new_high:
                    return False
                if (new_low, new_high) != bounds[n]:
                    bounds[n] = (new_low, new_high)
                    changed = True
    return True


def _fits(bounds: Bounds, equations: list[Equation], budget: list[int]) -> bool:
    """Whether whole numbers within ``bounds`` satisfy every equation (a depth-first search
    over the bounded cells, narrowing as it goes)."""
    bounds = list(bounds)
    if not _narrow(bounds, equations):
        return False
    open_cells = [n for n, (low, high) in enumerate(bounds) if low < high and math.isfinite(high)]
    if not open_cells:
        return True
    n = min(open_cells, key=lambda m: bounds[m][1] - bounds[m][0])
    low, high = bounds[n]
    for value in range(int(low), int(high) + 1):
        budget[0] -= 1
        if budget[0] < 0:
            raise _OutOfBudget
        bounds[n] = (value, value)
        if _fits(bounds, equations, budget):
            return True
    return False


def _pinned_in(lines: list[list[tuple[Cell, int]]]) -> list[Cell]:
    """The hidden counts of ``lines`` that only one value fits, given the lines' sums and
    what each hidden cell says of itself (1 to 4, or 5 or more)."""
    hidden, equations = _system(lines)
    if not equations:
        return []
    bounds = [_bounds(cell) for cell in hidden]
    if not _narrow(bounds, equations):
        return []  # the page's own figures never contradict themselves; nothing to protect
    pinned = []
    budget = [SEARCH_BUDGET]
    for n, cell in enumerate(hidden):
        low, high = bounds[n]
        if low == high:
            pinned.append(cell)
            continue
        if not math.isfinite(high):
            continue  # unbounded above: more than one value fits
        # The true value fits (the figures are real): the cell is safe once another does.
        others = sorted(
            (v for v in range(int(low), int(high) + 1) if v != cell.value), key=lambda v: abs(v - cell.value)
        )
        try:
            another = any(_fits([*bounds[:n], (v, v), *bounds[n + 1 :]], equations, budget) for v in others)
        except _OutOfBudget:
            another = False
        if not another:
            pinned.append(cell)
    return pinned


def _exposed(table: Table) -> list[Cell]:
    """Hidden counts a reader can work out: by combining the sums (with totals both ways),
    or because only one value fits their bounds and the sums."""
    found = _given_away(table) if table.total_column is not None and table.total_row is not None else []
    return found or _pinned_in(_lines(table))


def _hide(cell: Cell) -> None:
    cell.suppressed, cell.text = True, FEWER_THAN if cell.value < THRESHOLD else "suppressed"


def _hide_beside(table: Table, exposed: Cell) -> bool:
    """Hide one more count, on a line through ``exposed`` if one will do: the smallest that
    stops it being determined, else the smallest. Once every non-zero count is hidden
    nothing is determined, so this ends."""
    visible = sorted(
        (
            cell
            for _, cells in table.rows
            for cell in cells
            if cell.is_count and not cell.suppressed and isinstance(cell.value, int) and cell.value > 0
        ),
        key=lambda cell: cell.value,
    )
    beside = {id(cell) for line in _lines(table) if any(cell is exposed for cell, _ in line) for cell, _ in line}
    candidates = [cell for cell in visible if id(cell) in beside] + [cell for cell in visible if id(cell) not in beside]
    if not candidates:
        return False
    for cell in candidates:
        cell.suppressed = True
        if not any(other is exposed for other in _exposed(table)):
            _hide(cell)
            return True
        cell.suppressed = False
    _hide(candidates[0])
    return True


def suppress(table: Table) -> Table:
    """Apply primary and secondary suppression to ``table`` in place (and return it)."""
    for _, cells in table.rows:
        for cell in cells:
            _primary(cell)
    while True:
        changed = True
        while changed:
            changed = False
            # Rows and columns are only derivable from a total shown on the same line.
            if table.total_column is not None:
                for _, cells in table.rows:
                    changed |= _protect(cells)
            if table.total_row is not None:
                width = max((len(cells) for _, cells in table.rows), default=0)
                for column in range(width):
                    changed |= _protect([cells[column] for _, cells in table.rows if column < len(cells)])
        # With totals both ways, lines can be combined (each line alone is safe by now); and
        # on any line a hidden cell's bounds can leave it one value (issue 15 B8).
        if table.total_column is None and table.total_row is None:
            break
        exposed = _exposed(table)
        if not exposed or not _hide_beside(table, exposed[0]):
            break
    if any(cell.suppressed for _, cells in table.rows for cell in cells) and NOTE not in table.notes:
        table.notes.append(NOTE)
    return table


def protect_lines(lines: list[list[Cell]]) -> bool:
    """Secondary suppression along lines whose sum is shown somewhere on the page (a table
    elsewhere, a headline): the cells may come from several tables; each line is its
    total first, then its parts. True if it hid any."""
    changed = False
    for line in lines:
        changed |= _protect(line)
        # Bounds as well as sums (issue 15 B8): hide the smallest shown part beside a pinned cell.
        while _pinned_in([[(cell, -1 if n == 0 else 1) for n, cell in enumerate(line) if cell.is_count]]):
            shown = [cell for cell in line if cell.is_count and not cell.suppressed and (cell.value or 0) > 0]
            if not shown:
                break
            _hide(min(shown, key=lambda cell: cell.value))
            changed = True
    return changed


def same_figure(cells: list[Cell]) -> bool:
    """One figure shown in several places on a page: hidden in one, it is hidden in all.
    True if it hid any."""
    if not any(cell.suppressed for cell in cells):
        return False
    shown = [cell for cell in cells if not cell.suppressed]
    for cell in shown:
        _hide(cell)
    return bool(shown)


def withhold_rate(rate: Cell, *parts: Cell) -> Cell:
    """A percentage made of counts shown as hidden would give them back (with the base
    shown beside it): withhold it too."""
    if rate.value is not None and not rate.suppressed and any(part.suppressed for part in parts):
        rate.suppressed, rate.text = True, TOO_FEW
    return rate


def suppress_figure(cell: Cell) -> Cell:
    """A single headline number, with no total beside it."""
    _primary(cell)
    return cell


def band_for(base: int, *, small_part_missing: bool) -> Band | None:
    """The band that holds every rate a hidden count from 1 to 4 could give over ``base``: the
    share of ``base`` with 1 to 4 missing from it (``small_part_missing``), or with 1 to 4 in it.
    It depends on the base alone. None when no band in BANDS_FROM or BANDS_UP_TO holds them all."""
    most = THRESHOLD - 1
    if small_part_missing:
        # The lowest rate is (base - 4) / base; exact arithmetic, so no rounding moves a bound.
        low = next((bound for bound in BANDS_FROM if bound * base <= 100 * (base - most)), None)
        return None if low is None else Band(low, 100, f"{low}% or more")
    high = next((bound for bound in BANDS_UP_TO if bound * base >= 100 * most), None)
    return None if high is None else Band(0, high, f"{high}% or less")


def band_rate(rate: Cell, part: Cell, rest: Cell) -> Cell:
    """A rate ``part`` / (``part`` + ``rest``) withheld because one of the two is "fewer than 5"
    shows as the band that holds every rate that count could give (``band_for``), where the
    other is hidden as "suppressed" too: with the other shown, the base would pin the small one.
    Call it once disclosure control is done, on the page's final cells."""
    if rate.band is not None or not rate.suppressed or rate.value is None or rate.base is None:
        return rate
    if rate.base < THRESHOLD or not (part.suppressed and rest.suppressed):
        return rate
    small = [cell.text == FEWER_THAN for cell in (part, rest)]
    if small.count(True) != 1:
        return rate
    band = band_for(rate.base, small_part_missing=small[1])
    if band is not None:
        rate.band, rate.text = band, band.text
    return rate


def same_band(rate: Cell, source: Cell) -> Cell:
    """The same rate shown in another place (a headline and its table's total) shows the same
    band, or is withheld as it is."""
    if source.suppressed and not rate.suppressed:
        rate.suppressed = True
    if rate.suppressed:
        rate.band, rate.text = source.band, source.text
    return rate
