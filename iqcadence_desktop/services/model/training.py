"""The portfolio's own churn history as training rows for a horizon of H days.

Windows of H days end today, one after the other back in time (at most MAX_WINDOWS):
window k starts on r = today − H·(k+1). Every account with a snapshot on r (or a few
days before) was there at the start; it is a positive when it churned within the
window, a negative when it was still there at its end. A positive carries the signals
it had H days before it churned when the history reaches back that far, else those at
the window's start; a negative carries those at the window's start. Signals are only
taken from days with at least TREND_DAYS of history before them, so every row has its
30-day trends (rows from the start of the history would otherwise stand out by their
missing trends alone): the history must cover H + TREND_DAYS days. Each account and
window gives one row, so the share of positives is the portfolio's churn rate over H
days and the model's probabilities read as "chance of churning within H days".

When an account churned comes from the audit log (the newest change of its lifecycle
to churned); without one, from the last time the account was changed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from iqcadence_desktop.models import AuditEntry, Customer, ScoreSnapshot, SentimentEntry
from iqcadence_desktop.services.customers import CustomFieldDTO, load_custom_values
from iqcadence_desktop.services.model.features import AccountState, change

MAX_WINDOWS = 4
#: History needed before a day for its trend features (logins and tickets over 30 days).
TREND_DAYS = 30
#: A snapshot up to this many days before the day asked for stands in for it.
SLACK_DAYS = 7
#: Above this many rows, negatives are sampled (and the intercept corrected for it).
MAX_ROWS = 150_000
_SNAP = (
    ScoreSnapshot.customer_id,
    ScoreSnapshot.day,
    ScoreSnapshot.score,
    ScoreSnapshot.status,
    ScoreSnapshot.logins_30d,
    ScoreSnapshot.feature_adoption_pct,
    ScoreSnapshot.open_tickets,
    ScoreSnapshot.nps,
    ScoreSnapshot.csat,
    ScoreSnapshot.days_since_contact,
    ScoreSnapshot.growth_signal,
    ScoreSnapshot.mrr_cents,
)


@dataclass(frozen=True)
class TrainingRow:
    """One account at the start of one window, and what happened within it."""

    customer_id: int
    day: dt.date
    churned: bool
    exact: bool  # a positive seen exactly H days before it churned
    state: AccountState
    score: float | None
    status: str


@dataclass
class TrainingSet:
    """The rows and what it took to build them."""

    horizon: int
    rows: list[TrainingRow] = field(default_factory=list)
    churned_accounts: int = 0
    first_day: dt.date | None = None
    windows: int = 0
    negatives_kept: float = 1.0

    @property
    def positives(self) -> int:
        return sum(r.churned for r in self.rows)

    @property
    def labels(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        return np.array([float(r.churned) for r in self.rows])


def churn_days(session: Session) -> dict[int, dt.date]:
    """The day each churned (live) account churned."""
    accounts = dict(
        session.execute(
            select(Customer.id, Customer.updated_at).where(
                Customer.lifecycle == "churned", Customer.deleted_at.is_(None)
            )
        ).all()
    )
    found: dict[int, dt.date] = {}
    stmt = select(AuditEntry.customer_id, AuditEntry.at, AuditEntry.summary, AuditEntry.details)
    stmt = stmt.where(AuditEntry.action.in_(("customer_updated", "customer_created")))
    for cid, at, summary, details in session.execute(stmt.order_by(AuditEntry.at)):
        if cid in accounts and _became_churned(summary, details):
            found[cid] = at.date()
    return {cid: found.get(cid, stamp.date()) for cid, stamp in accounts.items()}


def _became_churned(summary: str, details: object) -> bool:
    changes = details.get("changes") if isinstance(details, dict) else None
    if isinstance(changes, dict) and changes.get("lifecycle") == "churned":
        return True
    return summary.startswith("Lifecycle of ") and summary.endswith("→ churned")


def _first_day(session: Session) -> dt.date | None:
    first = session.scalar(select(func.min(ScoreSnapshot.day)))
    return None if first is None else dt.date.fromordinal(int(first))


def _snapshots_on(session: Session, day: dt.date) -> dict[int, Any]:
    """The newest snapshot on or up to SLACK_DAYS before `day`, per account (the newest
    day per account is found in SQL, then its row is read by primary key)."""
    end = day.toordinal()
    newest = (
        select(ScoreSnapshot.customer_id.label("cid"), func.max(ScoreSnapshot.day).label("day"))
        .where(ScoreSnapshot.day.between(end - SLACK_DAYS, end))
        .group_by(ScoreSnapshot.customer_id)
        .subquery()
    )
    stmt = select(*_SNAP).join(
        newest,
        (ScoreSnapshot.customer_id == newest.c.cid) & (ScoreSnapshot.day == newest.c.day),
    )
    return {row[0]: row for row in session.execute(stmt)}


def _snapshot_of(session: Session, cid: int, day: dt.date) -> Any:
    end = day.toordinal()
    return session.execute(
        select(*_SNAP)
        .where(ScoreSnapshot.customer_id == cid, ScoreSnapshot.day.between(end - SLACK_DAYS, end))
        .order_by(ScoreSnapshot.day.desc())
        .limit(1)
    ).first()


class _Accounts:
    """What does not change with the day: tier, start date, sentiment log, custom values."""

    def __init__(self, session: Session, fields: Sequence[CustomFieldDTO]) -> None:
        rows = session.execute(
            select(
                Customer.id,
                Customer.tier,
                type_coerce(Customer.customer_since, String),
                type_coerce(Customer.created_at, String),
            ).where(Customer.deleted_at.is_(None))
        ).all()
        self.ids = [r[0] for r in rows]
        self.tier = {r[0]: r[1] for r in rows}
        self.since = {r[0]: dt.date.fromisoformat(str(r[2] or r[3])[:10]) for r in rows}
        custom = load_custom_values(session, self.ids) if fields else None
        self.custom = dict(zip(self.ids, custom, strict=True)) if custom else {}
        self.moods: dict[int, tuple[list[int], list[str]]] = {}
        stmt = select(SentimentEntry.customer_id, SentimentEntry.day, SentimentEntry.sentiment)
        for cid, day, mood in session.execute(stmt.order_by(SentimentEntry.day, SentimentEntry.id)):
            days, values = self.moods.setdefault(cid, ([], []))
            days.append(day.toordinal())
            values.append(mood)

    def sentiment(self, cid: int, day: dt.date) -> str | None:
        found = self.moods.get(cid)
        if not found:
            return None
        at = bisect.bisect_right(found[0], day.toordinal())
        return found[1][at - 1] if at else None


def _state(
    snap: Any, week: Any, month: Any, accounts: _Accounts, cid: int, day: dt.date
) -> AccountState:
    since = accounts.since.get(cid)
    return AccountState(
        logins=snap[4],
        adoption=snap[5],
        tickets=snap[6],
        nps=snap[7],
        csat=snap[8],
        days_quiet=snap[9],
        growth=snap[10],
        mrr=None if snap[11] is None else snap[11] / 100,
        logins_change=change(snap[4], None if month is None else month[4]),
        tickets_change=change(snap[6], None if month is None else month[6]),
        score_change=change(snap[2], None if week is None else week[2]),
        tier=accounts.tier.get(cid),
        tenure=None if since is None else float((day - since).days),
        sentiment=accounts.sentiment(cid, day),
        custom=accounts.custom.get(cid, {}),
    )


def _row(
    accounts: _Accounts, snap: Any, week: Any, month: Any, churned: bool, exact: bool
) -> TrainingRow:
    cid, day = snap[0], dt.date.fromordinal(snap[1])
    state = _state(snap, week, month, accounts, cid, day)
    return TrainingRow(cid, day, churned, exact, state, snap[2], snap[3])


def _early_row(session: Session, accounts: _Accounts, snap: Any) -> TrainingRow:
    """A positive seen H days before it churned: its own earlier snapshots."""
    cid, day = snap[0], dt.date.fromordinal(snap[1])
    week = _snapshot_of(session, cid, day - dt.timedelta(days=7))
    month = _snapshot_of(session, cid, day - dt.timedelta(days=30))
    return _row(accounts, snap, week, month, True, True)


def build_training_set(
    session: Session,
    today: dt.date,
    horizon: int,
    fields: Sequence[CustomFieldDTO],
    seed: int = 0,
) -> TrainingSet:
    """Rows for every window the history covers (see the module docstring)."""
    out = TrainingSet(horizon)
    churned = churn_days(session)
    out.churned_accounts = len(churned)
    out.first_day = _first_day(session)
    if out.first_day is None:
        return out
    accounts = _Accounts(session, fields)
    earliest = out.first_day + dt.timedelta(days=TREND_DAYS)
    for k in range(MAX_WINDOWS):
        start = today - dt.timedelta(days=horizon * (k + 1))
        if start < earliest:
            break
        out.windows += 1
        _window(session, accounts, churned, start, horizon, out, earliest)
    _sample_negatives(out, seed)
    return out


def _window(
    session: Session,
    accounts: _Accounts,
    churned: dict[int, dt.date],
    start: dt.date,
    horizon: int,
    out: TrainingSet,
    earliest: dt.date,
) -> None:
    end = start + dt.timedelta(days=horizon)
    present = _snapshots_on(session, start)
    week = _snapshots_on(session, start - dt.timedelta(days=7))
    month = _snapshots_on(session, start - dt.timedelta(days=30))
    for cid, snap in present.items():
        gone = churned.get(cid)
        if gone is not None and gone <= start:
            continue  # already churned when the window began
        early = None
        seen = None if gone is None else gone - dt.timedelta(days=horizon)
        if seen is not None and gone is not None and gone <= end and seen >= earliest:
            early = _snapshot_of(session, cid, seen)
        if early is not None:
            out.rows.append(_early_row(session, accounts, early))
        else:
            churns = gone is not None and gone <= end
            out.rows.append(_row(accounts, snap, week.get(cid), month.get(cid), churns, False))


def _sample_negatives(out: TrainingSet, seed: int) -> None:
    """Keep every positive and a random share of negatives when the set is huge."""
    if len(out.rows) <= MAX_ROWS:
        return
    positives = [r for r in out.rows if r.churned]
    negatives = [r for r in out.rows if not r.churned]
    keep = max(1, MAX_ROWS - len(positives))
    rng = np.random.default_rng(seed)
    chosen = sorted(rng.choice(len(negatives), size=keep, replace=False).tolist())
    out.negatives_kept = keep / len(negatives)
    out.rows = positives + [negatives[i] for i in chosen]
