"""Portfolio-level figures: the headlines as of a day, and the daily trend (rollup)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from iqcadence_desktop.models import PortfolioDaily
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers import CustomerFilter, CustomerService
from iqcadence_desktop.services.portfolio.headlines import (
    LEFT_PORTFOLIO,
    Headlines,
    portfolio_headlines,
)
from iqcadence_desktop.services.scoring import ALL_MANAGERS
from iqcadence_desktop.services.system import Clock


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

    def __init__(self, db: Database, clock: Clock, customers: CustomerService) -> None:
        self._db = db
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
            return [
                DailyPoint(
                    dt.date.fromordinal(r.day),
                    r.customers,
                    r.avg_score,
                    r.mrr_cents,
                    r.at_risk_mrr_cents,
                    {
                        "critical": r.n_critical,
                        "at_risk": r.n_at_risk,
                        "watch": r.n_watch,
                        "healthy": r.n_healthy,
                        "expansion": r.n_expansion,
                    },
                )
                for r in s.scalars(stmt)
            ]

    def score_changes(self, days: int, as_of: dt.date | None = None) -> dict[str, ScoreChange]:
        """Each manager's (and the whole portfolio's, key "") earliest average score in the
        last `days` days: the base a "7-day change" is measured from, using the history
        there is when there is less of it."""
        end = (as_of or self._clock.today()).toordinal()
        stmt = (
            select(PortfolioDaily.manager, PortfolioDaily.day, PortfolioDaily.avg_score)
            .where(
                PortfolioDaily.day >= end - days,
                PortfolioDaily.day < end,
                PortfolioDaily.avg_score.is_not(None),
            )
            .order_by(PortfolioDaily.day.desc())
        )
        found: dict[str, ScoreChange] = {}
        with self._db.session() as s:
            for manager, day, avg in s.execute(stmt):
                if avg is not None:
                    found[manager] = ScoreChange(float(avg), end - day)  # oldest wins
        return found
