"""Portfolio-level figures: totals, band counts, revenue at risk, daily trend."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from iqcadence_desktop.models import PortfolioDaily
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.clock import Clock
from iqcadence_desktop.services.customer_query import CustomerFilter
from iqcadence_desktop.services.customers import CustomerService
from iqcadence_desktop.services.derived import is_at_risk
from iqcadence_desktop.services.rescore import ALL_MANAGERS


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

    def __init__(self, db: Database, clock: Clock, customers: CustomerService) -> None:
        self._db = db
        self._clock = clock
        self._customers = customers

    def summary(self, manager: str | None = None, as_of: dt.date | None = None) -> PortfolioSummary:
        day = as_of or self._clock.today()
        rows = [c for c in self._customers.list_customers(CustomerFilter(manager=manager), day)
                if c.lifecycle != "churned"]
        scored = [c.score for c in rows if c.score is not None]
        return PortfolioSummary(
            day, len(rows), len(scored), sum(scored) / len(scored) if scored else None,
            dict(Counter(c.status for c in rows)), sum(c.mrr_cents or 0 for c in rows),
            sum(c.mrr_cents or 0 for c in rows if is_at_risk(c.status)),
            sum(c.expansion_estimate_cents for c in rows))

    def daily(self, days: int, manager: str | None = None,
              as_of: dt.date | None = None) -> list[DailyPoint]:
        """The rollup for the last `days` days, oldest first (only days with data)."""
        end = (as_of or self._clock.today()).toordinal()
        key = ALL_MANAGERS if manager is None else manager
        stmt = (select(PortfolioDaily).where(PortfolioDaily.manager == key,
                                             PortfolioDaily.day > end - days,
                                             PortfolioDaily.day <= end)
                .order_by(PortfolioDaily.day))
        with self._db.session() as s:
            return [DailyPoint(dt.date.fromordinal(r.day), r.customers, r.avg_score, r.mrr_cents,
                               r.at_risk_mrr_cents,
                               {"critical": r.n_critical, "at_risk": r.n_at_risk,
                                "watch": r.n_watch, "healthy": r.n_healthy,
                                "expansion": r.n_expansion})
                    for r in s.scalars(stmt)]
