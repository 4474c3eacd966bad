"""Import / Export → Import from CRM: pull past signal snapshots from a connected system."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.integrations import LOOKBACKS, HistoryResult
from iqcadence_desktop.services.scoring import Cancelled
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.tasks import CancelToken
from iqcadence_desktop.views.widgets.common import message_label, show_message


class CrmImportTab(QWidget):
    """Choose a connected system and a lookback; history lands in the score history.

    Signals:
        settings_requested(): the user wants to connect a system first.
    """

    settings_requested = Signal()

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._token: CancelToken | None = None
        self.system = QComboBox()
        self.lookback = QComboBox()
        for label, days in LOOKBACKS.items():
            self.lookback.addItem(label, days)
        self.lookback.setCurrentIndex(1)
        self.pull = QPushButton("Pull history")
        self.pull.clicked.connect(self._on_pull_clicked)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self._on_cancel_clicked)
        self.cancel.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.result = message_label()
        self.empty = QLabel(
            "No CRM or billing system is connected yet. Connect HubSpot, Salesforce or "
            "Stripe in Settings → Integrations, sync once, then come back to fill in history."
        )
        self.empty.setWordWrap(True)
        self.connect_button = QPushButton("Open Settings → Integrations")
        self.connect_button.clicked.connect(self.settings_requested.emit)
        self.form = QGroupBox("Pull history from a connected system")
        self._build()

    def _build(self) -> None:
        column = QVBoxLayout(self.form)
        intro = QLabel(
            "Past values (MRR from deals, opportunities or invoices; NPS and CSAT from "
            "surveys; any mapped signal the system keeps history for) become dated snapshots "
            "in each linked customer's score history, so trends reach back before you started. "
            "Days that already have a snapshot are never overwritten."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        column.addWidget(intro)
        row = QHBoxLayout()
        for widget in (
            QLabel("From"),
            self.system,
            QLabel("Look back"),
            self.lookback,
            self.pull,
            self.cancel,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.progress)
        column.addWidget(self.result)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.connect_button)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def refresh(self) -> None:
        connected = [s for s in self.ctx.services.integrations.status() if s.connected]
        current = self.system.currentData()
        self.system.clear()
        for status in connected:
            self.system.addItem(status.label, status.system)
        self.system.setCurrentIndex(max(0, self.system.findData(current)))
        self.empty.setVisible(not connected)
        self.connect_button.setVisible(not connected)
        self.form.setVisible(bool(connected))

    def _on_pull_clicked(self) -> None:
        system, days = str(self.system.currentData()), int(self.lookback.currentData())
        svc = self.ctx.services.integrations
        self.pull.setEnabled(False)
        self.cancel.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.result.setStyleSheet("")
        self.result.setText(
            f"Pulling {self.lookback.currentText()} of history from {self.system.currentText()}…"
        )
        token = self.ctx.tasks.run(
            lambda t: svc.pull_history(system, days, t.progress, t.cancelled),
            owner=self,
            on_success=self._on_pulled,
            on_error=self._on_failed,
            on_progress=self._on_progressed,
        )
        if self.cancel.isVisibleTo(self):  # still running (an inline runner has finished)
            self._token = token

    def _on_progressed(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{done:,} records read")

    def _on_cancel_clicked(self) -> None:
        if self._token is not None:
            self._token.cancel()

    def _idle(self) -> None:
        self._token = None
        self.pull.setEnabled(True)
        self.cancel.setVisible(False)
        self.progress.setVisible(False)

    def _on_pulled(self, result: HistoryResult) -> None:
        self._idle()
        show_message(self.result, result.summary())

    def _on_failed(self, exc: BaseException) -> None:
        self._idle()
        if isinstance(exc, Cancelled):
            show_message(self.result, "Cancelled; nothing was written.")
        elif isinstance(exc, UserFacingError):
            show_message(self.result, str(exc), error=True)
        else:
            raise exc
