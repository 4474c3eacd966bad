"""The page's two charts: a reliability diagram and the churn rate of each band."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from iqcadence_desktop.services.model import CONTENDER_LABELS, Quality
from iqcadence_desktop.services.scoring import BAND_LABELS
from iqcadence_desktop.views.theme import BAND_COLORS, Color

#: Bins with fewer accounts are left out of the diagram (one account is 0 % or 100 %).
MIN_BIN_ROWS = 10
#: Line colour of each contender in the reliability diagram.
CONTENDER_COLORS = {"health": Color.WARNING, "model": Color.ACCENT, "prior": Color.MUTED}


def _plot(parent: QWidget | None = None) -> pg.PlotWidget:
    plot = pg.PlotWidget(parent, background="w")
    plot.setMinimumHeight(220)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setMenuEnabled(False)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setTextPen(pg.mkPen(Color.AXIS_TEXT))
        axis.setPen(pg.mkPen(Color.AXIS_LINE))
    return plot


class ReliabilityChart(QWidget):
    """Predicted chance (x) against how often accounts really churned (y), per bin."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = _plot()
        self.plot.setLabel("bottom", "Predicted chance of churning")
        self.plot.setLabel("left", "Share that churned")
        self.plot.addLegend(offset=(10, 10))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_quality(self, quality: Quality | None) -> None:
        self.plot.clear()
        self.plot.plot(
            [0, 1],
            [0, 1],
            pen=pg.mkPen(Color.BORDER_STRONG, style=Qt.PenStyle.DashLine),
            name="Perfectly calibrated",
        )
        if quality is None:
            return
        top = 0.05
        for c in quality.contenders:
            points = [
                (r.mean_predicted, r.observed_rate)
                for r in c.reliability
                if r.rows and r.mean_predicted is not None and r.observed_rate is not None
            ]
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            top = max(top, *xs, *ys)
            pen = pg.mkPen(CONTENDER_COLORS[c.key], width=2)
            self.plot.plot(
                list(xs),
                list(ys),
                pen=pen,
                symbol="o",
                symbolSize=7,
                symbolBrush=CONTENDER_COLORS[c.key],
                name=CONTENDER_LABELS[c.key],
            )
        limit = min(1.0, top * 1.1)
        self.plot.setXRange(0, limit)
        self.plot.setYRange(0, limit)


class BandChurnChart(QWidget):
    """Bars: the share of each band's accounts that churned within the horizon."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = _plot()
        self.plot.setLabel("left", "Churned within the horizon (%)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_quality(self, quality: Quality | None) -> None:
        self.plot.clear()
        bands = [] if quality is None else [b for b in quality.bands if b.rate is not None]
        axis = self.plot.getAxis("bottom")
        axis.setTicks([[(i, BAND_LABELS[b.band]) for i, b in enumerate(bands)]])
        for i, b in enumerate(bands):
            self.plot.addItem(
                pg.BarGraphItem(
                    x=[i],
                    height=[(b.rate or 0) * 100],
                    width=0.65,
                    brush=BAND_COLORS[b.band],
                    pen=None,
                )
            )
            label = pg.TextItem(
                f"{(b.rate or 0):.0%} of {b.accounts:,}", color=Color.INK, anchor=(0.5, 1.0)
            )
            label.setPos(i, (b.rate or 0) * 100)
            self.plot.addItem(label)
        top = max([(b.rate or 0) * 100 for b in bands] + [5.0])
        self.plot.setYRange(0, top * 1.25)
        self.plot.setXRange(-0.6, max(len(bands) - 0.4, 0.6))
