"""The one task helper for background work.

`TaskRunner.run(fn, owner=widget, on_success=..., on_error=..., on_progress=...)` runs
`fn(token)` off the GUI thread; results, errors and progress come back on the GUI thread
through queued signals. The worker never touches a widget; `token.cancelled()` is polled
by long work.

Owner-bound: every task names the QObject its callbacks belong to (`owner=None` only for
app-wide work with no widget behind it). When the owner is destroyed, say a customer
window closed while its PDF renders, the task is cancelled and none of its callbacks
run: they would call into a deleted C++ object.

Two lanes, so a page never waits behind a long write:
- `Lane.WRITE` (the default): one worker, tasks in the order given. SQLite has one
  writer, and imports, rescores and saves must not interleave.
- `Lane.READ`: page loads and exports, up to two at a time beside the writer (WAL lets
  readers run during a write).

`SyncTaskRunner` runs inline (tests).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")
READ_WORKERS = 2
#: Which lane the current thread is running a task for (None outside the pools).
_current = threading.local()


class Lane(StrEnum):
    """Which worker pool a task runs on (see the module docstring)."""

    WRITE = "write"
    READ = "read"


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
    """Lives on the GUI thread; worker emissions are queued onto it.

    `dropped` is set when the task's owner is destroyed: from then on nothing is called.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, token: CancelToken) -> None:
        super().__init__()
        self.token = token
        self.dropped = False
        self.on_progress: Callable[[int, int], Any] | None = None
        self.progressed.connect(self._on_progressed)

    @Slot()
    def drop(self) -> None:
        """The owner is going away: cancel the work and forget its callbacks."""
        self.dropped = True
        self.on_progress = None
        self.token.cancel()

    def _on_progressed(self, done: int, total: int) -> None:
        if not self.dropped and self.on_progress is not None:
            self.on_progress(done, total)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[CancelToken], Any], relay: _Relay, lane: Lane) -> None:
        super().__init__()
        self._fn, self._relay, self._lane = fn, relay, lane

    def run(self) -> None:
        _current.lane = self._lane
        try:
            result = self._fn(self._relay.token)
        except BaseException as exc:  # handed to on_error on the GUI thread
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)
        finally:
            _current.lane = None


class _Call(QRunnable):
    """Runs a function on the write lane for a worker thread that waits for it."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the waiting thread reads the result afterwards
        self.fn, self.done = fn, threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        _current.lane = Lane.WRITE
        try:
            self.result = self.fn()
        except BaseException as exc:  # re-raised in the waiting thread
            self.error = exc
        finally:
            _current.lane = None
            self.done.set()


class TaskRunner(QObject):
    """Runs callables off the GUI thread, on a write lane and a read lane."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {Lane.WRITE: QThreadPool(self), Lane.READ: QThreadPool(self)}
        self._pools[Lane.WRITE].setMaxThreadCount(1)
        self._pools[Lane.READ].setMaxThreadCount(READ_WORKERS)
        self._relays: set[_Relay] = set()

    def run(
        self,
        fn: Callable[[CancelToken], T],
        *,
        owner: QObject | None,
        lane: Lane = Lane.WRITE,
        on_success: Callable[[T], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
        on_progress: Callable[[int, int], Any] | None = None,
    ) -> CancelToken:
        """Start `fn(token)`; callbacks run on the GUI thread unless `owner` is gone."""
        relay = _Relay(CancelToken())
        relay.token.progress = relay.progressed.emit
        relay.on_progress = on_progress
        if owner is not None:
            owner.destroyed.connect(relay.drop)
        self._relays.add(relay)
        relay.succeeded.connect(lambda r: self._finish(relay, on_success, r))
        relay.failed.connect(lambda e: self._finish(relay, on_error, e, failed=True))
        self.busy_changed.emit(True)
        self._pools[lane].start(_Job(fn, relay, lane))
        return relay.token

    def call_on_write_lane(self, fn: Callable[[], T]) -> T:
        """Run `fn` between the write lane's tasks and wait for its result.

        For a worker on another lane that must write now and then (delivery records
        each attempt while the network waits happen on the read lane): SQLite allows one
        writer, and a write lane task that read before writing would fail if someone
        else committed in between. Called on the write lane itself, `fn` just runs.
        """
        if getattr(_current, "lane", None) == Lane.WRITE:
            return fn()
        call = _Call(fn)
        self._pools[Lane.WRITE].start(call)
        call.done.wait()
        if call.error is not None:
            raise call.error
        result: T = call.result
        return result

    def _finish(
        self,
        relay: _Relay,
        callback: Callable[[Any], Any] | None,
        value: Any,
        failed: bool = False,
    ) -> None:
        self._relays.discard(relay)
        self.busy_changed.emit(bool(self._relays))
        if relay.dropped:
            log.debug("Background task finished after its owner was closed; result dropped")
        elif callback is not None:
            callback(value)
        elif failed:
            log.error("Background task failed", exc_info=value)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued work on both lanes is done (shutdown and tests)."""
        return all(bool(pool.waitForDone(msecs)) for pool in self._pools.values())


class SyncTaskRunner(TaskRunner):
    """Runs tasks inline on the calling thread: deterministic view tests."""

    def call_on_write_lane(self, fn: Callable[[], T]) -> T:
        return fn()

    def run(
        self,
        fn: Callable[[CancelToken], T],
        *,
        owner: QObject | None,
        lane: Lane = Lane.WRITE,
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
