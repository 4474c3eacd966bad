"""A small line of a segment's average score over the last 30 days, drawn in its cell."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from iqcadence_desktop.views.table_models.record_table_model import RECORD_ROLE
from iqcadence_desktop.views.theme import Color

_Index = QModelIndex | QPersistentModelIndex
MARGIN = 5
#: The smallest score range a sparkline spans (points).
FLOOR = 6.0


class SparklineDelegate(QStyledItemDelegate):
    """Paints `record.trend` (values or None) as a line scaled to the row's own range;
    the last point is a dot, green when the line ends higher than it started, red lower."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        record = index.data(RECORD_ROLE)
        values = [v for v in getattr(record, "trend", ()) if v is not None]
        if len(values) < 2:
            return
        area = QRectF(option.rect).adjusted(MARGIN, MARGIN, -MARGIN - 4, -MARGIN)
        low, high = min(values), max(values)
        # At least FLOOR points tall, centred: a wobble of a few tenths stays flat.
        span = max(high - low, FLOOR)
        low -= (span - (high - low)) / 2
        step = area.width() / (len(values) - 1)
        points = [
            QPointF(area.left() + i * step, area.bottom() - (v - low) / span * area.height())
            for i, v in enumerate(values)
        ]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(Color.ACCENT), 1.6))
        painter.drawPolyline(QPolygonF(points))
        end = Color.SUCCESS if values[-1] > values[0] + 0.5 else Color.INK
        end = Color.DANGER if values[-1] < values[0] - 0.5 else end
        painter.setBrush(QColor(end))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(points[-1], 2.6, 2.6)
        painter.restore()
