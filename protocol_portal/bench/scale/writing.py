"""Writing the rows: buffered per table, CHUNK rows a statement (``escalation.bulk.insert_rows``),
with primary keys and reference numbers taken in bulk, and the time each step took."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection

from cases.models import ReferenceSequence
from escalation.bulk import insert_rows

CHUNK = 50_000


@dataclass
class ScaleReport:
    enquiries: Counter = field(default_factory=Counter)
    concerns: Counter = field(default_factory=Counter)
    rows: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)


class Timer:
    def __init__(self, report: ScaleReport, log: Callable[[str], None]) -> None:
        self.report, self.log = report, log

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        self.report.seconds[label] = seconds
        self.log(f"{label}: {seconds:,.1f} s")


class Writer:
    """Buffers rows per table and writes them CHUNK at a time."""

    def __init__(self, report: ScaleReport, timer: Timer) -> None:
        self.report, self.timer = report, timer
        self.buffers: dict[str, list] = defaultdict(list)
        self.specs: dict[str, tuple] = {}

    def table(self, name: str, model, names: list[str], constants: dict | None = None) -> None:
        self.specs[name] = (model, names, constants or {})

    def add(self, name: str, row: tuple) -> None:
        buffer = self.buffers[name]
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write every buffer, in the order the tables were declared: a case before the rows
        that point at it, so each statement's foreign keys hold when it ends."""
        for table in self.specs:
            rows = self.buffers[table]
            if not rows:
                continue
            model, names, constants = self.specs[table]
            started = time.perf_counter()
            insert_rows(model, names, rows, constants=constants)
            label = f"writing {model._meta.db_table}"
            self.report.seconds[label] = self.report.seconds.get(label, 0.0) + time.perf_counter() - started
            self.report.rows[model._meta.db_table] += len(rows)
            self.buffers[table] = []


def take_ids(model, count: int) -> Iterator[int]:
    """``count`` primary keys taken from the table's own sequence, so later inserts follow on."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        taken = 0
        while taken < count:
            batch = min(CHUNK, count - taken)
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, batch]
            )
            yield from (row[0] for row in cursor.fetchall())
            taken += batch


class References:
    """PREFIX-YEAR-NNNNN, numbered on from each year's ReferenceSequence, which is moved on
    at the end so that later filings continue after these."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.last = dict(ReferenceSequence.objects.filter(prefix=prefix).values_list("year", "last_number"))

    def next(self, year: int) -> str:
        number = self.last.get(year, 0) + 1
        self.last[year] = number
        return f"{self.prefix}-{year}-{number:05d}"

    def save(self) -> None:
        for year, number in self.last.items():
            sequence, _ = ReferenceSequence.objects.get_or_create(prefix=self.prefix, year=year)
            if sequence.last_number < number:
                sequence.last_number = number
                sequence.save(update_fields=["last_number"])
