"""Writing many rows in one statement, for the deadline sweep's batches.

On PostgreSQL each column travels as one array and ``unnest`` turns the arrays
back into rows, so ten thousand rows cost one statement and no model objects.
Other databases (SQLite in the embedded demo, with its few rows) use the ORM's
``bulk_create`` and ``bulk_update``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models


def _column(model: type[models.Model], name: str) -> tuple[str, str]:
    field = model._meta.get_field(name)
    return field.column, field.db_type(connection)


def _attnames(model: type[models.Model], names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).attname for name in names]


def _array_literal(values: Sequence[Any]) -> str:
    """A PostgreSQL array literal, built here in one pass: sending it as one text value is
    several times faster than having the driver adapt each element (docs/performance.md)."""
    items = []
    for value in values:
        if value is None:
            items.append("NULL")
        elif isinstance(value, bool):
            items.append("t" if value else "f")
        elif isinstance(value, int):
            items.append(str(value))
        elif isinstance(value, datetime):
            items.append(f'"{value.isoformat()}"')
        else:
            text = str(value).replace("\\", "\\\\").replace('"', '\\"')
            items.append(f'"{text}"')
    return "{" + ",".join(items) + "}"


def _arrays(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]):
    columns = [_column(model, name) for name in names]
    arrays = [_array_literal(values) for values in zip(*rows, strict=True)] if rows else ["{}" for _ in names]
    unnest = ", ".join(f"%s::{db_type}[]" for _, db_type in columns)
    return columns, arrays, unnest


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    constants: dict[str, Any] | None = None,
    ignore_conflicts: bool = False,
) -> None:
    """INSERT ``rows`` (tuples in the order of ``names``) into ``model``'s table, with the
    same value of each of ``constants`` in every row (sent once, not once a row)."""
    if not rows:
        return
    constants = constants or {}
    if connection.vendor != "postgresql":
        attnames = _attnames(model, [*names, *constants])
        model.objects.bulk_create(
            [model(**dict(zip(attnames, [*row, *constants.values()], strict=True))) for row in rows],
            ignore_conflicts=ignore_conflicts,
        )
        return
    columns, arrays, unnest = _arrays(model, names, rows)
    constant_columns = [_column(model, name) for name in constants]
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(column) for column, _ in [*columns, *constant_columns])
    constant_values = "".join(f", %s::{db_type}" for _, db_type in constant_columns)
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({column_list}) "
            f"SELECT v.*{constant_values} FROM unnest({unnest}) AS v{conflict}",
            [*constants.values(), *arrays],
        )


def update_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]], *, increment: Sequence[str] = ()
) -> None:
    """UPDATE ``model``'s rows: each of ``rows`` is (pk, value for each of ``names``); each
    field in ``increment`` goes up by one in the same statement."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        attnames = _attnames(model, names)
        model.objects.bulk_update(
            [model(pk=row[0], **dict(zip(attnames, row[1:], strict=True))) for row in rows], list(names)
        )
        if increment:
            model.objects.filter(pk__in=[row[0] for row in rows]).update(
                **{name: models.F(name) + 1 for name in increment}
            )
        return
    pk_name = model._meta.pk.name
    columns, arrays, unnest = _arrays(model, [pk_name, *names], rows)
    quote = connection.ops.quote_name
    aliases = ", ".join(quote(column) for column, _ in columns)
    assignments = ", ".join(
        [f"{quote(column)} = v.{quote(column)}" for column, _ in columns[1:]]
        + [f"{quote(column)} = t.{quote(column)} + 1" for column, _ in (_column(model, name) for name in increment)]
    )
    pk_column = quote(columns[0][0])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "
            f"FROM unnest({unnest}) AS v({aliases}) WHERE t.{pk_column} = v.{pk_column}",
            arrays,
        )
