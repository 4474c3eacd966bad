"""The wizard's account of what the import will do before it runs: the match key, every
conversion seen on the sample rows, and the columns it will not use.

The unused-columns list is its own widget on purpose: it is the one place a user sees
what would be dropped, and where a later feature can offer to keep such a column.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.csv_io import FIELD_LABELS, Conversion, ImportPreview, UnusedColumn

NO_CONVERSIONS = "Every sample value is stored exactly as written."
NO_UNUSED = "Every column of the file is imported."


def _view(model: QStandardItemModel, widths: Sequence[int]) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


def _items(*texts: str) -> list[QStandardItem]:
    out = []
    for text in texts:
        item = QStandardItem(text)
        item.setToolTip(text)
        out.append(item)
    return out


class ConversionList(QWidget):
    """Sample values and what each becomes ("Detractor" → 0), refusals included."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(0, 4)
        self.model.setHorizontalHeaderLabels(["Column", "Value in the file", "Stored as", "Note"])
        self.view = _view(self.model, (110, 100, 90))
        self.empty = QLabel(NO_CONVERSIONS)
        self.empty.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)

    def show_conversions(self, conversions: Sequence[Conversion]) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for c in conversions:
            stored = "refused" if c.problem else c.result
            note = c.problem or FIELD_LABELS.get(c.field, c.field)
            self.model.appendRow(_items(c.column, c.raw, stored, note))
        self.empty.setVisible(not conversions)
        self.view.setVisible(bool(conversions))


class UnusedColumnList(QWidget):
    """Columns the import will not read, with example values and why.

    Signals:
        column_activated(int): the user double-clicked a column (its position in the file),
            to map it in the mapping table.
    """

    column_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(0, 3)
        self.model.setHorizontalHeaderLabels(["Column", "Examples", "Why"])
        self.view = _view(self.model, (120, 110))
        self.view.doubleClicked.connect(self._on_row_double_clicked)
        self.hint = QLabel(
            "These columns will not be imported. Map one in the table on the left to keep "
            "it, or leave it out knowingly."
        )
        self.hint.setWordWrap(True)
        self.empty = QLabel(NO_UNUSED)
        self.empty.setProperty("role", "muted")
        self._columns: list[UnusedColumn] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.hint, self.empty):
            layout.addWidget(widget)
        layout.addWidget(self.view, 1)

    def show_columns(self, columns: Sequence[UnusedColumn]) -> None:
        self._columns = list(columns)
        self.model.removeRows(0, self.model.rowCount())
        for u in columns:
            why = "you chose to ignore it" if u.reason == "ignored" else "no field matches it"
            self.model.appendRow(_items(u.column, ", ".join(u.examples) or "(empty)", why))
        for widget in (self.hint, self.view):
            widget.setVisible(bool(columns))
        self.empty.setVisible(not columns)

    def _on_row_double_clicked(self, index: QModelIndex) -> None:
        row = index.row()
        if 0 <= row < len(self._columns):
            self.column_activated.emit(self._columns[row].index)


class WhatHappensPanel(QWidget):
    """Match key on top; tabs for the raw sample rows, the conversions and the unused
    columns (each tab title carries its count)."""

    def __init__(self, sample_rows: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.match = QLabel()
        self.match.setWordWrap(True)
        self.conversions = ConversionList()
        self.unused = UnusedColumnList()
        self.tabs = QTabWidget()
        self.tabs.addTab(sample_rows, "Sample rows")
        self.tabs.addTab(self.conversions, "Conversions")
        self.tabs.addTab(self.unused, "Not imported")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.match)
        layout.addWidget(self.tabs, 1)

    def show_preview(self, preview: ImportPreview) -> None:
        m = preview.match
        then = "" if m.field == "name" else "; a row it does not find is matched by name"
        self.match.setText(f"Match key: <b>{m.column}</b>, {m.label}{then}.")
        self.conversions.show_conversions(preview.conversions)
        self.unused.show_columns(preview.unused)
        refused = sum(1 for c in preview.conversions if c.problem)
        title = f"Conversions ({len(preview.conversions) - refused})"
        self.tabs.setTabText(1, title + (f", {refused} refused" if refused else ""))
        self.tabs.setTabText(2, f"Not imported ({len(preview.unused)})")
