"""The import wizard's "keep as custom field" choice for the columns it will not use.

A small panel under the mapping: each unused column with an example, the kind its data
suggests and a tick to keep it. Columns whose name is already a custom field are filled
without asking (shown ticked and fixed). `keep()` goes into ImportOptions.keep.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.csv_io import CustomSuggestion, Sniffed, suggest_custom
from iqcadence_desktop.services.customers import KIND_LABELS, KINDS


class KeepColumnsPanel(QWidget):
    """Unused columns, each with a tick to keep it as a typed custom field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Columns the import will not use: tick any to keep as a custom field")
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Column", "Keep", "As", "What the data looks like"])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.suggestions: list[CustomSuggestion] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self.hide()

    def show_columns(
        self,
        services: Services,
        sniffed: Sniffed,
        fields: Sequence[str | None],
        day_first: bool,
    ) -> None:
        """List the columns the current mapping leaves out (none: the panel hides)."""
        kept = self.keep()
        existing = services.custom_fields.fields()
        self.suggestions = suggest_custom(sniffed, fields, existing, day_first)
        self.table.setRowCount(len(self.suggestions))
        for row, s in enumerate(self.suggestions):
            self._fill_row(row, s, s.column in kept)
        self.setVisible(bool(self.suggestions))

    def _fill_row(self, row: int, s: CustomSuggestion, was_kept: bool) -> None:
        self.table.setItem(row, 0, QTableWidgetItem(s.column))
        check = QCheckBox()
        check.setChecked(s.existing is not None or was_kept)
        check.setEnabled(s.existing is None)
        check.setToolTip(
            "Already a custom field: its values are imported"
            if s.existing is not None
            else "Keep this column as a custom field"
        )
        self.table.setCellWidget(row, 1, check)
        combo = QComboBox()
        for kind in KINDS:
            combo.addItem(KIND_LABELS[kind], kind)
        combo.setCurrentIndex(max(0, combo.findData(s.kind)))
        combo.setEnabled(s.existing is None)
        self.table.setCellWidget(row, 2, combo)
        note = QTableWidgetItem(s.text)
        note.setFlags(note.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, 3, note)

    def keep(self) -> dict[str, str]:
        """{column: kind} of the new fields ticked (existing ones need no choice)."""
        out: dict[str, str] = {}
        for row, s in enumerate(self.suggestions):
            check, combo = self.table.cellWidget(row, 1), self.table.cellWidget(row, 2)
            if s.existing is None and isinstance(check, QCheckBox) and check.isChecked():
                assert isinstance(combo, QComboBox)
                out[s.column] = str(combo.currentData())
        return out

    def set_kept(self, column: str, kept: bool = True) -> None:
        for row, s in enumerate(self.suggestions):
            check = self.table.cellWidget(row, 1)
            if s.column == column and isinstance(check, QCheckBox) and check.isEnabled():
                check.setChecked(kept)
