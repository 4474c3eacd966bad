"""Alert bookkeeping: what the app remembers about derived alerts.

Alerts themselves are derived from each customer's state as of a day and never stored.
What is stored is the smallest state that derivation cannot recompute:

* `AlertState`, one row per alert id ("<customer_id>:<category>:<rule>"): whether the
  condition held when last evaluated, since which day (the start of the episode), the day
  it last cleared (hysteresis: a cleared condition re-raises only past a margin), and the
  user's actions on the current episode (snoozed until a day, dismissed).
* `AlertOutcome`, one row per marked episode: acted on / false alarm / too early, which
  feeds each rule's hit rate.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from iqcadence_desktop.models.base import Base


class AlertState(Base):
    """The remembered state of one alert id (days are date ordinals)."""

    __tablename__ = "alert_states"

    alert_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("customers.id", ondelete="CASCADE")
    )
    category: Mapped[str] = mapped_column(String(30))
    rule: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean)
    since_day: Mapped[int] = mapped_column(Integer)
    seen_day: Mapped[int] = mapped_column(Integer)
    cleared_day: Mapped[int | None] = mapped_column(Integer)
    snoozed_until: Mapped[int | None] = mapped_column(Integer)
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_alert_states_customer", "customer_id"),)


class AlertOutcome(Base):
    """A user's verdict on one episode of an alert (kept after the alert clears)."""

    __tablename__ = "alert_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[str] = mapped_column(String(80))
    since_day: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(30))
    rule: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))
    marked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("alert_id", "since_day", name="uq_alert_outcomes_episode"),
        Index("ix_alert_outcomes_rule", "rule"),
    )
