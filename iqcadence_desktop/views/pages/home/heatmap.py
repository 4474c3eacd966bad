"""A heatmap of accounts per row (tier or manager) and health band, painted by hand."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from iqcadence_desktop.services.portfolio import Heatmap
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS
from iqcadence_desktop.views.theme import BAND_COLORS, Color

ROW_HEIGHT = 26
HEADER_HEIGHT = 22
LABEL_WIDTH = 130


class HealthHeatmap(QWidget):
    """Each cell's colour is its band, its strength the cell's share of the busiest cell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = Heatmap((), ())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(LABEL_WIDTH + 5 * 48)

    def set_heatmap(self, data: Heatmap) -> None:
        self.data = data
        self.setFixedHeight(HEADER_HEIGHT + ROW_HEIGHT * max(1, len(data.rows)) + 4)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(LABEL_WIDTH + 5 * 90, HEADER_HEIGHT + ROW_HEIGHT * len(self.data.rows) + 4)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        cell_w = (self.width() - LABEL_WIDTH) / len(BANDS)
        painter.setPen(QColor(Color.MUTED))
        for i, band in enumerate(BANDS):
            rect = QRectF(LABEL_WIDTH + i * cell_w, 0, cell_w, HEADER_HEIGHT)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, BAND_LABELS[band])
        if not self.data.rows:
            painter.drawText(
                QRectF(0, HEADER_HEIGHT, self.width(), ROW_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                "No scored accounts yet.",
            )
        top = max((n for row in self.data.counts for n in row), default=0) or 1
        for r, name in enumerate(self.data.rows):
            y = HEADER_HEIGHT + r * ROW_HEIGHT
            painter.setPen(QColor(Color.INK))
            painter.drawText(
                QRectF(0, y, LABEL_WIDTH - 8, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                painter.fontMetrics().elidedText(
                    name, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 12
                ),
            )
            for i, band in enumerate(BANDS):
                self._cell(
                    painter,
                    QRectF(LABEL_WIDTH + i * cell_w + 2, y + 2, cell_w - 4, ROW_HEIGHT - 4),
                    band,
                    self.data.counts[r][i],
                    top,
                )
        painter.end()

    def _cell(self, painter: QPainter, rect: QRectF, band: str, n: int, top: int) -> None:
        color = QColor(BAND_COLORS[band])
        color.setAlphaF(0.08 if n == 0 else 0.2 + 0.8 * n / top)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(QColor(Color.ON_FILL) if n / top > 0.55 else QColor(Color.INK))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(n) if n else "")
