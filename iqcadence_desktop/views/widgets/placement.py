"""Windows that fit the screen they open on.

A window remembered from a bigger monitor, or designed on one, must still open whole on
a laptop: it is shrunk to the available area of the screen it will appear on and moved
back onto that screen when any part of it would be off it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

#: Space left around a window that does not fill the screen (for the window frame).
MARGIN = 24


def screen_for(rect: QRect, anchor: QWidget | None = None) -> QScreen:
    """The screen under the rectangle's centre, else the anchor's, else the primary."""
    found = QGuiApplication.screenAt(rect.center())
    if found is None and anchor is not None:
        found = anchor.screen()
    return found or QGuiApplication.primaryScreen()


def fitted(rect: QRect, available: QRect, margin: int = MARGIN) -> QRect:
    """`rect` shrunk to fit `available` (less a margin) and moved fully onto it."""
    width = min(rect.width(), max(available.width() - margin, 200))
    height = min(rect.height(), max(available.height() - margin, 200))
    result = QRect(rect.topLeft(), QSize(width, height))
    if not available.contains(result):
        result.moveCenter(available.center())
    return result


def place_on_screen(window: QWidget, size: QSize, anchor: QWidget | None = None) -> None:
    """Give `window` at most `size`, centred over `anchor` (or its screen), all visible."""
    around = anchor.frameGeometry() if anchor is not None else window.frameGeometry()
    screen = screen_for(around, anchor)
    rect = QRect(QPoint(0, 0), size)
    rect.moveCenter(around.center() if anchor is not None else screen.availableGeometry().center())
    window.setGeometry(fitted(rect, screen.availableGeometry()))


def keep_on_screen(window: QWidget) -> None:
    """After restoring a saved geometry: make sure the window is whole on some screen."""
    frame = window.frameGeometry()
    available = screen_for(frame).availableGeometry()
    if available.contains(frame):
        return
    window.setGeometry(fitted(window.geometry(), available, margin=0))
