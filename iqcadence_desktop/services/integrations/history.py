"""Pull history: past values from a connected system written as dated snapshots.

A day that already has a snapshot for a customer is never overwritten. Signals the
system has no history for are taken as they are today; a last-contact date later than
the day is unknown on that day. Each day's rows are scored as of that day with the
saved weights, then the portfolio rollup of the whole range is rebuilt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import Customer, IntegrationLink, ScoreSnapshot
from iqcadence_desktop.services.integrations.base import AccountHistory
from iqcadence_desktop.services.integrations.mapping import HISTORY_TARGETS, parse_target
from iqcadence_desktop.services.scoring import (
    SIGNAL_COLUMNS,
    Cancelled,
    ScoringConfig,
    WeightsFor,
    rebuild_portfolio_days,
    score_rows,
    snapshot_row,
)
from iqcadence_desktop.services.system import CHUNK

#: Position of each history field in a SIGNAL_COLUMNS row.
_POSITION = {
    "logins": 1,
    "adoption": 2,
    "tickets": 3,
    "nps": 4,
    "csat": 5,
    "last_contact": 6,
    "growth": 7,
}
LOOKBACKS: dict[str, int] = {"30d": 30, "90d": 90, "6mo": 182, "1yr": 365}


@dataclass
class HistoryResult:
    """What a pull of history wrote."""

    system: str
    days: int
    first: dt.date | None = None
    last: dt.date | None = None
    customers: int = 0
    written: int = 0
    kept: int = 0  # days that already had a snapshot and were left alone
    unlinked: int = 0
    issues: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.written and not self.kept:
            return "No history was found for the linked customers."
        span = f" from {self.first} to {self.last}" if self.first else ""
        return (
            f"Wrote {self.written:,} snapshots for {self.customers:,} customers{span}; "
            f"{self.kept:,} days that already had a snapshot were kept."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "days": self.days,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "customers": self.customers,
            "written": self.written,
            "kept": self.kept,
            "unlinked": self.unlinked,
            "issues": self.issues[:100],
            "summary": self.summary(),
        }


def write_history(
    s: Session,
    client_id: int,
    system: str,
    histories: Sequence[AccountHistory],
    targets: Mapping[str, str],
    days: Sequence[dt.date],
    config: ScoringConfig,
    weights_for: WeightsFor,
    cancelled: Callable[[], bool] | None = None,
) -> HistoryResult:
    """Insert the snapshots; the caller's session commits them as one."""
    result = HistoryResult(system, len(days))
    wanted = {src: t for src, t in targets.items() if t in HISTORY_TARGETS}
    links = dict(
        s.execute(
            select(IntegrationLink.external_id, IntegrationLink.customer_id)
            .join(Customer, Customer.id == IntegrationLink.customer_id)
            .where(IntegrationLink.integration == system, Customer.client_id == client_id)
        ).all()
    )
    current = _current(s)
    first, last = days[0].toordinal(), days[-1].toordinal()
    taken: set[tuple[int, int]] = set(
        (int(c), int(d))
        for c, d in s.execute(
            select(ScoreSnapshot.customer_id, ScoreSnapshot.day).where(
                ScoreSnapshot.day.between(first, last)
            )
        ).all()
    )
    touched: set[int] = set()
    for day in days:
        if cancelled is not None and cancelled():
            raise Cancelled("Pull history cancelled; nothing was written.")
        rows = _day_rows(histories, links, current, wanted, day, taken, result)
        _insert(s, rows, day, config, weights_for, result)
        touched.update(cid for cid, _, _ in rows)
    result.customers = len(touched)
    result.unlinked = sum(1 for h in histories if h.external_id not in links)
    if result.written:
        result.first, result.last = days[0], days[-1]
        rebuild_portfolio_days(s, first, last)
    return result


def _current(s: Session) -> dict[int, tuple[Any, ...]]:
    """Each live customer's SIGNAL_COLUMNS row and MRR, as they are today."""
    rows = s.execute(
        select(Customer.id, Customer.mrr_cents, Customer.created_at, *SIGNAL_COLUMNS).where(
            Customer.deleted_at.is_(None)
        )
    ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def _day_rows(
    histories: Sequence[AccountHistory],
    links: Mapping[str, int],
    current: Mapping[int, tuple[Any, ...]],
    wanted: Mapping[str, str],
    day: dt.date,
    taken: set[tuple[int, int]],
    result: HistoryResult,
) -> list[tuple[int, list[Any], int | None]]:
    """(customer id, SIGNAL_COLUMNS row, MRR cents) for every customer to snapshot."""
    out = []
    ordinal = day.toordinal()
    for history in histories:
        cid = links.get(history.external_id)
        values = history.days.get(day)
        if cid is None or cid not in current or not values:
            continue
        if history.created is not None and history.created > day:
            continue
        parsed = _parsed(values, wanted, result)
        if not parsed:
            continue
        if (cid, ordinal) in taken:
            result.kept += 1
            continue
        mrr, _created, *signals = current[cid]
        row = list(signals)
        row[8] = None  # a manual score belongs to today, not to the past
        if row[6] is not None and row[6] > day:
            row[6] = None  # contact after this day: unknown on it
        for target, value in parsed.items():
            if target == "mrr":
                mrr = value
            else:
                row[_POSITION[target]] = value
        taken.add((cid, ordinal))
        out.append((cid, row, mrr))
    return out


def _parsed(
    values: Mapping[str, object], wanted: Mapping[str, str], result: HistoryResult
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for source, target in wanted.items():
        try:
            value = parse_target(target, values.get(source))
        except ValidationError as exc:
            if len(result.issues) < 100:
                result.issues.append(str(exc))
            continue
        if value is not None:
            out[target] = value
    return out


def _insert(
    s: Session,
    rows: list[tuple[int, list[Any], int | None]],
    day: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    result: HistoryResult,
) -> None:
    if not rows:
        return
    scored = score_rows([r for _, r, _ in rows], day, config, weights_for)
    snaps = [
        snapshot_row(
            cid,
            day.toordinal(),
            scored.scores[i],
            scored.statuses[i],
            scored.coverage[i],
            signals,
            scored.days[i],
            mrr,
        )
        for i, (cid, signals, mrr) in enumerate(rows)
    ]
    table = cast(Table, ScoreSnapshot.__table__)
    dialect = s.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    stmt = stmt.on_conflict_do_nothing(index_elements=["customer_id", "day"])
    for start in range(0, len(snaps), CHUNK):
        s.execute(stmt, snaps[start : start + CHUNK])
    result.written += len(snaps)
