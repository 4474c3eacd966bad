"""A bar split into the health bands, drawn in a leaderboard cell."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from iqcadence_desktop.services.scoring import BANDS, UNSCORED
from iqcadence_desktop.views.table_models.record_table_model import RECORD_ROLE
from iqcadence_desktop.views.theme import BAND_COLORS

_Index = QModelIndex | QPersistentModelIndex


class BandBarDelegate(QStyledItemDelegate):
    """Paints `record.band_counts` (bands then unscored) as one stacked bar."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        option.text = ""
        widget = option.widget
        if widget is not None:
            widget.style().drawControl(
                QStyle.ControlElement.CE_ItemViewItem, option, painter, widget
            )
        counts = getattr(index.data(RECORD_ROLE), "band_counts", ())
        total = sum(counts)
        if not total:
            return
        area = QRectF(option.rect).adjusted(6, 7, -6, -7)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        x = area.left()
        for band, n in zip((*BANDS, UNSCORED), counts, strict=True):
            width = area.width() * n / total
            painter.setBrush(QColor(BAND_COLORS[band]))
            painter.drawRect(QRectF(x, area.top(), width, area.height()))
            x += width
        painter.restore()
