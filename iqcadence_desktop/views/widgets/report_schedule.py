"""Schedule a report by email (S8): which report, how often, when, to whom, through which
email connection. Used by the Reports page ("Schedule…") and the Automations page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.automations import WEEKDAYS, AutomationService, ConnectionDTO
from iqcadence_desktop.services.reports import ReportKind
from iqcadence_desktop.views.tasks import Lane, TaskRunner
from iqcadence_desktop.views.theme import ERROR_STYLE
from iqcadence_desktop.views.widgets.field_form import FieldForm

EVERY = (("daily", "Every day"), ("weekly", "Every week"), ("monthly", "Every month"))
ALL_MANAGERS = "All managers"


@dataclass(frozen=True)
class ScheduleRequest:
    """What the dialog asks the schedule service for."""

    report: str
    every: str
    at: str
    connection_id: int
    recipients: tuple[str, ...]
    fmt: str
    day: int | None
    manager: str | None


Done = Callable[[BaseException | None], None]
SaveFn = Callable[[ScheduleRequest, Done], None]


def schedule_saver(automations: AutomationService, tasks: TaskRunner, owner: QWidget) -> SaveFn:
    """A SaveFn that stores the schedule on the write lane and reports back."""

    def save(req: ScheduleRequest, done: Done) -> None:
        tasks.run(
            lambda _t: automations.schedules.add(
                req.report,
                req.every,
                req.at,
                req.connection_id,
                req.recipients,
                req.fmt,
                req.day,
                None,
                req.manager,
            ),
            owner=owner,
            lane=Lane.WRITE,
            on_success=lambda _dto: done(None),
            on_error=done,
        )

    return save


class ScheduleDialog(QDialog):
    """The schedule form; Save asks `save` to store it and closes when that worked."""

    def __init__(
        self,
        kinds: Sequence[ReportKind],
        connections: Sequence[ConnectionDTO],
        managers: Sequence[str],
        save: SaveFn,
        report: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("schedule_dialog")
        self.setWindowTitle("Schedule a report")
        self.setMinimumWidth(520)
        self._save = save
        self._emails = [c for c in connections if c.kind == "email"]
        self.form = FieldForm()
        self.report = self.form.add_row("report", "Report", QComboBox())
        for k in kinds:
            if k.customer != "required":  # one-customer reports are scheduled from the CLI
                self.report.addItem(k.title, k.id)
        if report is not None and self.report.findData(report) >= 0:
            self.report.setCurrentIndex(self.report.findData(report))
        self.every = self.form.add_row("every", "How often", QComboBox())
        for key, label in EVERY:
            self.every.addItem(label, key)
        self.day = self.form.add_row("day", "On", self._day_picker())
        self.at = self.form.add_row("at", "At", QTimeEdit(QTime(8, 0)))
        self.at.setDisplayFormat("HH:mm")
        self.fmt = self.form.add_row("format", "Format", QComboBox())
        self.fmt.addItem("PDF", "pdf")
        self.fmt.addItem("CSV", "csv")
        self.manager = self.form.add_row("manager", "Accounts of", QComboBox())
        self.manager.addItems([ALL_MANAGERS, *managers])
        self.via = self.form.add_row("via", "Send through", QComboBox())
        for c in self._emails:
            self.via.addItem(c.name, c.id)
        self.to = self.form.add_row("to", "To", QLineEdit())
        self.to.setObjectName("schedule_to")
        self.to.setPlaceholderText("addresses separated by commas (empty: the connection's)")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        if not self._emails:
            self.error.setText("Add an email connection on the Automations page first.")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(bool(self._emails))
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.form, self.error, self.buttons):
            layout.addWidget(widget)
        self.every.currentIndexChanged.connect(self._on_every_changed)
        self._on_every_changed()

    def _day_picker(self) -> QStackedWidget:
        self.days = QStackedWidget()
        self.weekday = QComboBox()
        self.weekday.addItems(WEEKDAYS)
        self.month_day = QSpinBox()
        self.month_day.setRange(1, 28)
        self.month_day.setPrefix("day ")
        self.days.addWidget(QLabel("every day"))
        self.days.addWidget(self.weekday)
        self.days.addWidget(self.month_day)
        return self.days

    def _on_every_changed(self, *_args: object) -> None:
        self.days.setCurrentIndex(self.every.currentIndex())

    def request(self) -> ScheduleRequest:
        every = str(self.every.currentData())
        day = {"weekly": self.weekday.currentIndex(), "monthly": self.month_day.value()}.get(every)
        to = tuple(t.strip() for t in self.to.text().replace(";", ",").split(",") if t.strip())
        manager = self.manager.currentText()
        return ScheduleRequest(
            str(self.report.currentData()),
            every,
            self.at.time().toString("HH:mm"),
            int(self.via.currentData()),
            to,
            str(self.fmt.currentData()),
            day,
            None if manager == ALL_MANAGERS else manager,
        )

    def _on_save_clicked(self) -> None:
        self.form.clear_errors()
        self.error.clear()
        self.buttons.setEnabled(False)
        self._save(self.request(), self._done)

    def _done(self, error: BaseException | None) -> None:
        self.buttons.setEnabled(True)
        if error is None:
            self.accept()
            return
        field = error.field if isinstance(error, ValidationError) else ""
        if not (field and self.form.show_error(field, str(error))):
            self.error.setText(str(error))
