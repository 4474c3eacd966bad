"""How predictive is our score? The health score, the prior and the fitted churn model
judged on the portfolio's own history, with plain-language readings and the weights
the history suggests (offered as a what-if, applied only when the user says so)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.model import (
    CONTENDER_LABELS,
    HORIZONS,
    ModelVersion,
    readings,
    verdict,
)
from iqcadence_desktop.services.scoring import SIGNAL_LABELS, WhatIfResult
from iqcadence_desktop.services.system import DomainEvent
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.model_quality.charts import BandChurnChart, ReliabilityChart
from iqcadence_desktop.views.pages.settings.weights import describe_what_if
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.widgets.common import message_label, rows_table, show_message

EMPTY = (
    "No churn model has been fitted yet. Fit one on your history: the app learns who "
    "churned from lifecycle changes and compares it with the signals those accounts had "
    "before. Until then, churn figures come from the documented prior."
)


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section-title")
    return label


def _fit_height(table: QTableView) -> None:
    """As tall as its rows, so the page does not show empty table space."""
    rows = table.model().rowCount()
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(rows))
    table.setFixedHeight(height + 2)


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("role", "muted")
    return label


class ModelQualityPage(Page):
    """Metrics, reliability, band churn, lift and suggested weights; fit on demand."""

    PAGE_ID = "model_quality"
    TITLE = "Score Quality"
    SECTION = "Settings"
    ICON = "trends"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.version: ModelVersion | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("model_status")
        self.horizon = QComboBox()
        for days in HORIZONS:
            self.horizon.addItem(f"{days} days", days)
        self.fit_button = QPushButton("Fit on history")
        self.fit_button.clicked.connect(self._on_fit_clicked)
        self.message = message_label()
        self.metrics = RowsTableModel(
            ("", "AUC", "Brier score", "Calibration error", "Top-decile lift", "Rows")
        )
        self.metrics_table = rows_table(self.metrics, stretch_column=0)
        self.readings = _muted()
        self.reliability = ReliabilityChart()
        self.bands = BandChurnChart()
        self.weights = RowsTableModel(("Signal", "Weight now", "Suggested"))
        self.weights_table = rows_table(self.weights, stretch_column=0)
        self.weights_note = _muted()
        self.preview_button = QPushButton("Preview the effect")
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.apply_button = QPushButton("Apply these weights…")
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.preview = message_label()
        self._build_layout()
        self.track(ctx.bridge.config_changed, self.mark_stale)
        self.track(ctx.bridge.customers_changed, self._on_customers_changed)

    # -- building ---------------------------------------------------------------------
    def _build_layout(self) -> None:
        title = QLabel("How predictive is our score?")
        title.setProperty("role", "page-title")
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Horizon:"))
        controls.addWidget(self.horizon)
        controls.addWidget(self.fit_button)
        controls.addStretch(1)
        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(self.status, 0, 0, 1, 2)
        grid.addWidget(self.metrics_table, 1, 0, 1, 2)
        grid.addWidget(self.readings, 2, 0, 1, 2)
        self.chart_titles = (_section("Reliability"), _section("Churn rate by band"))
        grid.addWidget(self.chart_titles[0], 3, 0)
        grid.addWidget(self.chart_titles[1], 3, 1)
        grid.addWidget(self.reliability, 4, 0)
        grid.addWidget(self.bands, 4, 1)
        self.chart_note = _muted(
            "Each point is a group of predictions (groups of at least 10 accounts): on "
            "the dashed line, accounts churned as often as predicted."
        )
        grid.addWidget(self.chart_note, 5, 0)
        grid.addWidget(_section("Weights suggested by your history"), 6, 0, 1, 2)
        grid.addWidget(self.weights_note, 7, 0, 1, 2)
        grid.addWidget(self.weights_table, 8, 0, Qt.AlignmentFlag.AlignTop)
        actions = QVBoxLayout()
        actions.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
        actions.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignLeft)
        actions.addWidget(self.preview)
        actions.addStretch(1)
        grid.addLayout(actions, 8, 1)
        grid.setRowStretch(9, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)

    # -- loading ----------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        self.show_version(self.ctx.services.churn_model.current())

    def show_version(self, version: ModelVersion | None) -> None:
        self.version = version
        horizon = self.ctx.services.churn_model.horizon()
        if self.horizon.findData(horizon) < 0:
            self.horizon.addItem(f"{horizon} days", horizon)
        self.horizon.setCurrentIndex(self.horizon.findData(horizon))
        quality = None if version is None else version.quality
        self.status.setText(self._status_text(version))
        self.metrics.set_rows(*self._metric_rows(version))
        self.metrics_table.setVisible(quality is not None)
        _fit_height(self.metrics_table)
        self.readings.setText("\n".join(readings(quality)) if quality is not None else "")
        self.reliability.show_quality(quality)
        self.bands.show_quality(quality)
        for widget in (*self.chart_titles, self.chart_note, self.reliability, self.bands):
            widget.setVisible(quality is not None)  # no empty charts before any history
        self._show_weights(version)

    def _status_text(self, v: ModelVersion | None) -> str:
        if v is None:
            return EMPTY
        how = (
            "fitted on this portfolio's history"
            if v.fitted
            else "the documented prior (no model could be fitted)"
        )
        lines = [
            f"<b>Every figure here is the chance of churning within {v.horizon} days.</b>",
            f"Churn figures now come from {how}: version {v.id}, {v.created_at:%Y-%m-%d %H:%M} "
            f"by {v.user or 'unknown'}. {v.reason}",
        ]
        if v.quality is not None:
            lines.append(verdict(v.quality))
        return "<br>".join(lines)

    def _metric_rows(
        self, v: ModelVersion | None
    ) -> tuple[list[tuple[str, str, str, str, str, str]], list[object]]:
        if v is None or v.quality is None:
            return [], []
        rows = []
        for c in v.quality.contenders:
            card = c.card
            rows.append(
                (
                    CONTENDER_LABELS[c.key],
                    "—" if card.auc is None else f"{card.auc:.3f}",
                    f"{card.brier:.3f}",
                    f"{card.ece:.3f}",
                    "—" if card.lift is None else f"{card.lift:.1f}×",
                    f"{card.rows:,}",
                )
            )
        return rows, [c.key for c in v.quality.contenders]

    def _show_weights(self, v: ModelVersion | None) -> None:
        candidate = self.ctx.services.churn_model.suggested_config()
        now = self.ctx.services.config.current().effective_weights()
        has = candidate is not None
        if has and candidate is not None:
            after = candidate.effective_weights()
            self.weights.set_rows(
                [
                    (SIGNAL_LABELS[s], f"{now[s]:g} %", f"{after[s]:g} %")
                    for s in now
                    if now[s] or after[s]
                ],
                list(now),
            )
            self.weights_note.setText(
                "In a logistic fit of churn on the signals' points, each signal's weight is "
                "set in proportion to how much its points lower the churn odds (signals that "
                "point the wrong way get 0). Preview the effect first; nothing changes until "
                "you apply them, and applying is recorded like any change to the weights."
            )
        else:
            self.weights.set_rows([], [])
            self.weights_note.setText(
                "No suggestion yet: it needs at least 10 churned accounts in the history."
            )
        for widget in (self.weights_table, self.preview_button, self.apply_button):
            widget.setVisible(has)
        _fit_height(self.weights_table)
        self.preview.clear()

    # -- actions ----------------------------------------------------------------------
    def _on_fit_clicked(self) -> None:
        horizon = int(self.horizon.currentData())
        service = self.ctx.services.churn_model
        self.fit_button.setEnabled(False)
        show_message(self.message, f"Fitting on history for a {horizon}-day horizon…")
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.WRITE,
            fn=lambda _token: service.fit(horizon, reason="requested on the Score Quality page"),
            on_success=self._on_fit_finished,
            on_error=self._on_fit_failed,
        )

    def _on_fit_finished(self, version: ModelVersion) -> None:
        self.fit_button.setEnabled(True)
        show_message(self.message, f"Version {version.id}: {version.summary}.")
        self.show_version(version)

    def _on_fit_failed(self, exc: BaseException) -> None:
        self.fit_button.setEnabled(True)
        show_message(self.message, f"The fit failed: {exc}", error=True)

    def _on_customers_changed(self, event: DomainEvent) -> None:
        """After an import the model learns from the new data (in the background)."""
        service = self.ctx.services.churn_model
        if service.refit_due:
            service.refit_due = False
            self.ctx.tasks.run(
                owner=self,
                lane=Lane.WRITE,
                fn=lambda _token: service.fit(reason="after an import"),
                on_success=self.show_version,
                on_error=self._on_fit_failed,
            )

    def _on_preview_clicked(self) -> None:
        candidate = self.ctx.services.churn_model.suggested_config()
        if candidate is None:
            return
        what_if, manager = self.ctx.services.what_if, self.ctx.manager
        self.preview.setText("Working it out…")
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=lambda _token: what_if.preview(candidate, manager=manager),
            on_success=self._on_preview_finished,
            on_error=lambda exc: show_message(self.preview, f"No preview: {exc}", True),
        )

    def _on_preview_finished(self, result: WhatIfResult) -> None:
        show_message(self.preview, describe_what_if(result))
        self.preview.setStyleSheet("")

    def _on_apply_clicked(self) -> None:
        answer = QMessageBox.question(
            self,
            "Apply suggested weights",
            "Replace the global signal weights with the suggested ones? Scores change for "
            "every account without a scoring profile; the change is recorded in the "
            "configuration history and can be undone there by saving the old weights.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        changes = self.ctx.services.churn_model.apply_suggested()
        show_message(
            self.preview, "Applied: " + "; ".join(changes) if changes else "Nothing changed."
        )
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft)
