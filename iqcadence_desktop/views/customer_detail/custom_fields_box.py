"""The customer window's custom fields: one editor per field, typed by its kind."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from iqcadence_desktop.services.customers import CustomerDTO, CustomFieldDTO, canonical
from iqcadence_desktop.views.widgets.field_form import FieldForm

NONE = "—"


class CustomFieldsBox(QWidget):
    """Editors for the account's custom values; `changed()` gives what was edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = FieldForm()
        self.editors: dict[str, QWidget] = {}
        self._original: dict[str, str] = {}
        self.title = QLabel("Custom fields")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.form)

    def load(self, customer: CustomerDTO, fields: list[CustomFieldDTO]) -> None:
        """Rebuild the editors for these fields and fill them with the account's values."""
        if [f.key for f in fields] != list(self.editors):
            self._rebuild(fields)
        for f in fields:
            value = customer.custom.get(f.key)
            _set(self.editors[f.key], "" if value is None else canonical(value))
        self._original = self.values()
        self.form.clear_errors()
        self.setVisible(bool(fields))

    def _rebuild(self, fields: list[CustomFieldDTO]) -> None:
        self._layout.removeWidget(self.form)
        self.form.deleteLater()
        self.form = FieldForm()
        self._layout.addWidget(self.form)
        self.editors = {}
        for f in fields:
            editor: QWidget
            if f.kind in ("choice", "yesno"):
                combo = QComboBox()
                combo.addItem(NONE, "")
                for choice in f.choices if f.kind == "choice" else ("yes", "no"):
                    combo.addItem(choice, choice)
                editor = combo
            else:
                line = QLineEdit()
                line.setPlaceholderText(
                    {"date": "YYYY-MM-DD", "number": "a number"}.get(f.kind, "")
                )
                editor = line
            editor.setObjectName(f"custom_{f.key}")
            self.editors[f.key] = self.form.add_row(f.key, f.label, editor)

    def values(self) -> dict[str, str]:
        return {key: _text(editor) for key, editor in self.editors.items()}

    def changed(self) -> dict[str, str]:
        return {k: v for k, v in self.values().items() if v != self._original.get(k)}


def _set(editor: QWidget, text: str) -> None:
    if isinstance(editor, QComboBox):
        editor.setCurrentIndex(max(0, editor.findData(text)))
    elif isinstance(editor, QLineEdit):
        editor.setText(text)


def _text(editor: QWidget) -> str:
    if isinstance(editor, QComboBox):
        return str(editor.currentData() or "")
    return editor.text().strip() if isinstance(editor, QLineEdit) else ""
