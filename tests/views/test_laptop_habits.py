"""Habits of a desktop app on a laptop: a menu bar, Ctrl+Q, Esc, windows that fit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.customer_detail.window import (
    PREFERRED_SIZE,
    CustomerDetailWindow,
    open_customer_detail,
)
from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.widgets.placement import fitted
from tests.views.conftest import add


def test_the_menu_bar_has_the_usual_menus_and_ctrl_q(window: MainWindow) -> None:
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Help"]
    assert window.quit_action is not None
    assert window.quit_action.shortcut().matches(QKeySequence("Ctrl+Q")) == (
        QKeySequence.SequenceMatch.ExactMatch
    )


def test_view_menu_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    view = window.menuBar().actions()[2].menu()
    settings = next(a for a in view.actions() if a.text() == "Weights && Config")
    settings.trigger()
    assert window.current_page().PAGE_ID == "settings"


def test_quit_closes_every_window(
    qtbot: QtBot, window: MainWindow, services: Services, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    detail = open_customer_detail(window.ctx, add(services, "Acme"), window.pages["customers"])
    qtbot.waitExposed(detail)
    monkeypatch.setattr(QApplication, "quit", lambda *_args: None)  # keep the test session alive
    assert window.quit_action is not None
    window.quit_action.trigger()
    assert not window.isVisible() and not detail.isVisible()


def test_a_window_from_a_bigger_monitor_opens_on_this_one(
    qtbot: QtBot, ctx: PageContext, tmp_path: Path
) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    far = QMainWindow()
    far.setGeometry(QRect(screen.right() + 1500, 200, 1900, 1150))  # a second, big monitor
    saved: QByteArray = far.saveGeometry()
    far.deleteLater()
    state = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    state.setValue("window/geometry", saved)
    win = MainWindow(ctx, state)
    qtbot.addWidget(win)
    assert screen.contains(win.frameGeometry())


def test_the_customer_window_fits_the_screen_and_esc_closes_it(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    detail = open_customer_detail(window.ctx, add(services, "Acme"), window.pages["customers"])
    qtbot.waitExposed(detail)
    screen = detail.screen().availableGeometry()
    assert detail.width() <= screen.width() and detail.height() <= screen.height()
    assert screen.contains(detail.frameGeometry())
    qtbot.keyClick(detail, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not detail.isVisible())
    assert isinstance(detail, CustomerDetailWindow)


def test_fitting_shrinks_and_moves_onto_a_laptop_screen() -> None:
    laptop = QRect(0, 0, 1024, 700)
    placed = fitted(QRect(2000, 100, PREFERRED_SIZE.width(), PREFERRED_SIZE.height()), laptop)
    assert laptop.contains(placed) and placed.height() <= 700 - 24 and placed.width() <= 1000


def test_save_dialogs_start_in_documents(qtbot: QtBot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    from iqcadence_desktop.views.widgets.common import documents_dir

    asked: list[str] = []

    def fake(_parent: object, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        asked.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    page = window.pages["import_export"]
    page._on_backup_clicked()  # type: ignore[attr-defined]
    page._on_export_clicked("enriched")  # type: ignore[attr-defined]
    reports = window.pages["reports"]
    assert asked and all(Path(a).parent == documents_dir() for a in asked)
    assert (
        str(Path.cwd()) not in {str(Path(a).parent) for a in asked} or Path.cwd() == documents_dir()
    )
    assert reports is not None


@pytest.mark.parametrize("filled", [False, True])
def test_no_page_makes_the_window_wider_than_a_laptop(
    qtbot: QtBot, window: MainWindow, services: Services, filled: bool
) -> None:
    if filled:
        services.customers.load_sample(40, 3)
    for page_id, page in window.pages.items():
        window.show_page(page_id)
        page.refresh()
        QApplication.processEvents()
        # 1024 x 700 less the sidebar (200), the menu, top and status bars and margins.
        hint = page.minimumSizeHint()
        assert hint.width() <= 800 and hint.height() <= 540, (page_id, hint)


def test_forms_fit_across_at_1024_by_700(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    """No page needs a sideways scroll bar on a laptop: forms wrap or give way instead."""
    from PySide6.QtWidgets import QScrollArea

    services.customers.load_sample(30, 3)
    window.resize(1024, 700)
    for page_id, page in window.pages.items():
        window.show_page(page_id)
        page.refresh()
        sections = getattr(page, "tabs", None)
        for index in range(sections.count() if page_id == "settings" else 1):
            if page_id == "settings":
                sections.setCurrentIndex(index)  # type: ignore[union-attr]
            QApplication.processEvents()
            for area in page.findChildren(QScrollArea):
                inner = area.widget()
                if inner is None or not area.isVisible():
                    continue
                need = inner.minimumSizeHint().width()
                assert need <= area.viewport().width() + 1, (page_id, index, type(inner).__name__)


def test_the_customer_window_needs_no_more_than_a_laptop(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    cid = add(services, "A rather long customer name for a window title", logins=3)
    services.customers.update(cid, {"renewal_date": "2026-10-01", "manager": "Jonas Müller"})
    detail = open_customer_detail(window.ctx, cid, window.pages["customers"])
    qtbot.waitExposed(detail)
    for index in range(detail.tabs.count()):
        detail.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        hint = detail.minimumSizeHint()
        assert hint.width() <= 1000 and hint.height() <= 676, (detail.tabs.tabText(index), hint)
