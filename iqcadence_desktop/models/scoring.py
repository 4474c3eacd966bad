"""Scoring configuration versions, scoring profiles and small app settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from iqcadence_desktop.models.base import Base


class ConfigVersion(Base):
    """One saved version of a configuration section; the newest per kind is in force.

    `kind` is "scoring" for the weights/thresholds/windows document or "profile:<id>"
    for a scoring profile; `payload` is the whole section as JSON.
    """

    __tablename__ = "config_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    # 1, 2, 3 ... per kind: two saves made from the same version cannot both land.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("kind", "version", name="uq_config_versions_kind_version"),)


class ScoringProfile(Base):
    """A named set of weights that overrides the global weights for its customers."""

    __tablename__ = "scoring_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    weights: Mapped[dict[str, float]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AppSetting(Base):
    """A small key/value setting kept with the data (branding, local user, ...)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Optimistic locking (see SettingsService.set_many) and who saved it last.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str | None] = mapped_column(String(200))

    __mapper_args__ = {"version_id_col": version}


class ProfileRule(Base):
    """Accounts whose `field` equals `value` get a profile (first rule by position wins).

    `field` is "tier", "manager", "lifecycle" or "tag". A profile assigned by hand wins over
    every rule.
    """

    __tablename__ = "profile_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(200))
    profile_id: Mapped[int] = mapped_column(ForeignKey("scoring_profiles.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
