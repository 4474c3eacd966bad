"""A form whose rows can each show a validation message right under their field."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from iqcadence_desktop.views.theme import ERROR_STYLE

W = TypeVar("W", bound=QWidget)


class FieldForm(QWidget):
    """Label / field rows keyed by the service's field name (`ValidationError.field`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors: dict[str, QLabel] = {}

    def add_row(self, key: str, label: str, field: W) -> W:
        """Add a field with a hidden error line under it; returns the field."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(field)
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        box.addWidget(error)
        self.errors[key] = error
        self.layout_.addRow(label, holder)
        return field

    def show_error(self, key: str, message: str) -> bool:
        """Show the message under the field; False if no such field is on this form."""
        label = self.errors.get(key)
        if label is None:
            return False
        label.setText(message)
        label.show()
        return True

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def error_text(self, key: str) -> str:
        label = self.errors.get(key)
        return "" if label is None or label.isHidden() else label.text()


def top_aligned(widget: QWidget) -> QWidget:
    """Wrap a form so a scroll area's spare height goes below it, not between its rows."""
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(widget)
    box.addStretch(1)
    return holder
