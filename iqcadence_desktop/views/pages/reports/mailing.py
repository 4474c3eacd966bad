""" "Email now…" and "Schedule…" on the Reports page: the report the page is set up for,
sent through an email connection now, or on a schedule."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.automations import ConnectionDTO, SendOutcome
from iqcadence_desktop.services.reports import ReportFormat
from iqcadence_desktop.views.pages.reports.email_dialog import EmailReportDialog
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.theme import ERROR_STYLE, OK_STYLE, WARNING_STYLE
from iqcadence_desktop.views.widgets.report_schedule import ScheduleDialog, schedule_saver

if TYPE_CHECKING:
    from iqcadence_desktop.views.pages.reports.page import ReportsPage

log = logging.getLogger(__name__)


class ReportMailing(QObject):
    """Opens the email and schedule dialogs for the page and reports how it went."""

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        self.page = page
        self.dialog: QDialog | None = None  # the open dialog (tests reach in)

    def email_now(self) -> None:
        self._with_connections(self._open_email)

    def schedule(self) -> None:
        self._with_connections(self._open_schedule)

    def _with_connections(self, then: Callable[[list[ConnectionDTO]], None]) -> None:
        """Read the saved connections off the GUI thread, then open a dialog with them."""
        connections = self.page.ctx.services.automations.connections
        self.page.ctx.tasks.run(
            lambda _t: connections.all(),
            owner=self,
            lane=Lane.READ,
            on_success=then,
            on_error=self._on_failed,
        )

    def _open_email(self, connections: list[ConnectionDTO]) -> None:
        page = self.page
        try:
            request = page.request()
        except UserFacingError as exc:
            self._on_failed(exc)
            return
        fmt: ReportFormat = "csv" if page.format_box.currentText() == "CSV" else "pdf"
        automations = page.ctx.services.automations

        def send(connection_id: int, to: tuple[str, ...]) -> None:
            self._say("Sending…", "")
            page.ctx.tasks.run(
                lambda _t: automations.email_report(request, fmt, connection_id, to),
                owner=self,
                lane=Lane.READ,  # it waits on the mail server
                on_success=self._on_emailed,
                on_error=self._on_failed,
            )

        self._open(EmailReportDialog(page.selected_kind().title, connections, send))

    def _on_emailed(self, outcome: SendOutcome) -> None:
        self._say(outcome.message, OK_STYLE if outcome.ok else WARNING_STYLE)

    def _open_schedule(self, connections: list[ConnectionDTO]) -> None:
        page = self.page
        box = page.manager_box
        managers = [box.itemText(i) for i in range(1, box.count())]
        save = schedule_saver(page.ctx.services.automations, page.ctx.tasks, page)
        kinds = page.ctx.services.reports.kinds()
        dialog = ScheduleDialog(kinds, connections, managers, save, page.selected_kind().id)
        dialog.accepted.connect(
            lambda: self._say("Scheduled. The Automations page lists every scheduled report.", "")
        )
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setParent(self.page, dialog.windowFlags())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _say(self, text: str, style: str) -> None:
        self.page.status.setText(text)
        self.page.status.setStyleSheet(style)

    def _on_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserFacingError):
            log.error("Emailing or scheduling a report failed", exc_info=exc)
        text = str(exc) if isinstance(exc, UserFacingError) else "That did not work; see the log."
        self._say(text, ERROR_STYLE)
