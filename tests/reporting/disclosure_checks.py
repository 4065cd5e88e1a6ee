"""Independent checks of disclosure control for the tests: they share no code with
reporting.disclosure, so a gap there is not hidden by the same gap here."""

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
