"""Watching the team database: a banner while it is unreachable, a refresh when it is back."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from iqcadence_desktop.models.db import Database
from iqcadence_desktop.views.tasks import Lane, TaskRunner
from iqcadence_desktop.views.theme import Color

#: How often the database is probed while all is well, and while it is unreachable.
HEALTHY_MS = 15000
RETRY_MS = 3000
UNREACHABLE_TEXT = "Team database unreachable, retrying… Your last saved changes are safe."


class ConnectionBanner(QLabel):
    """A strip at the top of the window, shown only while the server cannot be reached."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(UNREACHABLE_TEXT, parent)
        self.setObjectName("connection_banner")
        self.setWordWrap(True)
        self.setStyleSheet(
            f"background: {Color.WARNING}; color: {Color.ON_FILL}; padding: 6px 12px;"
        )
        self.hide()


class ConnectionWatch(QObject):
    """Pings the database off the GUI thread; the window never waits for the network.

    Signals:
        lost(): the database stopped answering.
        restored(): it answers again (pages should reload).
    """

    lost = Signal()
    restored = Signal()

    def __init__(self, db: Database, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.reachable = True
        self._probing = False
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.probe)
        self.timer.start(HEALTHY_MS)

    def stop(self) -> None:
        """No more probes, and an answer still on its way is ignored."""
        self.timer.stop()
        self._stopped = True

    def probe(self) -> None:
        if self._probing or self._stopped:
            return
        self._probing = True
        self.tasks.run(
            lambda _t: self.db.ping(),
            owner=self,
            lane=Lane.READ,
            on_success=self._on_probe_answered,
        )

    def report_failure(self) -> None:
        """A page's read failed with 'unreachable': say so now and retry sooner."""
        if self.reachable:
            self._on_probe_answered(False)

    def _on_probe_answered(self, ok: bool) -> None:
        self._probing = False
        if self._stopped or ok == self.reachable:
            return
        self.reachable = ok
        self.timer.start(HEALTHY_MS if ok else RETRY_MS)
        (self.restored if ok else self.lost).emit()
