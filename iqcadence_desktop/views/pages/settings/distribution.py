"""Score distribution chart and bulk rescore with progress and cancel."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.scoring import (
    BAND_LABELS,
    BANDS,
    UNSCORED,
    Cancelled,
    RescoreSummary,
)
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.tasks import CancelToken
from iqcadence_desktop.views.theme import BAND_COLORS
from iqcadence_desktop.views.widgets.common import message_label, show_message

CHART_BANDS = (*BANDS, UNSCORED)


class DistributionSection(QWidget):
    """How many accounts sit in each band, and the button that rescores them all."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.counts: dict[str, int] = {}
        self._token: CancelToken | None = None
        self.chart = pg.PlotWidget(background="w")
        self.chart.setMinimumHeight(220)
        self.chart.setMouseEnabled(x=False, y=False)
        self.chart.hideButtons()
        self.chart.setMenuEnabled(False)
        axis = self.chart.getAxis("bottom")
        axis.setTicks([[(i, BAND_LABELS[b]) for i, b in enumerate(CHART_BANDS)]])
        self.chart.getAxis("left").setLabel("Accounts")
        self.total_label = QLabel()
        self.total_label.setProperty("role", "muted")
        self.rescore_button = QPushButton("Rescore all accounts")
        self.rescore_button.clicked.connect(self.start_rescore)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.message = message_label()
        row = QHBoxLayout()
        row.addWidget(self.rescore_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addStretch(0)
        layout = QVBoxLayout(self)
        title = QLabel("Score distribution")
        title.setProperty("role", "section-title")
        layout.addWidget(title)
        layout.addWidget(self.total_label)
        layout.addWidget(self.chart, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        counts = self.ctx.services.portfolio.band_counts(self.ctx.manager)
        self.counts = {b: counts.get(b, 0) for b in CHART_BANDS}
        self.chart.clear()
        for i, band in enumerate(CHART_BANDS):
            self.chart.addItem(
                pg.BarGraphItem(
                    x=[i], height=[self.counts[band]], width=0.7, brush=BAND_COLORS[band], pen=None
                )
            )
        self.chart.setYRange(0, max([*self.counts.values(), 1]) * 1.1)
        who = f" in {self.ctx.manager}'s book" if self.ctx.manager else ""
        self.total_label.setText(
            f"{sum(counts.values()):,} accounts{who} (churned accounts are left out)."
        )

    def is_running(self) -> bool:
        return self._token is not None

    def start_rescore(self) -> None:
        if self._token is not None:
            return
        customers = self.ctx.services.customers
        self._set_running(True)
        self.message.clear()
        self._token = self.ctx.tasks.run(
            owner=self,
            fn=lambda token: customers.rescore_all(
                progress=token.progress, cancelled=token.cancelled, reason="requested in Settings"
            ),
            on_success=self._on_rescore_finished,
            on_error=self._on_rescore_failed,
            on_progress=self._on_rescore_progress,
        )

    def _set_running(self, running: bool) -> None:
        self.rescore_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)
        if not running:
            self._token = None

    def _on_cancel_clicked(self) -> None:
        if self._token is not None:
            self._token.cancel()
            self.cancel_button.setEnabled(False)

    def _on_rescore_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_rescore_finished(self, summary: RescoreSummary) -> None:
        self._set_running(False)
        show_message(
            self.message,
            f"Rescored {summary.customers:,} accounts: "
            f"{summary.band_changes:,} changed band, {summary.lifecycle_changes:,} "
            "changed lifecycle stage.",
        )
        self.refresh()

    def _on_rescore_failed(self, exc: BaseException) -> None:
        self._set_running(False)
        if isinstance(exc, Cancelled):
            show_message(self.message, "Rescore cancelled; no score was changed.")
        else:
            show_message(self.message, f"The rescore failed: {exc}", error=True)
