"""Running due automation work while the app is open.

A timer wakes every minute (and a few seconds after customers, settings or rules
change) and asks the automation service what is due. Reading today's accounts for the
rules runs on the read lane; preparing (evaluating rules, queuing digests and reports)
writes, so it runs on the write lane; delivering waits on the network, so it runs on
the read lane and never holds up a save behind a slow endpoint. Nothing runs on the GUI
thread, and a run never overlaps the previous one. The same work runs headless with
`iqcadence-cli run-due`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.automations import (
    AutomationService,
    DeliveryResult,
    DueWork,
    Preload,
    PrepareResult,
    RunDueResult,
)
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.tasks import CancelToken, Lane, TaskRunner

log = logging.getLogger(__name__)
INTERVAL_MS = 60_000
#: After start-up and after a change: soon, but not in the middle of the user's edits.
SOON_MS = 3_000


class DueWorkRunner(QObject):
    """Runs `prepare_due` then `deliver_due` off the GUI thread on a timer.

    Signals:
        run_finished(RunDueResult): a run ended (also when it found nothing to do).
    """

    run_finished = Signal(object)

    def __init__(
        self,
        automations: AutomationService,
        tasks: TaskRunner,
        bridge: EventBridge,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._automations, self._tasks = automations, tasks
        self._running = False
        self._again = False
        self._prepared = PrepareResult()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.run_now)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.run_now)
        for signal in (
            bridge.customers_changed,
            bridge.config_changed,
            bridge.automations_changed,
        ):
            signal.connect(self._on_data_changed)

    def start(self) -> None:
        self._timer.start()
        self._soon.start()

    def stop(self) -> None:
        self._timer.stop()
        self._soon.stop()

    @property
    def running(self) -> bool:
        return self._running

    def run_now(self) -> None:
        """Start a run; if one is going, run once more when it ends."""
        if self._running:
            self._again = True
            return
        self._running = True
        automations = self._automations

        def look(_token: CancelToken) -> tuple[DueWork, Preload | None]:
            work = automations.due_work()
            return work, automations.preload() if work.rules else None

        self._tasks.run(
            look, owner=self, lane=Lane.READ, on_success=self._on_looked, on_error=self._on_failed
        )

    def _on_looked(self, found: tuple[DueWork, Preload | None]) -> None:
        """Reading the accounts took the read lane; only the writes wait for the write lane."""
        work, preload = found
        automations = self._automations

        def prepare(_token: CancelToken) -> PrepareResult:
            if work.rules or work.digests or work.schedules:
                return automations.prepare_due(preload)
            return PrepareResult()

        self._tasks.run(
            prepare,
            owner=self,
            lane=Lane.WRITE,
            on_success=self._on_prepared,
            on_error=self._on_failed,
        )

    def _on_prepared(self, prepared: PrepareResult) -> None:
        self._prepared = prepared
        automations = self._automations

        def deliver(_token: CancelToken) -> DeliveryResult:
            work = automations.due_work()
            if work.outbox:
                return automations.deliver_due()
            return DeliveryResult(pending=work.waiting)

        self._tasks.run(
            deliver,
            owner=self,
            lane=Lane.READ,
            on_success=self._on_delivered,
            on_error=self._on_failed,
        )

    def _on_delivered(self, delivered: DeliveryResult) -> None:
        p = self._prepared
        self._finish(
            RunDueResult(
                p.events,
                delivered.sent,
                delivered.failed,
                delivered.pending,
                p.reports,
                p.digests,
                p.busy or delivered.busy,
            )
        )

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserFacingError):
            log.warning("Due work did not run: %s", exc)  # e.g. the database is busy
        else:
            log.error("Due work failed", exc_info=exc)
        self._finish(RunDueResult())

    def _finish(self, result: RunDueResult) -> None:
        self._running = False
        self.run_finished.emit(result)
        if self._again:
            self._again = False
            self._soon.start()

    def _on_data_changed(self, *_args: object) -> None:
        if self._timer.isActive():  # a runner that was never started runs only when asked
            self._soon.start()
