"""The Alerts page: views, badge, snooze/dismiss/wake, opening a customer, widgets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.clock import FixedClock
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.customer_detail.alerts_tab import CustomerAlertsWidget
from iqcadence_desktop.views.pages.alerts.page import AlertsPage
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.alert_hit_rates import AlertHitRatesWidget
from iqcadence_desktop.views.pages.settings.alert_settings import AlertSettingsWidget
from iqcadence_desktop.views.tasks import SyncTaskRunner


@pytest.fixture
def ctx(services: Services) -> Iterator[PageContext]:
    """A page context over the real services with a synchronous task runner."""
    bridge = EventBridge(services.events)
    yield PageContext(services, SyncTaskRunner(), bridge)
    bridge.detach()


CALM = {
    "logins": 25,
    "adoption": 70,
    "nps": 9,
    "growth": "none",
    "tier": "mid",
    "sentiment": "neutral",
    "days": 1,
}


def two_alerts(services: Services) -> tuple[int, int]:
    a = services.customers.create({"name": "Acme", "tickets": 6, **CALM}).id
    b = services.customers.create({"name": "Beta", "tickets": 3, **CALM}).id
    return a, b


def page_for(qtbot: QtBot, ctx: PageContext) -> AlertsPage:
    page = AlertsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    return page


def select_rows(page: AlertsPage, rows: list[int]) -> None:
    sel = page.tree.selectionModel()
    for row in rows:
        sel.select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_snooze_drops_the_badge_and_it_returns_next_day(
    qtbot: QtBot, ctx: PageContext, clock: FixedClock
) -> None:
    two_alerts(ctx.services)
    page = page_for(qtbot, ctx)
    with qtbot.waitSignal(page.badge_changed) as first:
        page.refresh()
    assert first.args == ["2"]
    select_rows(page, [0])
    assert page.actions_bar.snooze_buttons[1].isEnabled()
    with qtbot.waitSignal(page.badge_changed) as after:
        qtbot.mouseClick(page.actions_bar.snooze_buttons[1], Qt.MouseButton.LeftButton)
    assert after.args == ["1"]
    clock.advance()
    with qtbot.waitSignal(page.badge_changed) as next_day:
        page.refresh()
    assert next_day.args == ["2"]


def test_dismiss_and_wake_many(qtbot: QtBot, ctx: PageContext) -> None:
    two_alerts(ctx.services)
    page = page_for(qtbot, ctx)
    page.refresh()
    select_rows(page, [0, 1])
    with qtbot.waitSignal(page.badge_changed) as dismissed:
        page.actions_bar.dismiss_button.click()
    assert dismissed.args == [""] and page.model.rowCount() == 0
    page.show_combo.setCurrentIndex(page.show_combo.findData("dismissed"))
    assert page.model.rowCount() == 2
    select_rows(page, [0, 1])
    with qtbot.waitSignal(page.badge_changed) as woken:
        page.actions_bar.wake_button.click()
    assert woken.args == ["2"]


def test_views_group_and_the_model_is_sound(
    qtbot: QtBot, ctx: PageContext, qtmodeltester: ModelTester
) -> None:
    two_alerts(ctx.services)
    page = page_for(qtbot, ctx)
    page.refresh()
    qtmodeltester.check(page.model)
    page.findChild(type(page.actions_bar.dismiss_button), "view_category").click()
    assert page.model.rowCount() == 1
    assert page.model.index(0, 0).data() == "Tickets (2)"
    qtmodeltester.check(page.model)
    page.findChild(type(page.actions_bar.dismiss_button), "view_customer").click()
    assert page.model.rowCount() == 2
    page.findChild(type(page.actions_bar.dismiss_button), "view_table").click()
    page.model.sort(1, Qt.SortOrder.DescendingOrder)
    assert page.model.index(0, 1).data() == "Beta"
    assert "Tickets raises the most warnings: 2 of 2" in page.panel.insights.text()
    assert page.panel.chart.counts["tickets"] == 2


def test_activating_an_alert_opens_its_customer(qtbot: QtBot, ctx: PageContext) -> None:
    a, _ = two_alerts(ctx.services)
    page = page_for(qtbot, ctx)
    page.refresh()
    with qtbot.waitSignal(page.customer_open_requested) as opened:
        page.tree.activated.emit(page.model.index(0, 2))
    assert opened.args == [a]


def test_outcome_feeds_the_hit_rate_widget(qtbot: QtBot, ctx: PageContext) -> None:
    two_alerts(ctx.services)
    page = page_for(qtbot, ctx)
    page.refresh()
    select_rows(page, [0])
    page.actions_bar.outcome_requested.emit("acted_on")
    widget = AlertHitRatesWidget(ctx.services)
    qtbot.addWidget(widget)
    widget.refresh()
    row = widget.row_of("open_tickets")
    assert widget.table.item(row, 2).text() == "1"
    assert widget.table.item(row, 6).text() == "100 %"


def test_customer_alerts_widget(qtbot: QtBot, ctx: PageContext, qtmodeltester: ModelTester) -> None:
    a, _ = two_alerts(ctx.services)
    widget = CustomerAlertsWidget(ctx.services)
    qtbot.addWidget(widget)
    widget.set_customer(a)
    assert widget.model.rowCount() == 1
    qtmodeltester.check(widget.model)
    widget.list.selectionModel().select(
        widget.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    widget.actions_bar.snooze_requested.emit(7)
    assert "Snoozed until" in widget.model.index(0, 5).data()


def test_badge_follows_changes_while_the_page_is_hidden(qtbot: QtBot, ctx: PageContext) -> None:
    page = AlertsPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.badge_changed) as first:
        pass  # the page counts once on its own, shown or not
    assert first.args == [""] and not page.isVisible()
    with qtbot.waitSignal(page.badge_changed) as changed:
        ctx.services.customers.create({"name": "Acme", "tickets": 6, **CALM})
    assert changed.args == ["1"]


def test_alert_settings_widget_saves_and_refuses(qtbot: QtBot, ctx: PageContext) -> None:
    widget = AlertSettingsWidget(ctx.services)
    qtbot.addWidget(widget)
    assert widget.inputs["tickets_warning"].value() == 5
    widget.inputs["tickets_attention"].setValue(2)
    widget.rule_boxes["negative_sentiment"].setChecked(False)
    widget.save_button.click()
    saved = ctx.services.alert_config.current()
    assert saved.tickets_attention == 2 and saved.disabled_rules == ("negative_sentiment",)
    assert widget.message.text().startswith("Saved:")
    widget.inputs["tickets_attention"].setValue(9)
    widget.save_button.click()
    assert "below 'warning'" in widget.message.text()
    assert ctx.services.alert_config.current().tickets_attention == 2


def test_an_action_on_a_cleared_alert_explains_itself(qtbot: QtBot, ctx: PageContext) -> None:
    a, _ = two_alerts(ctx.services)
    page = page_for(qtbot, ctx)
    page.refresh()
    select_rows(page, [0])
    ctx.services.customers.update(a, {"tickets": 0})  # the condition clears meanwhile
    page.actions_bar.dismiss_button.click()
    assert "No current alert" in page.notice.text()


def test_one_line_per_account_by_default_and_actions_cover_its_alerts(
    qtbot: QtBot, ctx: PageContext
) -> None:
    a = ctx.services.customers.create(
        {"name": "Acme", "tickets": 6, "renewal_date": "2026-12-01", **CALM}
    ).id
    page = page_for(qtbot, ctx)
    page.refresh()
    assert page.view_id == "customer" and page.model.rowCount() == 1
    line = page.model.index(0, 2)
    assert "(+1 more)" in line.data() and not page.tree.isExpanded(page.model.index(0, 0))
    select_rows(page, [0])
    assert {x.customer_id for x in page.selected_alerts()} == {a}
    assert len(page.selected_alerts()) == 2
    with qtbot.waitSignal(page.badge_changed) as snoozed:
        page.actions_bar.snooze_buttons[7].click()
    assert snoozed.args == [""]


def test_an_empty_list_says_what_is_missing(qtbot: QtBot, ctx: PageContext) -> None:
    page = page_for(qtbot, ctx)
    page.show()
    page.refresh()
    assert page.empty.isVisible() and "add or import customers" in page.empty.text()
    two_alerts(ctx.services)
    page.refresh()
    assert not page.empty.isVisible()


def test_columns_fit_a_laptop(qtbot: QtBot, ctx: PageContext) -> None:
    two_alerts(ctx.services)
    page = page_for(qtbot, ctx)
    page.resize(820, 600)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.tree.isColumnHidden(3))
    header = page.tree.header()
    visible = sum(header.sectionSize(c) for c in range(7) if not page.tree.isColumnHidden(c))
    assert visible <= page.tree.viewport().width() + 1
