"""Reports page: "Email now…" sends the chosen report through an email connection, and
"Schedule…" sets it to go out regularly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.automations import ConnectionInput
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.reports import REPORT_KINDS
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.reports.email_dialog import EmailReportDialog
from iqcadence_desktop.views.pages.reports.page import ReportsPage
from iqcadence_desktop.views.tasks import SyncTaskRunner
from iqcadence_desktop.views.widgets.report_schedule import ScheduleDialog
from tests.fakes.smtp_server import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer("plain") as server:
        yield server


@pytest.fixture
def page(services: Services, qtbot: QtBot, smtp: SmtpServer) -> ReportsPage:
    services.customers.load_sample(customers=12, days=5, seed=3)
    services.automations.connections.create(
        ConnectionInput(
            "Mail",
            "email",
            host="127.0.0.1",
            port=smtp.port,
            security="none",
            sender="reports@example.com",
            to=("team@example.com",),
        )
    )
    widget = ReportsPage(PageContext(services, SyncTaskRunner(), EventBridge(services.events)))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    widget.refresh()
    widget.kind_list.setCurrentRow([k.id for k in REPORT_KINDS].index("renewal-forecast"))
    return widget


def test_email_now_sends_the_report(page: ReportsPage, smtp: SmtpServer) -> None:
    page.format_box.setCurrentText("CSV")
    page.email_button.click()
    dialog = page.mailing.dialog
    assert isinstance(dialog, EmailReportDialog)
    assert dialog.to.text() == "team@example.com"  # the connection's recipients
    dialog.to.setText("cfo@example.com, ceo@example.com")
    dialog.buttons.accepted.emit()
    assert page.status.text() == "Sent to Mail (250)."
    assert smtp.recipients == [["cfo@example.com", "ceo@example.com"]]
    [attachment] = list(smtp.messages[0].iter_attachments())
    assert attachment.get_filename() == "renewal-forecast-2026-11-26.csv"
    assert "Renewal Forecast" in smtp.messages[0]["Subject"]


def test_schedule_from_the_reports_page(page: ReportsPage, services: Services) -> None:
    page.schedule_button.click()
    dialog = page.mailing.dialog
    assert isinstance(dialog, ScheduleDialog)
    assert dialog.report.currentData() == "renewal-forecast"  # the report being looked at
    dialog.every.setCurrentIndex(2)  # monthly
    dialog.month_day.setValue(3)
    dialog.buttons.accepted.emit()
    [schedule] = services.automations.schedules.all()
    assert (schedule.report, schedule.describe()) == (
        "renewal-forecast",
        "Every month on day 3 at 08:00",
    )
    assert "Scheduled" in page.status.text()
