"""The detail window's History tab: score over time on band colours, and the snapshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.customers import SnapshotDTO
from iqcadence_desktop.services.scoring import BAND_LABELS, BandThresholds
from iqcadence_desktop.views.theme import BAND_COLORS, Color

HEADERS = (
    "Day",
    "Score",
    "Band",
    "Coverage",
    "Logins",
    "Adoption %",
    "Tickets",
    "NPS",
    "Since contact (d)",
)


def band_ranges(t: BandThresholds) -> list[tuple[str, float, float]]:
    """(band, low, high) on the 0-100 axis, for the coloured background."""
    return [
        ("critical", 0, t.at_risk),
        ("at_risk", t.at_risk, t.watch),
        ("watch", t.watch, t.healthy),
        ("healthy", t.healthy, t.expansion),
        ("expansion", t.expansion, 100),
    ]


class HistoryTab(QWidget):
    """A pyqtgraph line of daily scores over coloured bands, and a newest-first table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setBackground("w")
        self.plot.setYRange(0, 100, padding=0)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.getPlotItem().getAxis("left").setLabel("Score")
        self.plot.setMinimumHeight(180)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("snapshots")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.plot)
        splitter.addWidget(self.table)
        splitter.setSizes([320, 240])
        self.empty = QLabel(
            "No history yet: a snapshot of the score and signals is stored every day the "
            "account is scored, so the chart fills in from tomorrow."
        )
        self.empty.setObjectName("empty_hint")
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(splitter)
        self.curve: pg.PlotDataItem | None = None

    def show_history(self, snaps: Sequence[SnapshotDTO], bands: BandThresholds) -> None:
        self.empty.setVisible(len(snaps) < 2)  # one point is not a trend yet
        self._draw(snaps, bands)
        self._fill(snaps)

    def _draw(self, snaps: Sequence[SnapshotDTO], bands: BandThresholds) -> None:
        self.plot.clear()
        for band, low, high in band_ranges(bands):
            color = QColor(BAND_COLORS[band])
            color.setAlpha(40)
            region = pg.LinearRegionItem(
                (low, high),
                orientation="horizontal",
                movable=False,
                brush=color,
                pen=pg.mkPen(None),
            )
            region.setZValue(-10)
            self.plot.addItem(region)
        scored = [s for s in snaps if s.score is not None]
        xs = [_epoch(s.day) for s in scored]
        ys = [float(s.score) for s in scored if s.score is not None]
        self.curve = self.plot.plot(
            xs,
            ys,
            pen=pg.mkPen(Color.INK, width=2),
            symbol="o",
            symbolSize=4,
            symbolBrush=Color.INK,
        )
        if xs:
            pad = 43200.0 if len(xs) == 1 else 0.0
            self.plot.setXRange(xs[0] - pad, xs[-1] + pad, padding=0.02)

    def _fill(self, snaps: Sequence[SnapshotDTO]) -> None:
        rows = list(reversed(snaps))
        self.table.setRowCount(len(rows))
        for r, s in enumerate(rows):
            cells = (
                s.day.isoformat(),
                "—" if s.score is None else str(int(s.score + 0.5)),
                BAND_LABELS.get(s.status, s.status),
                f"{s.coverage:.0%}",
                _opt(s.logins_30d),
                _opt(s.feature_adoption_pct),
                _opt(s.open_tickets),
                _opt(s.nps),
                _opt(s.days_since_contact),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setForeground(QColor(BAND_COLORS.get(s.status, Color.INK)))
                self.table.setItem(r, c, item)


def _epoch(d: dt.date) -> float:
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC).timestamp()


def _opt(value: object) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)
