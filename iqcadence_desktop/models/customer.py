"""The customer account and what hangs off it (S1)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from iqcadence_desktop.models.base import Base
from iqcadence_desktop.models.team import DEFAULT_CLIENT_ID


class Customer(Base):
    """One account in the portfolio. Money is integer cents; dates are calendar dates.

    `score`, `status`, `coverage` and `scored_day` cache the last scoring so lists and
    aggregates can be answered in SQL; the scoring engine recomputes them as of any day.
    """

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The business this account belongs to (team mode scopes every query by it).
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), default=DEFAULT_CLIENT_ID)
    name: Mapped[str] = mapped_column(String(200))
    # Folded name (case and whitespace) for the uniqueness rule (unique per client).
    name_key: Mapped[str] = mapped_column(String(200))
    manager: Mapped[str | None] = mapped_column(String(120))
    # The account's id in another system (a CRM, billing, a spreadsheet): the first match
    # key on re-import. Unique when present (one client until team mode adds clients).
    external_id: Mapped[str | None] = mapped_column(String(200))
    mrr_cents: Mapped[int | None] = mapped_column(Integer)
    logins_30d: Mapped[int | None] = mapped_column(Integer)
    feature_adoption_pct: Mapped[float | None] = mapped_column(Float)
    open_tickets: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    csat: Mapped[int | None] = mapped_column(Integer)
    last_contact_date: Mapped[dt.date | None] = mapped_column(Date)
    renewal_date: Mapped[dt.date | None] = mapped_column(Date)
    growth_signal: Mapped[str | None] = mapped_column(String(8))
    tier: Mapped[str | None] = mapped_column(String(16))
    lifecycle: Mapped[str] = mapped_column(String(16), default="active")
    customer_since: Mapped[dt.date | None] = mapped_column(Date)
    next_touch: Mapped[dt.date | None] = mapped_column(Date)
    scoring_profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("scoring_profiles.id", ondelete="SET NULL")
    )
    # A profile chosen by hand wins over the profile rules (services/scoring/profile_rules).
    scoring_profile_manual: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    note: Mapped[str | None] = mapped_column(Text)
    sentiment: Mapped[str | None] = mapped_column(String(10))
    score_override: Mapped[float | None] = mapped_column(Float)
    # Why the score was set by hand, and the last day it holds (None: until new signals).
    score_override_reason: Mapped[str | None] = mapped_column(Text)
    score_override_until: Mapped[dt.date | None] = mapped_column(Date)
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="unscored")
    coverage: Mapped[float] = mapped_column(Float, default=0.0)
    scored_day: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Optimistic locking: every save bumps it; a save from an older read is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str | None] = mapped_column(String(200))

    tags: Mapped[list[CustomerTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CustomerTag.tag"
    )

    __table_args__ = (
        UniqueConstraint("client_id", "name_key", name="uq_customers_client_name"),
        Index("ix_customers_manager_status", "manager", "status", "mrr_cents"),
        Index("ix_customers_deleted_status", "deleted_at", "status"),
        # An id from another system is unique within one client (NULLs never collide).
        Index("ix_customers_client_external_id", "client_id", "external_id", unique=True),
        # The local API pages live customers in these orders (Zapier polls the newest
        # changes first).
        Index("ix_customers_live_updated", "deleted_at", "updated_at"),
        Index("ix_customers_live_created", "deleted_at", "created_at"),
        Index("ix_customers_live_name", "deleted_at", "name_key"),
        Index("ix_customers_live_mrr", "deleted_at", "mrr_cents"),
        Index("ix_customers_live_score", "deleted_at", "score"),
        # The Calendar's month ranges (migration 0008).
        Index("ix_customers_renewal_date", "renewal_date"),
        Index("ix_customers_next_touch", "next_touch"),
        Index("ix_customers_last_contact", "last_contact_date"),
    )
    # Every ORM flush checks and bumps `version` (UPDATE ... WHERE version = read one).
    __mapper_args__ = {"version_id_col": version}


class CustomerTag(Base):
    """A free-text label on a customer."""

    __tablename__ = "customer_tags"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)

    __table_args__ = (Index("ix_customer_tags_tag", "tag"),)


class Contact(Base):
    """A person at the customer."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(60))


class Note(Base):
    """A timestamped note on a customer."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SentimentEntry(Base):
    """One reading in a customer's sentiment log."""

    __tablename__ = "sentiment_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[dt.date] = mapped_column(Date)
    sentiment: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
