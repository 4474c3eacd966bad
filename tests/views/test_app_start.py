"""Starting the app: one instance per database file, plain-words refusals, crash dialog."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from iqcadence_desktop import app
from iqcadence_desktop.errors import DatabaseError, UserFacingError
from iqcadence_desktop.models.db import open_database


def test_second_window_on_the_same_file_is_refused(qtbot: QtBot, db_path: Path) -> None:
    window, cleanup = app.build_window(str(db_path))
    qtbot.addWidget(window)
    try:
        with pytest.raises(UserFacingError, match="already open on"):
            app.build_window(str(db_path))
    finally:
        cleanup()
    again, cleanup_again = app.build_window(str(db_path))  # free once the first has closed
    qtbot.addWidget(again)
    cleanup_again()


def test_bad_database_is_told_in_words_and_frees_the_lock(qtbot: QtBot, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    alerts: list[tuple[str, str]] = []
    assert app.open_window(str(junk), lambda title, text: alerts.append((title, text))) is None
    assert len(alerts) == 1 and "not an SQLite file" in alerts[0][1]
    with pytest.raises(DatabaseError):
        app.build_window(str(junk))  # the lock was released after the first failure


def test_crash_handler_logs_and_shows_the_log_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    alerts: list[tuple[str, str]] = []
    log_path = tmp_path / "iqcadence.log"
    app.install_crash_handler(log_path, lambda title, text: alerts.append((title, text)))
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        with caplog.at_level(logging.CRITICAL):
            sys.excepthook(type(exc), exc, exc.__traceback__)
    assert "hit a bug" in alerts[0][0] and str(log_path) in alerts[0][1]
    assert caplog.records[-1].levelno == logging.CRITICAL and caplog.records[-1].exc_info
    try:
        raise DatabaseError("The database is busy.")
    except DatabaseError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert alerts[1] == ("iQcadence", "The database is busy.")


def test_fresh_database_is_one_click_from_a_sample_portfolio(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt

    from iqcadence_desktop.views.pages.home import page as home

    monkeypatch.setattr(home, "SAMPLE_DAYS", 14)  # the full 90 days is slow on CI machines
    window, cleanup = app.build_window(str(db_path))
    qtbot.addWidget(window)
    try:
        window.show_page("home")
        page = window.current_page()
        assert isinstance(page, home.HomePage) and page.sample_button.isEnabled()
        with qtbot.waitSignal(page.sample_loaded, timeout=120_000):
            qtbot.mouseClick(page.sample_button, Qt.MouseButton.LeftButton)
        # Home reloads its figures in the background after the sample lands.
        qtbot.waitUntil(
            lambda: page.kpis["mrr"].value.text() not in ("", "—", "$0"), timeout=60_000
        )
    finally:
        cleanup()


LAZY_CHECK = """
import sys
from PySide6.QtWidgets import QApplication
from iqcadence_desktop import app as appmod
qapp = QApplication([])
window, cleanup = appmod.build_window(sys.argv[1])
window.show()
qapp.processEvents()
print(sorted(m for m in ("reportlab", "pandas", "alembic") if m in sys.modules))
cleanup()
"""


def test_start_up_leaves_heavy_libraries_unimported(db_path: Path) -> None:
    """reportlab and pandas load when a report or export needs them, not at start-up; an
    up-to-date database is opened without Alembic."""
    open_database(db_path).close()  # created and migrated: the next open is the common case
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", LAZY_CHECK, str(db_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
