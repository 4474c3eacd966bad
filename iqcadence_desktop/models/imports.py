"""Remembered CSV import mappings (S7): one per header signature."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from iqcadence_desktop.models.base import Base


class SavedMapping(Base):
    """How the columns of one kind of file map to customer fields.

    `signature` is a hash of the file's normalised header row, so the same export
    from the same CRM finds its mapping again; `mapping` is {column: field or null}.
    """

    __tablename__ = "saved_mappings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), unique=True)
    headers: Mapped[list[str]] = mapped_column(JSON)
    mapping: Mapped[dict[str, str | None]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
