"""Score history: one compact row per customer per day, plus a per-day rollup.

Days are stored as integer day numbers (`date.toordinal()`), keyed by (customer, day),
so a year of history for 100k customers stays small and a customer's history is one
range scan. `PortfolioDaily` is written at snapshot time so trend charts never scan the
snapshot table.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from iqcadence_desktop.models.base import Base


class ScoreSnapshot(Base):
    """A customer's signals, score and band at the end of one day (last write wins)."""

    __tablename__ = "score_snapshots"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10))
    coverage: Mapped[float] = mapped_column(Float)
    logins_30d: Mapped[int | None] = mapped_column(Integer)
    feature_adoption_pct: Mapped[float | None] = mapped_column(Float)
    open_tickets: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    csat: Mapped[int | None] = mapped_column(Integer)
    days_since_contact: Mapped[int | None] = mapped_column(Integer)
    growth_signal: Mapped[str | None] = mapped_column(String(8))
    mrr_cents: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_score_snapshots_day_score", "day", "score"),
        {"sqlite_with_rowid": False},
    )


#: Sums of money over a whole portfolio pass 2^31 cents ($21M) at a few thousand accounts:
#: 64-bit on PostgreSQL (SQLite's INTEGER already is).
BigMoney = BigInteger().with_variant(Integer(), "sqlite")


class PortfolioDaily(Base):
    """Per-day totals, for the whole portfolio (manager '') and per manager."""

    __tablename__ = "portfolio_daily"

    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    manager: Mapped[str] = mapped_column(String(120), primary_key=True)
    customers: Mapped[int] = mapped_column(Integer)
    scored: Mapped[int] = mapped_column(Integer)
    avg_score: Mapped[float | None] = mapped_column(Float)
    mrr_cents: Mapped[int] = mapped_column(BigMoney)
    at_risk_mrr_cents: Mapped[int] = mapped_column(BigMoney)
    n_critical: Mapped[int] = mapped_column(Integer)
    n_at_risk: Mapped[int] = mapped_column(Integer)
    n_watch: Mapped[int] = mapped_column(Integer)
    n_healthy: Mapped[int] = mapped_column(Integer)
    n_expansion: Mapped[int] = mapped_column(Integer)
    avg_logins: Mapped[float | None] = mapped_column(Float)
    avg_adoption: Mapped[float | None] = mapped_column(Float)
    avg_tickets: Mapped[float | None] = mapped_column(Float)
    avg_nps: Mapped[float | None] = mapped_column(Float)
    avg_csat: Mapped[float | None] = mapped_column(Float)

    __table_args__ = ({"sqlite_with_rowid": False},)
