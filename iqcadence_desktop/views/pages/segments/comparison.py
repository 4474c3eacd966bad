"""The comparison panel of the Segments page: a date range, a chart of up to five
segments beside all accounts, a hover read-out and the written reading."""

from __future__ import annotations

import datetime as dt

import pyqtgraph as pg
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.analytics import Comparison, range_start
from iqcadence_desktop.views.theme import SERIES_COLORS, Color
from iqcadence_desktop.views.widgets.charts import (
    HoverReadout,
    date_plot,
    legend_html,
    line,
    set_date_axis,
)
from iqcadence_desktop.views.widgets.page_parts import muted

PRESETS: tuple[tuple[str, str], ...] = (
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("6mo", "Last 6 months"),
    ("1yr", "Last year"),
    ("2yr", "Last 2 years"),
    ("custom", "Custom range"),
)


class ComparisonPanel(QWidget):
    """Range controls, chart and reading.

    Signals:
        range_changed(): the user picked another range.
    """

    range_changed = Signal()

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.preset = QComboBox()
        self.preset.setObjectName("compare_range")
        for key, text in PRESETS:
            self.preset.addItem(text, key)
        self.preset.setCurrentIndex(1)
        self.start_edit, self.end_edit = QDateEdit(), QDateEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.title = QLabel("Compare segments")
        self.title.setProperty("role", "section-title")
        # The chart is built on first use: pyqtgraph's set-up would otherwise delay the
        # page's first paint, and the comparison arrives a moment after the figures.
        self.plot: pg.PlotWidget | None = None
        self.hover: HoverReadout | None = None
        self._chart = QVBoxLayout()
        self._waiting = muted("The comparison chart appears here.")
        self.legend = QLabel()
        self.legend.setObjectName("compare_legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.readout = muted(wrap=False)
        self.analysis = muted()
        self.analysis.setObjectName("compare_analysis")
        self.analysis.setTextFormat(Qt.TextFormat.PlainText)
        self._build()
        self._apply_preset()
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.start_edit.dateChanged.connect(self._on_date_edited)
        self.end_edit.dateChanged.connect(self._on_date_edited)

    def _build(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.title)
        controls.addStretch(1)
        for widget in (QLabel("Range:"), self.preset, QLabel("from"), self.start_edit):
            controls.addWidget(widget)
        controls.addWidget(QLabel("to"))
        controls.addWidget(self.end_edit)
        body = QHBoxLayout()
        self._chart.addWidget(self._waiting, 1)
        self._chart.addWidget(self.legend)
        self._chart.addWidget(self.readout)
        body.addLayout(self._chart, 3)
        body.addWidget(self.analysis, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(body, 1)

    def set_today(self, today: dt.date) -> None:
        self._today = today
        self._apply_preset()

    def dates(self) -> tuple[dt.date, dt.date]:
        return _day(self.start_edit.date()), _day(self.end_edit.date())

    def _apply_preset(self) -> None:
        key = self.preset.currentData()
        if key == "custom":
            return
        for edit in (self.start_edit, self.end_edit):
            edit.blockSignals(True)
        self.start_edit.setDate(_qdate(range_start(key, self._today)))
        self.end_edit.setDate(_qdate(self._today))
        for edit in (self.start_edit, self.end_edit):
            edit.blockSignals(False)

    def _on_preset_changed(self, _index: int) -> None:
        self._apply_preset()
        self.range_changed.emit()

    def _on_date_edited(self, _date: QDate) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(len(PRESETS) - 1)
        self.preset.blockSignals(False)
        self.range_changed.emit()

    def _ensure_plot(self) -> tuple[pg.PlotWidget, HoverReadout]:
        if self.plot is None or self.hover is None:
            self.plot = date_plot("Average health score (points, 0–100)")
            self.hover = HoverReadout(self.plot, self.readout, "Point at the chart to read a day.")
            self._chart.replaceWidget(self._waiting, self.plot)
            self._waiting.deleteLater()
        return self.plot, self.hover

    def clear(self, message: str) -> None:
        if self.plot is not None and self.hover is not None:
            self.plot.getPlotItem().clear()
            self.hover.set_days((), lambda _i: "")
        self.legend.clear()
        self.analysis.setText(message)

    def show_comparison(self, c: Comparison) -> None:
        plot, hover = self._ensure_plot()
        item = plot.getPlotItem()
        item.clear()
        entries = [(Color.MUTED, c.reference.label, True)]
        line(item, c.days, c.reference.values, Color.MUTED, c.reference.label, dashed=True)
        for color, s in zip(SERIES_COLORS, c.series, strict=False):
            name = f"{s.label} ({s.customers:,} accounts)"
            line(item, c.days, s.values, color, name)
            entries.append((color, name, False))
        self.legend.setText(legend_html(entries))
        self.analysis.setText("\n\n".join(c.analysis))
        set_date_axis(plot, c.days)
        hover.set_days(c.days, lambda i: _readout(c, i))


def _day(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _readout(c: Comparison, i: int) -> str:
    parts = [f"{c.days[i]:%d %b %Y}"]
    for s in (*c.series, c.reference):
        value = s.values[i]
        parts.append(f"{s.label} {'—' if value is None else f'{value:.1f}'}")
    return " · ".join(parts)
