"""Moving a laptop's SQLite database into a team database (`migrate-to`).

Everything is copied in ONE transaction on the team database: the laptop's customers go
into one client (created when missing) with new ids, and every row that points at a
customer (tags, contacts, notes, sentiment, history, alert states and outcomes, audit
entries) follows with the new id. Scoring profiles are matched by name; the laptop's
settings and configuration are copied only where the team has none of its own, so one
laptop never overwrites the team's. The counts written are checked against the counts
read before the commit: a mismatch rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import UserFacingError, ValidationError
from iqcadence_desktop.models import (
    AlertOutcome,
    AlertState,
    AppSetting,
    AuditEntry,
    Client,
    ConfigVersion,
    Contact,
    Customer,
    CustomerTag,
    Note,
    SavedMapping,
    ScoreSnapshot,
    ScoringProfile,
    SentimentEntry,
)
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.system import CHUNK, AuditLog, Clock, reserve_ids
from iqcadence_desktop.services.team.roles import Permission
from iqcadence_desktop.services.team.scoping import Scope
from iqcadence_desktop.services.team.service import client_key

#: Tables whose rows hang off a customer: copied with `customer_id` remapped.
_CHILDREN: tuple[type[Any], ...] = (
    CustomerTag,
    Contact,
    Note,
    SentimentEntry,
    ScoreSnapshot,
    AlertState,
    AlertOutcome,
)


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


@dataclass
class MigrationReport:
    """What `migrate-to` copied, table by table (rows read = rows written)."""

    client: str
    copied: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        lines = [f'Copied into client "{self.client}" in one transaction:']
        lines += [f"  {name:<18} {n:>8,}" for name, n in self.copied.items()]
        if any(self.skipped.values()):
            lines.append("Kept the team's own (not copied from the laptop):")
            lines += [f"  {name:<18} {n:>8,}" for name, n in self.skipped.items() if n]
        return "\n".join(lines)


class Migrator:
    """Copies one SQLite database into the team database behind `target`."""

    def __init__(
        self, source: Database, target: Database, scope: Scope, audit: AuditLog, clock: Clock
    ) -> None:
        if not source.is_sqlite:
            raise ValidationError("db", "migrate-to copies a laptop's SQLite file; --db names one.")
        if target.is_sqlite:
            raise ValidationError("url", "migrate-to copies into a team (PostgreSQL) database.")
        self._source, self._target = source, target
        self._scope, self._audit, self._clock = scope, audit, clock

    def run(self, client: str, finish: Callable[[Session], None] | None = None) -> MigrationReport:
        """Copy everything; `finish` runs in the same transaction (rebuilding rollups)."""
        self._scope.require(Permission.MANAGE_CLIENTS)
        with self._source.engine.connect() as src, self._target.session() as s:
            report = MigrationReport(" ".join(client.split()))
            client_id = self._client(s, report.client)
            ids = self._customers(src, s, client_id, report)
            for model in _CHILDREN:
                self._children(src, s, model, ids, report)
            self._audit_entries(src, s, ids, report)
            self._team_owned(src, s, report)
            self._check(src, report)
            if finish is not None:
                finish(s)
            self._audit.record(
                s,
                "database_migrated",
                f"Copied {report.copied.get('customers', 0):,} customers from "
                f'{self._source.describe()} into client "{report.client}"',
                details={"copied": report.copied, "skipped": report.skipped},
            )
        return report

    def _client(self, s: Session, name: str) -> int:
        found = s.scalar(select(Client.id).where(Client.name_key == client_key(name)))
        if found is not None:
            return int(found)
        row = Client(name=name, name_key=client_key(name), created_at=self._clock.now())
        s.add(row)
        s.flush()
        return row.id

    def _customers(
        self, src: Connection, s: Session, client_id: int, report: MigrationReport
    ) -> dict[int, int]:
        rows = [dict(r._mapping) for r in src.execute(select(_table(Customer)))]
        taken = set(s.scalars(select(Customer.name_key).where(Customer.client_id == client_id)))
        clash = [r["name"] for r in rows if r["name_key"] in taken]
        if clash:
            raise ValidationError(
                "client",
                f'The client already has customers named like the laptop\'s ("{clash[0]}" and '
                f"{len(clash) - 1} more); nothing was copied. Choose another --client.",
            )
        profiles = self._profiles(src, s)
        new_ids = reserve_ids(s, _table(Customer), len(rows))
        ids = {r["id"]: new for r, new in zip(rows, new_ids, strict=True)}
        for r in rows:
            r["id"], r["client_id"] = ids[r["id"]], client_id
            r["scoring_profile_id"] = profiles.get(r["scoring_profile_id"])
        _insert(s, _table(Customer), rows)
        report.copied["customers"] = len(rows)
        return ids

    def _profiles(self, src: Connection, s: Session) -> dict[Any, int]:
        """Laptop profile id -> team profile id (matched by name, added when missing)."""
        mine = {p.name.lower(): p.id for p in s.scalars(select(ScoringProfile))}
        out: dict[Any, int] = {}
        for r in src.execute(select(_table(ScoringProfile))).mappings():
            if r["name"].lower() not in mine:
                row = dict(r)
                row.pop("id")
                new = s.execute(insert(_table(ScoringProfile)).returning(ScoringProfile.id), row)
                mine[r["name"].lower()] = int(new.scalar_one())
            out[r["id"]] = mine[r["name"].lower()]
        return out

    def _children(
        self,
        src: Connection,
        s: Session,
        model: type[Any],
        ids: dict[int, int],
        report: MigrationReport,
    ) -> None:
        table = _table(model)
        rows = [dict(r._mapping) for r in src.execute(select(table))]
        for r in rows:
            old = r["customer_id"]
            r["customer_id"] = ids[old]
            if "alert_id" in r:  # "<customer id>:<category>:<rule>"
                r["alert_id"] = str(ids[old]) + r["alert_id"][len(str(old)) :]
            if "id" in r and model is not AlertState:
                r.pop("id")  # the team database numbers them
        _insert(s, table, rows)
        report.copied[table.name] = len(rows)

    def _audit_entries(
        self, src: Connection, s: Session, ids: dict[int, int], report: MigrationReport
    ) -> None:
        rows = [dict(r._mapping) for r in src.execute(select(_table(AuditEntry)))]
        for r in rows:
            r.pop("id")
            if r["customer_id"] is not None:
                r["customer_id"] = ids.get(r["customer_id"])  # purged customers: None
        _insert(s, _table(AuditEntry), rows)
        report.copied["audit_entries"] = len(rows)

    def _team_owned(self, src: Connection, s: Session, report: MigrationReport) -> None:
        """Settings, configuration and saved mappings: the team's own win."""
        for model, key in ((AppSetting, "key"), (SavedMapping, "signature")):
            self._missing_only(src, s, _table(model), key, report)
        kinds = set(s.scalars(select(ConfigVersion.kind).distinct()))
        rows = [dict(r._mapping) for r in src.execute(select(_table(ConfigVersion)))]
        fresh = [r for r in rows if r["kind"] not in kinds]
        for r in fresh:
            r.pop("id")
        _insert(s, _table(ConfigVersion), fresh)
        report.copied["config_versions"] = len(fresh)
        report.skipped["config_versions"] = len(rows) - len(fresh)

    @staticmethod
    def _missing_only(
        src: Connection, s: Session, table: Table, key: str, report: MigrationReport
    ) -> None:
        have = set(s.scalars(select(table.c[key])))
        rows = [dict(r._mapping) for r in src.execute(select(table))]
        fresh = [r for r in rows if r[key] not in have]
        for r in fresh:
            r.pop("id", None)
        _insert(s, table, fresh)
        report.copied[table.name] = len(fresh)
        report.skipped[table.name] = len(rows) - len(fresh)

    def _check(self, src: Connection, report: MigrationReport) -> None:
        """Rows read from the laptop = rows written (and skipped) for every table."""
        for name, written in report.copied.items():
            table = next(t for t in (_table(m) for m in _ALL) if t.name == name)
            read = src.execute(select(func.count()).select_from(table)).scalar_one()
            if read != written + report.skipped.get(name, 0):
                raise UserFacingError(
                    f"Copying {name} wrote {written} rows of {read}; nothing was copied."
                )


_ALL: tuple[type[Any], ...] = (
    Customer,
    *_CHILDREN,
    AuditEntry,
    AppSetting,
    SavedMapping,
    ConfigVersion,
)


def _insert(s: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        s.execute(insert(table), rows[start : start + CHUNK])
