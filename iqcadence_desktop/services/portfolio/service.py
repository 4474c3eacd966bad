"""Portfolio-level figures: the headlines as of a day, and the daily trend (rollup)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from iqcadence_desktop.models import PortfolioDaily
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers import CustomerFilter, CustomerService
from iqcadence_desktop.services.portfolio.headlines import (
    LEFT_PORTFOLIO,
    Headlines,
    portfolio_headlines,
)
from iqcadence_desktop.services.scoring import ALL_MANAGERS, rollup_rows
from iqcadence_desktop.services.system import Clock
from iqcadence_desktop.services.team import Scope


@dataclass(frozen=True)
class ScoreChange:
    """An earlier average score and how many days before the as-of day it was stored."""

    base_score: float
    days: int


@dataclass(frozen=True)
class DailyPoint:
    """One day of the rollup."""

    day: dt.date
    customers: int
    average_score: float | None
    mrr_cents: int
    at_risk_mrr_cents: int
    band_counts: dict[str, int]


class PortfolioService:
    """Aggregates over customers, and the per-day rollup for trends."""

    def __init__(
        self, db: Database, clock: Clock, customers: CustomerService, scope: Scope
    ) -> None:
        self._db = db
        self._scope = scope
        self._clock = clock
        self._customers = customers

    def headlines(self, manager: str | None = None, as_of: dt.date | None = None) -> Headlines:
        """The headline numbers (defined once in headlines.py) as of a day."""
        day = as_of or self._clock.today()
        rows = self._customers.list_customers(CustomerFilter(manager=manager), day)
        return portfolio_headlines(rows, self._customers.config(), day, manager)

    def band_counts(
        self, manager: str | None = None, as_of: dt.date | None = None
    ) -> dict[str, int]:
        """Accounts per band over the portfolio (as the headlines count them), from the
        cheap book read: fast enough for a page refresh at 100k accounts."""
        book = self._customers.book(manager, as_of or self._clock.today())
        return dict(Counter(r.status for r in book if r.lifecycle not in LEFT_PORTFOLIO))

    def daily(
        self, days: int, manager: str | None = None, as_of: dt.date | None = None
    ) -> list[DailyPoint]:
        """The rollup for the last `days` days, oldest first (only days with data)."""
        end = (as_of or self._clock.today()).toordinal()
        key = ALL_MANAGERS if manager is None else manager
        if self._scope.client_ids() is not None:
            return self._scoped_daily(end - days + 1, end, key)
        stmt = (
            select(PortfolioDaily)
            .where(
                PortfolioDaily.manager == key,
                PortfolioDaily.day > end - days,
                PortfolioDaily.day <= end,
            )
            .order_by(PortfolioDaily.day)
        )
        with self._db.session() as s:
            return [_point(r.__dict__) for r in s.scalars(stmt)]

    def score_changes(self, days: int, as_of: dt.date | None = None) -> dict[str, ScoreChange]:
        """Each manager's (and the whole portfolio's, key "") earliest average score in the
        last `days` days: the base a "7-day change" is measured from, using the history
        there is when there is less of it."""
        end = (as_of or self._clock.today()).toordinal()
        found: dict[str, ScoreChange] = {}
        for manager, day, avg in self._averages(end - days, end - 1):
            if avg is not None:
                found[manager] = ScoreChange(float(avg), end - day)  # oldest wins
        return found

    def _averages(self, first: int, last: int) -> list[tuple[str, int, float | None]]:
        """(manager, day, average score) newest first: the stored rollup, or the user's
        clients' own when the scope is narrower than the database."""
        with self._db.session() as s:
            if self._scope.client_ids() is not None:
                rows = rollup_rows(s, first, last, self._scope)
                found = [(r["manager"], r["day"], r["avg_score"]) for r in rows]
                return sorted(found, key=lambda r: r[1], reverse=True)
            stmt = (
                select(PortfolioDaily.manager, PortfolioDaily.day, PortfolioDaily.avg_score)
                .where(PortfolioDaily.day >= first, PortfolioDaily.day <= last)
                .order_by(PortfolioDaily.day.desc())
            )
            return [(m, d, a) for m, d, a in s.execute(stmt)]

    def _scoped_daily(self, first: int, last: int, key: str) -> list[DailyPoint]:
        """The rollup of only the user's clients, computed from their snapshots (the
        stored rollup covers every client)."""
        with self._db.session() as s:
            rows = rollup_rows(s, first, last, self._scope)
        return sorted((_point(r) for r in rows if r["manager"] == key), key=lambda p: p.day)


def _point(r: dict[str, Any]) -> DailyPoint:
    return DailyPoint(
        dt.date.fromordinal(r["day"]),
        r["customers"],
        r["avg_score"],
        r["mrr_cents"],
        r["at_risk_mrr_cents"],
        {b: r[f"n_{b}"] for b in ("critical", "at_risk", "watch", "healthy", "expansion")},
    )
