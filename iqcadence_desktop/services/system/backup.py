"""Backup and restore (S7): every table as JSON, and a binary copy of the SQLite file.

The JSON backup enumerates `Base.metadata`, so a table added by a later feature is
included without touching this file. It carries a format name and version and the
schema revision. Secrets never belong in the database; should one have landed there all
the same, every value the secret store holds is blanked wherever it appears (nested JSON
too), and settings whose key names a secret are left out. Before a backup the file is
checked with SQLite's quick_check, so a damaged database is reported when the backup is
made. Restore reads and checks the whole file first (backup_check.py), writes an
automatic backup of the current data, then replaces every table in one transaction.
Backups and restores are audited; every file is written through `files.py`.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, select, text
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import DatabaseError, UserFacingError
from iqcadence_desktop.models import Base
from iqcadence_desktop.models.db import Database, backup_sqlite, head_revision
from iqcadence_desktop.services.system.audit import AuditLog
from iqcadence_desktop.services.system.backup_check import (
    FORMAT,
    KEPT_TABLES,
    VERSION,
    BackupError,
    BackupReader,
    RowCheck,
    Rows,
)
from iqcadence_desktop.services.system.clock import Clock
from iqcadence_desktop.services.system.events import (
    CONFIG_CHANGED,
    CUSTOMERS_CHANGED,
    SETTINGS_CHANGED,
    DomainEvent,
    EventBus,
)
from iqcadence_desktop.services.system.files import atomic_write, check_target, write_via
from iqcadence_desktop.services.system.secrets import SecretStore

log = logging.getLogger(__name__)
SECRET_WORDS = ("secret", "token", "password", "apikey", "api_key", "credential")
REDACTED = "[secret removed]"
MIN_SECRET = 4  # shorter values would blank ordinary words
CHUNK = 5000

__all__ = ["FORMAT", "VERSION", "BackupError", "BackupService", "BackupSummary", "backup_name"]


@dataclass(frozen=True)
class BackupSummary:
    """What a backup or restore covered; `damage` lists what quick_check found wrong."""

    path: Path
    rows: dict[str, int]
    safety_copy: Path | None = None
    damage: tuple[str, ...] = ()

    @property
    def customers(self) -> int:
        return self.rows.get("customers", 0)

    def damage_text(self) -> str:
        """One sentence for a backup of a damaged database (empty when it is sound)."""
        if not self.damage:
            return ""
        return (
            f"The database is damaged ({self.damage[0]}); the backup holds what could still "
            "be read. Keep your older backups and restore the newest sound one."
        )


def backup_name(now: dt.datetime, prefix: str = "iqcadence-backup") -> str:
    return f"{prefix}-{now:%Y%m%d-%H%M%S}.json"


def _named_secret(table: str, row: Mapping[str, Any]) -> bool:
    key = str(row.get("key", "")).lower() if table == "app_settings" else ""
    return any(word in key for word in SECRET_WORDS)


def _dump(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def scrub(value: Any, secrets: Sequence[str]) -> Any:
    """`value` with every secret blanked, however deep in lists and dicts it sits."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, list):
        return [scrub(v, secrets) for v in value]
    if isinstance(value, dict):
        return {scrub(k, secrets): scrub(v, secrets) for k, v in value.items()}
    return value


class BackupService:
    """Writes and restores JSON backups; copies the SQLite file."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        events: EventBus,
        caches: Sequence[Callable[[], None]] = (),
        secrets: SecretStore | None = None,
        row_checks: Mapping[str, RowCheck] | None = None,
        guard: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._events = events
        self._caches = caches  # services that cache settings/config forget them after restore
        self._secrets = secrets
        self._reader = BackupReader(row_checks)
        self._guard = guard  # refuses when the signed-in role may not (team mode)

    def _secret_values(self) -> list[str]:
        found = self._secrets.stored_values() if self._secrets is not None else []
        # Longest first, so a secret that contains another is blanked whole.
        return sorted({v for v in found if len(v) >= MIN_SECRET}, key=len, reverse=True)

    def snapshot(self) -> dict[str, Any]:
        """Every table as {columns, rows}, in one read transaction."""
        self._guard()
        with self._db.session() as s:
            return self._snapshot(s)

    def _snapshot(self, s: Session) -> dict[str, Any]:
        secrets = self._secret_values()
        tables: dict[str, Any] = {}
        for table in Base.metadata.sorted_tables:
            if table.name in KEPT_TABLES:
                continue
            names = [c.name for c in table.columns]
            rows = [dict(r._mapping) for r in s.execute(select(table))]
            tables[table.name] = {
                "columns": names,
                "rows": [
                    [scrub(_dump(r[n]), secrets) for n in names]
                    for r in rows
                    if not _named_secret(table.name, r)
                ],
            }
        return {
            "format": FORMAT,
            "version": VERSION,
            "schema": head_revision(),
            "created_at": self._clock.now().isoformat(),
            "tables": tables,
        }

    def backup(self, path: Path, reason: str = "") -> BackupSummary:
        """Write a JSON backup of everything, whole or not at all, with its audit entry.

        The audit entry is written in the same unit of work before the tables are read,
        so the backup holds its own entry and a failed write leaves no entry behind.
        """
        self._guard()
        target = Path(path)
        check_target(target)
        damage = tuple(self._db.integrity_problems())
        summary = f"Backed up everything to {target.name}" + (f" ({reason})" if reason else "")
        details: dict[str, Any] = {"file": str(target), "damaged": list(damage)}
        if damage:  # salvage what can be read; writing to a damaged file may fail
            data = self.snapshot()
            self._write(target, data)
            self._audit_quietly(summary, details)
        else:
            with self._db.session() as s:
                self._audit.record(s, "backup_made", summary, details=details)
                s.flush()
                data = self._snapshot(s)
                self._write(target, data)
        rows = {k: len(v["rows"]) for k, v in data["tables"].items()}
        return BackupSummary(target, rows, damage=damage)

    @staticmethod
    def _write(target: Path, data: dict[str, Any]) -> None:
        with atomic_write(target, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))

    def _audit_quietly(self, summary: str, details: dict[str, Any]) -> None:
        """Audit a backup of a damaged database if the file still takes the entry."""
        try:
            with self._db.session() as s:
                self._audit.record(s, "backup_made", summary, details=details)
        except DatabaseError as exc:
            log.warning("The backup was not audited; the database is damaged: %s", exc)

    def copy_database(self, dest: Path) -> BackupSummary:
        """A binary copy of the SQLite file through the online backup API (audited)."""
        self._guard()
        source = self._db.path
        if source is None:
            raise UserFacingError(
                "A binary copy is only possible for a local SQLite "
                "database; use the JSON backup instead."
            )
        target = Path(dest)
        if target.resolve() == source.resolve():
            raise UserFacingError(f"{target} is the database itself; choose another file name.")
        damage = tuple(self._db.integrity_problems())
        write_via(target, lambda tmp: _sqlite_copy(source, tmp))
        details: dict[str, Any] = {"file": str(target), "binary": True, "damaged": list(damage)}
        self._audit_quietly(f"Copied the database file to {target.name}", details)
        return BackupSummary(target, {}, damage=damage)

    def check(self, path: Path) -> Rows:
        """Read and check a backup completely without changing anything."""
        return self._reader.read(Path(path), self._clock.now())

    def restore(self, path: Path, safety_dir: Path, checked: Rows | None = None) -> BackupSummary:
        """Check the whole file, back up the current data, then replace every table.

        `checked`: what `check(path)` returned, when the caller checked before asking.
        """
        self._guard()
        tables = checked if checked is not None else self.check(path)
        try:
            safety_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserFacingError(
                f"The folder {safety_dir} for the automatic backup cannot be made "
                f"({exc.strerror}); nothing was changed."
            ) from exc
        safety = safety_dir / backup_name(self._clock.now(), "before-restore")
        self.backup(safety, reason=f"automatic, before restoring {Path(path).name}")
        with self._db.session() as s:
            counts = _replace_all(s, tables)
            self._audit.record(
                s,
                "backup_restored",
                f"Restored {Path(path).name}: {counts.get('customers', 0):,} "
                f"customers (previous data saved to {safety.name})",
                details={"file": str(path), "rows": dict(counts), "safety_copy": str(safety)},
            )
        for forget in self._caches:
            forget()
        for name in (CUSTOMERS_CHANGED, CONFIG_CHANGED, SETTINGS_CHANGED):
            self._events.publish(DomainEvent(name))
        return BackupSummary(Path(path), counts, safety)


def _sqlite_copy(source: Path, tmp: Path) -> None:
    """SQLite's backup API, its errors turned into the OSErrors they stand for."""
    try:
        backup_sqlite(source, tmp)
    except sqlite3.Error as exc:
        text = str(exc).lower()
        code = errno.ENOSPC if "full" in text else errno.EACCES if "readonly" in text else errno.EIO
        raise OSError(code, str(exc)) from exc


def _replace_all(s: Session, tables: Rows) -> dict[str, int]:
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


def _fit_team_rows(s: Session, tables: Rows) -> None:
    """Assignments of users this database does not have are dropped (team members stay
    as they are in this database; they are never in a backup)."""
    links = Base.metadata.tables["user_clients"]
    if tables.get(links):
        users = set(s.scalars(select(Base.metadata.tables["users"].c.id)))
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
