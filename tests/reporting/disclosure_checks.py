"""Independent checks of disclosure control for the tests: they share no code with
reporting.disclosure, so a gap there is not hidden by the same gap here."""

import math
from fractions import Fraction

from reporting.disclosure import FEWER_THAN, Table


def lines_with_totals(t: Table) -> list[list[tuple[int, int]]]:
    """Each line (row or column) that has a total, as (row, column) positions."""
    height, width = len(t.rows), len(t.rows[0][1])
    lines = []
    if t.total_column is not None:
        lines += [[(r, c) for c in range(width)] for r in range(height)]
    if t.total_row is not None:
        lines += [[(r, c) for r in range(height)] for c in range(width)]
    return lines


# A reader knows what a hidden cell says of itself: "fewer than 5" is 1 to 4 (a hidden cell is
# never 0) and "suppressed" is 5 or more. The check below finds, by brute force over whole
# numbers, every value each hidden cell can take given those bounds and every line's sum: a
# cell only one value fits is given away.


def feasible_values(t: Table, limit: int) -> dict[tuple[int, int], set[int]]:
    """For each hidden cell, the values it takes in some whole-number solution (at most two
    are collected per cell). "Suppressed" cells range from 5 to ``limit``."""
    hidden = [
        (r, c)
        for r, (_, cells) in enumerate(t.rows)
        for c, cell in enumerate(cells)
        if cell.suppressed and cell.is_count
    ]
    domain = {
        position: range(1, 5) if t.cell(*position).text == FEWER_THAN else range(5, limit + 1) for position in hidden
    }
    equations = []
    for line in lines_with_totals(t):
        row_line = t.total_column is not None and all(r == line[0][0] for r, _ in line)
        terms, constant = [], 0
        for r, c in line:
            if not t.cell(r, c).is_count:
                continue  # a rate or a median is no part of a sum
            sign = -1 if (c == t.total_column if row_line else r == t.total_row) else 1
            if t.cell(r, c).suppressed:
                terms.append(((r, c), sign))
            else:
                constant -= sign * t.cell(r, c).value
        if terms:
            equations.append((terms, constant))
    found: dict[tuple[int, int], set[int]] = {position: set() for position in hidden}

    def search(assigned: dict) -> None:
        if all(len(values) > 1 for values in found.values()):
            return
        for terms, constant in equations:
            free = [(position, sign) for position, sign in terms if position not in assigned]
            total = sum(sign * assigned[position] for position, sign in terms if position in assigned)
            if not free and total != constant:
                return
            if len(free) == 1:
                (position, sign) = free[0]
                value = (constant - total) * sign
                if value not in domain[position]:
                    return
                search({**assigned, position: value})
                return
        free = [position for position in hidden if position not in assigned]
        if not free:
            for position, value in assigned.items():
                found[position].add(value)
            return
        position = min(free, key=lambda p: len(domain[p]))
        for value in domain[position]:
            search({**assigned, position: value})

    search({})
    return found


def pinned(t: Table) -> set[tuple[int, int]]:
    limit = 2 * sum(cell.value or 0 for _, cells in t.rows for cell in cells if cell.is_count) + 10
    return {position for position, values in feasible_values(t, limit).items() if len(values) == 1}


# --- Rates shown as bands (issue 15 B9) ----------------------------------------------------------
# The documented rule (docs/reporting.md), written again here: a rate with 1 to 4 missing from its
# base shows as "X% or more", X the highest of 95, 90, 85, 80, 75, 70, 60 and 50 that the rate with
# 4 missing reaches; a rate with 1 to 4 in it as "X% or less", X the lowest of 5, 10, 15, 20, 25,
# 30, 40 and 50 that the rate with 4 in it stays within; with no such X it is withheld.


def documented_band(base: int, *, small_part_missing: bool) -> str | None:
    if small_part_missing:
        for bound in (95, 90, 85, 80, 75, 70, 60, 50):
            if 100 * Fraction(base - 4, base) >= bound:
                return f"{bound}% or more"
        return None
    for bound in (5, 10, 15, 20, 25, 30, 40, 50):
        if 100 * Fraction(4, base) <= bound:
            return f"{bound}% or less"
    return None


def band_bounds(text: str) -> tuple[Fraction, Fraction, bool] | None:
    """A band's text as (low, high, whether high is included), in percent; None if not a band."""
    if text.endswith("% or more"):
        return Fraction(int(text.split("%")[0])), Fraction(100), True
    if text.endswith("% or less"):
        return Fraction(0), Fraction(int(text.split("%")[0])), True
    if "% to " in text:  # a two-sided band, as a rule other than ours might show
        low, high = (Fraction(int(part.strip().rstrip("%"))) for part in text.split(" to "))
        return low, high, False
    return None


def _rate_allows(t: Table, r: int, good: int, missed: int, *, rate: int, on_time: int, late: int, bands: bool) -> bool:
    """Whether (on time, missed) = (``good``, ``missed``) fits what row ``r``'s rate cell says, to a
    reader who knows the rule: its exact value, its band, or why it is withheld (with ``bands``
    false, the rule before issue 15 B9, which withheld every such rate)."""
    cell, base = t.cell(r, rate), good + missed
    texts = (t.cell(r, on_time).text, t.cell(r, late).text)
    one_small = sorted(text == FEWER_THAN for text in texts) == [False, True] and all(
        t.cell(r, c).suppressed for c in (on_time, late)
    )
    if cell.text == "–":
        return base == 0
    bounds = band_bounds(cell.text)
    if bounds is not None:
        low, high, high_included = bounds
        share = 100 * Fraction(good, base) if base else None
        if share is None or share < low or share > high or (share == high and not high_included):
            return False
        if "% to " in cell.text:
            return True
        return one_small and documented_band(base, small_part_missing=texts[1] == FEWER_THAN) == cell.text
    if cell.suppressed:  # "too few to show": a base under 5, a count hidden, and no band holding them all
        if not bands:
            return True
        return base < 5 or not one_small or documented_band(base, small_part_missing=texts[1] == FEWER_THAN) is None
    return base > 0 and round(100 * good / base, 1) == cell.value


def month_table_values(
    t: Table, *, received: int = 0, on_time: int = 1, late: int = 2, rate: int = 3, bands: bool = True
) -> dict[tuple[int, int], set[int]]:
    """Every value each hidden on-time or missed count of a table like "Enquiries by month" can
    take, to a reader who sees the table: each row's on time and missed add up to at most its
    received (the rest are not yet due, or withdrawn), each column adds up to the total row,
    each hidden count is what it says of itself (1 to 4, or 5 or more), and each rate is exact,
    a band or withheld, under the documented rule.

    Exact, by dynamic programming over the rows: the sums of on time and missed of the rows
    before and after each row, against the total row (which enters with a minus sign, so every
    full assignment sums to nothing). A hidden received count is at least its row's on time and
    missed (and what it says of itself), and the hidden ones share what the shown ones leave of
    the total: so each state keeps the least they need."""
    total = t.total_row
    assert total is not None
    total_received = t.cell(total, received)
    limit = total_received.value if not total_received.suppressed else 2 * total_received.value + 10
    shown_received = sum(
        cells[received].value for n, (_, cells) in enumerate(t.rows) if n != total and not cells[received].suppressed
    )
    if not total_received.suppressed:
        spare = total_received.value - shown_received
    else:
        spare = (4 if total_received.text == FEWER_THAN else math.inf) - shown_received

    def domain(r: int, c: int, most: int) -> range:
        cell = t.cell(r, c)
        if not cell.suppressed:
            return range(cell.value, cell.value + 1)
        return range(1, 5) if cell.text == FEWER_THAN else range(5, most + 1)

    def options(r: int) -> list[tuple[int, int, int]]:
        """(on time, missed, what a hidden received needs) for row ``r``."""
        got = t.cell(r, received)
        if got.suppressed:
            low, most = (1, 4) if got.text == FEWER_THAN else (5, limit)
        else:
            low = most = got.value
        return [
            (good, missed, max(low, good + missed) if got.suppressed and r != total else 0)
            for good in domain(r, on_time, most)
            for missed in domain(r, late, most - good)
            if _rate_allows(t, r, good, missed, rate=rate, on_time=on_time, late=late, bands=bands)
        ]

    rows = [r for r in range(len(t.rows)) if r != total]
    signed = [(r, options(r), 1) for r in rows] + [(total, options(total), -1)]

    def step(states: dict, choices: list, sign: int) -> dict:
        reached: dict[tuple[int, int], float] = {}
        for (a, b), need in states.items():
            for good, missed, needs in choices:
                key = (a + sign * good, b + sign * missed)
                if need + needs < reached.get(key, math.inf):
                    reached[key] = need + needs
        return reached

    before = [{(0, 0): 0}]
    for _, choices, sign in signed:
        before.append(step(before[-1], choices, sign))
    after = [{(0, 0): 0}]
    for _, choices, sign in reversed(signed):
        after.append(step(after[-1], choices, sign))
    after.reverse()
    found: dict[tuple[int, int], set[int]] = {}
    for n, (r, choices, sign) in enumerate(signed):
        rest = after[n + 1]
        for good, missed, needs in choices:
            fits = any(
                need + needs + rest.get((-(a + sign * good), -(b + sign * missed)), math.inf) <= spare
                for (a, b), need in before[n].items()
            )
            if fits:
                for c, value in ((on_time, good), (late, missed)):
                    if t.cell(r, c).suppressed:
                        found.setdefault((r, c), set()).add(value)
    return found


def month_table_pinned(t: Table, *, bands: bool = True, **columns: int) -> set[tuple[int, int]]:
    """The hidden on-time and missed counts that only one value fits (see month_table_values)."""
    hidden = {
        (r, c)
        for r, (_, cells) in enumerate(t.rows)
        for c in (columns.get("on_time", 1), columns.get("late", 2))
        if cells[c].suppressed
    }
    values = month_table_values(t, bands=bands, **columns)
    return {position for position in hidden if len(values.get(position, set())) <= 1}
