"""The mapping table of the import wizard: each column, an example value, and its field."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from iqcadence_desktop.services.csv_io import FIELD_LABELS, IMPORT_FIELDS

IGNORE = "— ignore —"


class ImportMappingTable(QTableWidget):
    """One row per file column; the combo box picks a field or ignores the column.

    Signals:
        mapping_changed(): the user picked another field for a column.
    """

    mapping_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Column in the file", "Example", "Imported as"])
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._headers: list[str] = []

    def set_columns(
        self, headers: Sequence[str], examples: Sequence[str], fields: Sequence[str | None]
    ) -> None:
        self._headers = list(headers)
        self.setRowCount(len(headers))
        for row, (header, example, field) in enumerate(zip(headers, examples, fields, strict=True)):
            self.setItem(row, 0, QTableWidgetItem(header or f"(column {row + 1})"))
            self.setItem(row, 1, QTableWidgetItem(example))
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for f in IMPORT_FIELDS:
                combo.addItem(FIELD_LABELS.get(f, f), f)
            combo.setCurrentIndex(max(0, combo.findData(field)))
            combo.currentIndexChanged.connect(self.mapping_changed)
            self.setCellWidget(row, 2, combo)

    def field_at(self, row: int) -> str | None:
        combo = self.cellWidget(row, 2)
        assert isinstance(combo, QComboBox)
        data = combo.currentData()
        return None if data is None else str(data)

    def set_field(self, row: int, field: str | None) -> None:
        combo = self.cellWidget(row, 2)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(max(0, combo.findData(field)))

    def mapping(self) -> dict[str, str | None]:
        """{column: field or None} for every named column."""
        return {h: self.field_at(i) for i, h in enumerate(self._headers) if h}
