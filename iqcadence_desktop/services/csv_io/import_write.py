"""Applying parsed rows to the database in chunks, set-based, inside the caller's session.

For each chunk: one query reads the matching customers; each row is merged over what is
stored and compared (an identical row is left alone: no write, no new timestamp, no
snapshot); new and changed rows are then scored together with the numpy engine and
written with executemany (INSERT for new, UPDATE of the changed columns for the rest),
tags replaced and today's snapshots upserted. Values stay in tuples and columns all the
way (services/system/bulk_sql.py): per-row dicts would cost more than the database's own work.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot
from iqcadence_desktop.services.csv_io.import_rows import (
    EDIT_COLUMNS,
    EXTERNAL_POS,
    ImportIssue,
    ParsedRow,
)
from iqcadence_desktop.services.scoring import (
    SIGNAL_COLUMNS,
    Scored,
    ScoringConfig,
    WeightsFor,
    auto_lifecycle,
    score_columns,
)
from iqcadence_desktop.services.system import (
    delete_where_in,
    insert_columns,
    insert_returning_ids,
    insert_rows,
    rows_where_in,
    update_rows,
    upsert_columns,
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


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class Tally:
    """What one import did to each customer in the database (each counted once, however
    many rows of the file named it), and the first row that named it."""

    outcome: dict[int, str] = field(default_factory=dict)
    first_row: dict[int, int] = field(default_factory=dict)
    identity: dict[int, int] = field(default_factory=dict)

    def counts(self) -> tuple[int, int, int]:
        """(created, updated, unchanged)."""
        found = Counter(self.outcome.values())
        return found[CREATED], found[UPDATED], found[UNCHANGED]

    def written(self) -> list[int]:
        """The customers this import created or changed."""
        return [cid for cid, o in self.outcome.items() if o in (CREATED, UPDATED)]

    def touch(self, cid: int, changed: bool) -> None:
        before = self.outcome.get(cid)
        if before is None:
            self.outcome[cid] = UPDATED if changed else UNCHANGED
        elif changed and before == UNCHANGED:
            self.outcome[cid] = UPDATED


class _Change(NamedTuple):
    row: ParsedRow
    id: int
    merged: tuple[Any, ...]
    old: tuple[Any, ...]
    tags: list[str] | None
    old_tags: list[str]


class _Refused:
    """The row could not be applied (its problem is reported)."""


REFUSED = _Refused()


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
        #: Ids of the customers this import created or changed (profile rules follow them).
        self.auto_lifecycle = "lifecycle" not in mapped
        self.keep_override = "score" in mapped
        self.with_tags = "tags" in mapped
        width = len(EDIT_COLUMNS)
        given = sorted(_POS[c] for c in written)
        # Merging a row over a stored one: the file's value where it has the column.
        self._merge = itemgetter(*(width + i if i in given else i for i in range(width)))
        self._may_change = sorted({*given, _LIFE, _OVERRIDE})

    def write(
        self,
        rows: Sequence[ParsedRow],
        identity: dict[int, int],
        issues: list[ImportIssue],
        duplicates: list[ImportIssue],
    ) -> None:
        """Apply a chunk of parsed rows (one per customer of the file; `identity` gives
        each row's customer of the file by line)."""
        existing = self._existing(rows)
        # A customer found by its external id or id in this chunk is that row's alone:
        # another row with its old name is a new customer (renamed "Alpha" → "Alpha 2",
        # then a new "Alpha").
        claimed = {hit[0] for row in rows if (hit := _by_key(row, existing)) is not None}
        tags = self._tags(sorted({r[0] for r in existing.values()}))
        new: list[ParsedRow] = []
        changes: dict[int, _Change | None] = {}
        for row in rows:
            found = _by_key(row, existing)
            if found is None and row.key in existing and existing[row.key][0] not in claimed:
                found = existing[row.key]
                if _other_external_id(row, found):
                    issues.append(_external_clash(row, found))
                    continue
            if found is None:
                new.append(row)
                continue
            cid = found[0]
            change = self._compare(row, found, tags, issues)
            if isinstance(change, _Refused):
                continue
            if self._repeats(row, cid, identity.get(row.line, row.line), duplicates):
                changes.pop(cid, None)  # the later row wins
            changes[cid] = change
        for cid, change in changes.items():
            self.tally.touch(cid, change is not None)
        changed = [c for c in changes.values() if c is not None]
        if changed:  # first, so a name given up by a rename is free for a new customer
            self._update(changed)
        if new:
            self._insert(new, identity)

    def _repeats(
        self, row: ParsedRow, cid: int, identity: int, duplicates: list[ImportIssue]
    ) -> bool:
        """Whether another customer of the file already reached this stored customer
        (then this row is a duplicate of it, reported here unless the file's own keys
        already told)."""
        tally = self.tally
        seen = tally.identity.get(cid)
        if seen is None:
            tally.identity[cid] = identity
            tally.first_row[cid] = row.line
            return False
        if seen != identity:
            first = tally.first_row[cid]
            duplicates.append(
                ImportIssue(
                    row.line,
                    "name",
                    row.edit[0],
                    f"Same customer as row {first} (both lead to the same stored "
                    "customer); this later row wins.",
                    first_row=first,
                )
            )
        return True

    def _existing(self, rows: Sequence[ParsedRow]) -> dict[Any, tuple[Any, ...]]:
        """Stored rows found by name key, ("i", id) and ("x", external id)."""
        found: dict[Any, tuple[Any, ...]] = {}
        ids = [r.id for r in rows if r.id is not None]
        exts = [r.ext for r in rows if r.ext is not None]
        keys = (("name_key", [r.key for r in rows]), ("id", ids), ("external_id", exts))
        for key, values in keys:
            for *cols, client in rows_where_in(
                self.s, _CUSTOMERS, (*_READ_COLUMNS, "client_id"), key, values
            ):
                if client != self.client_id:  # another client's customer is not a match
                    continue
                r = tuple(cols)
                found[r[1]] = r
                found[("i", r[0])] = r
                ext = r[_FIRST_EDIT + EXTERNAL_POS]
                if ext is not None:
                    found[("x", ext)] = r
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
    ) -> _Change | None | _Refused:
        """The change this row makes to a stored customer: None when it changes nothing,
        REFUSED when it cannot be applied (the problem is added to `issues`)."""
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
            return REFUSED
        merged = self._merge(old + row.edit)
        if merged[_LIFE] is None:  # a blank lifecycle cell keeps the stored stage
            merged = _replace(merged, _LIFE, old[_LIFE])
        new_tags = None if row.tags is None else sorted(row.tags)
        old_tags = tags.get(cid, [])
        if merged == old and (new_tags is None or new_tags == old_tags):
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

    def _insert(self, new: list[ParsedRow], identity: dict[int, int]) -> None:
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
        self._snapshots(ids, columns, scored, new=True)
        self._write_tags(
            [(cid, r.tags) for cid, r in zip(ids, new, strict=True) if r.tags], replace=[]
        )
        tally = self.tally
        for cid, row in zip(ids, new, strict=True):
            tally.outcome[cid] = CREATED
            tally.identity[cid] = identity.get(row.line, row.line)
            tally.first_row[cid] = row.line

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

    def _snapshots(
        self, ids: list[int], columns: list[Sequence[Any]], scored: Scored, new: bool = False
    ) -> None:
        """Today's snapshot of each row: a plain INSERT for customers created just now
        (they have none yet), else INSERT … ON CONFLICT DO UPDATE."""
        n = len(ids)
        values: list[Sequence[Any]] = [
            ids,
            [self.day] * n,
            scored.scores,
            scored.statuses,
            scored.coverage,
            *(columns[_POS[c]] for c in _SNAPSHOT_METRICS),
            scored.days,
            columns[_POS["growth_signal"]],
            columns[_POS["mrr_cents"]],
        ]
        if new:
            insert_columns(self.s, _SNAPSHOTS, _SNAPSHOT_COLUMNS, values)
        else:
            upsert_columns(self.s, _SNAPSHOTS, _SNAPSHOT_COLUMNS, values, ("customer_id", "day"))

    def _write_tags(
        self, items: Sequence[tuple[int, list[str] | None]], replace: list[int]
    ) -> None:
        delete_where_in(self.s, _TAGS, "customer_id", replace)
        pairs = [(cid, tag) for cid, tags in items for tag in tags or ()]
        insert_rows(self.s, _TAGS, ("customer_id", "tag"), pairs)


def _by_key(row: ParsedRow, existing: dict[Any, tuple[Any, ...]]) -> tuple[Any, ...] | None:
    """The stored customer this row names by external id (first) or by our id."""
    if row.ext is not None and ("x", row.ext) in existing:
        return existing[("x", row.ext)]
    if row.id is not None:
        return existing.get(("i", row.id))
    return None


def _other_external_id(row: ParsedRow, found: tuple[Any, ...]) -> bool:
    stored = found[_FIRST_EDIT + EXTERNAL_POS]
    return row.ext is not None and stored is not None and stored != row.ext


def _external_clash(row: ParsedRow, found: tuple[Any, ...]) -> ImportIssue:
    stored = found[_FIRST_EDIT + EXTERNAL_POS]
    return ImportIssue(
        row.line,
        "name",
        row.edit[0],
        f"A customer with this name already has external id {stored!r}, and no customer "
        f"has this row's external id {row.ext!r}. Give the row a name of its own, or "
        "correct the external id.",
    )
