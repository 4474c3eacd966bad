"""Applying parsed rows to the database in chunks, set-based, inside the caller's session.

For each chunk: one query reads the matching customers, rows are compared with what is
stored (an identical row is left alone: no write, no new timestamp, no snapshot), the
touched ones are scored together with the numpy engine, then written with executemany
(INSERT for new, UPDATE for changed), tags replaced, and today's snapshots upserted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, delete, or_, select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot
from iqcadence_desktop.services import fields as F
from iqcadence_desktop.services.bulk_sql import insert_rows, update_rows, upsert_rows
from iqcadence_desktop.services.config import ScoringConfig
from iqcadence_desktop.services.csv_import_rows import ImportIssue
from iqcadence_desktop.services.rescore import (
    SIGNAL_COLUMNS,
    WeightsFor,
    score_rows,
    snapshot_row,
)
from iqcadence_desktop.services.scoring import auto_lifecycle

#: Columns an import can write, in this order; `name_key` follows `name`.
EDIT_COLUMNS: tuple[str, ...] = (
    "name", "manager", "mrr_cents", "logins_30d", "feature_adoption_pct", "open_tickets",
    "nps", "csat", "last_contact_date", "renewal_date", "growth_signal", "tier", "lifecycle",
    "customer_since", "next_touch", "scoring_profile_id", "note", "sentiment",
    "score_override")
FIELD_COLUMN: dict[str, str] = {**F.COLUMNS, "profile": "scoring_profile_id"}
_SIGNAL_KEYS = tuple(c.key for c in SIGNAL_COLUMNS)
_CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
_TAGS: Table = CustomerTag.__table__  # type: ignore[assignment]
# Core columns of the table, not ORM attributes: the per-chunk reads skip ORM row loading.
_C = _CUSTOMERS.c
_READ = (_C.id, _C.name_key, _C.status, *(_C[c] for c in EDIT_COLUMNS))
_FIRST_EDIT = 3  # index of the first EDIT_COLUMNS value in a _READ row
# A new row carries every edit column (None when the file has no value), so the hot
# paths read values with C-level itemgetters instead of a dict.get per column per row.
_BLANK: dict[str, Any] = dict.fromkeys(EDIT_COLUMNS)
_EDIT_VALUES = itemgetter(*EDIT_COLUMNS)
_SIGNAL_VALUES = itemgetter(*_SIGNAL_KEYS)


@dataclass
class Tally:
    """Running counts of one import."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    touched_ids: list[int] = field(default_factory=list)


@dataclass
class _Pending:
    line: int
    key: str
    values: dict[str, Any]
    tags: list[str] | None
    existing_id: int | None
    old_tags: list[str] | None = None
    old: dict[str, Any] | None = None


class ChunkWriter:
    """Writes chunks of parsed rows; knows which fields the file maps."""

    def __init__(self, session: Session, mapped: set[str], now: dt.datetime, today: dt.date,
                 config: ScoringConfig, weights_for: WeightsFor) -> None:
        self.s = session
        self.mapped = mapped
        self.now = now
        self.today = today
        self.config = config
        self.weights_for = weights_for
        self.tally = Tally()

    def write(self, rows: Sequence[tuple[int, str, dict[str, Any]]],
              issues: list[ImportIssue]) -> None:
        """Apply rows given as (file line, folded name, parsed fields)."""
        existing = self._existing(rows)
        tags = self._tags([r.id for r in existing.values()]) if "tags" in self.mapped else {}
        pending: list[_Pending] = []
        for line, key, parsed in rows:
            found = self._match(key, parsed, existing)
            item = self._plan(line, key, parsed, found, tags, issues)
            if item is not None:
                pending.append(item)
        if pending:
            self._score(pending)
            self._flush(pending)

    def _existing(self, rows: Sequence[tuple[int, str, dict[str, Any]]]) -> dict[Any, Row[Any]]:
        keys = [key for _, key, _ in rows]
        ids = [p["id"] for _, _, p in rows if p.get("id") is not None]
        cond: ColumnElement[bool] = _C.name_key.in_(keys)
        if ids:
            cond = or_(cond, _C.id.in_(ids))
        found: dict[Any, Row[Any]] = {}
        for r in self.s.connection().execute(select(*_READ).where(cond)):
            found[r.name_key] = r
            found[("id", r.id)] = r
        return found

    def _tags(self, ids: list[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {i: [] for i in ids}
        if ids:
            for cid, tag in self.s.connection().execute(
                    select(_TAGS.c.customer_id, _TAGS.c.tag)
                    .where(_TAGS.c.customer_id.in_(ids)).order_by(_TAGS.c.tag)):
                out[cid].append(tag)
        return out

    def _match(self, key: str, parsed: dict[str, Any],
               existing: dict[Any, Row[Any]]) -> Row[Any] | None:
        cid = parsed.get("id")
        if cid is not None and ("id", cid) in existing:
            return existing[("id", cid)]
        return existing.get(key)

    def _plan(self, line: int, key: str, parsed: dict[str, Any], found: Row[Any] | None,
              tags: dict[int, list[str]], issues: list[ImportIssue]) -> _Pending | None:
        new = {FIELD_COLUMN[k]: v for k, v in parsed.items() if k not in ("tags", "id")}
        new_tags = sorted(parsed["tags"]) if "tags" in parsed else None
        if found is None:
            new.setdefault("lifecycle", "active")
            return _Pending(line, key, {**_BLANK, **new}, new_tags, None)
        old = dict(zip(EDIT_COLUMNS, found[_FIRST_EDIT:], strict=True))
        if key != found.name_key and self._taken(key, found.id):
            issues.append(ImportIssue(line, "name", new["name"], "Another customer already has "
                                      "this name; a renamed customer needs a name of its own."))
            return None
        merged = {**old, **new}
        old_tags = tags.get(found.id, [])
        if merged == old and (new_tags is None or new_tags == old_tags):
            self.tally.unchanged += 1
            return None
        return _Pending(line, key, merged, new_tags, found.id, old_tags, old)

    def _taken(self, key: str, own_id: int) -> bool:
        other = self.s.scalar(select(Customer.id).where(Customer.name_key == key))
        return other is not None and other != own_id

    def _score(self, pending: list[_Pending]) -> None:
        for p in pending:
            p.values.setdefault("lifecycle", "active")
            if p.old is not None and "score" not in self.mapped:
                old = p.old
                if any(old[k] != p.values.get(k) for k in _SIGNAL_KEYS):
                    p.values["score_override"] = None  # a manual score ends on new signals
        signals = [_SIGNAL_VALUES(p.values) for p in pending]
        scored = score_rows(signals, self.today, self.config, self.weights_for)
        day = self.today.toordinal()
        for i, p in enumerate(pending):
            status = scored.statuses[i]
            if "lifecycle" not in self.mapped:
                p.values["lifecycle"] = auto_lifecycle(p.values["lifecycle"], status)
            p.values.update(score=scored.scores[i], status=status, coverage=scored.coverage[i],
                            scored_day=day, _days=scored.days[i],
                            _signals=signals[i])

    def _flush(self, pending: list[_Pending]) -> None:
        new = [p for p in pending if p.existing_id is None]
        changed = [p for p in pending if p.existing_id is not None]
        if new:
            self._insert(new)
        if changed:
            self._update(changed)
            self.tally.updated += len(changed)
        self._write_tags([p for p in pending if p.tags is not None and p.tags != p.old_tags])
        upsert_rows(self.s, ScoreSnapshot.__table__, [snapshot_row(  # type: ignore[arg-type]
            p.existing_id or 0, p.values["scored_day"], p.values["score"], p.values["status"],
            p.values["coverage"], p.values["_signals"], p.values["_days"],
            p.values.get("mrr_cents")) for p in pending], ("customer_id", "day"))
        self.tally.touched_ids.extend(p.existing_id or 0 for p in pending)

    def _update(self, changed: list[_Pending]) -> None:
        """UPDATE only the columns that changed (grouped), so untouched indexes stay put."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for p in changed:
            assert p.old is not None
            cols = tuple(c for c in EDIT_COLUMNS if p.values.get(c) != p.old[c])
            row = {c: p.values.get(c) for c in cols}
            if "name" in cols:
                row["name_key"] = p.key
            row.update(id=p.existing_id, score=p.values["score"], status=p.values["status"],
                       coverage=p.values["coverage"], scored_day=p.values["scored_day"],
                       updated_at=self.now)
            groups.setdefault(tuple(row), []).append(row)
        for rows in groups.values():
            update_rows(self.s, _CUSTOMERS, rows, "id")

    def _row(self, p: _Pending, extra: dict[str, Any]) -> dict[str, Any]:
        row = dict(zip(EDIT_COLUMNS, _EDIT_VALUES(p.values), strict=True))
        row.update(name_key=p.key, score=p.values["score"],
                   status=p.values["status"], coverage=p.values["coverage"],
                   scored_day=p.values["scored_day"], updated_at=self.now, **extra)
        return row

    def _insert(self, new: list[_Pending]) -> None:
        rows = [self._row(p, {"created_at": self.now}) for p in new]
        insert_rows(self.s, _CUSTOMERS, rows)
        keys = [r["name_key"] for r in rows]
        ids = dict(self.s.connection().execute(select(_C.name_key, _C.id)
                                               .where(_C.name_key.in_(keys))).all())
        for p, r in zip(new, rows, strict=True):
            p.existing_id = ids[r["name_key"]]
        self.tally.created += len(new)

    def _write_tags(self, items: list[_Pending]) -> None:
        if not items:
            return
        replaced = [p.existing_id for p in items if p.old_tags is not None]
        for start in range(0, len(replaced), 5000):
            self.s.execute(delete(CustomerTag).where(
                CustomerTag.customer_id.in_(replaced[start:start + 5000])))
        rows = [{"customer_id": p.existing_id, "tag": t} for p in items for t in p.tags or ()]
        if rows:
            insert_rows(self.s, CustomerTag.__table__, rows)  # type: ignore[arg-type]
