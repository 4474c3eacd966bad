"""A horizontal bar chart of active alerts per category (pyqtgraph)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from iqcadence_desktop.services.alerts import CATEGORIES, CATEGORY_LABELS
from iqcadence_desktop.views.theme import ACCENT, Color


class CategoryChart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """One bar per category, longest = most active alerts; the count is printed at the end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMenuEnabled(False)
        item = self.getPlotItem()
        item.hideAxis("bottom")
        axis = item.getAxis("left")
        axis.setTicks([[(i, CATEGORY_LABELS[c]) for i, c in enumerate(CATEGORIES)]])
        axis.setTextPen(Color.AXIS_TEXT)
        axis.setPen(Color.AXIS_LINE)
        axis.setWidth(112)  # room for "Quiet accounts"; auto-expansion lags a paint behind
        item.invertY(True)
        self._bars: pg.BarGraphItem | None = None
        self._labels: list[pg.TextItem] = []
        self.counts: dict[str, int] = {}

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = dict(counts)
        item = self.getPlotItem()
        if self._bars is not None:
            item.removeItem(self._bars)
        for label in self._labels:
            item.removeItem(label)
        values = [counts.get(c, 0) for c in CATEGORIES]
        self._bars = pg.BarGraphItem(
            x0=0, y=list(range(len(values))), height=0.6, width=values, brush=ACCENT, pen=None
        )
        item.addItem(self._bars)
        self._labels = []
        for i, value in enumerate(values):
            label = pg.TextItem(str(value), color=Color.AXIS_TEXT, anchor=(0, 0.5))
            label.setPos(value, i)
            item.addItem(label)
            self._labels.append(label)
        top = max(values + [1])
        item.setXRange(0, top * 1.4, padding=0)  # room for the count after the bar
        item.setYRange(-0.6, len(values) - 0.4, padding=0)
