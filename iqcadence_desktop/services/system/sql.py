"""Dialect-aware SQL helpers shared by the services (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

CHUNK = 5000


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
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_fn(table)
    updates = {c: stmt.excluded[c] for c in rows[0] if c not in key_list}
    stmt = stmt.on_conflict_do_update(index_elements=key_list, set_=updates)
    for start in range(0, len(rows), chunk):
        session.execute(stmt, list(rows[start : start + chunk]))
