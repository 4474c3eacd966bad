"""Small building blocks shared by the settings sections and the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QWidget

from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.theme import ERROR_STYLE, OK_STYLE


def documents_dir() -> Path:
    """Where file dialogs start: the user's Documents folder (never the working directory)."""
    from PySide6.QtCore import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def message_label(parent: QWidget | None = None) -> QLabel:
    """A word-wrapped label for a section's error or confirmation message."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setObjectName("message")
    return label


def show_message(label: QLabel, text: str, error: bool = False) -> None:
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
    label.setText(text)


def button_row(
    actions: Iterable[tuple[str, Callable[[], object]]], parent: QWidget | None = None
) -> QHBoxLayout:
    """Push buttons left to right (text, slot), then stretch; on `parent` when given."""
    row = QHBoxLayout(parent) if parent is not None else QHBoxLayout()
    for text, slot in actions:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch(1)
    return row


def rows_table(model: RowsTableModel, stretch_column: int = -1) -> QTableView:
    """A read-only, row-selecting table over a RowsTableModel."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch_column >= 0:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return table


def selected_rows(table: QTableView) -> list[int]:
    return sorted({i.row() for i in table.selectionModel().selectedRows()})
