"""Workload balance: each manager's accounts and MRR as a share of the team median."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from iqcadence_desktop.services.analytics import Leaderboard
from iqcadence_desktop.views.theme import SERIES_COLORS, Color, money
from iqcadence_desktop.views.widgets.charts import legend_html, pen, style_axis
from iqcadence_desktop.views.widgets.page_parts import muted

WIDTH = 0.38
ACCOUNTS_COLOR, MRR_COLOR = SERIES_COLORS[0], SERIES_COLORS[2]


class WorkloadChart(QWidget):
    """Two bars per manager (accounts, MRR) in % of the team median; 100 % is marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workload_chart")
        # Built when the tab is first shown: it sits behind a tab, and pyqtgraph's set-up
        # would otherwise delay the page's first paint.
        self.plot: pg.PlotWidget | None = None
        self.board: Leaderboard | None = None
        self.caption = muted()
        self.legend = QLabel(
            legend_html(
                [
                    (ACCOUNTS_COLOR, "Accounts", False),
                    (MRR_COLOR, "MRR", False),
                    (Color.MUTED, "Team median (100 %)", True),
                ]
            )
        )
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.legend)
        self._layout.addWidget(self.caption)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.plot is None:
            self.plot = _plot()
            self._layout.insertWidget(1, self.plot, 1)
            if self.board is not None:
                self.show_board(self.board)

    def show_board(self, board: Leaderboard) -> None:
        self.board = board
        self.caption.setText(
            f"Team median: {board.median_customers:,.0f} accounts and "
            f"{money(int(board.median_mrr_cents))} MRR per manager. A bar above the dashed "
            "line is a bigger book than the median manager's."
        )
        if self.plot is None:
            return
        item = self.plot.getPlotItem()
        item.clear()
        rows = board.rows
        if not rows:
            return
        x = np.arange(len(rows), dtype=float)
        accounts = [_share(r.customers, board.median_customers) for r in rows]
        mrr = [_share(r.mrr_cents, board.median_mrr_cents) for r in rows]
        for offset, values, color in (
            (-WIDTH / 2, accounts, ACCOUNTS_COLOR),
            (WIDTH / 2, mrr, MRR_COLOR),
        ):
            item.addItem(
                pg.BarGraphItem(x=x + offset, height=values, width=WIDTH, brush=color, pen=None)
            )
        item.addItem(pg.InfiniteLine(pos=100, angle=0, pen=pen(Color.MUTED, 1, dashed=True)))
        item.getAxis("bottom").setTicks([[(i, _short(r.label)) for i, r in enumerate(rows)]])
        item.setXRange(-0.7, len(rows) - 0.3, padding=0)
        item.setYRange(0, max(max(accounts), max(mrr), 120) * 1.1, padding=0)


def _plot() -> pg.PlotWidget:
    plot = pg.PlotWidget(background=Color.SURFACE)
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    item.showGrid(x=False, y=True, alpha=0.15)
    style_axis(item.getAxis("left"), "% of team median")
    style_axis(item.getAxis("bottom"), "Manager")
    plot.setMouseEnabled(x=False, y=False)
    plot.setMinimumHeight(150)
    return plot


def _share(value: float, median: float) -> float:
    return 100.0 * value / median if median else 0.0


def _short(name: str) -> str:
    return name if len(name) <= 12 else name.split()[0][:12]
