"""The Trends chart: a primary metric on the left axis, an optional second metric on
its own right axis, overlays, and a read-out of the day under the mouse."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from iqcadence_desktop.services.analytics import METRICS, Series, TrendView
from iqcadence_desktop.views.theme import BAND_COLORS, SERIES_COLORS, Color
from iqcadence_desktop.views.widgets.charts import (
    HoverReadout,
    date_plot,
    legend_html,
    line,
    set_date_axis,
    stamps,
    style_axis,
    values_array,
)
from iqcadence_desktop.views.widgets.page_parts import muted

SECONDARY_COLOR = Color.WARNING


def axis_label(metric: str) -> str:
    m = METRICS[metric]
    return f"{m.label} ({m.unit})"


def axis_scale(metric: str, series: list[Series]) -> tuple[float, str]:
    """Money in thousands or millions of dollars when totals are large (the axis says
    which); everything else as it is."""
    m = METRICS[metric]
    top = max((abs(v) for s in series for v in s.values if v is not None), default=0.0)
    if not m.unit.startswith("$") or top < 10_000:
        return 1.0, axis_label(metric)
    factor, words = (1e6, "millions") if top >= 1e6 else (1e3, "thousands")
    return factor, f"{m.label} ($ {words}{m.unit[1:]})"


class TrendChart(QWidget):
    """Two-axis date chart for a TrendView."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = date_plot(axis_label("health"))
        self.item = self.plot.getPlotItem()
        self.legend = QLabel()
        self.legend.setObjectName("trend_legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self._lines: list[tuple[str, str]] = []
        self._items: list[pg.PlotDataItem] = []
        self.right = pg.ViewBox(enableMenu=False)
        self.item.scene().addItem(self.right)
        self.item.getAxis("right").linkToView(self.right)
        self.right.setXLink(self.item)
        self.item.vb.sigResized.connect(self._on_view_resized)
        self.readout: QLabel = muted(wrap=False)
        self.readout.setObjectName("trend_readout")
        self.hover = HoverReadout(self.plot, self.readout, "Point at the chart to read a day.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.readout)

    def _on_view_resized(self) -> None:
        self.right.setGeometry(self.item.vb.sceneBoundingRect())
        self.right.linkedViewChanged(self.item.vb, self.right.XAxis)

    def show_view(self, view: TrendView) -> None:
        self.plot.setUpdatesEnabled(False)  # one repaint for the whole redraw
        try:
            self._draw(view)
        finally:
            self.plot.setUpdatesEnabled(True)

    def _draw(self, view: TrendView) -> None:
        request = view.request
        left = [s for s in view.series if s.axis == "left"]
        left_factor, left_label = axis_scale(request.metric, left)
        style_axis(self.item.getAxis("left"), left_label)
        right_factor = 1.0
        if request.secondary:
            right = [s for s in view.series if s.axis == "right"]
            right_factor, right_label = axis_scale(request.secondary, right)
            self.item.showAxis("right")
            style_axis(self.item.getAxis("right"), right_label)
        else:
            self.item.hideAxis("right")
        lines = [(s.key, s.axis) for s in view.series]
        reuse = lines == self._lines  # same lines, another range: new data, same items
        if not reuse:
            self.item.clear()
            self.right.clear()
            self._items = []
            self._lines = lines
        overlay, entries = 0, []
        for i, s in enumerate(view.series):
            color, dashed, target = self._style(s, overlay)
            overlay += s.role == "overlay"
            factor = right_factor if s.axis == "right" else left_factor
            values = [None if v is None else v / factor for v in s.values]
            if reuse:
                self._items[i].setData(stamps(view.days), values_array(values))
            else:
                self._items.append(line(target, view.days, values, color, s.label, dashed))
            side = " (right axis)" if target is self.right else ""
            entries.append((color, s.label + side, dashed))
        self.legend.setText(legend_html(entries))
        self.right.enableAutoRange()
        self.item.enableAutoRange()
        set_date_axis(self.plot, view.days)
        self.hover.set_days(view.days, lambda i: readout(view, i))

    def _style(self, s: Series, overlay: int) -> tuple[str, bool, pg.PlotItem | pg.ViewBox]:
        if s.band is not None:
            target = self.item if s.axis == "left" else self.right
            return BAND_COLORS[s.band], s.axis == "right", target
        if s.role == "primary":
            return SERIES_COLORS[0], False, self.item
        if s.role == "secondary":
            return SECONDARY_COLOR, True, self.right
        return SERIES_COLORS[1 + overlay % (len(SERIES_COLORS) - 1)], False, self.item


def readout(view: TrendView, i: int) -> str:
    parts = [f"{view.days[i]:%a %d %b %Y}"]
    for s in view.series:
        key = view.request.secondary if s.role == "secondary" else None
        metric = METRICS[key or view.request.metric]
        value = s.values[i]
        parts.append(f"{s.label}: {'no data' if value is None else metric.fmt(value)}")
    return " · ".join(parts)
