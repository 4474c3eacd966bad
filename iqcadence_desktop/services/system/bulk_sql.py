"""Fast bulk reads and writes (import, rescore) on SQLite, with a portable fallback.

Values travel column by column (one sequence per column, all the same length), the
shape the importer already has them in. SQLAlchemy's Core builds a parameter dict per
row and compiles an IN list per query, which costs more than SQLite's own work. On
SQLite these helpers convert the few date columns in one pass each, zip the columns into
rows and hand them straight to the driver with a fixed statement; dates and times are
written (and read back) in SQLAlchemy's own storage format, so the ORM sees the same
values. Other databases go through Core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Table,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Session

from iqcadence_desktop.services.system.pg_bulk import pg_update
from iqcadence_desktop.services.system.sql import upsert

#: SQLite's own limit on bound parameters is 32,766; stay well below it.
IN_CHUNK = 5000
#: Page cache for bulk work, in MiB (see roomy_page_cache).
BULK_CACHE_MIB = 64

Columns = Sequence[Sequence[Any]]


@lru_cache(maxsize=4096)
def _datetime_text(value: dt.datetime | None) -> str | None:
    # Cached: an import stamps one time on every row and repeats a few hundred dates.
    return None if value is None else value.isoformat(" ", "microseconds")


@lru_cache(maxsize=8192)
def _date_text(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


@lru_cache(maxsize=8192)
def _date_value(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _writer(table: Table, column: str) -> Callable[[Any], Any] | None:
    kind = table.c[column].type
    if isinstance(kind, DateTime):
        return _datetime_text
    return _date_text if isinstance(kind, Date) else None


def _driver_rows(table: Table, names: Sequence[str], columns: Columns) -> list[tuple[Any, ...]]:
    """Rows for the driver: date and time columns turned into SQLAlchemy's text form."""
    converted = []
    for name, values in zip(names, columns, strict=True):
        convert = _writer(table, name)
        converted.append(values if convert is None else list(map(convert, values)))
    return list(zip(*converted, strict=True))


def _dicts(names: Sequence[str], columns: Columns) -> list[dict[str, Any]]:
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _driver(s: Session) -> Any:
    """The session's own sqlite3 connection (inside its transaction): reads through it
    skip building SQLAlchemy row objects, the larger part of a bulk read's cost."""
    return s.connection().connection.driver_connection


def is_sqlite(s: Session) -> bool:
    return s.get_bind().dialect.name == "sqlite"


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def insert_columns(s: Session, table: Table, names: Sequence[str], columns: Columns) -> None:
    """INSERT one row per position of the columns."""
    if not columns or not len(columns[0]):
        return
    if not is_sqlite(s):
        s.connection().execute(insert(table), _dicts(names, columns))
        return
    names, columns = _without_nulls(table, names, columns)
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({_marks(len(names))})"
    s.connection().exec_driver_sql(sql, _driver_rows(table, names, columns))


def insert_rows(
    s: Session, table: Table, names: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT rows already shaped like `names` (no date or time columns among them)."""
    if not rows:
        return
    if not is_sqlite(s):
        s.connection().execute(insert(table), [dict(zip(names, r, strict=True)) for r in rows])
        return
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({_marks(len(names))})"
    s.connection().exec_driver_sql(sql, rows)


def _without_nulls(
    table: Table, names: Sequence[str], columns: Columns
) -> tuple[Sequence[str], Columns]:
    """Leave out columns that are NULL in every row and would be NULL anyway (nullable, no
    server default): fewer values to bind per row, the same rows stored."""
    n = len(columns[0])
    keep = [
        i
        for i, (name, values) in enumerate(zip(names, columns, strict=True))
        if list(values).count(None) != n
        or not table.c[name].nullable
        or table.c[name].server_default is not None
    ]
    if len(keep) == len(names):
        return names, columns
    return [names[i] for i in keep], [columns[i] for i in keep]


def upsert_columns(
    s: Session, table: Table, names: Sequence[str], columns: Columns, keys: Sequence[str]
) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE the other columns."""
    if not columns or not len(columns[0]):
        return
    if not is_sqlite(s):
        upsert(s, table, _dicts(names, columns), keys)
        return
    sets = ", ".join(f"{c} = excluded.{c}" for c in names if c not in keys)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({_marks(len(names))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    )
    s.connection().exec_driver_sql(sql, _driver_rows(table, names, columns))


def update_rows(
    s: Session,
    table: Table,
    names: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    key: str,
    bump: str | None = None,
) -> None:
    """UPDATE table SET the other columns WHERE key = the row's key; `key` comes last.
    `bump` names a counter column to add one to on every row (a version)."""
    if not rows:
        return
    assert names[-1] == key
    sets = names[:-1]
    if not is_sqlite(s):  # one statement per chunk, not one per row
        pg_update(s, table, names, list(zip(*rows, strict=True)), key, bump)
        return
    assignments = [f"{c} = ?" for c in sets] + ([f"{bump} = {bump} + 1"] if bump else [])
    sql = f"UPDATE {table.name} SET {', '.join(assignments)} WHERE {key} = ?"
    s.connection().exec_driver_sql(sql, _driver_rows(table, names, list(zip(*rows, strict=True))))


def insert_returning_ids(
    s: Session, table: Table, names: Sequence[str], columns: Columns
) -> list[int]:
    """INSERT the rows and return their new ids in row order.

    On SQLite a row gets the largest id so far plus one, and nobody else can write inside
    our transaction, so the new ids are the ones above the old largest, in order. On
    PostgreSQL, where other laptops insert at the same time, INSERT ... RETURNING gives
    them in row order.
    """
    count = len(columns[0]) if columns else 0
    if not count:
        return []
    if is_sqlite(s):
        top = select(func.coalesce(func.max(table.c.id), 0))
        before = s.connection().execute(top).scalar_one()
        insert_columns(s, table, names, columns)
        after = s.connection().execute(top).scalar_one()
        if after - before == count:
            return list(range(before + 1, after + 1))
        # Gaps (AUTOINCREMENT): still ours alone and increasing in insertion order.
        newer = select(table.c.id).where(table.c.id > before).order_by(table.c.id)
        return list(s.connection().execute(newer).scalars())
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(s.connection().execute(stmt, _dicts(names, columns)).scalars())


def rows_where_in(
    s: Session,
    table: Table,
    names: Sequence[str],
    key: str,
    values: Sequence[Any],
    order_by: str | None = None,
) -> list[tuple[Any, ...]]:
    """SELECT columns FROM table WHERE key IN values, as tuples with dates as dates."""
    out: list[tuple[Any, ...]] = []
    dates = [i for i, c in enumerate(names) if isinstance(table.c[c].type, Date)]
    for start in range(0, len(values), IN_CHUNK):
        part = list(values[start : start + IN_CHUNK])
        if not is_sqlite(s):
            stmt = select(*(table.c[c] for c in names)).where(table.c[key].in_(part))
            if order_by is not None:
                stmt = stmt.order_by(table.c[order_by])
            out.extend(tuple(r) for r in s.connection().execute(stmt))
            continue
        sql = (
            f"SELECT {', '.join(names)} FROM {table.name} WHERE {key} IN "
            f"({_marks(len(part))})" + (f" ORDER BY {order_by}" if order_by else "")
        )
        rows = _driver(s).execute(sql, part).fetchall()
        if dates and rows:
            columns = list(zip(*rows, strict=True))
            for i in dates:
                columns[i] = tuple(map(_date_value, columns[i]))
            rows = list(zip(*columns, strict=True))
        out.extend(rows)
    return out


def read_rows(
    s: Session, table: Table, names: Sequence[str], where: ColumnElement[bool] | None = None
) -> list[tuple[Any, ...]]:
    """SELECT columns FROM table [WHERE …] as tuples with dates as dates: on SQLite through
    the driver (no SQLAlchemy row objects; dates parsed once per distinct value)."""
    stmt = select(*(table.c[c] for c in names))
    if where is not None:
        stmt = stmt.where(where)
    if not is_sqlite(s):
        return [tuple(r) for r in s.connection().execute(stmt)]
    compiled = stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
    rows = _driver(s).execute(str(compiled)).fetchall()
    dates = [i for i, c in enumerate(names) if isinstance(table.c[c].type, Date)]
    if not dates or not rows:
        return rows  # type: ignore[no-any-return]
    columns = list(zip(*rows, strict=True))
    for i in dates:
        columns[i] = tuple(map(_date_value, columns[i]))
    return list(zip(*columns, strict=True))


def delete_where_in(s: Session, table: Table, key: str, values: Sequence[Any]) -> None:
    """DELETE FROM table WHERE key IN values."""
    for start in range(0, len(values), IN_CHUNK):
        part = list(values[start : start + IN_CHUNK])
        if not is_sqlite(s):
            s.connection().execute(delete(table).where(table.c[key].in_(part)))
            continue
        s.connection().exec_driver_sql(
            f"DELETE FROM {table.name} WHERE {key} IN ({_marks(len(part))})", tuple(part)
        )


@contextmanager
def roomy_page_cache(s: Session, mib: int | None = None) -> Iterator[None]:
    """A larger SQLite page cache while bulk work runs, then the connection's own again.

    A bulk import touches the customers table, its indexes, the tags and the snapshots
    in turn; with SQLite's default 2 MiB cache those pages keep being evicted and re-read
    (about 15 % of a 100k-row import). Memory is only taken as pages are used.
    """
    if not is_sqlite(s):
        yield
        return
    driver = _driver(s)
    before = driver.execute("PRAGMA cache_size").fetchone()[0]
    driver.execute(f"PRAGMA cache_size={-(mib or BULK_CACHE_MIB) * 1024}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size={int(before)}")
