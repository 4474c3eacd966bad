"""Backup and restore (S7): every table as JSON, and a binary copy of the SQLite file.

The JSON backup enumerates `Base.metadata`, so a table added by a later feature is
included without touching this file. It carries a format name and version and the
schema revision. Secrets never live in the database, and settings whose key names a
secret are left out all the same. Restore reads and checks the whole file before it
touches anything, writes an automatic backup of the current data, then replaces every
table in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.models import Base
from iqcadence_desktop.models.db import Database, backup_sqlite, head_revision
from iqcadence_desktop.services.system.audit import AuditLog
from iqcadence_desktop.services.system.clock import Clock
from iqcadence_desktop.services.system.events import (
    CONFIG_CHANGED,
    CUSTOMERS_CHANGED,
    SETTINGS_CHANGED,
    DomainEvent,
    EventBus,
)

FORMAT = "iqcadence-backup"
VERSION = 1
SECRET_WORDS = ("secret", "token", "password", "apikey", "api_key", "credential")
CHUNK = 5000


class BackupError(UserFacingError):
    """A backup file cannot be restored; nothing was changed."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup or restore covered."""

    path: Path
    rows: dict[str, int]
    safety_copy: Path | None = None

    @property
    def customers(self) -> int:
        return self.rows.get("customers", 0)


def backup_name(now: dt.datetime, prefix: str = "iqcadence-backup") -> str:
    return f"{prefix}-{now:%Y%m%d-%H%M%S}.json"


#: Never in a backup and never replaced by a restore: team members and their password
#: hashes belong to the team database, not to a portfolio's data.
KEPT_TABLES = ("users",)


def _is_secret(table: str, row: dict[str, Any]) -> bool:
    key = str(row.get("key", "")).lower() if table == "app_settings" else ""
    return any(word in key for word in SECRET_WORDS)


def _dump(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


class BackupService:
    """Writes and restores JSON backups; copies the SQLite file."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        events: EventBus,
        caches: Sequence[Callable[[], None]] = (),
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._events = events
        self._caches = caches  # services that cache settings/config forget them after restore
        # Set by the composition root: refuses when the signed-in role may not (team mode).
        self.guard: Callable[[], None] | None = None

    def _check_allowed(self) -> None:
        if self.guard is not None:
            self.guard()

    def snapshot(self) -> dict[str, Any]:
        """Every table as {columns, rows}, in one read transaction."""
        self._check_allowed()
        tables: dict[str, Any] = {}
        with self._db.session() as s:
            for table in Base.metadata.sorted_tables:
                if table.name in KEPT_TABLES:
                    continue
                names = [c.name for c in table.columns]
                rows = [dict(r._mapping) for r in s.execute(select(table))]
                tables[table.name] = {
                    "columns": names,
                    "rows": [
                        [_dump(r[n]) for n in names] for r in rows if not _is_secret(table.name, r)
                    ],
                }
        return {
            "format": FORMAT,
            "version": VERSION,
            "schema": head_revision(),
            "created_at": self._clock.now().isoformat(),
            "tables": tables,
        }

    def backup(self, path: Path) -> BackupSummary:
        """Write a JSON backup of everything (atomically)."""
        data = self.snapshot()
        _write_json(Path(path), data)
        return BackupSummary(Path(path), {k: len(v["rows"]) for k, v in data["tables"].items()})

    def copy_database(self, dest: Path) -> Path:
        """A binary copy of the SQLite file through the online backup API."""
        if self._db.path is None:
            raise UserFacingError(
                "A binary copy is only possible for a local SQLite "
                "database; use the JSON backup instead."
            )
        if not Path(dest).parent.is_dir():
            raise UserFacingError(f"The folder {Path(dest).parent} does not exist.")
        backup_sqlite(self._db.path, Path(dest))
        return Path(dest)

    def restore(self, path: Path, safety_dir: Path) -> BackupSummary:
        """Check the whole file, back up the current data, then replace every table."""
        self._check_allowed()
        tables = read_backup(Path(path))
        safety_dir.mkdir(parents=True, exist_ok=True)
        safety = safety_dir / backup_name(self._clock.now(), "before-restore")
        self.backup(safety)
        with self._db.session() as s:
            counts = _replace_all(s, tables)
            self._audit.record(
                s,
                "backup_restored",
                f"Restored {Path(path).name}: {counts.get('customers', 0)} "
                f"customers (previous data saved to {safety.name})",
                details={"file": Path(path).name, "rows": dict(counts)},
            )
        for forget in self._caches:
            forget()
        for name in (CUSTOMERS_CHANGED, CONFIG_CHANGED, SETTINGS_CHANGED):
            self._events.publish(DomainEvent(name))
        return BackupSummary(Path(path), counts, safety)


def _replace_all(s: Session, tables: dict[Table, list[dict[str, Any]]]) -> dict[str, int]:
    ordered = [t for t in Base.metadata.sorted_tables if t.name not in KEPT_TABLES]
    _fit_team_rows(s, tables)
    for table in reversed(ordered):
        s.execute(delete(table))
    for table in ordered:
        rows = tables.get(table, [])
        for start in range(0, len(rows), CHUNK):
            s.execute(insert(table), rows[start : start + CHUNK])
    _advance_sequences(s, ordered)
    return {t.name: len(tables.get(t, [])) for t in ordered}


def _fit_team_rows(s: Session, tables: dict[Table, list[dict[str, Any]]]) -> None:
    """A backup from before clients existed gets the default client; assignments of
    users this database does not have are dropped."""
    by_name = {t.name: t for t in Base.metadata.sorted_tables}
    clients = by_name["clients"]
    if not tables.get(clients):
        tables[clients] = [
            {"id": 1, "name": "Default", "name_key": "default", "created_at": dt.datetime.now()}
        ]
    links = by_name["user_clients"]
    if tables.get(links):
        users = set(s.scalars(select(by_name["users"].c.id)))
        tables[links] = [r for r in tables[links] if r["user_id"] in users]


def _advance_sequences(s: Session, tables: Sequence[Table]) -> None:
    """Rows came back with their ids: move PostgreSQL's id sequences past them."""
    if s.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        if (
            "id" in table.c
            and table.c.id.autoincrement is not False
            and len(table.primary_key) == 1
        ):
            s.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def _write_json(path: Path, data: dict[str, Any]) -> None:
    if not path.parent.is_dir():
        raise UserFacingError(f"The folder {path.parent} does not exist; choose another place.")
    fd, tmp = tempfile.mkstemp(prefix=".iqcadence-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_backup(path: Path) -> dict[Table, list[dict[str, Any]]]:
    """Load and check a backup completely; the first problem raises BackupError."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(
            f"{path.name} is not a readable iQcadence backup (not valid JSON: "
            f"{exc}). Nothing was changed."
        ) from None
    _check_header(path, data)
    known = {t.name: t for t in Base.metadata.sorted_tables}
    out: dict[Table, list[dict[str, Any]]] = {}
    for name, body in data["tables"].items():
        if name in KEPT_TABLES:
            continue
        if name not in known:
            raise BackupError(
                f'{path.name} holds a table "{name}" this version does not '
                "know; it was made by a newer version of iQcadence."
            )
        out[known[name]] = _check_table(path, known[name], body)
    return out


def _check_header(path: Path, data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(
            f"{path.name} is not an iQcadence backup (its format is not "
            f'"{FORMAT}"). Nothing was changed.'
        )
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise BackupError(
            f"{path.name} is a backup format version {version!r}; this app "
            f"reads up to version {VERSION}. Update the app to restore it."
        )
    if not isinstance(data.get("tables"), dict):
        raise BackupError(f"{path.name} has no tables section; the file is damaged.")


def _check_table(path: Path, table: Table, body: Any) -> list[dict[str, Any]]:
    where = f'{path.name}, table "{table.name}"'
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("columns"), list)
        or not isinstance(body.get("rows"), list)
    ):
        raise BackupError(f"{where}: expected columns and rows; the file is damaged.")
    names = body["columns"]
    unknown = [n for n in names if n not in table.columns]
    if unknown:
        raise BackupError(f'{where}: unknown column "{unknown[0]}" (a newer app version?).')
    # A column with a default (added by a later version, e.g. client_id) may be absent.
    missing = [
        c.name
        for c in table.columns
        if c.name not in names and not c.nullable and c.default is None
    ]
    if missing:
        raise BackupError(f'{where}: the required column "{missing[0]}" is missing.')
    rows = []
    for number, raw in enumerate(body["rows"], start=1):
        if not isinstance(raw, list) or len(raw) != len(names):
            raise BackupError(f"{where}, row {number}: expected {len(names)} values.")
        rows.append(
            {n: _load(where, number, table.columns[n], v) for n, v in zip(names, raw, strict=True)}
        )
    return rows


def _load(where: str, number: int, column: Column[Any], value: Any) -> Any:
    if value is None:
        if not column.nullable:
            raise BackupError(f'{where}, row {number}: "{column.name}" may not be empty.')
        return None
    kind = column.type
    try:
        if isinstance(kind, DateTime):
            return dt.datetime.fromisoformat(value)
        if isinstance(kind, Date):
            return dt.date.fromisoformat(value)
        if isinstance(kind, JSON):
            return value
        if isinstance(kind, Integer) and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError
        if isinstance(kind, Float) and not isinstance(value, int | float):
            raise TypeError
        if isinstance(kind, String | Text) and not isinstance(value, str):
            raise TypeError
    except (TypeError, ValueError):
        raise BackupError(
            f'{where}, row {number}: "{column.name}" has the value {value!r}, '
            f"which is not a valid {kind}."
        ) from None
    return value
