"""Portfolio-level figures: totals, band counts, revenue at risk, daily trend."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from iqcadence_desktop.models import PortfolioDaily
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers import CustomerService
from iqcadence_desktop.services.scoring import (
    ALL_MANAGERS,
    expansion_estimate_cents,
    is_at_risk,
    rollup_rows,
)
from iqcadence_desktop.services.system import Clock
from iqcadence_desktop.services.team import Scope


@dataclass(frozen=True)
class PortfolioSummary:
    """The headline numbers of a portfolio (or one manager's book) as of a day."""

    as_of: dt.date
    customers: int
    scored: int
    average_score: float | None
    band_counts: dict[str, int]
    mrr_cents: int
    revenue_at_risk_cents: int
    expansion_estimate_cents: int


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

    def summary(self, manager: str | None = None, as_of: dt.date | None = None) -> PortfolioSummary:
        """Totals over live, not-churned accounts, scored as of the day (decay included)."""
        day = as_of or self._clock.today()
        rows = [r for r in self._customers.book(manager, day) if r.lifecycle != "churned"]
        scored = [r.score for r in rows if r.score is not None]
        config = self._customers.config()
        return PortfolioSummary(
            day,
            len(rows),
            len(scored),
            sum(scored) / len(scored) if scored else None,
            dict(Counter(r.status for r in rows)),
            sum(r.mrr_cents or 0 for r in rows),
            sum(r.mrr_cents or 0 for r in rows if is_at_risk(r.status)),
            sum(expansion_estimate_cents(r.status, r.mrr_cents, config) for r in rows),
        )

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
