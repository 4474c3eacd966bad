"""Segments page: grouping, sorting, drill-down into Customers, comparison, empty state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.segments.page import SegmentsPage
from iqcadence_desktop.views.table_models.record_table_model import RECORD_ROLE


def page(qtbot: QtBot, ctx: PageContext) -> SegmentsPage:
    p = SegmentsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    p.refresh()
    return p


def test_tiers_then_tags_with_trends_and_a_comparison(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(40, 35, seed=3)
    p = page(qtbot, ctx)
    assert [s.label for s in p.segments] == ["Enterprise", "Mid-Market", "SMB"]
    qtbot.waitUntil(lambda: p.base is not None and p.base.trend is not None)  # next step
    assert p.model.rowCount() == 3 and sum(s.customers for s in p.segments) <= 40
    assert all(len(s.trend) == 11 for s in p.segments)  # the second read arrived
    qtbot.waitUntil(lambda: p.comparison is not None)  # drawn right after the figures
    assert p.comparison is not None and len(p.comparison.series) == 3
    assert "counted where it is now" in p.compare.analysis.text()
    p.grouping.setCurrentIndex(p.grouping.findData("tag"))
    assert p.model.rowCount() == len(p.segments) > 3
    # The chart follows a moment later (it waits for the user to settle on a grouping).
    qtbot.waitUntil(lambda: p.comparison is not None and p.comparison.grouping == "tag")
    assert "counts in each of them" in p.note.text()


def test_sorting_a_column(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(40, 10, seed=3)
    p = page(qtbot, ctx)
    p.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # Accounts
    counts = [p.model.record(r).customers for r in range(p.model.rowCount())]
    assert counts == sorted(counts, reverse=True)


def test_ticking_too_many_segments_asks_to_untick(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(60, 10, seed=3)
    p = page(qtbot, ctx)
    p.grouping.setCurrentIndex(p.grouping.findData("tag"))
    p.model.set_checked({s.key for s in p.segments})
    p.run_comparison()
    assert "compares at most 5" in p.compare.analysis.text()
    p.model.set_checked(set())
    p.run_comparison()
    assert "Tick one or more segments" in p.compare.analysis.text()


def test_double_click_opens_the_segment_in_customers(
    qtbot: QtBot, window: MainWindow, ctx: PageContext
) -> None:
    ctx.services.customers.load_sample(40, 5, seed=3)
    QApplication.processEvents()  # the queued customers_changed reaches the pages first
    window.show_page("segments")
    p = window.pages["segments"]
    assert isinstance(p, SegmentsPage)
    index = p.model.index(0, 1)
    segment = index.data(RECORD_ROLE)
    rect = p.table.visualRect(index)
    # Qt's views act on a double click only after a press on the same cell.
    qtbot.mouseClick(p.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(p.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_page().PAGE_ID == "customers"
    customers = window.pages["customers"]
    shown = {customers.model.customer_at(r).id for r in range(customers.model.rowCount())}  # type: ignore[attr-defined]
    assert shown == set(segment.customer_ids)
    assert segment.label in customers.only_label.text()  # type: ignore[attr-defined]


def test_manager_filter_narrows_the_segments(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(40, 5, seed=3)
    manager = ctx.services.customers.managers()[0]
    ctx.manager = manager
    p = page(qtbot, ctx)
    book = [c for c in ctx.services.customers.list_customers() if c.manager == manager]
    live = [c for c in book if c.lifecycle != "churned"]
    assert sum(s.customers for s in p.segments) == len(live)


def test_empty_portfolio_offers_a_way_in(qtbot: QtBot, ctx: PageContext) -> None:
    p = page(qtbot, ctx)
    assert p._stack.currentWidget() is p.empty
    assert "No accounts to group yet" in p.empty.title.text()
    with qtbot.waitSignal(p.navigation_requested) as nav:
        p.empty.findChild(type(p.open_button), "empty_import_export").click()
    assert nav.args == ["import_export", {}]


def test_table_model_passes_the_model_tester(qtbot: QtBot, ctx: PageContext, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    ctx.services.customers.load_sample(30, 5, seed=3)
    p = page(qtbot, ctx)
    qtmodeltester.check(p.model)
