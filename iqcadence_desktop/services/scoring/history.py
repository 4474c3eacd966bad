"""What the signal-model factors read from history: earlier snapshots, renewal, sentiment.

One query per call: each account's row joined (by primary key) to its newest snapshot
7-14 days back and its newest snapshot 30-37 days back, plus a small read of the
sentiment log. Nothing is read when no factor is switched on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import String, and_, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from iqcadence_desktop.models import Customer, ScoreSnapshot, SentimentEntry
from iqcadence_desktop.services.scoring.config import ScoringConfig
from iqcadence_desktop.services.scoring.engine import FloatArray
from iqcadence_desktop.services.scoring.factors import SENTIMENT_LEVEL, enabled_factors

WEEK_DAYS = 7
MONTH_DAYS = 30
#: How far before the exact day an earlier snapshot may be (days the app was not opened).
SLACK_DAYS = 7
SENTIMENT_WINDOW_DAYS = 180
#: Above this many ids, read every account and pick (SQLite caps bound variables).
MAX_IN = 900
NAN = float("nan")
#: Week-ago snapshot columns, named as the engine's signals.
WEEK_SIGNALS = ("logins", "adoption", "tickets", "nps", "csat", "days", "growth")


@dataclass(frozen=True)
class FactorHistory:
    """Per account (in the order asked for): the week-ago snapshot's signals, the
    month-ago logins and tickets, days to renewal and the last two sentiments."""

    week: dict[str, list[Any]]
    logins_then: FloatArray
    tickets_then: FloatArray
    renewal_days: FloatArray
    sentiment_last: FloatArray
    sentiment_before: FloatArray


def _snapshot_join(end: int) -> tuple[Any, Any]:
    snap = aliased(ScoreSnapshot)
    newest = (
        select(func.max(ScoreSnapshot.day))
        .where(
            ScoreSnapshot.customer_id == Customer.id,
            ScoreSnapshot.day.between(end - SLACK_DAYS, end),
        )
        .correlate(Customer)
        .scalar_subquery()
    )
    return snap, and_(snap.customer_id == Customer.id, snap.day == newest)


def _query(as_of: dt.date) -> Any:
    today = as_of.toordinal()
    week, on_week = _snapshot_join(today - WEEK_DAYS)
    month, on_month = _snapshot_join(today - MONTH_DAYS)
    return (
        select(
            Customer.id,
            type_coerce(Customer.renewal_date, String),
            week.logins_30d,
            week.feature_adoption_pct,
            week.open_tickets,
            week.nps,
            week.csat,
            week.days_since_contact,
            week.growth_signal,
            month.logins_30d,
            month.open_tickets,
        )
        .select_from(Customer)
        .outerjoin(week, on_week)
        .outerjoin(month, on_month)
    )


def _rows(session: Session, stmt: Any, ids: Sequence[int]) -> dict[int, Any]:
    if len(ids) > MAX_IN:
        wanted = set(ids)
        return {r[0]: r for r in session.connection().execute(stmt) if r[0] in wanted}
    found: dict[int, Any] = {}
    for start in range(0, len(ids), MAX_IN):
        part = list(ids[start : start + MAX_IN])
        for r in session.connection().execute(stmt.where(Customer.id.in_(part))):
            found[r[0]] = r
    return found


def _sentiments(session: Session, ids: Sequence[int], as_of: dt.date) -> dict[int, list[str]]:
    """The last two sentiment readings of each account (oldest first), within the window."""
    stmt = (
        select(SentimentEntry.customer_id, SentimentEntry.sentiment)
        .where(SentimentEntry.day.between(as_of - dt.timedelta(SENTIMENT_WINDOW_DAYS), as_of))
        .order_by(SentimentEntry.customer_id, SentimentEntry.day, SentimentEntry.id)
    )
    wanted = set(ids)
    if len(wanted) <= MAX_IN:  # a few accounts: let the index pick their rows
        stmt = stmt.where(SentimentEntry.customer_id.in_(list(wanted)))
    out: dict[int, list[str]] = {}
    for cid, sentiment in session.execute(stmt):
        if cid in wanted:
            out.setdefault(cid, []).append(sentiment)
    return {cid: values[-2:] for cid, values in out.items()}


def _level(values: list[str] | None, index: int) -> float:
    if not values or len(values) < 2:
        return NAN
    return SENTIMENT_LEVEL.get(values[index], NAN)


def _days_to(text: str | None, today: int) -> float:
    if text is None:
        return NAN
    return float(dt.date.fromisoformat(str(text)[:10]).toordinal() - today)


def blank_history(renewal: dt.date | None, as_of: dt.date) -> FactorHistory:
    """History of an account that has none yet (an unsaved form): only its renewal."""
    nan = np.array([NAN])
    return FactorHistory(
        week=dict.fromkeys(WEEK_SIGNALS, [None]),
        logins_then=nan,
        tickets_then=nan,
        renewal_days=np.array([NAN if renewal is None else float((renewal - as_of).days)]),
        sentiment_last=nan,
        sentiment_before=nan,
    )


def load_factor_history(
    session: Session,
    ids: Sequence[int],
    as_of: dt.date,
    config: ScoringConfig,
    always: bool = False,
) -> FactorHistory | None:
    """What the switched-on factors need for these accounts; None when all are off
    (unless `always`: the churn model reads the same history)."""
    if not ids or not (always or enabled_factors(config.factors)):
        return None
    rows = _rows(session, _query(as_of), ids)
    moods = _sentiments(session, ids, as_of)
    today = as_of.toordinal()
    empty = (None,) * 11
    ordered = [rows.get(i, empty) for i in ids]
    columns = list(zip(*ordered, strict=True))

    def floats(k: int) -> FloatArray:
        return np.array([NAN if v is None else float(v) for v in columns[k]], dtype=float)

    return FactorHistory(
        week={name: list(columns[2 + k]) for k, name in enumerate(WEEK_SIGNALS)},
        logins_then=floats(9),
        tickets_then=floats(10),
        renewal_days=np.array([_days_to(t, today) for t in columns[1]], dtype=float),
        sentiment_last=np.array([_level(moods.get(i), -1) for i in ids], dtype=float),
        sentiment_before=np.array([_level(moods.get(i), 0) for i in ids], dtype=float),
    )
