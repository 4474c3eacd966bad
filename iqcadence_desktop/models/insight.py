"""Custom fields kept from imports, and the stored versions of the churn model."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from iqcadence_desktop.models.base import Base


class CustomField(Base):
    """A typed column a user chose to keep: number, text, yes/no, date or choice."""

    __tablename__ = "custom_fields"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    choices: Mapped[list[str] | None] = mapped_column(JSON)
    in_model: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CustomFieldValue(Base):
    """One customer's value of one custom field, stored as canonical text."""

    __tablename__ = "custom_field_values"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    field_id: Mapped[int] = mapped_column(
        ForeignKey("custom_fields.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_custom_field_values_field", "field_id"),)


class ChurnModelVersion(Base):
    """One fitted churn model (or the prior it fell back to), with how it was made.

    `payload` holds the model itself (JSON), its features, sample counts and metrics;
    the newest row is in force. Rows are never changed, only added.
    """

    __tablename__ = "churn_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str | None] = mapped_column(String(200))
    horizon_days: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(12))
    training_rows: Mapped[int] = mapped_column(Integer)
    churned: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
