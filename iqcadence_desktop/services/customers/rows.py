"""A lean read path for big tables: every customer as a light row, scored as of a day.

`CustomerService.list_customers` builds full DTOs (two extra queries and per-row date
parsing), which is right for one account and too slow for a 100k-row first paint. Here
one Core query brings the stored columns, the tags (aggregated in SQL) and last week's
score (joined in SQL); dates stay ISO text until needed, and the numpy engine scores all
rows at once. Scores, bands and derived state match the DTO path (a test keeps them in
step).
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import ColumnElement, String, func, select, type_coerce
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers.query import MOMENTUM_DAYS, MOMENTUM_SLACK_DAYS
from iqcadence_desktop.services.scoring import (
    UNSCORED,
    ConfigService,
    FloatArray,
    ScoringConfig,
    WeightsFor,
    float_column,
    profile_scores,
)
from iqcadence_desktop.services.system import Clock


class CustomerRow(NamedTuple):
    """What a customers table shows; field names match CustomerDTO's."""

    id: int
    name: str
    manager: str | None
    mrr_cents: int | None
    tier: str | None
    lifecycle: str
    sentiment: str | None
    renewal_date: str | None  # ISO date text
    days_until_renewal: int | None
    days_since_contact: int | None
    tags: tuple[str, ...]
    score: float | None
    shown_score: int | None
    status: str
    coverage: float
    manual_score: bool
    momentum: float | None
    cadence_status: str
    renewal_window: str
    priority: float
    deleted_at: str | None  # non-None for trashed customers


def _ordinal(value: object) -> int | None:
    """A stored date (ISO text on SQLite, a date on PostgreSQL) as a day number."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.toordinal()
    return dt.date.fromisoformat(str(value)[:10]).toordinal()


def _text(column: Any) -> ColumnElement[Any]:
    """Read a column without SQLAlchemy's per-row date/datetime parsing."""
    return type_coerce(column, String)


def _tags_subquery(dialect: str) -> Any:
    ordered = (
        select(CustomerTag.customer_id, CustomerTag.tag)
        .order_by(CustomerTag.customer_id, CustomerTag.tag)
        .subquery()
    )
    agg = (
        func.string_agg(ordered.c.tag, "|")
        if dialect == "postgresql"
        else func.group_concat(ordered.c.tag, "|")
    )
    return (
        select(ordered.c.customer_id, agg.label("tags")).group_by(ordered.c.customer_id).subquery()
    )


def _week_ago_score(as_of: dt.date) -> Any:
    """The score of the newest snapshot 7-14 days back: one primary-key range per row.

    (A joined GROUP BY subquery made SQLite rescan it for every customer.)
    """
    end = as_of.toordinal() - MOMENTUM_DAYS
    snap = ScoreSnapshot
    return (
        select(snap.score)
        .where(snap.customer_id == Customer.id, snap.day.between(end - MOMENTUM_SLACK_DAYS, end))
        .order_by(snap.day.desc())
        .limit(1)
        .scalar_subquery()
    )


def _query(dialect: str, as_of: dt.date, manager: str | None, first: int | None = None) -> Any:
    tags = _tags_subquery(dialect)
    c = Customer
    stmt = select(
        c.id,
        c.name,
        c.manager,
        c.mrr_cents,
        c.tier,
        c.lifecycle,
        c.sentiment,
        _text(c.renewal_date),
        _text(c.last_contact_date),
        _text(c.deleted_at),
        c.scoring_profile_id,
        c.logins_30d,
        c.feature_adoption_pct,
        c.open_tickets,
        c.nps,
        c.csat,
        c.growth_signal,
        c.score_override,
        tags.c.tags,
        _week_ago_score(as_of),
    ).outerjoin(tags, tags.c.customer_id == c.id)
    if manager:
        stmt = stmt.where(c.manager == manager)
    if first is not None:  # the first screenful of live customers by name
        wanted = select(c.id).where(c.deleted_at.is_(None)).order_by(c.name).limit(first)
        stmt = stmt.where(c.id.in_(wanted.where(c.manager == manager) if manager else wanted))
    return stmt


def _score(
    cols: list[tuple[Any, ...]],
    days: list[int | None],
    config: ScoringConfig,
    weights_for: WeightsFor,
) -> tuple[FloatArray, FloatArray]:
    """Unrounded scores (NaN = unscored) and coverage; manual overrides win."""
    profiles, logins, adoption, tickets, nps, csat, growth, override = cols
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
    manual = float_column(override)
    return np.where(np.isnan(manual), scores, manual), coverage


def _bands(scores: FloatArray, config: ScoringConfig) -> list[str]:
    t = config.bands
    with np.errstate(invalid="ignore"):
        shown = np.floor(scores + 0.5)
        bands = np.select(
            [
                np.isnan(shown),
                shown >= t.expansion,
                shown >= t.healthy,
                shown >= t.watch,
                shown >= t.at_risk,
            ],
            [UNSCORED, "expansion", "healthy", "watch", "at_risk"],
            "critical",
        )
    return [str(b) for b in bands.tolist()]


def load_rows(
    session: Session,
    as_of: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    manager: str | None = None,
    first: int | None = None,
) -> list[CustomerRow]:
    """Every customer (live and trashed) as a CustomerRow, ordered by name; with `first`,
    only the first that many live ones (what a table shows before it has everything)."""
    dialect = session.get_bind().dialect.name
    # Core execution on the session's connection: no ORM row wrapping for 100k rows.
    # Sorting here beats SQLite's ORDER BY on wide rows (a temp B-tree); same order.
    rows = sorted(
        session.connection().execute(_query(dialect, as_of, manager, first)), key=itemgetter(1)
    )
    if not rows:
        return []
    today = as_of.toordinal()
    cols = list(zip(*rows, strict=True))
    days = [None if d is None else max(0, today - d) for d in _ordinals(cols[8])]
    renewal = [None if d is None else d - today for d in _ordinals(cols[7])]
    scores, coverage = _score(cols[10:18], days, config, weights_for)
    week_ago = float_column(cols[19])
    momentum = scores - week_ago
    derived_cols = _derived(cols, scores, momentum, days, renewal, config)
    score_list = _optional(scores)
    return [
        CustomerRow._make(values)
        for values in zip(
            cols[0],
            cols[1],
            cols[2],
            cols[3],
            cols[4],
            cols[5],
            cols[6],
            [None if v is None else str(v)[:10] for v in cols[7]],
            renewal,
            days,
            _split_tags(cols[18]),
            score_list,
            [None if v is None else int(v + 0.5) for v in score_list],
            _bands(scores, config),
            coverage.tolist(),
            [o is not None for o in cols[17]],
            _optional(momentum),
            *derived_cols,
            cols[9],
            strict=True,
        )
    ]


def _ordinals(values: Sequence[object]) -> list[int | None]:
    """Day numbers of many dates; a portfolio has few distinct ones, so parse each once."""
    lookup = {v: _ordinal(v) for v in set(values)}
    return [lookup[v] for v in values]


def _split_tags(values: Sequence[str | None]) -> list[tuple[str, ...]]:
    """'a|b' -> ('a', 'b'), parsed once per distinct combination (and shared)."""
    lookup = {v: tuple(v.split("|")) if v else () for v in set(values)}
    return [lookup[v] for v in values]


def _optional(values: FloatArray) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def _derived(
    cols: list[tuple[Any, ...]],
    scores: FloatArray,
    momentum: FloatArray,
    days: list[int | None],
    renewal: list[int | None],
    config: ScoringConfig,
) -> tuple[list[str], list[str], list[float]]:
    """Cadence status, renewal window and priority for all rows (derived.py, vectorised)."""
    day_arr, until = float_column(days), float_column(renewal)
    tiers = np.array([t if t in config.cadence else "mid" for t in cols[4]], dtype=object)
    due = np.array([config.cadence[t].due_soon for t in tiers.tolist()], dtype=float)
    overdue = np.array([config.cadence[t].overdue for t in tiers.tolist()], dtype=float)
    cadence = np.select(
        [np.isnan(day_arr), day_arr >= overdue, day_arr >= due],
        ["unknown", "overdue", "due_soon"],
        "ok",
    )
    w = config.renewal
    window = np.select(
        [np.isnan(until), until < 0, until <= w.critical, until <= w.warning, until <= w.upcoming],
        ["none", "lapsed", "critical", "warning", "upcoming"],
        "later",
    )
    return (
        [str(c) for c in cadence.tolist()],
        [str(x) for x in window.tolist()],
        _priority(cols, scores, momentum, until),
    )


def _priority(
    cols: list[tuple[Any, ...]], scores: FloatArray, momentum: FloatArray, until: FloatArray
) -> list[float]:
    """derived.priority_score over arrays; rounded per row exactly as it rounds."""
    risk = np.where(np.isnan(scores), 0.5, (100.0 - scores) / 100.0)
    mrr = np.array([0 if v is None else v for v in cols[3]], dtype=float)
    revenue = np.minimum(1.0, np.log10(1.0 + mrr / 100.0) / 5.0)
    with np.errstate(invalid="ignore"):
        renewal = np.where(
            np.isnan(until), 0.0, np.where(until < 0, 1.0, np.maximum(0.0, 1.0 - until / 180.0))
        )
        decline = np.where(
            np.isnan(momentum), 0.0, np.minimum(1.0, np.maximum(0.0, -momentum / 20.0))
        )
    raw = 100.0 * (0.40 * risk + 0.25 * revenue + 0.20 * renewal + 0.15 * decline)
    return [
        0.0 if life == "churned" else round(v, 1)
        for v, life in zip(raw.tolist(), cols[5], strict=True)
    ]


class CustomerRowsService:
    """Reads the customers table's rows in one query (see module docstring)."""

    def __init__(self, db: Database, clock: Clock, config: ConfigService) -> None:
        self._db = db
        self._clock = clock
        self._config = config

    def rows(
        self, manager: str | None = None, as_of: dt.date | None = None, first: int | None = None
    ) -> list[CustomerRow]:
        """Live and trashed customers (trashed ones have `deleted_at`), by name.

        `first=N` returns only the first N live customers by name, fast at any size, so a
        table can paint at once and fill in the rest when the full read arrives.
        """
        with self._db.session() as s, _gc_paused():
            return load_rows(
                s,
                as_of or self._clock.today(),
                self._config.current(),
                self._config.weights_for,
                manager,
                first,
            )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while ~100k short-lived rows are built.

    Those rows hold no reference cycles, yet every few hundred allocations would trigger
    a collection that walks all of them; pausing it cut the load by a fifth to a third.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
