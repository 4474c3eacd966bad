"""The API Log's writer: every call is recorded, in small batches.

One commit per call would cost more than most calls themselves and contend for SQLite's
single write lock; entries are queued and written together a few times a second (and at
once when the log is read or the server stops).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from iqcadence_desktop.errors import DatabaseError
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.system import AuditLog

log = logging.getLogger(__name__)

FLUSH_SECONDS = 0.25


class CallLog:
    """Queues (summary, details) of API calls and writes them as audit entries."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, summary: str, details: dict[str, Any]) -> None:
        with self._lock:
            self._pending.append((summary, details))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="api-log", daemon=True)
                self._thread.start()

    def flush(self) -> None:
        """Write everything queued so far (one transaction)."""
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return
        try:
            with self._db.session() as s:
                for summary, details in batch:
                    self._audit.record(s, "api_call", summary, details=details)
        except DatabaseError as exc:
            log.warning("Could not write %d API Log entries: %s", len(batch), exc)

    def _loop(self) -> None:
        while True:
            self._wake.wait(FLUSH_SECONDS)
            self.flush()
            with self._lock:
                if not self._pending:
                    self._thread = None
                    return
