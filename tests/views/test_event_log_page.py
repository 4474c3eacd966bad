"""The Event Log page: attempts with their codes and errors, filters, re-sending."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.automations import ConnectionInput
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.event_log.page import EventLogPage
from iqcadence_desktop.views.sidebar import PAGE_ROLE
from tests.fakes.webhook_receiver import Reply, WebhookReceiver


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver("s") as receiver:
        yield receiver


def _page(window: MainWindow) -> EventLogPage:
    window.show_page("event_log")
    page = window.pages["event_log"]
    assert isinstance(page, EventLogPage)
    page.refresh()
    return page


def _column(page: EventLogPage, header: str) -> list[str]:
    headers = [
        page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())
    ]
    col = headers.index(header)
    return [page.model.index(r, col).data() for r in range(page.model.rowCount())]


def test_empty_log_explains_itself(window: MainWindow) -> None:
    page = _page(window)
    assert page.holder.is_showing_empty()
    assert "Nothing has been sent yet" in page.holder.empty_label.text()


def test_attempts_filters_and_resend(
    qtbot: QtBot, services: Services, window: MainWindow, hook: WebhookReceiver
) -> None:
    automations = services.automations
    conn = automations.connections.create(ConnectionInput("Chat", "slack", url=hook.url))
    assert automations.send_test(conn.id).ok
    hook.reply(Reply(404, body=b"no_service"))
    assert not automations.send_test(conn.id).ok
    page = _page(window)
    assert _column(page, "Result") == ["Failed for good", "Sent"]
    assert _column(page, "Code") == ["404", "200"]
    assert "no_service" in _column(page, "Error")[0]
    assert page.summary.text() == "1 sent · 0 waiting · 1 failed for good"
    rows = [window.sidebar.item(r) for r in range(window.sidebar.count())]
    entry = next(i for i in rows if i.data(PAGE_ROLE) == "event_log")
    assert entry.text() == "Event Log  (1)"  # the failed count on the sidebar

    page.outcome.setCurrentIndex(page.outcome.findData("sent"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.outcome.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)

    page.table.selectRow(1)
    assert not page.resend.isEnabled()  # sent: nothing to re-send
    page.table.selectRow(0)
    assert page.resend.isEnabled()
    page.resend.click()
    assert "queued again" in page.message.text()
    assert automations.deliver_due().sent == 1
    page.refresh()
    assert _column(page, "Result")[0] == "Sent"
