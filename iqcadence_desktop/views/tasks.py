"""The one task helper for background work.

`TaskRunner.run(fn, on_success=..., on_error=..., on_progress=...)` runs `fn(token)` on
a QThreadPool; results, errors and progress come back on the GUI thread through queued
signals. The worker never touches a widget. `token.cancelled` is polled by long work.
`SyncTaskRunner` runs inline (tests).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")


class CancelToken:
    """Shared between the GUI and a worker; the worker checks it and reports progress."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.progress: Callable[[int, int], None] = lambda done, total: None

    def cancel(self) -> None:
        self._event.set()

    def cancelled(self) -> bool:
        return self._event.is_set()


class _Relay(QObject):
    """Lives on the GUI thread; worker emissions are queued onto it."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class _Job(QRunnable, Generic[T]):
    def __init__(self, fn: Callable[[CancelToken], T], token: CancelToken, relay: _Relay) -> None:
        super().__init__()
        self._fn, self._token, self._relay = fn, token, relay

    def run(self) -> None:
        try:
            result = self._fn(self._token)
        except BaseException as exc:  # handed to on_error on the GUI thread
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs callables off the GUI thread (one at a time for database writes)."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # SQLite has one writer; keep work in order
        self._relays: set[_Relay] = set()

    def run(
        self,
        fn: Callable[[CancelToken], T],
        *,
        on_success: Callable[[T], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
        on_progress: Callable[[int, int], Any] | None = None,
    ) -> CancelToken:
        token = CancelToken()
        relay = _Relay()
        self._relays.add(relay)
        token.progress = relay.progressed.emit
        if on_progress is not None:
            relay.progressed.connect(on_progress)
        relay.succeeded.connect(lambda r: self._finish(relay, on_success, r))
        relay.failed.connect(lambda e: self._finish(relay, on_error, e, failed=True))
        self.busy_changed.emit(True)
        self._pool.start(_Job(fn, token, relay))
        return token

    def _finish(
        self, relay: _Relay, callback: Callable[[Any], Any] | None, value: Any, failed: bool = False
    ) -> None:
        self._relays.discard(relay)
        self.busy_changed.emit(bool(self._relays))
        if callback is not None:
            callback(value)
        elif failed:
            log.error("Background task failed", exc_info=value)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued work is done (shutdown and tests)."""
        return bool(self._pool.waitForDone(msecs))


class SyncTaskRunner(TaskRunner):
    """Runs tasks inline on the calling thread: deterministic view tests."""

    def run(
        self,
        fn: Callable[[CancelToken], T],
        *,
        on_success: Callable[[T], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
        on_progress: Callable[[int, int], Any] | None = None,
    ) -> CancelToken:
        token = CancelToken()
        if on_progress is not None:
            token.progress = on_progress
        try:
            result = fn(token)
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
        else:
            if on_success is not None:
                on_success(result)
        return token
