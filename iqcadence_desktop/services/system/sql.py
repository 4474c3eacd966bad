"""Dialect-aware SQL helpers shared by the services (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from iqcadence_desktop.models.db import BUSY_TIMEOUT_MS

log = logging.getLogger(__name__)
CHUNK = 5000
#: How long an optional write waits for SQLite's write lock before giving up (ms).
OPTIONAL_WRITE_WAIT_MS = 200
_BUSY_WORDS = ("locked", "busy")


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
    not wait seconds for it or fail. The bookkeeping is skipped and redone next time.
    """
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        session.execute(text(f"PRAGMA busy_timeout={OPTIONAL_WRITE_WAIT_MS}"))
    try:
        with session.begin_nested():
            write()
        return True
    except OperationalError as exc:
        if not any(word in str(exc.orig).lower() for word in _BUSY_WORDS):
            raise
        log.info("Skipped an optional write: the database is busy (%s)", exc.orig)
        return False
    finally:
        if sqlite:
            session.execute(text(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}"))
