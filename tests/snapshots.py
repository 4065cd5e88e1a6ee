"""A fixture's rows built once per test process, and put back in each later test by one INSERT
per table (issue 14, item 7: the ``org`` council cost about 150 queries in each of 1,200 tests).

The first test that asks builds the rows for real, through the factories and services, and the
snapshot keeps what that build added: every row of every table that was not there before, as
PostgreSQL returned it, and a deep copy of the objects the build returned. A later test, in its
own transaction, gets the same rows back (same primary keys: PostgreSQL's sequences never go
back, so nothing a test creates afterwards can collide with them) and a fresh deep copy of the
objects, so what one test changes in memory the next does not see.

A snapshot refuses to be taken, and the fixture builds for real every time, when the build
changed or deleted a row that was there before (an INSERT cannot replay that). It is not used
when the rows cannot go back as they were: a row that collides with one the test already made,
or a reference to a row that is no longer there (a transactional test's flush empties the rows
the migrations seeded); the foreign keys are checked at once, and the test then builds for real.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from psycopg.types.json import Jsonb


def _tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def _rows(cursor, table: str) -> tuple[list[str], dict[Any, tuple]]:
    cursor.execute(f'SELECT * FROM "{table}"')
    columns = [column.name for column in cursor.description]
    key = columns.index("id") if "id" in columns else None
    return columns, {(row[key] if key is not None else row): row for row in cursor.fetchall()}


def _param(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, dict | list) else value


class RowSnapshot:
    """``take(build)`` in the first test; ``restore()`` in each later one (None: build again)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[list[str], list[tuple]]] | None = None
        self.built: Any = None
        self.usable = True

    def take(self, build: Callable[[], Any]) -> Any:
        with connection.cursor() as cursor:
            tables = _tables()
            before = {table: _rows(cursor, table) for table in tables}
            built = build()
            added: dict[str, tuple[list[str], list[tuple]]] = {}
            for table in tables:
                columns, old = before[table]
                _, new = _rows(cursor, table)
                if any(key not in new or new[key] != row for key, row in old.items()):
                    self.usable = False  # the build changed rows it did not add
                    return built
                if fresh := [row for key, row in new.items() if key not in old]:
                    added[table] = (columns, fresh)
        self.rows, self.built = added, copy.deepcopy(built)
        return built

    def restore(self) -> Any | None:
        assert self.rows is not None
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for table, (columns, rows) in self.rows.items():
                    names = ", ".join(f'"{column}"' for column in columns)
                    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
                    cursor.execute(
                        f'INSERT INTO "{table}" ({names}) VALUES {", ".join([one] * len(rows))}',
                        [_param(value) for row in rows for value in row],
                    )
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        except DatabaseError:
            return None
        return copy.deepcopy(self.built)


def built_once_per_process(snapshot: RowSnapshot, build: Callable[[], Any]) -> Any:
    """``build()``'s result, from ``snapshot`` when it can be put back, else built for real."""
    if snapshot.rows is None and snapshot.usable:
        return snapshot.take(build)
    if snapshot.usable and (restored := snapshot.restore()) is not None:
        return restored
    return build()
