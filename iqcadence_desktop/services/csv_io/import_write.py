"""Applying parsed rows to the database in chunks, set-based, inside the caller's session.

For each chunk: one query reads the matching customers; each row is merged over what is
stored and compared (an identical row is left alone: no write, no new timestamp, no
snapshot); new and changed rows are then scored together with the numpy engine and
written with executemany (INSERT for new, UPDATE of the changed columns for the rest),
tags replaced and today's snapshots upserted. Values stay in tuples and columns all the
way (services/bulk_sql.py): per-row dicts would cost more than the database's own work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot
from iqcadence_desktop.services.csv_io.bulk_sql import (
    delete_where_in,
    insert_columns,
    insert_returning_ids,
    rows_where_in,
    update_rows,
    upsert_columns,
)
from iqcadence_desktop.services.csv_io.import_rows import EDIT_COLUMNS, ImportIssue, ParsedRow
from iqcadence_desktop.services.scoring import (
    SIGNAL_COLUMNS,
    Scored,
    ScoringConfig,
    WeightsFor,
    auto_lifecycle,
    score_columns,
)

_SCORE_COLUMNS = ("score", "status", "coverage", "scored_day", "updated_at")
_INSERT_COLUMNS = (*EDIT_COLUMNS, "name_key", *_SCORE_COLUMNS, "created_at", "client_id")
_READ_COLUMNS = ("id", "name_key", "status", *EDIT_COLUMNS)
_FIRST_EDIT = 3  # index of the first EDIT_COLUMNS value in a _READ_COLUMNS row
_SNAPSHOT_METRICS = ("logins_30d", "feature_adoption_pct", "open_tickets", "nps", "csat")
_SNAPSHOT_COLUMNS = (
    "customer_id",
    "day",
    "score",
    "status",
    "coverage",
    *_SNAPSHOT_METRICS,
    "days_since_contact",
    "growth_signal",
    "mrr_cents",
)
_POS = {c: i for i, c in enumerate(EDIT_COLUMNS)}
_LIFE, _OVERRIDE = _POS["lifecycle"], _POS["score_override"]
_SIGNAL_POS = tuple(_POS[c.key] for c in SIGNAL_COLUMNS)
_SIGNALS = itemgetter(*_SIGNAL_POS)
_CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
_TAGS: Table = CustomerTag.__table__  # type: ignore[assignment]
_SNAPSHOTS: Table = ScoreSnapshot.__table__  # type: ignore[assignment]


@dataclass
class Tally:
    """Running counts of one import."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


class _Change(NamedTuple):
    row: ParsedRow
    id: int
    merged: tuple[Any, ...]
    old: tuple[Any, ...]
    tags: list[str] | None
    old_tags: list[str]


def _replace(values: tuple[Any, ...], index: int, value: Any) -> tuple[Any, ...]:
    return (*values[:index], value, *values[index + 1 :])


class ChunkWriter:
    """Writes chunks of parsed rows. `written` holds the EDIT_COLUMNS the file gives and
    `mapped` the fields its columns feed (API names)."""

    def __init__(
        self,
        session: Session,
        written: frozenset[str],
        mapped: set[str],
        now: dt.datetime,
        today: dt.date,
        config: ScoringConfig,
        weights_for: WeightsFor,
        client_id: int,
    ) -> None:
        self.s = session
        self.client_id = client_id  # rows match, and new customers go to, this client only
        self.now = now
        self.today = today
        self.day = today.toordinal()
        self.config = config
        self.weights_for = weights_for
        self.tally = Tally()
        self.auto_lifecycle = "lifecycle" not in mapped
        self.keep_override = "score" in mapped
        self.with_tags = "tags" in mapped
        width = len(EDIT_COLUMNS)
        given = sorted(_POS[c] for c in written)
        # Merging a row over a stored one: the file's value where it has the column.
        self._merge = itemgetter(*(width + i if i in given else i for i in range(width)))
        self._may_change = sorted({*given, _LIFE, _OVERRIDE})

    def write(self, rows: Sequence[ParsedRow], issues: list[ImportIssue]) -> None:
        """Apply a chunk of parsed rows (names unique within the chunk)."""
        existing = self._existing(rows)
        tags = self._tags([r[0] for k, r in existing.items() if isinstance(k, str)])
        # A customer named by its id in this chunk is that row's alone: another row with
        # its old name is a new customer (renamed "Alpha" → "Alpha 2", then a new "Alpha").
        claimed = {row.id for row in rows if ("id", row.id) in existing}
        new: list[ParsedRow] = []
        changed: list[_Change] = []
        for row in rows:
            found = existing.get(("id", row.id)) if row.id is not None else None
            if found is None and row.key in existing and existing[row.key][0] not in claimed:
                found = existing[row.key]
            if found is None:
                new.append(row)
                continue
            change = self._compare(row, found, tags, issues)
            if change is not None:
                changed.append(change)
        if changed:  # first, so a name given up by a rename is free for a new customer
            self._update(changed)
        if new:
            self._insert(new)

    def _existing(self, rows: Sequence[ParsedRow]) -> dict[Any, tuple[Any, ...]]:
        found: dict[Any, tuple[Any, ...]] = {}
        ids = [r.id for r in rows if r.id is not None]
        for key, values in (("name_key", [r.key for r in rows]), ("id", ids)):
            for *r, client in rows_where_in(
                self.s, _CUSTOMERS, (*_READ_COLUMNS, "client_id"), key, values
            ):
                if client == self.client_id:  # another client's customer is not a match
                    found[r[1]] = tuple(r)
                    found[("id", r[0])] = tuple(r)
        return found

    def _tags(self, ids: list[int]) -> dict[int, list[str]]:
        if not self.with_tags:
            return {}
        out: dict[int, list[str]] = {i: [] for i in ids}
        for cid, tag in rows_where_in(
            self.s, _TAGS, ("customer_id", "tag"), "customer_id", ids, order_by="tag"
        ):
            out[cid].append(tag)
        return out

    def _compare(
        self,
        row: ParsedRow,
        found: tuple[Any, ...],
        tags: dict[int, list[str]],
        issues: list[ImportIssue],
    ) -> _Change | None:
        cid, key, old = found[0], found[1], found[_FIRST_EDIT:]
        if row.key != key and self._taken(row.key, cid):
            issues.append(
                ImportIssue(
                    row.line,
                    "name",
                    row.edit[0],
                    "Another customer "
                    "already has this name; a renamed customer needs a "
                    "name of its own.",
                )
            )
            return None
        merged = self._merge(old + row.edit)
        if merged[_LIFE] is None:  # a blank lifecycle cell keeps the stored stage
            merged = _replace(merged, _LIFE, old[_LIFE])
        new_tags = None if row.tags is None else sorted(row.tags)
        old_tags = tags.get(cid, [])
        if merged == old and (new_tags is None or new_tags == old_tags):
            self.tally.unchanged += 1
            return None
        if (
            not self.keep_override
            and merged[_OVERRIDE] is not None
            and _SIGNALS(merged) != _SIGNALS(old)
        ):
            merged = _replace(merged, _OVERRIDE, None)  # a manual score ends on new signals
        return _Change(row, cid, merged, old, new_tags, old_tags)

    def _taken(self, key: str, own_id: int) -> bool:
        other = self.s.scalar(
            select(Customer.id).where(
                Customer.name_key == key, Customer.client_id == self.client_id
            )
        )
        return other is not None and other != own_id

    def _score(self, columns: list[Sequence[Any]]) -> Scored:
        """Score the rows given column by column and settle their lifecycle stage."""
        scored = score_columns(
            [columns[i] for i in _SIGNAL_POS], self.today, self.config, self.weights_for
        )
        stages = columns[_LIFE]
        columns[_LIFE] = [
            auto_lifecycle(stage or "active", status)
            if self.auto_lifecycle or stage is None
            else stage
            for stage, status in zip(stages, scored.statuses, strict=True)
        ]
        return scored

    def _insert(self, new: list[ParsedRow]) -> None:
        columns: list[Sequence[Any]] = list(zip(*(r.edit for r in new), strict=True))
        scored = self._score(columns)
        n = len(new)
        stamp = [self.now] * n
        ids = insert_returning_ids(
            self.s,
            _CUSTOMERS,
            _INSERT_COLUMNS,
            [
                *columns,
                [r.key for r in new],
                scored.scores,
                scored.statuses,
                scored.coverage,
                [self.day] * n,
                stamp,
                stamp,
                [self.client_id] * n,
            ],
        )
        self._snapshots(ids, columns, scored)
        self._write_tags(
            [(cid, r.tags) for cid, r in zip(ids, new, strict=True) if r.tags], replace=[]
        )
        self.tally.created += n

    def _update(self, changed: list[_Change]) -> None:
        """UPDATE only the columns that changed (grouped), so untouched indexes stay put."""
        columns: list[Sequence[Any]] = list(zip(*(c.merged for c in changed), strict=True))
        scored = self._score(columns)
        groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        scores = zip(scored.scores, scored.statuses, scored.coverage, strict=True)
        for change, values, score in zip(changed, zip(*columns, strict=True), scores, strict=True):
            old = change.old
            cols = [i for i in self._may_change if values[i] != old[i]]
            names = tuple(EDIT_COLUMNS[i] for i in cols)
            row = tuple(values[i] for i in cols)
            if cols and cols[0] == 0:  # the name changed: so may its folded key
                names, row = (*names, "name_key"), (*row, change.row.key)
            groups.setdefault(names, []).append((*row, *score, self.day, self.now, change.id))
        for names, rows in groups.items():
            # An import is an edit: it bumps the version, so an editor's stale save is refused.
            update_rows(
                self.s, _CUSTOMERS, (*names, *_SCORE_COLUMNS, "id"), rows, "id", bump="version"
            )
        self._snapshots([c.id for c in changed], columns, scored)
        retagged = [(c.id, c.tags) for c in changed if c.tags is not None and c.tags != c.old_tags]
        self._write_tags(retagged, replace=[cid for cid, _ in retagged])
        self.tally.updated += len(changed)

    def _snapshots(self, ids: list[int], columns: list[Sequence[Any]], scored: Scored) -> None:
        n = len(ids)
        upsert_columns(
            self.s,
            _SNAPSHOTS,
            _SNAPSHOT_COLUMNS,
            [
                ids,
                [self.day] * n,
                scored.scores,
                scored.statuses,
                scored.coverage,
                *(columns[_POS[c]] for c in _SNAPSHOT_METRICS),
                scored.days,
                columns[_POS["growth_signal"]],
                columns[_POS["mrr_cents"]],
            ],
            ("customer_id", "day"),
        )

    def _write_tags(
        self, items: Sequence[tuple[int, list[str] | None]], replace: list[int]
    ) -> None:
        delete_where_in(self.s, _TAGS, "customer_id", replace)
        pairs = [(cid, tag) for cid, tags in items for tag in tags or ()]
        if pairs:
            insert_columns(self.s, _TAGS, ("customer_id", "tag"), list(zip(*pairs, strict=True)))
