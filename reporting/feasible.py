"""Which hidden counts a reader could pin to one value (issue 15 B8), for disclosure control.

The page's hidden counts are whole numbers, each within what it says of itself (1 to 4 for
"fewer than 5", never 0; 5 or more for "suppressed"), tied together by every relation a reader
knows: each line's sum (a total row or column, a directorate and its services, one figure shown
twice), and each relation that holds only one way, such as a month's received being at least its
on time and missed (the rest are not due yet, or were withdrawn). A hidden count is pinned when
only one value fits them all.

The check is exact over whole numbers: for each hidden count, a depth-first search for a solution
in which it takes another value, narrowing every count's bounds from every relation as it goes
and trying the true values first, so that a solution nearby is found at once. Every count that a
solution moves is safe, so few searches are needed. A count with no upper bound is searched up to
``cap`` (twice everything on the page): fewer solutions for the search than a reader has, so the
check can only err on the safe side, and a search that runs out of ``budget`` counts the count as
pinned, so that more is hidden. Hidden counts that share no relation are checked apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

INFINITY = math.inf
Bounds = list[tuple[float, float]]


@dataclass(frozen=True)
class Relation:
    """sum(coefficient × hidden count) = constant, or ≤ constant when ``at_most``."""

    coefficients: dict[int, int]
    constant: int
    at_most: bool = False


@dataclass
class System:
    """Hidden counts (their true values and what each says of itself) and the relations a reader knows."""

    values: list[int]
    bounds: Bounds
    relations: list[Relation] = field(default_factory=list)


class OutOfBudget(Exception):
    """The search tried its budget of values without an answer: the count counts as pinned."""


def narrow(bounds: Bounds, relations: list[Relation]) -> bool:
    """Tighten each count's bounds from every relation until nothing changes; False if no values fit."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            coefficients = relation.coefficients
            for n, a in coefficients.items():
                low_rest = high_rest = 0.0
                for m, b in coefficients.items():
                    if m != n:
                        low, high = bounds[m]
                        low_rest += b * low if b > 0 else b * high
                        high_rest += b * high if b > 0 else b * low
                # a·x = constant − rest (or ≤ it): the rest at its lowest gives x its widest.
                widest = (relation.constant - low_rest) / a
                if relation.at_most:
                    low, high = (-INFINITY, widest) if a > 0 else (widest, INFINITY)
                else:
                    ends = ((relation.constant - high_rest) / a, widest)
                    low, high = min(ends), max(ends)
                new_low = max(bounds[n][0], math.ceil(low) if math.isfinite(low) else low)
                new_high = min(bounds[n][1], math.floor(high) if math.isfinite(high) else high)
                if new_low > new_high:
                    return False
                if (new_low, new_high) != bounds[n]:
                    bounds[n] = (new_low, new_high)
                    changed = True
    return True


def _solve(bounds: Bounds, system: System, relations: list[Relation], budget: list[int]) -> list[int] | None:
    """Whole numbers within ``bounds`` that satisfy every relation, or None (depth first,
    narrowing as it goes, each count's true value tried first)."""
    bounds = list(bounds)
    if not narrow(bounds, relations):
        return None
    open_counts = [n for n, (low, high) in enumerate(bounds) if low < high]
    if not open_counts:
        return [int(low) for low, _ in bounds]
    n = min(open_counts, key=lambda m: bounds[m][1] - bounds[m][0])
    low, high = int(bounds[n][0]), int(bounds[n][1])
    true = min(max(system.values[n], low), high)
    for value in sorted(range(low, high + 1), key=lambda v: abs(v - true)):
        budget[0] -= 1
        if budget[0] < 0:
            raise OutOfBudget
        bounds[n] = (value, value)
        found = _solve(bounds, system, relations, budget)
        if found is not None:
            return found
    return None


def _components(system: System) -> list[tuple[list[int], list[Relation]]]:
    """The counts that share relations, in groups, each with its relations."""
    parent = list(range(len(system.values)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for relation in system.relations:
        first, *rest = relation.coefficients
        for m in rest:
            parent[root(m)] = root(first)
    groups: dict[int, tuple[list[int], list[Relation]]] = {}
    for n in range(len(system.values)):
        groups.setdefault(root(n), ([], []))[0].append(n)
    for relation in system.relations:
        groups[root(next(iter(relation.coefficients)))][1].append(relation)
    return [group for group in groups.values() if group[1]]


def pinned(system: System, *, budget: int = 20_000, only: set[int] | None = None) -> list[int]:
    """The hidden counts (by index) that only one value fits; of ``only``, if given."""
    cap = 2 * (sum(system.values) + sum(abs(r.constant) for r in system.relations)) + 10
    found: list[int] = []
    for members, relations in _components(system):
        if only is not None and not only.intersection(members):
            continue
        index = {n: k for k, n in enumerate(members)}
        local = System(
            [system.values[n] for n in members],
            [(low, min(high, cap)) for low, high in (system.bounds[n] for n in members)],
            [Relation({index[n]: a for n, a in r.coefficients.items()}, r.constant, r.at_most) for r in relations],
        )
        bounds = list(local.bounds)
        if not narrow(bounds, local.relations):
            # The page's own figures always fit; if they do not, a relation is wrong: hide more.
            found += [n for n in members if only is None or n in only]
            continue
        safe: set[int] = set()
        left = [budget]
        for k, n in enumerate(members):
            if k in safe or (only is not None and n not in only):
                continue
            low, high = int(bounds[k][0]), int(bounds[k][1])
            true = local.values[k]
            others = sorted((v for v in range(low, high + 1) if v != true), key=lambda v: abs(v - true))
            solution = None
            try:
                for value in others:
                    solution = _solve([*bounds[:k], (value, value), *bounds[k + 1 :]], local, local.relations, left)
                    if solution is not None:
                        break
            except OutOfBudget:
                solution = None
            if solution is None:
                found.append(n)
            else:
                safe.update(m for m, v in enumerate(solution) if v != local.values[m])
    return found
