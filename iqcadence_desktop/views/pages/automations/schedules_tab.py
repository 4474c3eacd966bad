"""Scheduled reports: add, pause or resume, remove."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from iqcadence_desktop.services.automations import ScheduleDTO
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.widgets.common import rows_table, selected_rows
from iqcadence_desktop.views.widgets.empty_state import TableWithEmptyState
from iqcadence_desktop.views.widgets.when import local_text

EMPTY = (
    "No scheduled reports.\n\nAny report can be emailed every day, week or month at the "
    "time you choose: click “Add…” here, or “Schedule…” on the Reports page. You need an "
    "email connection first."
)


class SchedulesTab(QWidget):
    """The schedule list and its buttons; the page does the work.

    Signals:
        add_requested(), pause_requested(ScheduleDTO), remove_requested(ScheduleDTO)
    """

    add_requested = Signal()
    pause_requested = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schedules: list[ScheduleDTO] = []
        headers = ("Report", "When", "Format", "To", "Through", "Next", "State")
        self.model = RowsTableModel(headers, self)
        self.table = rows_table(self.model, stretch_column=3)
        self.table.setObjectName("schedules_table")
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, signal in (
            ("add", "Add…", None),
            ("pause", "Pause", self.pause_requested),
            ("remove", "Remove", self.remove_requested),
        ):
            button = QPushButton(text)
            button.setObjectName(f"schedule_{key}")
            if signal is None:
                button.clicked.connect(self.add_requested.emit)
            else:
                button.clicked.connect(lambda _c=False, s=signal: self._emit(s))
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(TableWithEmptyState(self.table, EMPTY), 1)
        self._update_buttons()

    def set_schedules(self, schedules: list[ScheduleDTO]) -> None:
        self.schedules = schedules
        self.model.set_rows(
            [
                (
                    s.report_title,
                    s.describe(),
                    s.format.upper(),
                    ", ".join(s.recipients),
                    s.connection,
                    local_text(s.next_due_at) if s.enabled else "—",
                    "On" if s.enabled else "Paused",
                )
                for s in schedules
            ],
            [s.id for s in schedules],
        )
        self._update_buttons()

    def selected(self) -> ScheduleDTO | None:
        rows = selected_rows(self.table)
        return self.schedules[rows[0]] if rows else None

    def _emit(self, signal: object) -> None:
        chosen = self.selected()
        if chosen is not None:
            signal.emit(chosen)  # type: ignore[attr-defined]

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected()
        self.buttons["pause"].setEnabled(chosen is not None)
        self.buttons["remove"].setEnabled(chosen is not None)
        self.buttons["pause"].setText("Resume" if chosen and not chosen.enabled else "Pause")
