"""CSM Performance (S5): each manager's book side by side, and one manager up close.

The leaderboard is one read of the live book plus one indexed read of the snapshots a
week ago; the close-up (accounts by urgency, focus areas from alerts, activity from the
audit log) is read only for the manager the user opens.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import AuditEntry, Customer, ScoreSnapshot
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.alerts import (
    CATEGORY_LABELS,
    SEVERITY_RANK,
    Alert,
    AlertService,
)
from iqcadence_desktop.services.analytics.book import Book, FloatArray, load_book
from iqcadence_desktop.services.analytics.fetch import RECORD, fetch_records
from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.scoring import BANDS, UNSCORED, ConfigService
from iqcadence_desktop.services.system import Clock
from iqcadence_desktop.services.team import Scope

UNASSIGNED = "Unassigned"
MOVEMENT_DAYS = 7
#: How far back to look for the week-ago snapshot day when that exact day is missing.
MOVEMENT_SLACK = 7
ACTIVITY = 40
URGENT = 200
#: What a category of alerts asks the manager to do (our words, one line each).
FOCUS_ADVICE: dict[str, str] = {
    "health": "Stabilise the accounts whose health has slipped into At Risk or Critical",
    "tickets": "Work down the support backlog with the accounts holding many open tickets",
    "engagement": "Re-engage accounts whose logins or feature adoption have dropped",
    "renewal": "Prepare the renewals coming up: confirm value and next steps",
    "quiet_accounts": "Get back in touch with accounts that have not heard from you",
    "momentum": "Look into the accounts whose score is moving fast",
    "sentiment": "Follow up where NPS or sentiment has turned negative",
    "expansion": "Open expansion conversations with the accounts ready to grow",
}


class CsmRow(NamedTuple):
    """One manager's book on the leaderboard."""

    manager: str | None
    label: str
    customers: int
    average_score: float | None
    band_counts: tuple[int, ...]  # BANDS order, then unscored
    mrr_cents: int
    movement: float | None  # change in the book's average score over 7 days
    at_risk: int


class Leaderboard(NamedTuple):
    """Every manager (or the one the filter picks) and the team's medians."""

    as_of: dt.date
    rows: tuple[CsmRow, ...]
    median_customers: float
    median_mrr_cents: float
    movement_days: int

    @property
    def empty(self) -> bool:
        return not self.rows


class FocusArea(NamedTuple):
    """A suggestion drawn from one category of a manager's active alerts."""

    category: str
    title: str
    advice: str
    alerts: int
    accounts: int
    mrr_cents: int
    severity: str
    customer_ids: tuple[int, ...]


class ActivityItem(NamedTuple):
    at: dt.datetime
    user: str
    action: str
    customer_id: int | None
    customer_name: str | None
    summary: str


class CsmDetail(NamedTuple):
    """One manager up close."""

    manager: str | None
    label: str
    accounts: tuple[CustomerDTO, ...]  # most urgent first
    focus: tuple[FocusArea, ...]
    activity: tuple[ActivityItem, ...]


class PerformanceService:
    """Leaderboard and per-manager detail of the scope's clients for the CSM Performance
    page."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        config: ConfigService,
        alerts: AlertService,
        scope: Scope,
    ) -> None:
        self._db, self._clock, self._config = db, clock, config
        self._alerts, self._scope = alerts, scope

    def leaderboard(self, manager: str | None = None, as_of: dt.date | None = None) -> Leaderboard:
        """Every manager of the scope's clients ranked by average health; with a manager
        filter only that row, while the medians stay those of every manager in scope (that
        is what a workload is weighed by)."""
        day = as_of or self._clock.today()
        config = self._config
        with self._db.session() as s:
            book = load_book(s, None, day, config.current(), config.weights_for, self._scope)
            week_ago = _week_ago(s, book, day, self._scope)
        rows = _rows(book, week_ago)
        median_n = statistics.median([r.customers for r in rows]) if rows else 0.0
        median_mrr = statistics.median([r.mrr_cents for r in rows]) if rows else 0.0
        if manager:
            rows = [r for r in rows if r.manager == manager]
        return Leaderboard(day, tuple(rows), float(median_n), float(median_mrr), MOVEMENT_DAYS)

    def detail(self, manager: str | None, as_of: dt.date | None = None) -> CsmDetail:
        """A manager's accounts by urgency, focus areas from their alerts, and activity,
        all in the scope's clients (the alert service reads through the same scope).
        `manager=None` means the accounts nobody manages."""
        day = as_of or self._clock.today()
        alerts, everyone = self._alerts.evaluate(day, manager, record=False)
        book = [c for c in everyone if c.manager == manager and c.lifecycle != "churned"]
        if manager is None:
            alerts = [a for a in alerts if a.manager is None]
        book.sort(key=lambda c: (-c.priority, c.name.lower()))
        return CsmDetail(
            manager,
            manager or UNASSIGNED,
            tuple(book[:URGENT]),
            focus_areas(alerts),
            tuple(self.activity(manager)),
        )

    def activity(self, manager: str | None, limit: int = ACTIVITY) -> list[ActivityItem]:
        """Recent audit entries about this manager's accounts or made by them, newest first;
        only those the scope may read (`Scope.audit_clause`)."""
        stmt = (
            select(AuditEntry)
            .outerjoin(Customer, Customer.id == AuditEntry.customer_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
        if manager is None:
            stmt = stmt.where(Customer.id.is_not(None), Customer.manager.is_(None))
        else:
            stmt = stmt.where(or_(Customer.manager == manager, AuditEntry.user == manager))
        if self._scope.client_ids() is not None:
            stmt = stmt.where(self._scope.audit_clause())
        with self._db.session() as s:
            return [
                ActivityItem(e.at, e.user, e.action, e.customer_id, e.customer_name, e.summary)
                for e in s.scalars(stmt)
            ]


def _week_ago(s: Session, book: Book, day: dt.date, scope: Scope) -> FloatArray:
    """Each account's score on the newest snapshot day 7-14 days back (NaN if none); the
    day is the scope's own (another client may have been snapshotted on other days)."""
    target = day.toordinal() - MOVEMENT_DAYS
    newest = select(func.max(ScoreSnapshot.day)).where(
        ScoreSnapshot.day.between(target - MOVEMENT_SLACK, target)
    )
    found = s.scalar(scope.keyed_by_customer(newest, ScoreSnapshot.customer_id))
    out = np.full(len(book), np.nan)
    if found is None:
        return out
    stmt = select(ScoreSnapshot.customer_id, ScoreSnapshot.day, ScoreSnapshot.score).where(
        ScoreSnapshot.day == found, ScoreSnapshot.score.is_not(None)
    )
    stmt = scope.keyed_by_customer(stmt, ScoreSnapshot.customer_id)
    records = fetch_records(s, stmt, RECORD)
    rows = book.index_of(records["customer_id"])
    keep = rows >= 0
    out[rows[keep]] = records["value"][keep]
    return out


def _rows(book: Book, week_ago: FloatArray) -> list[CsmRow]:
    by: dict[str | None, list[int]] = defaultdict(list)
    for i, (manager, lifecycle) in enumerate(zip(book.managers, book.lifecycles, strict=True)):
        if lifecycle != "churned":
            by[manager].append(i)
    rows = [_row(book, week_ago, m, np.asarray(ix, np.int64)) for m, ix in by.items()]
    rows.sort(key=lambda r: (r.average_score is None, -(r.average_score or 0), r.label.lower()))
    return rows


def _row(book: Book, week_ago: FloatArray, manager: str | None, ix: np.ndarray) -> CsmRow:
    scores, before = book.scores[ix], week_ago[ix]
    scored = ~np.isnan(scores)
    both = scored & ~np.isnan(before)
    statuses = [book.statuses[i] for i in ix.tolist()]
    return CsmRow(
        manager,
        manager or UNASSIGNED,
        len(ix),
        float(scores[scored].mean()) if scored.any() else None,
        tuple(statuses.count(b) for b in (*BANDS, UNSCORED)),
        int(book.mrr_cents[ix].sum()),
        float(scores[both].mean() - before[both].mean()) if both.any() else None,
        int(book.at_risk[ix].sum()),
    )


def focus_areas(alerts: Sequence[Alert]) -> tuple[FocusArea, ...]:
    """One suggestion per alert category with active alerts: the most serious first,
    then the one touching the most revenue."""
    by: dict[str, list[Alert]] = defaultdict(list)
    for a in alerts:
        if a.state == "active":
            by[a.category].append(a)
    areas = []
    for category, found in by.items():
        accounts = {a.customer_id: a.mrr_cents or 0 for a in found}
        worst = min(found, key=lambda a: SEVERITY_RANK[a.severity]).severity
        areas.append(
            FocusArea(
                category,
                CATEGORY_LABELS[category],
                FOCUS_ADVICE[category],
                len(found),
                len(accounts),
                sum(accounts.values()),
                worst,
                tuple(accounts),
            )
        )
    areas.sort(key=lambda f: (SEVERITY_RANK[f.severity], -f.mrr_cents, f.category))
    return tuple(areas)
