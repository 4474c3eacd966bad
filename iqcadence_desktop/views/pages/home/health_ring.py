"""The portfolio health ring: one arc per band, sized by its share of scored accounts."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from iqcadence_desktop.services.scoring import BANDS
from iqcadence_desktop.views.theme import BAND_COLORS, Color

GAP_DEGREES = 2.0


class HealthRing(QWidget):
    """Painted with QPainter; the average score sits in the middle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: dict[str, int] = {}
        self.average: int | None = None
        self.setMinimumSize(140, 140)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setToolTip("Accounts per health band")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(150, 150)

    def set_data(self, counts: dict[str, int], average: int | None) -> None:
        self.counts = {b: counts.get(b, 0) for b in BANDS}
        self.average = average
        parts = [f"{b.replace('_', ' ').title()}: {n}" for b, n in self.counts.items()]
        self.setToolTip("Accounts per band — " + ", ".join(parts))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 16
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        self._paint_arcs(painter, rect, max(10.0, side / 9))
        self._paint_centre(painter, rect)
        painter.end()

    def _paint_arcs(self, painter: QPainter, rect: QRectF, width: float) -> None:
        total = sum(self.counts.values())
        if total == 0:
            painter.setPen(QPen(QColor(Color.BORDER), width))
            painter.drawArc(rect, 0, 360 * 16)
            return
        start = 90.0  # twelve o'clock, going clockwise
        for band in BANDS:
            n = self.counts.get(band, 0)
            if n == 0:
                continue
            span = 360.0 * n / total
            pen = QPen(QColor(BAND_COLORS[band]), width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            gap = GAP_DEGREES if span > 2 * GAP_DEGREES else 0.0
            painter.drawArc(rect, int((start - gap / 2) * 16), int(-(span - gap) * 16))
            start -= span

    def _paint_centre(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(QColor(Color.INK))
        font = QFont(self.font())
        font.setPixelSize(int(rect.height() / 4))
        font.setBold(True)
        painter.setFont(font)
        text = "—" if self.average is None else str(self.average)
        upper = QRectF(rect.left(), rect.top(), rect.width(), rect.height() * 0.6)
        painter.drawText(upper, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)
        font.setPixelSize(max(10, int(rect.height() / 12)))
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(QColor(Color.MUTED))
        lower = QRectF(
            rect.left(), rect.top() + rect.height() * 0.6, rect.width(), rect.height() * 0.2
        )
        painter.drawText(
            lower, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, "avg health"
        )
