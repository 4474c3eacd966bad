"""Scoring many customers at once, daily snapshots and the per-day portfolio rollup.

Bulk work is set-based: one read of the signal columns, numpy arithmetic, then
executemany writes. No ORM objects are loaded per row.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from sqlalchemy import (
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, PortfolioDaily, ScoreSnapshot
from iqcadence_desktop.services.scoring.config import ScoringConfig
from iqcadence_desktop.services.scoring.engine import (
    GROWTH_CODES,
    BandThresholds,
    FloatArray,
    auto_lifecycle,
    band_for,
    score_arrays,
)
from iqcadence_desktop.services.system import CHUNK, pg_update, serialize, upsert
from iqcadence_desktop.services.team import Scope

ALL_MANAGERS = ""
UNASSIGNED = "(unassigned)"
NAN = float("nan")

#: The columns the engine reads, in this order (see `score_rows`).
SIGNAL_COLUMNS = (
    Customer.scoring_profile_id,
    Customer.logins_30d,
    Customer.feature_adoption_pct,
    Customer.open_tickets,
    Customer.nps,
    Customer.csat,
    Customer.last_contact_date,
    Customer.growth_signal,
    Customer.score_override,
)


class Cancelled(Exception):
    """The user cancelled a long operation; nothing was written."""


@dataclass(frozen=True)
class Scored:
    """Scores for many rows, in row order."""

    scores: list[float | None]
    coverage: list[float]
    statuses: list[str]
    days: list[int | None]


WeightsFor = Callable[[int | None], dict[str, float]]


def float_column(values: Sequence[Any]) -> FloatArray:
    """Numbers as a float array, None as NaN (what the numpy engine reads as missing)."""
    return np.fromiter((NAN if v is None else v for v in values), dtype=float, count=len(values))


def profile_scores(
    profiles: Sequence[int | None],
    signals: dict[str, Sequence[Any]],
    config: ScoringConfig,
    weights_for: WeightsFor,
) -> tuple[FloatArray, FloatArray]:
    """Unrounded scores (NaN = unscored) and coverage, each row with its profile's weights.

    `signals` holds the engine's inputs by name (logins, adoption, tickets, nps, csat,
    days, growth), growth as its text value."""
    arrays = {
        k: float_column([GROWTH_CODES.get(g) for g in v] if k == "growth" else v)
        for k, v in signals.items()
    }
    scores, coverage = np.full(len(profiles), NAN), np.zeros(len(profiles))
    profile_arr = np.array([-1 if p is None else p for p in profiles], dtype=np.int64)
    for pid in np.unique(profile_arr):
        mask = profile_arr == pid
        part = {k: v[mask] for k, v in arrays.items()}
        s, c = score_arrays(part, weights_for(None if pid == -1 else int(pid)), config.params)
        scores[mask], coverage[mask] = s, c
    return scores, coverage


def score_rows(
    rows: Sequence[Sequence[Any]], as_of: dt.date, config: ScoringConfig, weights_for: WeightsFor
) -> Scored:
    """Score rows shaped like SIGNAL_COLUMNS as of a day (manual overrides win)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(SIGNAL_COLUMNS)
    return score_columns(columns, as_of, config, weights_for)


def score_columns(
    columns: Sequence[Sequence[Any]], as_of: dt.date, config: ScoringConfig, weights_for: WeightsFor
) -> Scored:
    """`score_rows` for values given column by column, in SIGNAL_COLUMNS order."""
    today = as_of.toordinal()
    profiles, logins, adoption, tickets, nps, csat, contact, growth, override = columns
    days = [None if d is None else max(0, today - d.toordinal()) for d in contact]
    scores, coverage = profile_scores(
        profiles,
        {
            "logins": logins,
            "adoption": adoption,
            "tickets": tickets,
            "nps": nps,
            "csat": csat,
            "days": days,
            "growth": growth,
        },
        config,
        weights_for,
    )
    final = [
        o if o is not None else (None if math.isnan(s) else float(s))
        for s, o in zip(scores.tolist(), override, strict=True)
    ]
    return Scored(final, coverage.tolist(), bands_for(final, config.bands), days)


def bands_for(scores: Sequence[float | None], t: BandThresholds) -> list[str]:
    """The band of each score (same rounding as `scoring.band_for`)."""
    return [band_for(s, t) for s in scores]


def snapshot_row(
    customer_id: int,
    day: int,
    score: float | None,
    status: str,
    coverage: float,
    signals: Sequence[Any],
    days: int | None,
    mrr_cents: int | None,
) -> dict[str, Any]:
    """A score_snapshots row; `signals` is shaped like SIGNAL_COLUMNS."""
    return {
        "customer_id": customer_id,
        "day": day,
        "score": score,
        "status": status,
        "coverage": coverage,
        "logins_30d": signals[1],
        "feature_adoption_pct": signals[2],
        "open_tickets": signals[3],
        "nps": signals[4],
        "csat": signals[5],
        "days_since_contact": days,
        "growth_signal": signals[7],
        "mrr_cents": mrr_cents,
    }


def write_snapshots(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert daily snapshots: one per customer per day, the last one of the day wins."""
    upsert(session, ScoreSnapshot.__table__, rows, ("customer_id", "day"))  # type: ignore[arg-type]


def rebuild_portfolio_day(session: Session, day: int) -> None:
    """Recompute the rollup rows for one day from that day's snapshots."""
    rebuild_portfolio_days(session, day, day)


_BANDS = ("critical", "at_risk", "watch", "healthy", "expansion")
#: Snapshot column -> the rollup column holding its average.
_AVERAGES = {
    "score": "avg_score",
    "logins_30d": "avg_logins",
    "feature_adoption_pct": "avg_adoption",
    "open_tickets": "avg_tickets",
    "nps": "avg_nps",
    "csat": "avg_csat",
}


def rebuild_portfolio_days(session: Session, first: int, last: int) -> None:
    """Recompute the rollup rows for a range of days from their snapshots."""
    serialize(session, "portfolio_daily")
    session.execute(delete(PortfolioDaily).where(PortfolioDaily.day.between(first, last)))
    rows = rollup_rows(session, first, last)
    if rows:
        session.execute(insert(cast(Table, PortfolioDaily.__table__)), rows)


def rollup_rows(
    session: Session, first: int, last: int, scope: Scope | None = None
) -> list[dict[str, Any]]:
    """portfolio_daily rows for a range of days, computed from the snapshots of the
    customers in `scope` (all of them when None: what is stored).

    One grouped query gives each manager's counts and sums per day; the whole-portfolio
    row of a day is then the sum of its managers' rows (a second scan of the snapshots
    would cost as much as the first).
    """
    snap, cust = ScoreSnapshot, Customer
    manager = func.coalesce(cust.manager, UNASSIGNED)
    risky = snap.status.in_(("at_risk", "critical"))
    sums = [
        func.count(),
        func.coalesce(func.sum(snap.mrr_cents), 0),
        func.coalesce(func.sum(case((risky, snap.mrr_cents), else_=0)), 0),
        *[func.coalesce(func.sum(case((snap.status == b, 1), else_=0)), 0) for b in _BANDS],
        *[f(getattr(snap, c)) for c in _AVERAGES for f in (func.count, func.sum)],
    ]
    query = (
        select(snap.day, manager, *sums)
        .select_from(snap)
        .join(cust, and_(snap.customer_id == cust.id, cust.deleted_at.is_(None)))
        .where(snap.day.between(first, last))
        .group_by(snap.day, manager)
    )
    if scope is not None:
        query = scope.customers(query)
    rows: list[dict[str, Any]] = []
    portfolio: dict[int, list[Any]] = {}
    for day, name, *values in session.execute(query):
        rows.append(_rollup_row(day, name, values))
        total = portfolio.setdefault(day, [0] * len(values))
        for i, value in enumerate(values):
            total[i] += value or 0
    rows.extend(_rollup_row(day, ALL_MANAGERS, total) for day, total in portfolio.items())
    return rows


def _rollup_row(day: int, manager: str, values: Sequence[Any]) -> dict[str, Any]:
    """A portfolio_daily row from (count, MRR, at-risk MRR, band counts, then a count and
    a sum per averaged column)."""
    customers, mrr, risky_mrr, *rest = values
    bands, pairs = rest[: len(_BANDS)], rest[len(_BANDS) :]
    row = {
        "day": day,
        "manager": manager,
        "customers": customers,
        "mrr_cents": mrr,
        "at_risk_mrr_cents": risky_mrr,
        "scored": pairs[0],
        **{f"n_{b}": n for b, n in zip(_BANDS, bands, strict=True)},
    }
    for i, target in enumerate(_AVERAGES.values()):
        count, total = pairs[2 * i], pairs[2 * i + 1]
        row[target] = total / count if count else None
    return row


@dataclass(frozen=True)
class RescoreSummary:
    """What a bulk rescore did."""

    customers: int
    band_changes: int
    lifecycle_changes: int
    day: dt.date


ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

# A Core statement on the table (not the ORM entity): executemany with no per-row ORM
# bookkeeping, and portable to PostgreSQL.
_CUSTOMERS = cast(Table, Customer.__table__)
_UPDATE = (
    update(_CUSTOMERS)
    .where(_CUSTOMERS.c.id == bindparam("_id"))
    .values(
        score=bindparam("_score"),
        status=bindparam("_status"),
        coverage=bindparam("_coverage"),
        scored_day=bindparam("_day"),
        lifecycle=bindparam("_lifecycle"),
    )
)


#: (update key, customers column) in the order `pg_update` takes them; the id last.
_UPDATE_NAMES = (
    ("_score", "score"),
    ("_status", "status"),
    ("_coverage", "coverage"),
    ("_day", "scored_day"),
    ("_lifecycle", "lifecycle"),
    ("_id", "id"),
)


def _pg_update(session: Session, rows: list[dict[str, Any]]) -> None:
    """One UPDATE per chunk on PostgreSQL (columns as arrays), not one per row."""
    pg_update(
        session,
        _CUSTOMERS,
        [column for _, column in _UPDATE_NAMES],
        [[r[key] for r in rows] for key, _ in _UPDATE_NAMES],
        "id",
    )


def _signal_rows(session: Session, ids: Sequence[int] | None, scope: Scope | None) -> list[Any]:
    """Live customers' signal rows in id order (so two writers lock rows in one order and
    never deadlock); ids are read in chunks (SQLite caps bound variables)."""
    stmt = (
        select(
            Customer.id, Customer.status, Customer.lifecycle, Customer.mrr_cents, *SIGNAL_COLUMNS
        )
        .where(Customer.deleted_at.is_(None))
        .order_by(Customer.id)
    )
    if scope is not None:
        stmt = scope.customers(stmt)
    if ids is None:
        return list(session.execute(stmt).all())
    wanted = list(ids)
    rows: list[Any] = []
    for start in range(0, len(wanted), CHUNK):
        rows += session.execute(stmt.where(Customer.id.in_(wanted[start : start + CHUNK]))).all()
    return sorted(rows, key=lambda r: r[0])


def rescore_all(
    session: Session,
    config: ScoringConfig,
    weights_for: WeightsFor,
    as_of: dt.date,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    ids: Sequence[int] | None = None,
    scope: Scope | None = None,
) -> RescoreSummary:
    """Rescore every live customer in the scope (or just `ids`) as of a day, snapshot,
    refresh the rollup."""
    rows = _signal_rows(session, ids, scope)
    scored = score_rows([r[4:] for r in rows], as_of, config, weights_for)
    day = as_of.toordinal()
    updates, snaps = [], []
    band_changes = lifecycle_changes = 0
    for i, r in enumerate(rows):
        status = scored.statuses[i]
        lifecycle = auto_lifecycle(r[2], status)
        band_changes += status != r[1]
        lifecycle_changes += lifecycle != r[2]
        updates.append(
            {
                "_id": r[0],
                "_score": scored.scores[i],
                "_status": status,
                "_coverage": scored.coverage[i],
                "_day": day,
                "_lifecycle": lifecycle,
            }
        )
        snaps.append(
            snapshot_row(
                r[0], day, scored.scores[i], status, scored.coverage[i], r[4:], scored.days[i], r[3]
            )
        )
    _write_in_chunks(session, updates, snaps, progress, cancelled)
    rebuild_portfolio_day(session, day)
    return RescoreSummary(len(rows), band_changes, lifecycle_changes, as_of)


def _write_in_chunks(
    session: Session,
    updates: list[dict[str, Any]],
    snaps: list[dict[str, Any]],
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> None:
    total = len(updates)
    for start in range(0, total, CHUNK):
        if cancelled is not None and cancelled():
            raise Cancelled("Rescore cancelled; no score was changed.")
        part = updates[start : start + CHUNK]
        if session.get_bind().dialect.name == "postgresql":
            _pg_update(session, part)
        else:
            # Core executemany: the ORM refuses multi-row UPDATEs that carry a WHERE clause.
            session.connection().execute(_UPDATE, part)
        write_snapshots(session, snaps[start : start + CHUNK])
        if progress is not None:
            progress(min(start + CHUNK, total), total)
