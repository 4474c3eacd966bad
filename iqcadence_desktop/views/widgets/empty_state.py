"""What a page or table shows when it has nothing to list: what is missing, what to do."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class EmptyState(QWidget):
    """A centred title, a sentence or two, and buttons for the next step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setProperty("role", "muted")
        self.text.setMaximumWidth(520)
        self._buttons = QHBoxLayout()
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addLayout(self._buttons)
        column.addStretch(2)
        self.buttons: list[QPushButton] = []

    def show_message(
        self,
        title: str,
        text: str,
        actions: Sequence[tuple[str, Callable[[], object]]] = (),
    ) -> None:
        """Say what is missing; each action becomes a button."""
        self.title.setText(title)
        self.text.setText(text)
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            widget = None if item is None else item.widget()
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        self._buttons.addStretch(1)
        for label, slot in actions:
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, s=slot: s())
            self._buttons.addWidget(button)
            self.buttons.append(button)
        self._buttons.addStretch(1)


class TableWithEmptyState(QStackedWidget):
    """Shows `table`, or `empty_text` while its model has no rows."""

    def __init__(self, table: QTableView, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.empty_label = QLabel(empty_text)
        self.empty_label.setObjectName("empty_state")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setProperty("role", "muted")
        self.empty_label.setContentsMargins(40, 20, 40, 20)
        self.addWidget(table)
        self.addWidget(self.empty_label)
        model = table.model()
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
        ):
            signal.connect(self._on_model_changed)
        self._on_model_changed()

    def set_empty_text(self, text: str) -> None:
        self.empty_label.setText(text)

    def is_showing_empty(self) -> bool:
        return self.currentWidget() is self.empty_label

    def _on_model_changed(self, *_args: object) -> None:
        self.setCurrentWidget(
            self.empty_label if self.table.model().rowCount() == 0 else self.table
        )
