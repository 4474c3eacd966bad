"""Automations (S9, the scheduling half of S8): connections, alert rules, the events they
raise, the persistent outbox with every delivery attempt, report schedules and the lease
that keeps two runners from doing the same work.

Secrets (SMTP passwords, webhook signing secrets) are never stored here: a connection
names its key in the secret store, and optionally an environment variable to read it
from on headless machines.

Times are UTC, naive (as `Clock.now()` gives them); days are date ordinals.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from iqcadence_desktop.models.base import Base


class AutomationConnection(Base):
    """A saved destination: Slack or Teams webhook, SMTP email, or a signed custom webhook.

    `settings` holds the kind's non-secret options (SMTP host/port/security/user/sender,
    default recipients). `secret_env` names an environment variable that may supply the
    secret when the keyring has none (headless runs).
    """

    __tablename__ = "automation_connections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, object]] = mapped_column(JSON)
    secret_env: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AutomationRule(Base):
    """An alert rule: S9 event triggers or custom condition groups, scope, timing, channels.

    `state` is the set of (customer, trigger, token) keys that matched at the last
    evaluation, packed (delta-encoded int64, zlib, base64) so a 100k-account portfolio
    is compared in milliseconds; a rule fires only for keys that were not in it.
    `evaluated_day` / `evaluated_mark` (the newest audit entry id seen) tell the runner
    whether anything could have changed since; a new or edited rule has neither and its
    first evaluation only records the baseline.
    """

    __tablename__ = "automation_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # "event" or "custom"
    triggers: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    groups: Mapped[list[list[dict[str, object]]]] = mapped_column(JSON)
    manager: Mapped[str | None] = mapped_column(String(120))
    timing: Mapped[str] = mapped_column(String(10))  # realtime / daily / weekly
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str | None] = mapped_column(Text)
    evaluated_day: Mapped[int | None] = mapped_column(Integer)
    evaluated_mark: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AutomationRuleChannel(Base):
    """Which connections a rule delivers to."""

    __tablename__ = "automation_rule_channels"

    rule_id: Mapped[int] = mapped_column(
        ForeignKey("automation_rules.id", ondelete="CASCADE"), primary_key=True
    )
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("automation_connections.id", ondelete="CASCADE"), primary_key=True
    )


class AutomationEvent(Base):
    """One transition: a rule's condition started being true for a customer.

    Real-time rules put their messages in the outbox in the same transaction; digest
    rules leave the event waiting until `digest_due_at`, when one message collects the
    period's events (`digested` set in that transaction).
    """

    __tablename__ = "automation_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("automation_rules.id", ondelete="SET NULL")
    )
    rule_name: Mapped[str] = mapped_column(String(120))
    customer_id: Mapped[int] = mapped_column(Integer)
    customer_name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    digest_period: Mapped[str | None] = mapped_column(String(20))
    digest_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    digested: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_automation_events_digest", "digested", "digest_due_at"),
        Index("ix_automation_events_rule", "rule_id", "occurred_at"),
    )


class OutboxEntry(Base):
    """One message to one connection, waiting, being sent, sent or dead.

    `body` is the message already rendered for its channel (so every attempt sends the
    same thing); a report attachment is described in `body` and rendered when sent.
    `claimed_by` / `claimed_until` mark an entry a sender is working on: a claim is
    taken only from `pending`, so once `sent` is committed the entry is never sent again.
    """

    __tablename__ = "automation_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(80))
    connection_id: Mapped[int | None] = mapped_column(
        ForeignKey("automation_connections.id", ondelete="SET NULL")
    )
    connection_name: Mapped[str] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(10))  # event / digest / report / test
    rule_id: Mapped[int | None] = mapped_column(Integer)
    rule_name: Mapped[str | None] = mapped_column(String(120))
    customer_id: Mapped[int | None] = mapped_column(Integer)
    customer_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))  # pending / sending / sent / dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("event_id", "connection_id", name="uq_automation_outbox_event"),
        Index("ix_automation_outbox_due", "status", "next_attempt_at"),
        Index("ix_automation_outbox_connection", "connection_id", "status"),
    )


class DeliveryAttempt(Base):
    """One try at sending an outbox entry: when, what came back, and what happens next."""

    __tablename__ = "automation_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(
        ForeignKey("automation_outbox.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(10))  # sent / retry / dead
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    retry_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    duration_ms: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_automation_attempts_at", "at"),)


class ReportSchedule(Base):
    """A report emailed daily, weekly or monthly at a local time, through the outbox."""

    __tablename__ = "automation_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report: Mapped[str] = mapped_column(String(40))
    format: Mapped[str] = mapped_column(String(4))
    customer_id: Mapped[int | None] = mapped_column(Integer)
    manager: Mapped[str | None] = mapped_column(String(120))
    every: Mapped[str] = mapped_column(String(8))  # daily / weekly / monthly
    at_time: Mapped[str] = mapped_column(String(5))  # HH:MM, local
    day: Mapped[int | None] = mapped_column(Integer)  # weekday 0-6 or day of month 1-28
    recipients: Mapped[list[str]] = mapped_column(JSON)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("automation_connections.id", ondelete="CASCADE")
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    next_due_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_queued_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AutomationLease(Base):
    """Who may run due work now: one holder per name until `expires_at` (or its death)."""

    __tablename__ = "automation_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
