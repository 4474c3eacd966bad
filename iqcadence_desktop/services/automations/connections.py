"""Saved connections: checked when saved, secrets kept in the secret store only.

A connection's secret (the webhook signing secret, the SMTP password) lives under
"automations.connection.<id>" in the SecretStore (the OS keyring). On a headless
machine without a keyring, `secret_env` names an environment variable to read it from
at send time; the variable's value is never stored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, UserFacingError, ValidationError
from iqcadence_desktop.models import (
    AutomationConnection,
    AutomationRule,
    AutomationRuleChannel,
    ReportSchedule,
)
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.automations.delivery import (
    RETIRED_MESSAGE,
    Target,
    retired_connector,
)
from iqcadence_desktop.services.automations.dto import (
    CONNECTION_KINDS,
    EMAIL_SECURITY,
    ConnectionDTO,
)
from iqcadence_desktop.services.system import AuditLog, Clock, DomainEvent, EventBus, SecretStore

AUTOMATIONS_CHANGED = "automations_changed"
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def secret_key(connection_id: int) -> str:
    return f"automations.connection.{connection_id}"


@dataclass(frozen=True)
class ConnectionInput:
    """What a form or the CLI submits; `secret` None keeps the saved one."""

    name: str
    kind: str
    url: str | None = None
    host: str | None = None
    port: int | None = None
    security: str | None = None
    user: str | None = None
    sender: str | None = None
    to: tuple[str, ...] = ()
    secret: str | None = None
    secret_env: str | None = None


def parse_emails(raw: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """'a@x.com, b@y.org; c@z' -> the addresses; refuses anything that is not one."""
    parts = re.split(r"[,;\s]+", raw) if isinstance(raw, str) else list(raw)
    out = tuple(p.strip() for p in parts if p.strip())
    bad = [p for p in out if not _EMAIL.match(p)]
    if bad:
        raise ValidationError("to", f'"{bad[0]}" is not an email address.')
    return out


class ConnectionService:
    """Create, edit, list and remove connections; resolve their secrets for sending."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        events: EventBus,
        secrets: SecretStore,
        environ: Mapping[str, str] = os.environ,
        guard: Callable[[], None] = lambda: None,
    ) -> None:
        self._db, self._clock, self._audit, self._events = db, clock, audit, events
        self._secrets, self._environ = secrets, environ
        self._guard = guard  # refuses a change the signed-in role may not make (team mode)

    # -- reading ---------------------------------------------------------------------
    def all(self) -> list[ConnectionDTO]:
        with self._db.session() as s:
            rows = s.scalars(select(AutomationConnection).order_by(AutomationConnection.name))
            return [self._dto(s, r) for r in rows]

    def get(self, connection_id: int) -> ConnectionDTO:
        with self._db.session() as s:
            return self._dto(s, self._row(s, connection_id))

    def find(self, name: str) -> ConnectionDTO:
        with self._db.session() as s:
            row = s.scalars(
                select(AutomationConnection).where(
                    func.lower(AutomationConnection.name) == name.strip().lower()
                )
            ).first()
            if row is None:
                raise NotFoundError(
                    f'No connection is named "{name}". '
                    "List them with: iqcadence-cli connection list"
                )
            return self._dto(s, row)

    def target(self, connection_id: int, with_secret: bool = True) -> Target | None:
        """Everything a sender needs, the secret resolved; None if the connection is gone."""
        with self._db.session() as s:
            row = s.get(AutomationConnection, connection_id)
            if row is None:
                return None
            secret = self.secret_for(row.id, row.secret_env) if with_secret else None
            return Target(row.name, row.kind, row.url, dict(row.settings), secret, row.secret_env)

    def secret_for(self, connection_id: int, env: str | None) -> str | None:
        """The keyring first, then the named environment variable."""
        try:
            value = self._secrets.get(secret_key(connection_id))
        except UserFacingError:
            value = None  # a locked keyring: the environment may still have it
        if value:
            return value
        return self._environ.get(env) or None if env else None

    def _dto(self, s: Session, row: AutomationConnection) -> ConnectionDTO:
        rules = s.scalars(
            select(AutomationRule.name)
            .join(AutomationRuleChannel, AutomationRuleChannel.rule_id == AutomationRule.id)
            .where(AutomationRuleChannel.connection_id == row.id)
            .order_by(AutomationRule.name)
        ).all()
        schedules = s.scalars(
            select(ReportSchedule.report).where(ReportSchedule.connection_id == row.id)
        ).all()
        used = tuple(f"rule “{r}”" for r in rules) + tuple(f"schedule “{r}”" for r in schedules)
        return ConnectionDTO(
            row.id,
            row.name,
            row.kind,
            row.url,
            dict(row.settings),
            row.secret_env,
            self._secret_state(row),
            used,
        )

    def _secret_state(self, row: AutomationConnection) -> str:
        if not _needs_secret(row.kind, dict(row.settings)):
            return "none"
        try:
            if self._secrets.get(secret_key(row.id)):
                return "keyring"
        except UserFacingError:
            pass
        if row.secret_env and self._environ.get(row.secret_env):
            return "env"
        return "missing"

    @staticmethod
    def _row(s: Session, connection_id: int) -> AutomationConnection:
        row = s.get(AutomationConnection, connection_id)
        if row is None:
            raise NotFoundError(f"Connection {connection_id} does not exist any more.")
        return row

    # -- writing ---------------------------------------------------------------------
    def create(self, data: ConnectionInput) -> ConnectionDTO:
        self._guard()
        url, settings, env = _check(data)
        with self._db.session() as s:
            self._refuse_duplicate(s, data.name, None)
            now = self._clock.now()
            row = AutomationConnection(
                name=data.name.strip(),
                kind=data.kind,
                url=url,
                settings=settings,
                secret_env=env,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            self._store_secret(row, data.secret, is_new=True)
            self._audit.record(
                s,
                "automation_connection_added",
                f'Added {CONNECTION_KINDS[data.kind]} connection "{row.name}"',
                details={"kind": data.kind, "secret_env": env},
            )
            dto = self._dto(s, row)
        self._publish()
        return dto

    def update(self, connection_id: int, data: ConnectionInput) -> ConnectionDTO:
        self._guard()
        url, settings, env = _check(data)
        with self._db.session() as s:
            row = self._row(s, connection_id)
            if data.kind != row.kind:
                raise ValidationError("kind", "A connection keeps its kind; add a new one instead.")
            self._refuse_duplicate(s, data.name, connection_id)
            row.name, row.url, row.settings, row.secret_env = data.name.strip(), url, settings, env
            row.updated_at = self._clock.now()
            self._store_secret(row, data.secret, is_new=False)
            self._audit.record(
                s, "automation_connection_changed", f'Changed connection "{row.name}"'
            )
            dto = self._dto(s, row)
        self._publish()
        return dto

    def remove(self, connection_id: int) -> str:
        """Delete a connection no rule or schedule uses; its secret goes too."""
        self._guard()
        with self._db.session() as s:
            row = self._row(s, connection_id)
            used = self._dto(s, row).used_by
            if used:
                raise ValidationError(
                    "connection",
                    f'"{row.name}" is used by {", ".join(used[:3])}'
                    + (" and more" if len(used) > 3 else "")
                    + "; change or remove those first.",
                )
            name = row.name
            s.delete(row)
            self._audit.record(s, "automation_connection_removed", f'Removed connection "{name}"')
        self._secrets.delete(secret_key(connection_id))
        self._publish()
        return name

    def _refuse_duplicate(self, s: Session, name: str, own: int | None) -> None:
        other = s.scalar(
            select(AutomationConnection.id).where(
                func.lower(AutomationConnection.name) == name.strip().lower()
            )
        )
        if other is not None and other != own:
            raise ValidationError("name", f'A connection named "{name.strip()}" already exists.')

    def _store_secret(self, row: AutomationConnection, secret: str | None, is_new: bool) -> None:
        """Keyring when possible; else the environment variable must be able to supply it."""
        needs = _needs_secret(row.kind, dict(row.settings))
        if secret:
            try:
                self._secrets.set(secret_key(row.id), secret)
                return
            except UserFacingError as exc:
                if not row.secret_env:
                    raise UserFacingError(
                        f"{exc} Or name an environment variable that holds it (--secret-env)."
                    ) from exc
                return  # headless: read from the environment at send time
        if needs and is_new and not row.secret_env:
            what = "a signing secret" if row.kind == "webhook" else "an SMTP password"
            raise ValidationError(
                "secret",
                f"This connection needs {what}: enter it (it is kept in the system keyring), "
                "or name an environment variable that holds it (--secret-env VAR).",
            )

    def _publish(self) -> None:
        self._events.publish(DomainEvent(AUTOMATIONS_CHANGED))


def _needs_secret(kind: str, settings: dict[str, Any]) -> bool:
    return kind == "webhook" or (kind == "email" and bool(settings.get("user")))


def _check(d: ConnectionInput) -> tuple[str | None, dict[str, Any], str | None]:
    """(url, settings, secret_env) checked for the kind; raises with one clear sentence."""
    name = d.name.strip()
    if not name or len(name) > 80:
        raise ValidationError("name", "Give the connection a name of 1 to 80 characters.")
    if d.kind not in CONNECTION_KINDS:
        raise ValidationError(
            "kind", f'"{d.kind}" is not a kind of connection; use ' + ", ".join(CONNECTION_KINDS)
        )
    env = (d.secret_env or "").strip() or None
    if env is not None and not _ENV_NAME.match(env):
        raise ValidationError("secret_env", f'"{env}" is not an environment variable name.')
    if d.kind == "email":
        return None, _email_settings(d), env
    return _check_url(d.kind, d.url or ""), {}, env


def _check_url(kind: str, url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("url", "Paste the full webhook address, starting with https://.")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise ValidationError(
            "url", "Use an https:// address: plain http is accepted only for this computer."
        )
    if kind == "teams" and retired_connector(url):
        raise ValidationError("url", RETIRED_MESSAGE)
    return url


def _email_settings(d: ConnectionInput) -> dict[str, Any]:
    host = (d.host or "").strip()
    if not host:
        raise ValidationError("host", "Enter the SMTP server's host name.")
    port = d.port if d.port is not None else 587
    if not 1 <= port <= 65535:
        raise ValidationError("port", f"{port} is not a port number (1 to 65535).")
    security = (d.security or ("ssl" if port == 465 else "starttls")).lower()
    if security not in EMAIL_SECURITY:
        raise ValidationError("security", "Security must be starttls, ssl or none.")
    user = (d.user or "").strip() or None
    if user and security == "none":
        raise ValidationError(
            "security", "A password is sent only over STARTTLS or SSL; choose one of them."
        )
    sender = (d.sender or (user if user and "@" in user else "") or "").strip()
    if not _EMAIL.match(sender):
        raise ValidationError("sender", "Enter the sender address the messages come from.")
    to = parse_emails(list(d.to))
    if not to:
        raise ValidationError("to", "Enter at least one recipient address.")
    return {
        "host": host,
        "port": port,
        "security": security,
        "user": user,
        "sender": sender,
        "to": list(to),
    }
