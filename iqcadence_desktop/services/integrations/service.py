"""The integration service: connect, test, configure, sync and pull history.

Secrets go only through the SecretStore (or an environment variable the user names for
headless use). A sync reads everything from the other system first and then writes in
one transaction, so a sync that fails or is cancelled part-way changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import Integration, MetricOwner
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers import CustomerService
from iqcadence_desktop.services.integrations.base import (
    SYSTEM_LABELS,
    SYSTEMS,
    Connector,
    FieldInfo,
    Job,
    history_days,
)
from iqcadence_desktop.services.integrations.connectors import make_connector
from iqcadence_desktop.services.integrations.history import HistoryResult, write_history
from iqcadence_desktop.services.integrations.http import IntegrationError
from iqcadence_desktop.services.integrations.mapping import (
    HISTORY_TARGETS,
    TARGETS,
    check_mapping,
    mapping_for,
    options_for,
)
from iqcadence_desktop.services.integrations.salesforce_oauth import sign_in
from iqcadence_desktop.services.integrations.sync import SyncResult, SyncRun
from iqcadence_desktop.services.scoring import CancelFn, ConfigService, ProgressFn, rescore_all
from iqcadence_desktop.services.system import (
    CUSTOMERS_CHANGED,
    SETTINGS_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
    SecretStore,
)
from iqcadence_desktop.services.team import Permission, Scope

ConnectorFactory = Callable[[str, dict[str, Any], str, str | None], Connector]


def secret_key(system: str) -> str:
    """The SecretStore key of a system's token (refresh token for Salesforce)."""
    return f"{system}.token"


@dataclass(frozen=True)
class IntegrationStatus:
    """One integration as the Settings card and `integration status` show it."""

    system: str
    label: str
    connected: bool
    account: str | None
    token_source: str | None  # "keyring", "environment variable X", or None
    options: dict[str, Any]
    mapping: dict[str, str]
    owned: tuple[str, ...]
    last_sync_at: dt.datetime | None
    last_status: str | None
    last_result: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "connected": self.connected,
            "account": self.account,
            "token_source": self.token_source,
            "options": {k: v for k, v in self.options.items() if k != "mapping"},
            "mapping": self.mapping,
            "owned_metrics": list(self.owned),
            "last_sync_at": self.last_sync_at.isoformat() if self.last_sync_at else None,
            "last_status": self.last_status,
            "last_result": self.last_result,
        }


class IntegrationService:
    """HubSpot, Salesforce and Stripe, behind one small interface."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        secrets: SecretStore,
        config: ConfigService,
        customers: CustomerService,
        audit: AuditLog,
        events: EventBus,
        scope: Scope,
        factory: ConnectorFactory = make_connector,
    ) -> None:
        # Connections are team-wide settings; a sync writes into one client (the focus,
        # or the only one).
        self._scope = scope
        self._db = db
        self._clock = clock
        self._secrets = secrets
        self._config = config
        self._customers = customers
        self._audit = audit
        self._events = events
        self._factory = factory
        self._running: dict[str, threading.Lock] = {s: threading.Lock() for s in SYSTEMS}

    # -- reading ------------------------------------------------------------------------
    def status(self, system: str | None = None) -> list[IntegrationStatus]:
        systems = [_check(system)] if system else list(SYSTEMS)
        with self._db.session() as s:
            owners = self._owners(s)
            found = [self._status(self._row(s, name), owners) for name in systems]
        if self._scope.client_ids() is None:
            return found
        # The last result names accounts of whichever client was synced: not for a narrowed
        # scope, which still sees whether the connection works and when it last ran.
        return [dataclasses.replace(st, last_result=None) for st in found]

    def owners(self) -> dict[str, str]:
        """{customer field: the integration that owns it}."""
        with self._db.session() as s:
            return self._owners(s)

    def fields(self, system: str) -> list[FieldInfo]:
        with self._connector(system) as connector:
            return connector.list_fields()

    def test(self, system: str) -> str:
        with self._connector(system) as connector:
            return connector.test_connection()

    # -- connecting -------------------------------------------------------------------------
    def connect(
        self,
        system: str,
        token: str | None = None,
        token_env: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> IntegrationStatus:
        """Check the credentials with the system, then keep them (keyring or the name of
        an environment variable). Nothing is stored when the check fails."""
        self._scope.require(Permission.EDIT_SETTINGS)
        _check(system)
        if options:
            self.configure(system, options)
        credential = self._resolve_new(system, token, token_env)
        with self._connector(system, credential) as connector:
            account = connector.test_connection()
        if token_env is None and token is not None:
            self._secrets.set(secret_key(system), token)
        self._mark_connected(system, account, token_env)
        return self.status(system)[0]

    def connect_salesforce(
        self,
        open_browser: Callable[[str], object],
        cancelled: CancelFn,
        client_secret: str | None = None,
        timeout: float = 300,
    ) -> IntegrationStatus:
        """Sign in through the system browser (PKCE, loopback redirect), keep the
        refresh token in the keyring."""
        self._scope.require(Permission.EDIT_SETTINGS)
        options = self.status("salesforce")[0].options
        tokens = sign_in(
            str(options["login_url"]),
            str(options.get("client_id") or ""),
            open_browser,
            cancelled,
            int(options.get("callback_port") or 0),
            client_secret,
            timeout,
        )
        if not tokens.refresh_token:
            raise IntegrationError(
                "Salesforce signed you in but gave no refresh token: allow the "
                "'refresh_token' scope in the connected app and sign in again."
            )
        self._secrets.set(secret_key("salesforce"), tokens.refresh_token)
        if client_secret:
            self._secrets.set("salesforce.client_secret", client_secret)
        self.configure("salesforce", {"instance_url": tokens.instance_url})
        self._mark_connected(
            "salesforce", f"Salesforce at {tokens.instance_url.split('//')[-1]}", None
        )
        return self.status("salesforce")[0]

    def disconnect(self, system: str) -> None:
        self._scope.require(Permission.EDIT_SETTINGS)
        _check(system)
        self._secrets.delete(secret_key(system))
        with self._db.session() as s:
            row = self._row(s, system)
            row.connected, row.token_env, row.account_label = False, None, None
            self._audit.record(
                s, "integration_disconnected", f"Disconnected {SYSTEM_LABELS[system]}"
            )
        self._changed()

    def configure(self, system: str, changes: Mapping[str, Any]) -> IntegrationStatus:
        """Store options (mapping, create_accounts, deal_amounts, ...) with an audit entry."""
        self._scope.require(Permission.EDIT_SETTINGS)
        _check(system)
        changes = dict(changes)
        if "mapping" in changes:
            changes["mapping"] = check_mapping(system, changes["mapping"] or {})
        if changes.get("deal_amounts") not in (None, "annual", "monthly"):
            raise ValidationError("deal_amounts", "Deal amounts are either annual or monthly.")
        with self._db.session() as s:
            row = self._row(s, system)
            row.options = {**(row.options or {}), **changes}
            self._audit.record(
                s,
                "integration_configured",
                f"Changed {SYSTEM_LABELS[system]} settings: " + ", ".join(sorted(changes)),
                details={"system": system, "keys": sorted(changes)},
            )
        self._changed()
        return self.status(system)[0]

    def set_owner(self, metric: str, system: str | None) -> None:
        """Make one integration the only one that writes `metric` (None: any may)."""
        self._scope.require(Permission.EDIT_SETTINGS)
        if metric not in TARGETS:
            raise ValidationError("metric", f'"{metric}" is not a field a sync writes.')
        with self._db.session() as s:
            s.execute(delete(MetricOwner).where(MetricOwner.metric == metric))
            if system is not None:
                s.add(MetricOwner(metric=metric, integration=_check(system)))
            who = SYSTEM_LABELS[system] if system else "any integration"
            self._audit.record(s, "integration_configured", f"{metric} is now written by {who}")
        self._changed()

    # -- syncing -------------------------------------------------------------------------------
    def sync(
        self,
        system: str,
        dry_run: bool = False,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> SyncResult:
        """Pull every account, then preview or apply the changes in one transaction."""
        with self._exclusive(system):
            try:
                return self._sync(system, dry_run, Job(progress, cancelled))
            except IntegrationError as exc:
                if not dry_run:
                    self._record_failure(system, str(exc))
                raise

    def _sync(self, system: str, dry_run: bool, job: Job) -> SyncResult:
        status = self._require(system)
        targets, ignored = self._targets(system, status)
        today = self._clock.today()
        with self._connector(system) as connector:
            pull = connector.pull_accounts(list(targets), today, job)
        if not dry_run:
            self._customers.ensure_daily_snapshots()
        with self._db.session() as s:
            client = self._scope.client_for_new(s)
            run = SyncRun(s, system, targets, status.options, self._clock.now(), dry_run, client)
            result = run.prepare(pull.accounts)
            result.warnings += pull.warnings
            result.ignored_owned = ignored
            if dry_run:
                s.rollback()
                return result
            ids = run.apply()
            if ids:
                config, weights = self._config.current(), self._config.weights_for
                rescore_all(s, config, weights, today, ids=ids, scope=self._scope)
            self._audit.record(
                s,
                "integration_sync",
                result.summary(),
                details={k: v for k, v in result.to_json(0).items() if k != "changes"},
            )
            row = self._row(s, system)
            row.last_sync_at, row.last_status = self._clock.now(), "ok"
            row.last_result = result.to_json(20)
        self._events.publish(DomainEvent(CUSTOMERS_CHANGED, tuple(ids)))
        self._changed()
        return result

    def sync_all(self, dry_run: bool = False) -> list[SyncResult]:
        return [self.sync(s.system, dry_run) for s in self.status() if s.connected]

    def pull_history(
        self,
        system: str,
        lookback_days: int,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> HistoryResult:
        """Past values as dated snapshots for the customers this system is linked to."""
        if not 1 <= lookback_days <= 730:
            raise ValidationError("days", "Pull history looks back 1 to 730 days.")
        with self._exclusive(system):
            status = self._require(system)
            targets, _ = self._targets(system, status)
            targets = {k: v for k, v in targets.items() if v in HISTORY_TARGETS}
            if not targets:
                raise IntegrationError(
                    f"No field {status.label} feeds is kept in the score history (MRR or a "
                    "signal); map one, or let this integration own one, first."
                )
            days = history_days(self._clock.today(), lookback_days)
            with self._connector(system) as connector:
                histories = connector.pull_history(list(targets), days, Job(progress, cancelled))
            with self._db.session() as s:
                result = write_history(
                    s,
                    self._scope.client_for_new(s),
                    system,
                    histories,
                    targets,
                    days,
                    self._config.current(),
                    self._config.weights_for,
                    cancelled,
                )
                self._audit.record(
                    s,
                    "integration_history",
                    f"{SYSTEM_LABELS[system]} history: {result.summary()}",
                    details={k: v for k, v in result.to_json().items() if k != "issues"},
                )
        self._events.publish(DomainEvent(CUSTOMERS_CHANGED))
        return result

    # -- helpers -----------------------------------------------------------------------------
    def _exclusive(self, system: str) -> _Exclusive:
        return _Exclusive(self._running[_check(system)], SYSTEM_LABELS[system])

    def _require(self, system: str) -> IntegrationStatus:
        status = self.status(system)[0]
        if not status.connected:
            raise IntegrationError(
                f"{status.label} is not connected: connect it in Settings → Integrations "
                f"or with `iqcadence-cli integration connect {system}`."
            )
        return status

    def _targets(
        self, system: str, status: IntegrationStatus
    ) -> tuple[dict[str, str], dict[str, str]]:
        """The mapping less the fields another integration owns (and those, for the UI)."""
        owners = self.owners()
        targets, ignored = {}, {}
        for source, target in status.mapping.items():
            owner = owners.get(target)
            if owner is None or owner == system:
                targets[source] = target
            else:
                ignored[target] = owner
        return targets, ignored

    def _connector(self, system: str, credential: str | None = None) -> _Open:
        status = self.status(system)[0]
        token = credential if credential is not None else self._credential(system)
        secret = self._secrets.get("salesforce.client_secret") if system == "salesforce" else None
        return _Open(self._factory(system, status.options, token, secret))

    def _credential(self, system: str) -> str:
        with self._db.session() as s:
            env = self._row(s, system).token_env
        label = SYSTEM_LABELS[system]
        if env:
            value = os.environ.get(env)
            if not value:
                raise IntegrationError(
                    f"{label}'s token is read from the environment variable {env}, which is "
                    "not set here. Set it, or connect again."
                )
            return value
        value = self._secrets.get(secret_key(system))
        if not value:
            raise IntegrationError(
                f"No {label} token is saved (or the keyring is locked): connect {label} again."
            )
        return value

    def _resolve_new(self, system: str, token: str | None, token_env: str | None) -> str:
        label = SYSTEM_LABELS[system]
        if token_env:
            value = os.environ.get(token_env)
            if not value:
                raise IntegrationError(
                    f"The environment variable {token_env} is not set, so there is no "
                    f"{label} token to check."
                )
            return value
        if not token or not token.strip():
            raise ValidationError("token", f"Paste the {label} token first.")
        status = self._secrets.status()
        if not status.usable and not status.session_only:
            raise IntegrationError(
                f"{status.message} Keep the {label} token in an environment variable and "
                "connect with its name instead (iqcadence-cli integration connect "
                f"{system} --token-env VARIABLE), or keep secrets for this session."
            )
        return token.strip()

    def _mark_connected(self, system: str, account: str, token_env: str | None) -> None:
        with self._db.session() as s:
            row = self._row(s, system)
            row.connected, row.account_label, row.token_env = True, account, token_env
            row.connected_at = self._clock.now()
            where = f"environment variable {token_env}" if token_env else "keyring"
            self._audit.record(
                s,
                "integration_connected",
                f"Connected {SYSTEM_LABELS[system]} ({account}); token in the {where}",
            )
        self._changed()

    def _record_failure(self, system: str, message: str) -> None:
        with self._db.session() as s:
            row = self._row(s, system)
            row.last_sync_at, row.last_status = self._clock.now(), "failed"
            row.last_result = {"summary": message}
            self._audit.record(
                s, "integration_sync", f"{SYSTEM_LABELS[system]} sync failed: {message}"
            )
        self._changed()

    def _row(self, s: Session, system: str) -> Integration:
        row = s.get(Integration, system)
        if row is None:
            row = Integration(name=system, connected=False, options={})
            s.add(row)
            s.flush()
        return row

    def _owners(self, s: Session) -> dict[str, str]:
        return dict(s.execute(select(MetricOwner.metric, MetricOwner.integration)).all())

    def _status(self, row: Integration, owners: dict[str, str]) -> IntegrationStatus:
        options = options_for(row.name, row.options)
        source = None
        if row.connected:
            source = f"environment variable {row.token_env}" if row.token_env else "keyring"
        return IntegrationStatus(
            row.name,
            SYSTEM_LABELS[row.name],
            row.connected,
            row.account_label,
            source,
            options,
            mapping_for(row.name, options),
            tuple(m for m, o in sorted(owners.items()) if o == row.name),
            row.last_sync_at,
            row.last_status,
            row.last_result,
        )

    def _changed(self) -> None:
        self._events.publish(DomainEvent(SETTINGS_CHANGED, detail={"keys": ["integrations"]}))


def _check(system: str) -> str:
    if system not in SYSTEMS:
        raise ValidationError(
            "system", f'"{system}" is not an integration; choose one of {", ".join(SYSTEMS)}.'
        )
    return system


class _Exclusive:
    def __init__(self, lock: threading.Lock, label: str) -> None:
        self._lock, self._label = lock, label

    def __enter__(self) -> None:
        if not self._lock.acquire(blocking=False):
            raise IntegrationError(
                f"A {self._label} sync is already running; wait for it to finish."
            )

    def __exit__(self, *_exc: object) -> None:
        self._lock.release()


class _Open:
    """`with` for a connector: closes its HTTP session afterwards."""

    def __init__(self, connector: Connector) -> None:
        self.connector = connector

    def __enter__(self) -> Connector:
        return self.connector

    def __exit__(self, *_exc: object) -> None:
        self.connector.close()
