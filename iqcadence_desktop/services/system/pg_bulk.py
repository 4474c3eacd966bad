"""Bulk writes on PostgreSQL as one statement per chunk, each column sent as an array.

Row-by-row statements (executemany) pay a network round trip per row, and rendering a
multi-row VALUES list makes SQLAlchemy compile a statement with tens of thousands of bind
parameters. `unnest()` over one array per column does neither: the statement text is
fixed and small, and psycopg sends each column as one array value.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.orm import Session


def _array_casts(session: Session, table: Table, names: Sequence[str]) -> list[str]:
    dialect = session.get_bind().dialect
    return [
        f"CAST(:c{i} AS {table.c[n].type.compile(dialect=dialect)}[])" for i, n in enumerate(names)
    ]


def _params(names: Sequence[str], columns: Sequence[Sequence[Any]]) -> dict[str, str]:
    return {f"c{i}": array_literal(col) for i, col in enumerate(columns[: len(names)])}


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            repr(value)
            if math.isfinite(value)
            else ("NaN" if value != value else ("Infinity" if value > 0 else "-Infinity"))
        )
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text_value = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text_value}"'


def array_literal(values: Sequence[Any]) -> str:
    """A PostgreSQL array literal ('{1,NULL,"a b"}') for a column of values.

    Built here rather than by the driver: psycopg's generic list dumper checks every
    element for characters to quote, which cost more than the database's own work."""
    return "{" + ",".join(map(_element, values)) + "}"


def pg_upsert(
    session: Session,
    table: Table,
    names: Sequence[str],
    columns: Sequence[Sequence[Any]],
    keys: Sequence[str],
) -> None:
    """INSERT ... SELECT FROM unnest(...) ON CONFLICT (keys) DO UPDATE the other columns."""
    sets = ", ".join(f"{n} = excluded.{n}" for n in names if n not in keys)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names)}) "
        f"SELECT * FROM unnest({', '.join(_array_casts(session, table, names))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO " + (f"UPDATE SET {sets}" if sets else "NOTHING")
    )
    session.connection().execute(text(sql), _params(names, columns))


def pg_update(
    session: Session,
    table: Table,
    names: Sequence[str],
    columns: Sequence[Sequence[Any]],
    key: str,
    bump: str | None = None,
) -> None:
    """UPDATE table SET names[:-1] FROM unnest(...) WHERE key matches (`key` comes last);
    `bump` names a counter column to add one to on every updated row."""
    assert names[-1] == key
    alias = ", ".join(f"v{i}" for i in range(len(names)))
    sets = [f"{n} = v.v{i}" for i, n in enumerate(names[:-1])]
    if bump:
        sets.append(f"{bump} = {table.name}.{bump} + 1")
    sql = (
        f"UPDATE {table.name} SET {', '.join(sets)} "
        f"FROM unnest({', '.join(_array_casts(session, table, names))}) AS v({alias}) "
        f"WHERE {table.name}.{key} = v.v{len(names) - 1}"
    )
    session.connection().execute(text(sql), _params(names, columns))


def pg_insert(
    session: Session, table: Table, names: Sequence[str], columns: Sequence[Sequence[Any]]
) -> None:
    """INSERT ... SELECT FROM unnest(...)."""
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names)}) "
        f"SELECT * FROM unnest({', '.join(_array_casts(session, table, names))})"
    )
    session.connection().execute(text(sql), _params(names, columns))
