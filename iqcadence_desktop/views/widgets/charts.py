"""pyqtgraph charts in the house style: white, labelled axes with units, dates along
the bottom, and a read-out of the values under the mouse.

Shared by Segments, Trends and CSM Performance.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import time
from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel

from iqcadence_desktop.views.theme import Color

Readout = Callable[[int], str]


def day_stamp(day: dt.date) -> float:
    """Seconds since the epoch at local midnight (what DateAxisItem reads)."""
    return time.mktime(day.timetuple())


def stamps(days: Sequence[dt.date]) -> np.ndarray:
    return np.array([day_stamp(d) for d in days], dtype=float)


def values_array(values: Sequence[float | None]) -> np.ndarray:
    return np.array([math.nan if v is None else v for v in values], dtype=float)


def style_axis(axis: pg.AxisItem, label: str) -> None:
    axis.enableAutoSIPrefix(False)  # units are in the label, never "(x1e+09)"
    axis.setPen(pg.mkPen(Color.AXIS_LINE))
    axis.setTextPen(pg.mkPen(Color.AXIS_TEXT))
    axis.setLabel(label, color=Color.AXIS_TEXT)


def date_ticks(days: Sequence[dt.date]) -> list[list[tuple[float, str]]]:
    """Tick marks for a run of days: each day, each Monday, each month or each quarter,
    whichever gives a readable number of labels (set by hand: pyqtgraph's DateAxisItem
    costs more to build than the rest of the chart)."""
    if not days:
        return [[]]
    first, last = days[0], days[-1]
    span = (last - first).days
    if span <= 12:
        picked = list(days)
        fmt = "%d %b"
    elif span <= 70:
        picked = [d for d in days if d.weekday() == 0]
        fmt = "%d %b"
    else:
        months = (1, 4, 7, 10) if span > 400 else tuple(range(1, 13))
        picked = [d for d in days if d.day == 1 and d.month in months]
        fmt = "%b %Y" if span > 400 else "%b"
    ticks = [(day_stamp(d), _tick_text(d, fmt)) for d in picked]
    return [ticks]


def _tick_text(day: dt.date, fmt: str) -> str:
    text = day.strftime(fmt)
    if fmt == "%b" and day.month == 1:
        text += f" {day.year}"  # the year shows where it changes
    return text.lstrip("0")


def set_date_axis(plot: pg.PlotWidget, days: Sequence[dt.date]) -> None:
    plot.getPlotItem().getAxis("bottom").setTicks(date_ticks(days))


def date_plot(left_label: str, bottom_label: str = "Date") -> pg.PlotWidget:
    """A white plot with dates along the bottom (see `set_date_axis`) and a labelled
    left axis."""
    # No context menu on the view (building it is a third of the chart's set-up).
    plot = pg.PlotWidget(background=Color.SURFACE, viewBox=pg.ViewBox(enableMenu=False))
    item = plot.getPlotItem()
    item.showGrid(x=False, y=True, alpha=0.15)
    item.setMenuEnabled(False)
    item.hideButtons()
    style_axis(item.getAxis("left"), left_label)
    style_axis(item.getAxis("bottom"), bottom_label)
    plot.setMouseEnabled(x=False, y=False)
    plot.setMinimumHeight(160)
    return plot


def pen(color: str, width: float = 2.0, dashed: bool = False) -> pg.QtGui.QPen:
    style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
    return pg.mkPen(color, width=width, style=style)


def line(
    target: pg.PlotItem | pg.ViewBox,
    days: Sequence[dt.date],
    values: Sequence[float | None],
    color: str,
    name: str,
    dashed: bool = False,
    width: float = 2.0,
) -> pg.PlotDataItem:
    """Add one series; days without a value break the line instead of bridging it."""
    item = pg.PlotDataItem(
        stamps(days),
        values_array(values),
        pen=pen(color, width, dashed),
        name=name,
        connect="finite",
    )
    target.addItem(item)
    return item


def legend_html(entries: Sequence[tuple[str, str, bool]]) -> str:
    """A one-line legend under a chart (kept off the plot, where it would hide lines):
    (colour, text, dashed) per series."""
    parts = []
    for color, text, dashed in entries:
        mark = "╍╍" if dashed else "━━"
        parts.append(f"<span style='color:{color}'>{mark}</span>&nbsp;{html.escape(text)}")
    return " &nbsp;&nbsp; ".join(parts)


class HoverReadout:
    """Follows the mouse over a date plot: a vertical line on the nearest day and a
    caption, written by `describe(day_index)`, in the given label."""

    def __init__(self, plot: pg.PlotWidget, label: QLabel, hint: str) -> None:
        self._plot, self._label, self._hint = plot, label, hint
        self._stamps = np.zeros(0)
        self._describe: Readout | None = None
        self._line = pg.InfiniteLine(angle=90, pen=pen(Color.BORDER_STRONG, 1, dashed=True))
        self._line.hide()
        plot.addItem(self._line, ignoreBounds=True)
        plot.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        label.setText(hint)

    def set_days(self, days: Sequence[dt.date], describe: Readout) -> None:
        self._stamps, self._describe = stamps(days), describe
        plot_item = self._plot.getPlotItem()
        if self._line.scene() is None:  # the plot was cleared
            plot_item.addItem(self._line, ignoreBounds=True)
        self._line.hide()
        self._label.setText(self._hint)

    def show_index(self, index: int) -> None:
        """Show the read-out for one day (what a hover does; tests call it directly)."""
        if self._describe is None or not 0 <= index < len(self._stamps):
            return
        self._line.setPos(self._stamps[index])
        self._line.show()
        self._label.setText(self._describe(index))

    def _on_scene_mouse_moved(self, pos: QPointF) -> None:
        if not len(self._stamps):
            return
        view = self._plot.getPlotItem().vb
        if not view.sceneBoundingRect().contains(pos):
            return
        x = view.mapSceneToView(pos).x()
        self.show_index(int(np.abs(self._stamps - x).argmin()))
