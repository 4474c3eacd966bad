"""What the automation services hand to views, the CLI and tests (frozen, no ORM)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from iqcadence_desktop.services.automations.conditions import Groups, describe, groups_to_json
from iqcadence_desktop.services.automations.events import TIMINGS, Trigger

CONNECTION_KINDS: dict[str, str] = {
    "slack": "Slack",
    "teams": "Microsoft Teams",
    "email": "Email (SMTP)",
    "webhook": "Custom webhook",
}
EMAIL_SECURITY: dict[str, str] = {
    "starttls": "STARTTLS",
    "ssl": "SSL/TLS",
    "none": "None (local relay only)",
}


@dataclass(frozen=True)
class ConnectionDTO:
    """A saved destination; never carries its secret, only whether one can be found."""

    id: int
    name: str
    kind: str
    url: str | None
    settings: dict[str, Any]
    secret_env: str | None
    secret_state: str  # "keyring", "env", "missing" or "none" (the kind needs no secret)
    used_by: tuple[str, ...]

    @property
    def kind_label(self) -> str:
        return CONNECTION_KINDS.get(self.kind, self.kind)

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(str(r) for r in self.settings.get("to", []) or [])

    def destination(self) -> str:
        """Where it sends, without the secret part of a webhook URL."""
        if self.kind == "email":
            host = self.settings.get("host", "")
            to = ", ".join(self.recipients) or "no default recipients"
            return f"{to} via {host}:{self.settings.get('port', '')}"
        return mask_url(self.url or "")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "destination": self.destination(),
            "settings": self.settings,
            "secret_env": self.secret_env,
            "secret": self.secret_state,
            "used_by": list(self.used_by),
        }


def mask_url(url: str) -> str:
    """'https://hooks.slack.com/services/T0/B0/abc' -> 'https://hooks.slack.com/…/abc' minus
    the token: scheme, host and the first path segment only."""
    if "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    first = path.split("/", 1)[0]
    tail = "/…" if "/" in path or "?" in path else ""
    return f"{scheme}://{host}/{first}{tail}" if first else f"{scheme}://{host}"


@dataclass(frozen=True)
class ChannelRef:
    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class RuleDTO:
    """An alert rule: S9 triggers or custom groups, scope, timing, channels."""

    id: int
    name: str
    kind: str  # "event" or "custom"
    triggers: tuple[Trigger, ...]
    groups: Groups
    manager: str | None
    timing: str
    channels: tuple[ChannelRef, ...]
    enabled: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    fired: int = 0
    last_fired_at: dt.datetime | None = None

    def describe(self) -> str:
        if self.kind == "custom":
            return describe(self.groups)
        return "; ".join(t.describe() for t in self.triggers)

    @property
    def timing_label(self) -> str:
        return TIMINGS[self.timing]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "description": self.describe(),
            "triggers": [t.to_json() for t in self.triggers],
            "conditions": groups_to_json(self.groups),
            "manager": self.manager,
            "timing": self.timing,
            "channels": [c.name for c in self.channels],
            "enabled": self.enabled,
            "fired": self.fired,
            "last_fired_at": _iso(self.last_fired_at),
        }


@dataclass(frozen=True)
class RuleDraft:
    """What the wizard, the builder and the CLI submit to create or edit a rule."""

    name: str
    triggers: tuple[Trigger, ...] = ()
    groups: Groups = ()
    manager: str | None = None
    timing: str = "realtime"
    channel_ids: tuple[int, ...] = ()
    enabled: bool = True


@dataclass(frozen=True)
class ScheduleDTO:
    """A scheduled report."""

    id: int
    report: str
    report_title: str
    format: str
    customer_id: int | None
    manager: str | None
    every: str
    at_time: str
    day: int | None
    recipients: tuple[str, ...]
    connection: str
    enabled: bool
    next_due_at: dt.datetime
    last_queued_at: dt.datetime | None

    def describe(self) -> str:
        when = {"daily": "Every day", "weekly": "Every week", "monthly": "Every month"}
        extra = ""
        if self.every == "weekly" and self.day is not None:
            extra = " on " + WEEKDAYS[self.day]
        elif self.every == "monthly" and self.day is not None:
            extra = f" on day {self.day}"
        return f"{when[self.every]}{extra} at {self.at_time}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "report": self.report,
            "format": self.format,
            "every": self.every,
            "at": self.at_time,
            "day": self.day,
            "to": list(self.recipients),
            "via": self.connection,
            "enabled": self.enabled,
            "next_due_at": _iso(self.next_due_at),
            "last_queued_at": _iso(self.last_queued_at),
        }


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class OutboxDTO:
    """One outbox entry as the event log and `outbox` list it."""

    id: int
    event_id: str
    connection: str
    channel: str
    kind: str
    rule: str | None
    customer: str | None
    subject: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_status: int | None
    last_error: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            k: _iso(v) if isinstance(v, dt.datetime) else v
            for k, v in ((k, getattr(self, k)) for k in self.__dataclass_fields__)
        }


@dataclass(frozen=True)
class AttemptDTO:
    """One line of the event log: an attempt, or an entry still waiting for its first."""

    outbox_id: int
    at: dt.datetime
    rule: str | None
    customer: str | None
    connection: str
    channel: str
    kind: str  # event / digest / batch / report / test
    subject: str
    outcome: str  # sent / retry / dead / queued
    status_code: int | None
    error: str | None
    retry_at: dt.datetime | None
    entry_status: str  # the entry's status now (a retried entry may be sent by now)

    @property
    def resendable(self) -> bool:
        return self.entry_status == "dead"


@dataclass(frozen=True)
class EventLogFilter:
    """What the event log shows; every field optional."""

    outcome: str | None = None  # sent / retry / dead / queued
    connection: str | None = None
    text: str | None = None
    limit: int = 1000


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery pass did."""

    sent: int = 0
    failed: int = 0
    pending: int = 0
    busy: bool = False


@dataclass(frozen=True)
class PrepareResult:
    """What one pass over rules, digests and schedules put in the outbox."""

    events: int = 0
    digests: int = 0
    reports: int = 0
    busy: bool = False


@dataclass(frozen=True)
class RunDueResult:
    """The `run-due` answer: {"events", "sent", "failed", "pending", "reports"}."""

    events: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0
    reports: int = 0
    digests: int = 0
    busy: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "events": self.events,
            "sent": self.sent,
            "failed": self.failed,
            "pending": self.pending,
            "reports": self.reports,
        }
        if self.busy:
            data["busy"] = True
        return data


@dataclass(frozen=True)
class SendOutcome:
    """The result of sending one message now (Send test, Email now)."""

    ok: bool
    status_code: int | None
    message: str
    outbox_id: int | None = None


def _iso(moment: dt.datetime | None) -> str | None:
    """UTC instants in JSON: '2026-11-26T12:00:00Z'."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"
