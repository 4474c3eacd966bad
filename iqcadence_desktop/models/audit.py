"""The audit trail (S11)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from iqcadence_desktop.models.base import Base


class AuditEntry(Base):
    """Who changed what, when. The customer name is copied so purges keep history readable."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    customer_id: Mapped[int | None] = mapped_column(Integer)
    customer_name: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, object] | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_customer", "customer_id"),
        Index("ix_audit_entries_action", "action"),
    )
