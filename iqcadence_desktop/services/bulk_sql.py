"""Fast executemany for bulk import on SQLite, with a portable fallback.

SQLAlchemy's Core executemany builds a parameter dict per row, which costs more than
SQLite's own insert. On SQLite these helpers hand tuples straight to the driver with a
fixed statement; dates and times are written in SQLAlchemy's own storage format so the
ORM reads them back unchanged. Other databases go through Core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Date, DateTime, Table, bindparam, insert, update
from sqlalchemy.orm import Session

from iqcadence_desktop.services.sql import upsert


@lru_cache(maxsize=4096)
def _datetime(value: dt.datetime | None) -> str | None:
    # Cached: an import stamps one time on every row and repeats a few hundred dates.
    return None if value is None else value.isoformat(" ", "microseconds")


@lru_cache(maxsize=4096)
def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _tuples(table: Table, rows: Sequence[dict[str, Any]],
            columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Row tuples; only date and time columns are converted (the rest pass as they are)."""
    converters = [(i, _datetime if isinstance(table.c[c].type, DateTime) else _date)
                  for i, c in enumerate(columns)
                  if isinstance(table.c[c].type, (DateTime, Date))]
    get = itemgetter(*columns)
    plain = [get(r) for r in rows] if len(columns) > 1 else [(get(r),) for r in rows]
    if not converters:
        return plain
    out = []
    for values in plain:
        row = list(values)
        for i, convert in converters:
            row[i] = convert(row[i])
        out.append(tuple(row))
    return out


def _is_sqlite(s: Session) -> bool:
    return s.get_bind().dialect.name == "sqlite"


def insert_rows(s: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if not _is_sqlite(s):
        s.connection().execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    s.connection().exec_driver_sql(sql, _tuples(table, rows, columns))


def update_rows(s: Session, table: Table, rows: Sequence[dict[str, Any]], key: str) -> None:
    """UPDATE table SET every other column WHERE key = row[key], for each row."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != key]
    if not _is_sqlite(s):
        # Bind names may not equal column names in an UPDATE's SET clause.
        stmt = update(table).where(table.c[key] == bindparam("_k")).values(
            {c: bindparam("_v_" + c) for c in columns})
        s.connection().execute(stmt, [{"_k": r[key], **{"_v_" + c: r[c] for c in columns}}
                                      for r in rows])
        return
    sql = (f"UPDATE {table.name} SET {', '.join(f'{c} = ?' for c in columns)} "
           f"WHERE {key} = ?")
    s.connection().exec_driver_sql(sql, _tuples(table, rows, [*columns, key]))


def upsert_rows(s: Session, table: Table, rows: Sequence[dict[str, Any]],
                keys: Sequence[str]) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE the other columns."""
    if not rows:
        return
    if not _is_sqlite(s):
        upsert(s, table, rows, keys)
        return
    columns = list(rows[0])
    sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))}) "
           f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}")
    s.connection().exec_driver_sql(sql, _tuples(table, rows, columns))
