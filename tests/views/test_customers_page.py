"""Customers page: tabs and counts, search, column filters, sorting, bulk actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers import CustomerFilter
from iqcadence_desktop.views.customer_detail.window import CustomerDetailWindow
from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.customers.page import TAB_KEYS, CustomersPage
from iqcadence_desktop.views.table_models.customer_columns import COLUMN_INDEX, COLUMNS

GOOD = {"logins": 30, "adoption": 90, "tickets": 0, "nps": 9, "days": 2, "growth": "strong"}
BAD = {"logins": 0, "adoption": 5, "tickets": 5, "nps": 2, "days": 170, "growth": "none"}


@pytest.fixture
def page(ctx: PageContext, qtbot: QtBot) -> CustomersPage:
    s = ctx.services.customers
    s.create({"name": "Acme", "manager": "Ana", "mrr": 9000, "tags": "vip", **GOOD})
    s.create({"name": "Bolt", "manager": "Ben", "mrr": 100, **BAD})
    s.create({"name": "Cargo", "manager": "Ana", "mrr": 500, "logins": 15, "adoption": 55})
    s.create({"name": "Delta", "manager": "Ben"})
    s.create({"name": "Echo", "manager": "Ana", "lifecycle": "churned", **GOOD})
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    return page


def names(page: CustomersPage) -> list[str]:
    return [page.model.customer_at(r).name for r in range(page.model.rowCount())]


def test_model_passes_qt_model_tester(page: CustomersPage, qtmodeltester: object) -> None:
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_tab_counts_and_tab_contents(page: CustomersPage) -> None:
    counts = page.model.tab_counts()
    assert counts["all"] == 5 and counts["trash"] == 0
    assert counts["expansion"] == 2 and counts["critical"] == 1
    assert counts["unscored"] == 1 and counts["churned"] == 1
    assert page.tabs.tabText(TAB_KEYS.index("expansion")) == "Expansion  2"
    page.apply_navigation({"status": "critical"})
    assert names(page) == ["Bolt"]
    page.apply_navigation({"status": "churned"})
    assert names(page) == ["Echo"]


def test_search_and_column_filters(page: CustomersPage) -> None:
    page.apply_navigation({"search": "ana"})
    assert names(page) == ["Acme", "Cargo", "Echo"]
    page.apply_column_filter(COLUMN_INDEX["MRR"], ">1000")  # dollars
    assert names(page) == ["Acme"]
    page.search.clear()
    page.apply_column_filter(COLUMN_INDEX["MRR"], "")
    page.apply_column_filter(COLUMN_INDEX["Score"], "<50")
    assert names(page) == ["Bolt"]
    page.apply_column_filter(COLUMN_INDEX["Tags"], "VIP")
    assert names(page) == []
    assert page.count_label.text() == "Showing 0 of 5"
    page.model.clear_column_filters()
    assert len(names(page)) == 5


def test_sorting_by_score_and_name(page: CustomersPage) -> None:
    page.model.sort(COLUMN_INDEX["Score"], Qt.SortOrder.DescendingOrder)
    scores = [page.model.customer_at(r).shown_score for r in range(page.model.rowCount())]
    known = [s for s in scores if s is not None]
    assert known == sorted(known, reverse=True) and scores[-1] is None
    page.model.sort(COLUMN_INDEX["Name"], Qt.SortOrder.DescendingOrder)
    assert names(page) == ["Echo", "Delta", "Cargo", "Bolt", "Acme"]


def _select(page: CustomersPage, *wanted: str) -> None:
    page.table.frozen.clearSelection()
    for row, name in enumerate(names(page)):
        if name in wanted:
            page.table.frozen.selectionModel().select(
                page.model.index(row, 0),
                page.table.frozen.selectionModel().SelectionFlag.Select
                | page.table.frozen.selectionModel().SelectionFlag.Rows,
            )


def test_bulk_trash_then_restore(page: CustomersPage, qtbot: QtBot) -> None:
    page.show()
    _select(page, "Acme", "Bolt")
    assert page.bulk.selection_label.text() == "2 selected"
    page.bulk.trash.click()
    qtbot.waitUntil(lambda: page.model.tab_counts()["trash"] == 2)
    assert "Acme" not in names(page)
    page.tabs.setCurrentIndex(TAB_KEYS.index("trash"))
    assert names(page) == ["Acme", "Bolt"]
    assert page.bulk.restore.isVisible() and not page.bulk.trash.isVisible()
    _select(page, "Bolt")
    page.bulk.restore.click()
    qtbot.waitUntil(lambda: page.model.tab_counts()["trash"] == 1)
    assert names(page) == ["Acme"]
    actions = [e.action for e in page.ctx.services.audit.entries()]
    assert actions.count("customer_trashed") == 2 and "customer_restored" in actions


def test_purge_asks_first(
    page: CustomersPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.show()
    page.ctx.services.customers.trash([page.model.customer_at(0).id])
    qtbot.waitUntil(lambda: page.model.tab_counts()["trash"] == 1)
    page.tabs.setCurrentIndex(TAB_KEYS.index("trash"))
    _select(page, "Acme")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    page.bulk.purge.click()
    assert page.ctx.services.customers.find_id("Acme") is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.bulk.purge.click()
    qtbot.waitUntil(lambda: page.model.tab_counts()["trash"] == 0)
    assert page.ctx.services.customers.find_id("Acme") is None


def test_bulk_tags_lifecycle_and_rescore(
    page: CustomersPage, qtbot: QtBot, services: Services
) -> None:
    page.show()
    _select(page, "Cargo", "Delta")
    page.bulk.change_tags(add="pilot, q3")
    qtbot.waitUntil(lambda: "pilot" in page.model.customer_at(2).tags)
    assert services.customers.get(services.customers.find_id("Delta") or 0).tags == ("pilot", "q3")
    _select(page, "Cargo")
    page.bulk.set_lifecycle("onboarding")
    qtbot.waitUntil(lambda: page.model.customer_at(2).lifecycle == "onboarding")
    _select(page, "Acme", "Bolt")
    page.bulk.rescore.click()
    assert services.audit.entries()[0].summary.startswith("Rescored 2 selected customers")


def test_double_click_opens_detail_and_emits(page: CustomersPage, qtbot: QtBot) -> None:
    with qtbot.waitSignal(page.customer_open_requested) as blocker:
        page.table.row_activated.emit(0)
    assert blocker.args == [page.model.customer_at(0).id]
    windows = page.findChildren(CustomerDetailWindow)
    assert [w.customer_id for w in windows] == [page.model.customer_at(0).id]
    page.table.row_activated.emit(0)  # the same customer again: no second window
    assert len(page.findChildren(CustomerDetailWindow)) == 1
    windows[0].close()


def test_manager_filter_is_honoured(page: CustomersPage) -> None:
    page.ctx.manager = "Ben"
    page.refresh()
    assert names(page) == ["Bolt", "Delta"]


def test_enter_opens_the_current_row(page: CustomersPage, qtbot: QtBot) -> None:
    page.show()
    page.table.body.setCurrentIndex(page.model.index(1, 1))
    with qtbot.waitSignal(page.customer_open_requested) as blocker:
        qtbot.keyClick(page.table.body, Qt.Key.Key_Return)
    assert blocker.args == [page.model.customer_at(1).id]
    for window in page.findChildren(CustomerDetailWindow):
        window.close()


def test_header_menu_filters_a_column(page: CustomersPage) -> None:
    menu = page._column_menu(COLUMN_INDEX["Manager"])
    editor = menu.findChild(QLineEdit)
    assert editor is not None
    editor.setText("ben")
    editor.returnPressed.emit()
    assert names(page) == ["Bolt", "Delta"]
    assert page.model.headerData(COLUMN_INDEX["Manager"], Qt.Orientation.Horizontal) == "Manager ▾"
    assert page.clear_filters.isVisibleTo(page)
    page.clear_filters.click()
    assert len(names(page)) == 5


def test_model_tester_in_the_trash_tab_with_filters(
    page: CustomersPage, qtmodeltester: object
) -> None:
    page.ctx.services.customers.trash([page.model.customer_at(0).id])
    page.refresh()
    page.tabs.setCurrentIndex(TAB_KEYS.index("trash"))
    page.apply_column_filter(COLUMN_INDEX["Score"], ">=0")
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert names(page) == ["Acme"]


def test_selection_follows_its_customers_through_a_sort(page: CustomersPage) -> None:
    _select(page, "Acme", "Cargo")
    page.model.sort(COLUMN_INDEX["Name"], Qt.SortOrder.DescendingOrder)
    assert page.table.selected_rows() == [2, 4]
    assert sorted(page.model.customer_at(r).name for r in page.table.selected_rows()) == [
        "Acme",
        "Cargo",
    ]


def test_typing_on_and_back_gives_the_same_rows_as_a_fresh_search(page: CustomersPage) -> None:
    page.tabs.setCurrentIndex(TAB_KEYS.index("all"))
    seen = {}
    for text in ("a", "an", "ana", "an", "a", "b", "be", "ben", ""):
        page.search.setText(text)
        seen[text] = names(page)
    assert seen["ana"] == ["Acme", "Cargo", "Echo"]
    assert seen["ben"] == ["Bolt", "Delta"]
    assert seen[""] == ["Acme", "Bolt", "Cargo", "Delta", "Echo"]
    fresh = CustomersPage(page.ctx)
    fresh.refresh()
    fresh.search.setText("an")
    assert names(fresh) == seen["an"]
    fresh.deleteLater()


@pytest.mark.parametrize(
    "header", ["Score", "Status", "Momentum", "MRR", "Priority", "Tier", "Renewal", "Tags"]
)
def test_every_sort_matches_a_stable_python_sort(
    ctx: PageContext, qtbot: QtBot, header: str
) -> None:
    ctx.services.customers.load_sample(80, 9)
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    rows = [page.model.customer_at(r) for r in range(page.model.rowCount())]  # by name
    column = COLUMNS[COLUMN_INDEX[header]]
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        page.model.sort(COLUMN_INDEX[header], order)
        expected = sorted(rows, key=column.key, reverse=order == Qt.SortOrder.DescendingOrder)
        assert [page.model.customer_at(r).id for r in range(page.model.rowCount())] == [
            c.id for c in expected
        ]


def test_remembered_searches_are_dropped_when_sort_or_filters_change(
    page: CustomersPage, qtbot: QtBot
) -> None:
    fresh = CustomersPage(page.ctx)
    qtbot.addWidget(fresh)
    fresh.refresh()
    fresh.model.sort(COLUMN_INDEX["Name"], Qt.SortOrder.DescendingOrder)
    fresh.search.setText("a")
    page.search.setText("a")
    page.search.setText("an")
    page.model.sort(COLUMN_INDEX["Name"], Qt.SortOrder.DescendingOrder)
    page.search.setText("a")  # seen before, but under the old sort
    assert names(page) == names(fresh) and names(page)[0] == "Echo"
    page.apply_column_filter(COLUMN_INDEX["Manager"], "ben")
    page.search.setText("an")
    page.search.setText("a")
    assert names(page) == ["Delta", "Bolt"]


def test_navigation_subsets_from_other_pages_survive_a_reload(
    page: CustomersPage, ctx: PageContext
) -> None:
    acme = ctx.services.customers.find_id("Acme")
    page.apply_navigation({"statuses": ["critical", "at_risk"]})
    assert names(page) == ["Bolt"] and page.only_bar.isVisibleTo(page)
    assert "Critical" in page.only_label.text()
    page.refresh()  # the rule, not a frozen id list, is kept
    assert names(page) == ["Bolt"]
    page.apply_navigation({"ids": [acme]})
    assert names(page) == ["Acme"]
    page.apply_navigation({"customer_id": acme})
    assert names(page) == ["Acme"]
    page._on_only_cleared()
    assert len(names(page)) == 5 and not page.only_bar.isVisibleTo(page)


def test_navigation_to_upcoming_renewals(page: CustomersPage, ctx: PageContext) -> None:
    import datetime as dt

    soon = ctx.services.clock.today() + dt.timedelta(days=30)
    ctx.services.customers.update(
        ctx.services.customers.find_id("Cargo") or 0, {"renewal_date": soon.isoformat()}
    )
    page.refresh()
    page.apply_navigation({"renewal_within_days": 90})
    assert names(page) == ["Cargo"]


def test_export_view_writes_exactly_the_rows_shown(page: CustomersPage, tmp_path: Path) -> None:
    import csv

    page.apply_navigation({"search": "ana"})
    target = tmp_path / "view.csv"
    page.export.choose_path = lambda kind: target  # type: ignore[method-assign]
    page.export.export("enriched")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        exported = [row["name"] for row in csv.DictReader(handle)]
    assert sorted(exported) == ["Acme", "Cargo", "Echo"]
    assert "Exported 3 customers" in page.count_label.text()


def test_first_screenful_hides_counts_until_everything_is_in(
    ctx: PageContext, qtbot: QtBot
) -> None:
    for name in ("Acme", "Bolt", "Cargo"):
        ctx.services.customers.create({"name": name, "logins": 10})
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    first = ctx.services.customers.list_customers(CustomerFilter(trash=None), first=2)
    page._on_first_rows(page._load_generation, first)
    assert names(page) == ["Acme", "Bolt"]
    assert page.tabs.tabText(0) == "All" and "loading the rest" in page.count_label.text()
    page.refresh()  # the full read replaces the first screenful
    assert names(page) == ["Acme", "Bolt", "Cargo"]
    assert page.tabs.tabText(0) == "All  3" and page.count_label.text() == "3 customers"


def test_custom_field_filter_narrows_the_list(window: MainWindow, services: Services) -> None:
    seats = services.custom_fields.create("Seats", "number")
    plan = services.custom_fields.create("Plan", "choice", ["Gold", "Silver"])
    for name, n, p in (("Acme", 10, "Gold"), ("Globex", 80, "Silver"), ("Hooli", 120, "Gold")):
        cid = services.customers.create({"name": name, "logins": 10}).id
        services.custom_fields.set_values(cid, {"Seats": n, "Plan": p})
    services.customers.create({"name": "Initech", "logins": 10})  # no value: never matches
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    page.refresh()
    button = page.custom_filter
    assert button.isVisible() and [f.label for f in button.fields] == ["Plan", "Seats"]
    field = next(f for f in button.fields if f.key == seats.key)
    assert not button.apply(field, "lots")  # not a condition on a number
    assert button.apply(field, ">50")
    names = {page.model.customer_at(r).name for r in range(page.model.rowCount())}
    assert names == {"Globex", "Hooli"}
    assert "Seats >50" in page.only_label.text() and page.only_bar.isVisible()
    choice = next(f for f in button.fields if f.key == plan.key)
    button.apply(choice, "gold")
    names = {page.model.customer_at(r).name for r in range(page.model.rowCount())}
    assert names == {"Acme", "Hooli"}


def test_an_empty_portfolio_says_so_and_offers_the_next_step(
    qtbot: QtBot, ctx: PageContext
) -> None:
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert page.table_stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No customers yet"
    with qtbot.waitSignal(page.navigation_requested) as asked:
        page.empty.buttons[0].click()
    assert asked.args[0] == "import_export"


def test_tab_counts_follow_the_search(qtbot: QtBot, ctx: PageContext) -> None:
    for name, logins in (("Acme", 30), ("Acme Two", 1), ("Beta", 30)):
        ctx.services.customers.create({"name": name, "logins": logins, "adoption": 90})
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert page.tabs.tabText(0).endswith("3")
    page.search.setText("acme")
    assert page.tabs.tabText(0).endswith(" 2")
    page.search.setText("zzz")
    assert page.tabs.tabText(0).endswith(" 0") and page.empty.title.text() == "No customer matches"
    page.empty.buttons[0].click()
    assert page.search.text() == "" and page.table_stack.currentWidget() is page.table
