"""Scoring many customers at once, daily snapshots and the per-day portfolio rollup.

Bulk work is set-based: one read of the signal columns, numpy arithmetic, then
executemany writes. No ORM objects are loaded per row.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter, ne
from typing import Any, cast

import numpy as np
from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    select,
    true,
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
from iqcadence_desktop.services.scoring.factors import (
    FactorEffect,
    FactorInputs,
    adjusted,
    effects_for_row,
    enabled_factors,
    factor_points,
)
from iqcadence_desktop.services.scoring.history import FactorHistory, load_factor_history
from iqcadence_desktop.services.system import (
    CHUNK,
    gc_paused,
    read_rows,
    serialize,
    update_rows,
    upsert,
    upsert_columns,
)
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
    signals: Mapping[str, Sequence[Any]],
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
    rows: Sequence[Sequence[Any]],
    as_of: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    history: FactorHistory | None = None,
) -> Scored:
    """Score rows shaped like SIGNAL_COLUMNS as of a day (manual overrides win)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(SIGNAL_COLUMNS)
    return score_columns(columns, as_of, config, weights_for, history)


def factor_inputs(
    columns: Sequence[Sequence[Any]],
    days: Sequence[int | None],
    base: FloatArray,
    history: FactorHistory,
    config: ScoringConfig,
    weights_for: WeightsFor,
) -> FactorInputs:
    """What the factor rules read, from SIGNAL_COLUMNS-ordered values and their history."""
    profiles, logins, adoption, tickets = columns[0], columns[1], columns[2], columns[3]
    week_base, _ = profile_scores(profiles, history.week, config, weights_for)
    return FactorInputs(
        base=base,
        logins=float_column(logins),
        adoption=float_column(adoption),
        tickets=float_column(tickets),
        days_quiet=float_column(days),
        base_week_ago=week_base,
        logins_then=history.logins_then,
        tickets_then=history.tickets_then,
        renewal_days=history.renewal_days,
        sentiment_last=history.sentiment_last,
        sentiment_before=history.sentiment_before,
    )


def score_columns(
    columns: Sequence[Sequence[Any]],
    as_of: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    history: FactorHistory | None = None,
) -> Scored:
    """`score_rows` for values given column by column, in SIGNAL_COLUMNS order.

    With `history` (scoring/history.py) the switched-on signal-model factors adjust the
    weighted average; without it the score is the weighted average alone.
    """
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
    enabled = enabled_factors(config.factors)
    if history is not None and enabled:
        inputs = factor_inputs(columns, days, scores, history, config, weights_for)
        scores = adjusted(scores, factor_points(inputs, enabled, config.factor_settings()))
    final = [
        o if o is not None else (None if math.isnan(s) else float(s))
        for s, o in zip(scores.tolist(), override, strict=True)
    ]
    return Scored(final, coverage.tolist(), bands_for(final, config.bands), days)


def explain_factors(
    signals: Sequence[Any],
    as_of: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    history: FactorHistory | None,
) -> tuple[FactorEffect, ...]:
    """The switched-on factors that apply to one account (signals as SIGNAL_COLUMNS,
    `history` for that one account, e.g. from `load_factor_history`)."""
    enabled = enabled_factors(config.factors)
    if history is None or not enabled:
        return ()
    columns = [[v] for v in signals]
    contact = signals[6]
    days = [None if contact is None else max(0, (as_of - contact).days)]
    # The weighted average alone: no history, and no manual score.
    scored = score_columns([*columns[:-1], [None]], as_of, config, weights_for)
    inputs = factor_inputs(columns, days, float_column(scored.scores), history, config, weights_for)
    return effects_for_row(inputs, 0, enabled, config.factor_settings())


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


def rebuild_every_portfolio_day(session: Session) -> None:
    """Recompute the whole rollup from every snapshot (after copying a portfolio in)."""
    first, last = session.execute(
        select(func.min(ScoreSnapshot.day), func.max(ScoreSnapshot.day))
    ).one()
    if first is not None:
        rebuild_portfolio_days(session, int(first), int(last))


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
    # The populations of the headlines (services/portfolio/headlines.py): churned accounts
    # have left the portfolio; a Won account's revenue is not at risk.
    risky = snap.status.in_(("at_risk", "critical")) & (cust.lifecycle != "won")
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
        .join(
            cust,
            and_(
                snap.customer_id == cust.id,
                cust.deleted_at.is_(None),
                cust.lifecycle != "churned",
            ),
        )
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
    #: (id, name) of accounts whose manual score reached its last day and was cleared.
    expired_overrides: tuple[tuple[int, str], ...] = ()


ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

_CUSTOMERS = cast(Table, Customer.__table__)
_SNAPSHOTS = cast(Table, ScoreSnapshot.__table__)
#: What a rescore reads of each live customer: id, status, lifecycle, MRR, then the
#: SIGNAL_COLUMNS.
_READ = ("id", "status", "lifecycle", "mrr_cents", *(c.key for c in SIGNAL_COLUMNS))
_UPDATE = ("score", "status", "coverage", "scored_day", "lifecycle", "id")
_SNAPSHOT_COLUMNS = (
    "customer_id",
    "day",
    "score",
    "status",
    "coverage",
    "logins_30d",
    "feature_adoption_pct",
    "open_tickets",
    "nps",
    "csat",
    "days_since_contact",
    "growth_signal",
    "mrr_cents",
)


def _signal_rows(
    session: Session, ids: Sequence[int] | None, scope: Scope | None
) -> list[tuple[Any, ...]]:
    """Live customers' rows shaped like _READ, in id order (so two writers lock rows in
    one order and never deadlock); ids are read in chunks (SQLite caps bound variables).
    Plain tuples straight from the driver: building SQLAlchemy rows for 100k customers
    cost more than the query."""
    live: ColumnElement[bool] = _CUSTOMERS.c.deleted_at.is_(None)
    if scope is not None:
        live = live & scope.customer_clause()
    if ids is None:
        return read_rows(session, _CUSTOMERS, _READ, live)
    wanted = list(ids)
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), CHUNK):
        part = _CUSTOMERS.c.id.in_(wanted[start : start + CHUNK])
        rows += read_rows(session, _CUSTOMERS, _READ, live & part)
    rows.sort(key=itemgetter(0))
    return rows


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
    refresh the rollup.

    Values travel column by column to executemany (no dict per row): at 100k customers,
    parameter building was most of the cost. Manual scores past their last day are
    cleared first (see `expire_overrides`).
    """
    with gc_paused():
        return _rescore(session, config, weights_for, as_of, progress, cancelled, ids, scope)


def _rescore(
    session: Session,
    config: ScoringConfig,
    weights_for: WeightsFor,
    as_of: dt.date,
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
    ids: Sequence[int] | None,
    scope: Scope | None,
) -> RescoreSummary:
    expired = expire_overrides(session, as_of, scope)
    rows = _signal_rows(session, ids, scope)
    n = len(rows)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(_READ)
    cids, old_status, old_life, mrr = columns[:4]
    signals = columns[4:]
    history = load_factor_history(session, list(cids), as_of, config)
    scored = score_columns(signals, as_of, config, weights_for, history)
    statuses = scored.statuses
    lifecycles = list(map(auto_lifecycle, old_life, statuses))
    day = [as_of.toordinal()] * n
    update: list[Sequence[Any]] = [scored.scores, statuses, scored.coverage, day, lifecycles, cids]
    snaps: list[Sequence[Any]] = [cids, day, scored.scores, statuses, scored.coverage]
    snaps += [*signals[1:6], scored.days, signals[7], mrr]
    _write_in_chunks(session, update, snaps, progress, cancelled)
    rebuild_portfolio_day(session, as_of.toordinal())
    return RescoreSummary(
        n,
        sum(map(ne, statuses, old_status)),
        sum(map(ne, lifecycles, old_life)),
        as_of,
        expired,
    )


def expire_overrides(
    session: Session, as_of: dt.date, scope: Scope | None = None
) -> tuple[tuple[int, str], ...]:
    """Clear manual scores whose last day is before `as_of` (and leftover reasons).

    Returns (id, name) of the accounts whose manual score ended, for the audit log.
    """
    c = Customer
    ended = tuple(
        (cid, name)
        for cid, name in session.execute(
            select(c.id, c.name).where(
                c.score_override.is_not(None),
                c.score_override_until < as_of,
                scope.customer_clause() if scope is not None else true(),
            )
        )
    )
    if ended:
        session.execute(
            update(c)
            .where(c.id.in_([cid for cid, _ in ended]))
            .values(score_override=None, score_override_reason=None, score_override_until=None)
        )
    session.execute(
        update(c)
        .where(
            c.score_override.is_(None),
            c.score_override_reason.is_not(None) | c.score_override_until.is_not(None),
        )
        .values(score_override_reason=None, score_override_until=None)
    )
    return ended


def _write_in_chunks(
    session: Session,
    update: list[Sequence[Any]],
    snaps: list[Sequence[Any]],
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> None:
    total = len(update[0])
    for start in range(0, total, CHUNK):
        if cancelled is not None and cancelled():
            raise Cancelled("Rescore cancelled; no score was changed.")
        end = start + CHUNK
        part = list(zip(*(c[start:end] for c in update), strict=True))
        update_rows(session, _CUSTOMERS, _UPDATE, part, "id")
        upsert_columns(
            session,
            _SNAPSHOTS,
            _SNAPSHOT_COLUMNS,
            [c[start:end] for c in snaps],
            ("customer_id", "day"),
        )
        if progress is not None:
            progress(min(end, total), total)
