"""Custom fields: add, rename, say whether the churn model may learn from one, remove."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.customers import KIND_LABELS, KINDS, CustomFieldDTO
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.widgets.common import (
    message_label,
    rows_table,
    selected_rows,
    show_message,
)

EMPTY = (
    "No custom fields yet. When an import finds columns it cannot use, you can keep them "
    "as custom fields; or add one here."
)


class CustomFieldsSection(QWidget):
    """The custom fields, with what each holds, and the actions on the chosen one."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.fields: list[CustomFieldDTO] = []
        self.model = RowsTableModel(
            ("Name", "Kind", "Accounts with a value", "Churn model", "Choices")
        )
        self.table = rows_table(self.model, stretch_column=4)
        self.empty = QLabel(EMPTY)
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "muted")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("New field name, or a new name for the chosen one")
        self.kind_combo = QComboBox()
        for kind in KINDS:
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.choices_edit = QLineEdit()
        self.choices_edit.setPlaceholderText("Choices, comma separated (choice fields)")
        self.message = message_label()
        self.buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Custom fields are typed columns kept from imports. They show on the customer "
            "window, filter the Customers page, go out with exports and come back in with "
            "imports. The churn model may learn from them (not from text fields), reading "
            "each as it is today. Removing one removes its values only."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        form = QHBoxLayout()
        form.addWidget(self.name_edit, 2)
        form.addWidget(self.kind_combo)
        form.addWidget(self.choices_edit, 2)
        layout.addLayout(form)
        layout.addLayout(self._button_row())
        layout.addWidget(self.message)

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot in (
            ("Add field", self.add),
            ("Rename", self.rename),
            ("Use in churn model / leave out", self.toggle_model),
            ("Remove…", self.remove),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def refresh(self) -> None:
        self.fields = self.ctx.services.custom_fields.fields()
        self.model.set_rows(
            [
                (
                    f.label,
                    f.kind_label,
                    f"{f.values:,}",
                    "learns from it" if f.in_model and f.kind != "text" else "left out",
                    ", ".join(f.choices),
                )
                for f in self.fields
            ],
            [f.id for f in self.fields],
        )
        self.table.setVisible(bool(self.fields))
        self.empty.setVisible(not self.fields)

    def chosen(self) -> CustomFieldDTO | None:
        rows = selected_rows(self.table)
        if len(rows) != 1:
            show_message(self.message, "Choose one custom field in the list first.", error=True)
            return None
        return self.fields[rows[0]]

    def add(self) -> None:
        kind = str(self.kind_combo.currentData())
        choices = [c for c in self.choices_edit.text().split(",") if c.strip()]
        label = self.name_edit.text()
        self._run(
            lambda: self.ctx.services.custom_fields.create(label, kind, choices),
            f'Added the custom field "{" ".join(label.split())}".',
        )

    def rename(self) -> None:
        field = self.chosen()
        if field is not None:
            new = self.name_edit.text()
            self._run(
                lambda: self.ctx.services.custom_fields.update(field.id, label=new),
                f'Renamed "{field.label}".',
            )

    def toggle_model(self) -> None:
        field = self.chosen()
        if field is not None:
            self._run(
                lambda: self.ctx.services.custom_fields.update(
                    field.id, in_model=not field.in_model
                ),
                f'"{field.label}" is now '
                + (
                    "left out of the churn model." if field.in_model else "used by the churn model."
                ),
            )

    def remove(self) -> None:
        field = self.chosen()
        if field is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove custom field",
            f'Remove the custom field "{field.label}" and its {field.values:,} values? '
            "Customers and their other data stay as they are. The removal is written to "
            "the audit log.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(
                lambda: self.ctx.services.custom_fields.remove(field.id),
                f'Removed "{field.label}" and its values.',
            )

    def _run(self, action: Callable[[], object], done: str) -> None:
        try:
            action()
        except UserFacingError as exc:
            show_message(self.message, str(exc), error=True)
            return
        self.name_edit.clear()
        self.choices_edit.clear()
        self.refresh()
        show_message(self.message, done)
