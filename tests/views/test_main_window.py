"""Main window shell: sections, manager filter, hamburger, shortcuts, state, open customer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.main_window import ALL_MANAGERS, MainWindow
from iqcadence_desktop.views.pages.base import Page, PageContext
from tests.views.conftest import add


def test_sidebar_has_sections_and_every_page_with_an_icon(window: MainWindow) -> None:
    texts = [window.sidebar.item(r).text() for r in range(window.sidebar.count())]
    assert texts[:2] == ["MONITOR", "Home Base"] and "Customers" in texts
    assert "SETTINGS" in texts and "Weights & Config" in texts and "Audit Log" in texts
    for row in range(window.sidebar.count()):
        item = window.sidebar.item(row)
        if item.data(Qt.ItemDataRole.UserRole):
            assert not item.icon().isNull()
    assert "Database:" in window.statusBar().currentMessage()


def test_manager_filter_narrows_pages(qtbot: QtBot, services: Services, window: MainWindow) -> None:
    add(services, "A1", manager="Ana", logins=10)
    add(services, "B1", manager="Ben", logins=10)
    add(services, "B2", manager="Ben", logins=10)
    combo = window.manager_combo
    qtbot.waitUntil(lambda: combo.count() == 3)  # events arrive through the queued bridge
    assert [combo.itemText(i) for i in range(combo.count())] == [ALL_MANAGERS, "Ana", "Ben"]
    window.show_page("customers")
    customers = window.pages["customers"]
    assert customers.model.rowCount() == 3  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.manager_changed) as blocker:
        combo.setCurrentIndex(combo.findText("Ben"))
    assert blocker.args == ["Ben"]
    assert window.ctx.manager == "Ben"
    assert customers.model.rowCount() == 2  # type: ignore[attr-defined]
    # Hidden pages reload when next shown; the Alerts page reloads at once because its
    # sidebar badge must stay current.
    assert all(
        p.stale for p in window.pages.values() if not p.isVisible() and p.PAGE_ID != "alerts"
    )
    window.set_manager(None)
    assert customers.model.rowCount() == 3  # type: ignore[attr-defined]


def test_narrow_window_shows_hamburger_that_toggles_sidebar(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert not window.menu_button.isVisible() and window.sidebar.isVisible()
    window.resize(900, 700)
    qtbot.waitUntil(window.is_narrow)
    assert window.menu_button.isVisible() and not window.sidebar.isVisible()
    qtbot.mouseClick(window.menu_button, Qt.MouseButton.LeftButton)
    assert window.sidebar.isVisible()
    window.show_page("audit_log")  # choosing a page closes the drawer
    assert not window.sidebar.isVisible()
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: not window.is_narrow())
    assert window.sidebar.isVisible() and not window.menu_button.isVisible()


def test_shortcuts_switch_pages_and_ctrl_f_focuses_search(qtbot: QtBot, window: MainWindow) -> None:
    order = window.sidebar.page_ids()
    assert order[0] == "home" and "customers" in order[:9] and "reports" in order[:9]
    # Ctrl+1..9 reach the first nine pages of the sidebar.
    customers_key = Qt.Key(Qt.Key.Key_1.value + order.index("customers"))
    reports_key = Qt.Key(Qt.Key.Key_1.value + order.index("reports"))
    qtbot.keyClick(window, customers_key, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().PAGE_ID == "customers"
    qtbot.keyClick(window, reports_key, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().PAGE_ID == "reports"
    qtbot.keyClick(window, customers_key, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.search.hasFocus())  # type: ignore[attr-defined]


def test_geometry_and_last_page_are_remembered(
    qtbot: QtBot, ctx: PageContext, tmp_path: Path
) -> None:
    state = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    first = MainWindow(ctx, state)
    qtbot.addWidget(first)
    first.resize(1100, 760)
    first.show_page("audit_log")
    first.close()
    second = MainWindow(ctx, state)
    qtbot.addWidget(second)
    assert second.current_page().PAGE_ID == "audit_log"
    # The offscreen screen is 800 px wide, so restoreGeometry clamps the width.
    assert second.height() == 760 and state.value("window/geometry") is not None


def test_every_page_open_request_goes_to_open_customer(
    window: MainWindow, services: Services
) -> None:
    from iqcadence_desktop.views.customer_detail.window import CustomerDetailWindow

    cid = add(services, "Acme")
    page: Page = window.pages["audit_log"]
    page.customer_open_requested.emit(cid)
    page.customer_open_requested.emit(cid)  # the second request raises the same window
    opened = window.findChildren(CustomerDetailWindow)
    assert [w.customer_id for w in opened] == [cid]
    assert opened[0].isVisible()
    opened[0].close()
