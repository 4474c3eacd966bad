"""A main window over the test database, with a synchronous task runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.tasks import SyncTaskRunner
from iqcadence_desktop.views.widgets.page_parts import FOLLOW_UP_MS


@pytest.fixture
def ctx(services: Services, qapp: object) -> Iterator[PageContext]:
    bridge = EventBridge(services.events)
    yield PageContext(services, SyncTaskRunner(), bridge)
    bridge.detach()
    if not services.db.is_sqlite:
        # Pages read a second part a moment after the first (FOLLOW_UP_MS): let those
        # timers fire now, while the test's PostgreSQL database still exists (it is
        # dropped next; the widgets are closed only after that).
        QTest.qWait(4 * FOLLOW_UP_MS)


@pytest.fixture
def window(qtbot: QtBot, ctx: PageContext, tmp_path: Path) -> MainWindow:
    state = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(ctx, state)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def add(services: Services, name: str, **fields: object) -> int:
    return services.customers.create({"name": name, **fields}).id


def double_click(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> None:
    """Double-click a cell the way a user does: Qt's views act on a double click only
    after a press on the same cell."""
    at = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
