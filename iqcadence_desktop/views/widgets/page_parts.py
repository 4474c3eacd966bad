"""Pieces the analyst's pages share: a page header, a helpful empty state and a
progress bar that appears only when loading is slow."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: Loads quicker than this show no progress bar at all (no flicker).
SLOW_MS = 200
#: A page's follow-up read (trend lines, a manager's detail) starts this long after the
#: first figures are set, so their paint does not share the interpreter with the read.
FOLLOW_UP_MS = 40
#: Rows a table reads to size its columns to their contents.
SIZE_ROWS = 30


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "page-title")
    return label


def muted(text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "muted")
    label.setWordWrap(wrap)
    return label


class EmptyState(QWidget):
    """What a page says when there is nothing to show, and where to go next.

    Signals:
        action_clicked(str): one of the offered buttons was clicked (its key).
    """

    action_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        self.title = QLabel()
        self.title.setProperty("role", "empty-title")
        self.title.setWordWrap(True)
        self.body = muted()
        self.body.setMaximumWidth(620)
        self._buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 32, 24, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addLayout(self._buttons)
        layout.addStretch(1)

    def show_message(self, title: str, body: str, actions: Sequence[tuple[str, str]] = ()) -> None:
        """Set the message and the buttons offered: (key, button text) pairs."""
        self.title.setText(title)
        self.body.setText(body)
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            widget = None if item is None else item.widget()
            if widget is not None:
                widget.deleteLater()
        for key, text in actions:
            button = QPushButton(text)
            button.setObjectName(f"empty_{key}")
            button.clicked.connect(lambda _=False, k=key: self.action_clicked.emit(k))
            self._buttons.addWidget(button)
        self._buttons.addStretch(1)


class BusyBar(QProgressBar):
    """A thin progress bar shown only when work takes longer than SLOW_MS.

    `start()` when a load begins, `progress(done, total)` if the work reports it,
    `stop()` when it ends; the bar keeps its height so nothing below it jumps.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busy_bar")
        self.setTextVisible(False)
        self.setFixedHeight(4)
        self.setRange(0, 0)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SLOW_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._busy = 0
        sp = self.sizePolicy()
        sp.setRetainSizeWhenHidden(True)
        self.setSizePolicy(sp)
        self.hide()

    def start(self) -> None:
        self._busy += 1
        if not self._timer.isActive() and not self.isVisible():
            self._timer.start()

    def progress(self, done: int, total: int) -> None:
        self.setRange(0, max(total, 1))
        self.setValue(done)

    def stop(self) -> None:
        self._busy = max(0, self._busy - 1)
        if not self._busy:
            self._timer.stop()
            self.setRange(0, 0)
            self.hide()

    def is_busy(self) -> bool:
        return self._busy > 0

    def _on_timer_timeout(self) -> None:
        if self._busy:
            self.show()


def header_row(*widgets: QWidget, stretch_after: int = 1) -> QHBoxLayout:
    """Widgets left to right with a stretch after the first `stretch_after` of them."""
    row = QHBoxLayout()
    for i, widget in enumerate(widgets):
        if i == stretch_after:
            row.addStretch(1)
        row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
    if stretch_after >= len(widgets):
        row.addStretch(1)
    return row
