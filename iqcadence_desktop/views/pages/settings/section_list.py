"""A list of sections beside the section on show: ten settings sections never fit in a
row of tabs on a laptop, a list does (and reads top to bottom)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QStackedWidget, QWidget

LIST_WIDTH = 180


class SectionList(QWidget):
    """The small part of QTabWidget's API the settings page uses, laid out as a list.

    Signals:
        currentChanged(int): another section is on show.
    """

    currentChanged = Signal(int)  # noqa: N815 (the QTabWidget name, so callers need not care)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("settings_sections")
        self.list.setFixedWidth(LIST_WIDTH)
        self.list.setAccessibleName("Settings sections")
        self.stack = QStackedWidget()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.stack, 1)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)

    def addTab(self, widget: QWidget, title: str) -> int:  # noqa: N802 (QTabWidget's name)
        self.list.addItem(title.replace("&&", "&"))
        index = self.stack.addWidget(widget)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        return index

    def count(self) -> int:
        return self.stack.count()

    def currentIndex(self) -> int:  # noqa: N802
        return self.stack.currentIndex()

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        self.list.setCurrentRow(index)

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        return self.stack.currentWidget()

    def widget(self, index: int) -> QWidget | None:
        return self.stack.widget(index)

    def tabText(self, index: int) -> str:  # noqa: N802
        item = self.list.item(index)
        return "" if item is None else item.text()

    def _on_list_current_row_changed(self, row: int) -> None:
        if 0 <= row < self.stack.count():
            self.stack.setCurrentIndex(row)
            self.currentChanged.emit(row)
