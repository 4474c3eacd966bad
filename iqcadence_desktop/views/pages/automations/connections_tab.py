"""Saved connections: add, edit, "Send test", remove."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from iqcadence_desktop.services.automations import ConnectionDTO
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.widgets.common import rows_table, selected_rows
from iqcadence_desktop.views.widgets.empty_state import TableWithEmptyState

SECRET_TEXT = {
    "keyring": "In the keyring",
    "env": "From the environment",
    "missing": "Missing: edit to add it",
    "none": "Not needed",
}
EMPTY = (
    "No connections yet.\n\nAdd a Slack or Teams channel, email recipients (SMTP) or your "
    "own webhook; then rules and scheduled reports can send to it. “Send test” checks it."
)


class ConnectionsTab(QWidget):
    """The connection list and its buttons; the page does the work.

    Signals:
        add_requested(), edit_requested(ConnectionDTO), test_requested(ConnectionDTO),
        remove_requested(ConnectionDTO)
    """

    add_requested = Signal()
    edit_requested = Signal(object)
    test_requested = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connections: list[ConnectionDTO] = []
        self.model = RowsTableModel(("Name", "Kind", "Sends to", "Secret", "Used by"), self)
        self.table = rows_table(self.model, stretch_column=2)
        self.table.setObjectName("connections_table")
        self.table.doubleClicked.connect(lambda _i: self._emit(self.edit_requested))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.result = QLabel()
        self.result.setObjectName("test_result")
        self.result.setWordWrap(True)
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("add", "Add…", self.add_requested.emit),
            ("edit", "Edit…", lambda: self._emit(self.edit_requested)),
            ("test", "Send test", lambda: self._emit(self.test_requested)),
            ("remove", "Remove", lambda: self._emit(self.remove_requested)),
        ):
            button = QPushButton(text)
            button.setObjectName(f"connection_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(TableWithEmptyState(self.table, EMPTY), 1)
        layout.addWidget(self.result)
        self._update_buttons()

    def set_connections(self, connections: list[ConnectionDTO]) -> None:
        self.connections = connections
        self.model.set_rows(
            [
                (
                    c.name,
                    c.kind_label,
                    c.destination(),
                    SECRET_TEXT[c.secret_state],
                    ", ".join(c.used_by) or "—",
                )
                for c in connections
            ],
            [c.id for c in connections],
        )
        self._update_buttons()

    def selected(self) -> ConnectionDTO | None:
        rows = selected_rows(self.table)
        return self.connections[rows[0]] if rows else None

    def _emit(self, signal: object) -> None:
        chosen = self.selected()
        if chosen is not None:
            signal.emit(chosen)  # type: ignore[attr-defined]

    def _update_buttons(self, *_args: object) -> None:
        on = self.selected() is not None
        for key in ("edit", "test", "remove"):
            self.buttons[key].setEnabled(on)
