"""A table that says something helpful instead of showing an empty grid."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QTableView, QWidget


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
