"""CSM Performance page: leaderboard, drill-down, focus areas, workload, empty state."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.csm_performance.page import CsmPerformancePage
from tests.views.conftest import double_click


def page(qtbot: QtBot, ctx: PageContext) -> CsmPerformancePage:
    p = CsmPerformancePage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    p.refresh()
    if p.board is not None and p.board.rows:  # the detail is read just after the board
        qtbot.waitUntil(lambda: p.detail is not None)
    return p


def test_leaderboard_and_the_first_managers_book(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(60, 15, seed=2)
    p = page(qtbot, ctx)
    managers = ctx.services.customers.managers()
    assert p.leaders.rowCount() == len(managers)
    scores = [p.leaders.record(r).average_score for r in range(p.leaders.rowCount())]
    assert scores == sorted(scores, reverse=True)
    first = p.leaders.record(0)
    assert p.detail is not None and p.detail.manager == first.manager
    assert p.accounts.rowCount() == first.customers
    assert first.label in p.detail_title.text()
    assert "Team median" in p.workload.caption.text()


def test_selecting_another_manager_loads_their_book(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(60, 15, seed=2)
    p = page(qtbot, ctx)
    p.leader_table.selectRow(2)
    chosen = p.leaders.record(2)
    qtbot.waitUntil(lambda: p.detail is not None and p.detail.manager == chosen.manager)
    assert all(p.accounts.record(r).manager == chosen.manager for r in range(p.accounts.rowCount()))


def test_focus_area_drills_into_customers_and_accounts_open(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(60, 15, seed=2)
    p = page(qtbot, ctx)
    assert p.focus.rowCount() > 0
    area = p.focus.record(0)
    with qtbot.waitSignal(p.navigation_requested) as nav:
        double_click(qtbot, p.focus_table, p.focus.index(0, 0))
    assert nav.args[0] == "customers" and nav.args[1]["ids"] == list(area.customer_ids)
    p.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(p.customer_open_requested) as opened:
        double_click(qtbot, p.accounts_table, p.accounts.index(0, 0))
    assert opened.args == [p.accounts.record(0).id]


def test_manager_filter_shows_one_row(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(60, 15, seed=2)
    ctx.manager = ctx.services.customers.managers()[1]
    p = page(qtbot, ctx)
    assert p.leaders.rowCount() == 1 and p.leaders.record(0).manager == ctx.manager
    assert p.detail is not None and p.detail.manager == ctx.manager


def test_empty_state(qtbot: QtBot, ctx: PageContext) -> None:
    p = page(qtbot, ctx)
    assert p._stack.currentWidget() is p.empty
    assert "No managers to compare yet" in p.empty.title.text()


def test_models_pass_the_model_tester(qtbot: QtBot, ctx: PageContext, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    ctx.services.customers.load_sample(30, 10, seed=2)
    p = page(qtbot, ctx)
    for model in (p.leaders, p.accounts, p.focus, p.activity):
        qtmodeltester.check(model)
