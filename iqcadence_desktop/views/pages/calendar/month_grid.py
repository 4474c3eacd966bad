"""The month grid: one cell per day, its most valuable entries as coloured chips.

Painted by hand (a month can hold thousands of entries at 10,000 accounts; only what
fits is drawn). Hover a chip for the customer, MRR and band; click it to open the
customer; click elsewhere in a day to select it. Keys: arrows move the selected day,
Page Up / Page Down change month, Home goes to today, Enter opens the day's first entry.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections import defaultdict

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from iqcadence_desktop.services.analytics import KINDS, CalendarEvent, MonthView
from iqcadence_desktop.views.theme import BAND_COLORS, Color, money

GLYPHS = {"renewal": "↻", "touch": "☎", "overdue": "⚠"}
HEADER = 22
CHIP = 17
PAD = 3
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def event_tip(e: CalendarEvent) -> str:
    score = "no score" if e.shown_score is None else f"health {e.shown_score}"
    lines = [
        f"<b>{e.name}</b>",
        f"{KINDS[e.kind]} on {e.day:%a %d %b %Y}",
        f"MRR {money(e.mrr_cents)} · {e.band_label} ({score})",
    ]
    if e.manager:
        lines.append(f"Manager: {e.manager}")
    return "<br>".join(lines)


class MonthGrid(QWidget):
    """Signals:
    customer_clicked(int): a chip was clicked.
    day_selected(object): the selected day changed (a date).
    month_step_requested(int): the keyboard asked for the previous (-1) or next (+1) month.
    today_requested(): Home was pressed.
    """

    customer_clicked = Signal(int)
    day_selected = Signal(object)
    month_step_requested = Signal(int)
    today_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("month_grid")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Month calendar")
        self.view: MonthView | None = None
        self.selected: dt.date | None = None
        self._by_day: dict[dt.date, list[CalendarEvent]] = {}
        self._chips: list[tuple[QRect, CalendarEvent]] = []

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(7 * 70, HEADER + 6 * 60)

    def set_view(self, view: MonthView, selected: dt.date | None = None) -> None:
        self.view = view
        found: dict[dt.date, list[CalendarEvent]] = defaultdict(list)
        for e in view.events:
            found[e.day].append(e)
        self._by_day = found
        inside = selected if selected and view.first <= selected <= view.last else None
        today = view.today if view.first <= view.today <= view.last else view.first
        self.selected = inside or today
        self.update()

    def events_on(self, day: dt.date) -> list[CalendarEvent]:
        return list(self._by_day.get(day, ()))

    # -- geometry ----------------------------------------------------------------------
    def _weeks(self) -> list[list[dt.date]]:
        assert self.view is not None
        weeks = cal.Calendar(firstweekday=0).monthdatescalendar(self.view.year, self.view.month)
        return [list(w) for w in weeks]

    def cell_rect(self, day: dt.date) -> QRect:
        weeks = self._weeks()
        width, height = self.width() / 7, (self.height() - HEADER) / len(weeks)
        for row, week in enumerate(weeks):
            if day in week:
                col = week.index(day)
                return QRect(
                    int(col * width), int(HEADER + row * height), int(width) - 1, int(height) - 1
                )
        return QRect()

    def day_at(self, pos: QPoint) -> dt.date | None:
        if self.view is None or pos.y() < HEADER:
            return None
        weeks = self._weeks()
        col = min(6, int(pos.x() / (self.width() / 7)))
        row = min(len(weeks) - 1, int((pos.y() - HEADER) / ((self.height() - HEADER) / len(weeks))))
        return weeks[row][col]

    def chip_at(self, pos: QPoint) -> CalendarEvent | None:
        return next((e for rect, e in self._chips if rect.contains(pos)), None)

    # -- painting ----------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(Color.SURFACE))
        self._chips = []
        if self.view is None:
            return
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        painter.setFont(small)
        width = self.width() / 7
        painter.setPen(QColor(Color.MUTED))
        for col, name in enumerate(WEEKDAYS):
            painter.drawText(
                QRectF(col * width, 0, width, HEADER), Qt.AlignmentFlag.AlignCenter, name
            )
        for week in self._weeks():
            for day in week:
                self._paint_day(painter, day)

    def _paint_day(self, painter: QPainter, day: dt.date) -> None:
        assert self.view is not None
        rect = self.cell_rect(day)
        inside = day.month == self.view.month
        fill = Color.SURFACE if inside else Color.SURFACE_ALT
        painter.fillRect(rect, QColor(fill))
        border = Color.ACCENT if day == self.selected else Color.BORDER
        painter.setPen(QColor(border))
        painter.drawRect(
            rect.adjusted(0, 0, -1, -1) if day != self.selected else rect.adjusted(1, 1, -2, -2)
        )
        today = day == self.view.today
        painter.setPen(QColor(Color.ACCENT if today else (Color.INK if inside else Color.FAINT)))
        bold = QFont(painter.font())
        bold.setBold(today)
        painter.setFont(bold)
        painter.drawText(
            rect.adjusted(PAD + 1, PAD, -PAD, 0), Qt.AlignmentFlag.AlignLeft, str(day.day)
        )
        bold.setBold(False)
        painter.setFont(bold)
        if inside:
            self._paint_chips(painter, rect, self._by_day.get(day, []))

    def _paint_chips(self, painter: QPainter, rect: QRect, events: list[CalendarEvent]) -> None:
        metrics = QFontMetrics(painter.font())
        top = rect.top() + PAD + metrics.height() + 2
        room = max(0, (rect.bottom() - top - PAD) // CHIP)
        shown = events if len(events) <= room else events[: max(room - 1, 0)]
        for i, e in enumerate(shown):
            chip = QRect(rect.left() + PAD, top + i * CHIP, rect.width() - 2 * PAD, CHIP - 2)
            painter.fillRect(chip.adjusted(0, 0, 0, 0), QColor(Color.SURFACE_ALT))
            painter.fillRect(
                QRect(chip.left(), chip.top(), 4, chip.height()),
                QColor(BAND_COLORS.get(e.status, Color.NEUTRAL)),
            )
            painter.setPen(QColor(Color.INK))
            text = metrics.elidedText(
                f"{GLYPHS[e.kind]} {e.name}", Qt.TextElideMode.ElideRight, chip.width() - 8
            )
            painter.drawText(chip.adjusted(7, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter, text)
            self._chips.append((chip, e))
        hidden = len(events) - len(shown)
        if hidden > 0:
            painter.setPen(QColor(Color.MUTED))
            more = QRect(rect.left() + PAD, top + len(shown) * CHIP, rect.width() - 2 * PAD, CHIP)
            painter.drawText(more, Qt.AlignmentFlag.AlignVCenter, f"+{hidden:,} more")

    # -- input -------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        chip = self.chip_at(event.position().toPoint())
        if chip is None:
            QToolTip.hideText()
            self.setCursor(Qt.CursorShape.ArrowCursor)
        else:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            QToolTip.showText(event.globalPosition().toPoint(), event_tip(chip), self)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        chip = self.chip_at(pos)
        day = self.day_at(pos)
        if day is not None and self.view is not None and day.month == self.view.month:
            self.select(day)
        if chip is not None:
            self.customer_clicked.emit(chip.customer_id)

    def select(self, day: dt.date) -> None:
        if self.view is None:
            return
        if not self.view.first <= day <= self.view.last:
            self.month_step_requested.emit(1 if day > self.view.last else -1)
            self.selected = day
            return
        self.selected = day
        self.update()
        self.day_selected.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key, day = event.key(), self.selected
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if key == Qt.Key.Key_PageUp:
            self.month_step_requested.emit(-1)
        elif key == Qt.Key.Key_PageDown:
            self.month_step_requested.emit(1)
        elif key == Qt.Key.Key_Home:
            self.today_requested.emit()
        elif key in steps and day is not None:
            self.select(day + dt.timedelta(days=steps[Qt.Key(key)]))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and day is not None:
            found = self._by_day.get(day)
            if found:
                self.customer_clicked.emit(found[0].customer_id)
        else:
            super().keyPressEvent(event)
