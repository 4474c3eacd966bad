"""Audit Log page: filters narrow the table; config history shows each version's diff."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.audit_log.page import AuditLogPage
from tests.views.conftest import add


def _page(window: MainWindow) -> AuditLogPage:
    window.show_page("audit_log")
    page = window.pages["audit_log"]
    assert isinstance(page, AuditLogPage)
    page.refresh()
    return page


def _summaries(page: AuditLogPage) -> list[str]:
    return [page.model.index(r, 4).data() for r in range(page.model.rowCount())]


def test_filters_by_action_customer_text_and_dates(
    qtbot: QtBot, services: Services, window: MainWindow
) -> None:
    services.settings.set_many({"user.name": "Ana"}, "Renamed the local user")
    acme = add(services, "Acme", logins=5)
    add(services, "Globex", logins=5)
    services.customers.update(acme, {"logins": 9})
    page = _page(window)
    assert page.model.rowCount() == 4
    page.action_combo.setCurrentIndex(page.action_combo.findText("customer_created"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.action_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    page.customer_edit.setText("acme")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert all("Acme" in s for s in _summaries(page))
    page.customer_edit.setText("Nobody")
    qtbot.waitUntil(lambda: "No customer is named" in page.message.text())
    assert page.model.rowCount() == 0
    page.customer_edit.clear()
    page.text_edit.setText("local user")
    qtbot.waitUntil(lambda: _summaries(page) == ["Renamed the local user"])
    page.text_edit.clear()
    page.user_combo.setCurrentIndex(page.user_combo.findText("Ana"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)  # the rename itself was by the old name
    assert "Renamed the local user" not in _summaries(page)
    page.user_combo.setCurrentIndex(0)
    page.dates_check.setChecked(True)
    tomorrow = services.clock.today() + dt.timedelta(days=1)
    page.since_edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    page.until_edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    page.dates_check.setChecked(False)
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)


def test_config_history_lists_versions_with_their_diff(
    services: Services, window: MainWindow
) -> None:
    current = services.config.current()
    services.config.save(dataclasses.replace(current, quiet_after_days=45))
    services.config.save(
        dataclasses.replace(
            services.config.current(), weights={**current.weights, "logins": 30, "adoption": 20}
        )
    )
    page = _page(window)
    history = page.history
    assert history.model.rowCount() == 2
    assert history.diff.toPlainText().splitlines() == [
        "weights.adoption: 25 → 20",
        "weights.logins: 25 → 30",
    ]
    history.select_version(1)
    assert "quiet_after_days" in history.diff.toPlainText()
