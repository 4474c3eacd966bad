"""Dialect-aware SQL helpers shared by the services (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from iqcadence_desktop.models.db import BUSY_TIMEOUT_MS
from iqcadence_desktop.services.system.pg_bulk import pg_upsert

log = logging.getLogger(__name__)
CHUNK = 5000
#: How long an optional write waits for SQLite's write lock before giving up (ms).
OPTIONAL_WRITE_WAIT_MS = 200
#: SQLite's busy lock; PostgreSQL's lock timeout and deadlock (another laptop's write).
_BUSY_WORDS = ("locked", "busy", "lock timeout", "deadlock")


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Iterable[str],
    chunk: int = CHUNK,
) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE every other column, in chunks."""
    if not rows:
        return
    key_list = list(keys)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        names = list(rows[0])
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            pg_upsert(session, table, names, [[r[n] for r in part] for n in names], key_list)
        return
    stmt = _on_conflict_update(dialect, table, [c for c in rows[0] if c not in key_list], key_list)
    for start in range(0, len(rows), chunk):
        session.execute(stmt, list(rows[start : start + chunk]))


def _on_conflict_update(dialect: str, table: Table, columns: list[str], keys: list[str]) -> Any:
    """The dialect's own INSERT … ON CONFLICT, imported when used (PostgreSQL's dialect
    module costs start-up time every command would otherwise pay)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        pg = postgresql.insert(table)
        return pg.on_conflict_do_update(
            index_elements=keys, set_={c: pg.excluded[c] for c in columns}
        )
    from sqlalchemy.dialects import sqlite

    lite = sqlite.insert(table)
    return lite.on_conflict_do_update(
        index_elements=keys, set_={c: lite.excluded[c] for c in columns}
    )


def optional_write(session: Session, write: Callable[[], None]) -> bool:
    """Run `write` in a savepoint if the database lets us write now; False if it is busy.

    For bookkeeping done while reading (alert episodes noticed on a page load): on SQLite
    another task's long write (a 100k rescore) holds the only write lock, and a page must
    not wait seconds for it or fail. The bookkeeping is skipped and redone next time. On
    PostgreSQL the same holds for row locks another laptop holds.
    """
    dialect = session.get_bind().dialect.name
    sqlite = dialect == "sqlite"
    if sqlite:
        session.execute(text(f"PRAGMA busy_timeout={OPTIONAL_WRITE_WAIT_MS}"))
    try:
        with session.begin_nested():
            if dialect == "postgresql":
                session.execute(text(f"SET LOCAL lock_timeout = {OPTIONAL_WRITE_WAIT_MS}"))
            write()
            if dialect == "postgresql":
                session.execute(text("SET LOCAL lock_timeout = 0"))
        return True
    except OperationalError as exc:
        if not any(word in str(exc.orig).lower() for word in _BUSY_WORDS):
            raise
        log.info("Skipped an optional write: the database is busy (%s)", exc.orig)
        return False
    finally:
        if sqlite:
            session.execute(text(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}"))


def serialize(session: Session, name: str) -> None:
    """Hold a named lock until the transaction ends (PostgreSQL; SQLite has one writer).

    For work every writer shares, such as the per-day rollup that is deleted and written
    again: two laptops rebuilding it at once would otherwise both insert the day's rows.
    Take it as the LAST lock of a unit of work (after the rows it changes), so two units
    of work never wait on each other in opposite orders.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` new primary keys for rows the caller inserts with explicit ids.

    PostgreSQL hands them out from the table's sequence (other laptops insert at the same
    time); SQLite has one writer, so the ids after the largest one are ours.
    """
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        found = session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": count},
        )
        return sorted(int(v) for v in found.scalars())
    top = session.execute(text(f"SELECT coalesce(max(id), 0) FROM {table.name}")).scalar_one()
    return list(range(int(top) + 1, int(top) + 1 + count))
