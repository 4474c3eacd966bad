"""The API as the rest of the app sees it: keys, the log, and the in-app server switch."""

from __future__ import annotations

import threading

from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.api.actions import ApiActions
from iqcadence_desktop.services.api.keys import ApiKeyService
from iqcadence_desktop.services.api.log_writer import CallLog
from iqcadence_desktop.services.api.server import DEFAULT_PORT, ApiServer
from iqcadence_desktop.services.api.wsgi import ApiApp
from iqcadence_desktop.services.customers import CustomerService
from iqcadence_desktop.services.system import (
    AuditEntryDTO,
    AuditFilter,
    AuditLog,
    Clock,
    EventBus,
    SettingsService,
)
from iqcadence_desktop.services.team import Scope

ENABLED_KEY = "api.enabled"
PORT_KEY = "api.port"


class ApiService:
    """Makes the WSGI app, runs it in the background when switched on, reads the API Log."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        customers: CustomerService,
        audit: AuditLog,
        settings: SettingsService,
        events: EventBus,
        scope: Scope,
    ) -> None:
        self._settings = settings
        self._audit = audit
        self.keys = ApiKeyService(db, clock, audit)
        self.calls = CallLog(db, audit)
        self.app = ApiApp(ApiActions(db, clock, customers, events, scope), self.keys, self.calls)
        self._server: ApiServer | None = None
        self._lock = threading.Lock()

    # -- settings ---------------------------------------------------------------------
    def enabled(self) -> bool:
        return bool(self._settings.get(ENABLED_KEY, False))

    def port(self) -> int:
        return int(str(self._settings.get(PORT_KEY, DEFAULT_PORT)))

    def configure(self, enabled: bool, port: int) -> None:
        if not 1024 <= port <= 65535:
            from iqcadence_desktop.errors import ValidationError

            raise ValidationError("port", f"Port {port} is not allowed; choose 1024 to 65535.")
        self._settings.set_many(
            {ENABLED_KEY: enabled, PORT_KEY: port},
            f"Local API {'on' if enabled else 'off'}, port {port}",
        )

    # -- the in-app server ----------------------------------------------------------------
    def server(self, port: int | None = None) -> ApiServer:
        """A new server for the CLI's `serve` (the caller runs it)."""
        return ApiServer(self.app, self.port() if port is None else port)

    @property
    def running_url(self) -> str | None:
        return None if self._server is None else self._server.url

    def start(self) -> str:
        """Start serving in the background (idempotent); returns the URL."""
        with self._lock:
            if self._server is None:
                server = ApiServer(self.app, self.port())
                server.start()
                self._server = server
            return self._server.url

    def stop(self) -> None:
        with self._lock:
            if self._server is not None:
                self._server.stop()
                self._server = None
        self.calls.flush()

    def start_if_enabled(self) -> None:
        if self.enabled():
            self.start()

    # -- the log -----------------------------------------------------------------------
    def log(self, limit: int = 500) -> list[AuditEntryDTO]:
        """The most recent API calls, newest first."""
        self.calls.flush()
        return self._audit.entries(AuditFilter(action="api_call", limit=limit))
