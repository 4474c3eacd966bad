"""Trends page: range switch, second metric, overlays, hover read-out, movers."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.analytics import MAX_OVERLAYS
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.trends.overlays import CustomerPicker
from iqcadence_desktop.views.pages.trends.page import TrendsPage
from tests.views.conftest import double_click


def page(qtbot: QtBot, ctx: PageContext) -> TrendsPage:
    p = TrendsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    p.refresh()
    if p.view is not None and p.view.history_start is not None:  # movers follow the chart
        qtbot.waitUntil(lambda: not p.busy.is_busy())
    return p


def test_range_switch_redraws_the_chart(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(30, 40, seed=4)
    p = page(qtbot, ctx)
    assert p.view is not None and len(p.view.days) == 90
    p.findChild(QToolButton, "range_7d").click()
    qtbot.waitUntil(lambda: not p.busy.is_busy())
    assert p.view.request.range_key == "7d" and len(p.view.days) == 7
    assert p.findChild(QToolButton, "range_7d").isChecked()
    assert not p.findChild(QToolButton, "range_90d").isChecked()
    assert p.analysis.text().startswith("Average health score")
    assert p.rises.rowCount() == len(p.view.rises)


def test_second_metric_and_hover_read_out(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(30, 40, seed=4)
    p = page(qtbot, ctx)
    p.secondary_combo.setCurrentIndex(p.secondary_combo.findData("mrr"))
    assert p.view is not None and p.view.request.secondary == "mrr"
    assert p.chart.item.getAxis("right").isVisible()
    assert "Total MRR ($" in p.chart.item.getAxis("right").labelText
    assert "(right axis)" in p.chart.legend.text()
    p.chart.hover.show_index(len(p.view.days) - 1)
    text = p.chart.readout.text()
    assert text.startswith("Thu 26 Nov 2026") and "Total MRR: $" in text


def test_overlays_of_a_manager_and_a_customer(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(30, 20, seed=4)
    p = page(qtbot, ctx)
    manager = ctx.services.customers.managers()[0]
    p.overlays.add_manager(manager)
    customer = ctx.services.customers.list_customers()[0]
    picker = CustomerPicker(p._search_customers, p)
    qtbot.addWidget(picker)
    picker.box.setText(customer.name)
    picker._on_timer_timeout()
    assert picker.chosen() == (customer.id, customer.name)
    p.overlays.add_customer(*picker.chosen())  # type: ignore[misc]
    assert p.view is not None
    assert [s.label for s in p.view.series if s.role == "overlay"] == [manager, customer.name]
    p.overlays.clear()
    for i in range(MAX_OVERLAYS + 2):
        p.overlays.add_customer(i + 1, f"c{i}")
    assert p.overlays.count() == MAX_OVERLAYS and "At most" in p.overlays.note.text()
    # The movers follow each redraw a moment later: let the last read finish before the
    # test's database goes away (on PostgreSQL it is dropped at teardown).
    qtbot.waitUntil(lambda: not p.busy.is_busy())


def test_bands_metric_draws_five_lines_and_disables_overlays(
    qtbot: QtBot, ctx: PageContext
) -> None:
    ctx.services.customers.load_sample(30, 20, seed=4)
    p = page(qtbot, ctx)
    p.metric_combo.setCurrentIndex(p.metric_combo.findData("bands"))
    assert p.view is not None and len(p.view.series) == 5
    assert not p.overlays.add_button.isEnabled()
    assert "Critical" in p.chart.legend.text()


def test_double_click_a_mover_opens_the_customer(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(30, 40, seed=4)
    p = page(qtbot, ctx)
    p.movers.setCurrentIndex(1)
    mover = p.falls.record(0)
    with qtbot.waitSignal(p.customer_open_requested) as opened:
        double_click(qtbot, p.falls_table, p.falls.index(0, 0))
    assert opened.args == [mover.customer_id]


def test_empty_portfolio_explains_where_history_comes_from(qtbot: QtBot, ctx: PageContext) -> None:
    p = page(qtbot, ctx)
    assert p._stack.currentWidget() is p.empty and "No history yet" in p.empty.title.text()


def test_manager_filter_narrows_the_lines(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(30, 20, seed=4)
    ctx.manager = ctx.services.customers.managers()[0]
    p = page(qtbot, ctx)
    assert p.view is not None
    assert all(m.manager == ctx.manager for m in (*p.view.rises, *p.view.falls))
