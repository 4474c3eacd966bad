"""Integrations (S12): connected systems, their links to our customers, metric owners,
and the local API's keys.

Secrets never live here: tokens are in the keyring (or named environment variables), an
API key is kept only as its SHA-256 digest.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from iqcadence_desktop.models.base import Base


class Integration(Base):
    """One external system (hubspot, salesforce, stripe): its options and last sync.

    `options` holds the field mapping and switches (create new accounts, deal amounts,
    plan-name tiers, base URL); `token_env` names an environment variable that holds the
    token for headless use (the variable's name, never its value).
    """

    __tablename__ = "integrations"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    connected: Mapped[bool] = mapped_column(default=False)
    options: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    token_env: Mapped[str | None] = mapped_column(String(120))
    account_label: Mapped[str | None] = mapped_column(String(200))
    connected_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_status: Mapped[str | None] = mapped_column(String(10))
    last_result: Mapped[dict[str, object] | None] = mapped_column(JSON)


class IntegrationLink(Base):
    """An account in another system, tied to one of our customers.

    Keyed by (integration, external id) so a sync finds its customer again after a
    rename on either side; `currency` keeps the billing currency Stripe reported.
    """

    __tablename__ = "integration_links"

    integration: Mapped[str] = mapped_column(String(20), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    external_name: Mapped[str | None] = mapped_column(String(200))
    currency: Mapped[str | None] = mapped_column(String(3))
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_integration_links_customer", "customer_id"),)


class MetricOwner(Base):
    """Which integration owns a customer field; the others' values for it are ignored."""

    __tablename__ = "metric_owners"

    metric: Mapped[str] = mapped_column(String(20), primary_key=True)
    integration: Mapped[str] = mapped_column(String(20))


class ApiKey(Base):
    """A key for the local REST API, stored as a SHA-256 digest (the key is shown once)."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    digest: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
