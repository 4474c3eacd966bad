"""The desktop app's composition root: open the database, build services, show the window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from iqcadence_desktop import APP_NAME, __version__
from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.paths import DB_ENV, default_db_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="iqcadence", description="iQcadence Desktop")
    parser.add_argument("--db", default=os.environ.get(DB_ENV),
                        help=f"database path or SQLAlchemy URL (default: ${DB_ENV} or the app's own)")
    parser.add_argument("--version", action="version", version=f"iqcadence {__version__}")
    return parser.parse_args(argv)


def _lock_path(target: str) -> Path | None:
    from iqcadence_desktop.models.db import resolve_url, sqlite_path
    path = sqlite_path(resolve_url(target))
    return None if path is None else path.with_name(path.name + ".lock")


def create_application() -> QApplication:
    """The QApplication with the app's names and icon (shared with the self-test)."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from iqcadence_desktop.paths import resource_path

    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons", "iqcadence.png"))))
    return app


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["self-test"]:
        # The frozen app has one executable; this lets it check itself (make package).
        from iqcadence_desktop.cli import main as cli_main
        return cli_main(argv)
    args = parse_args(argv)
    from iqcadence_desktop.logging_setup import setup_logging
    setup_logging()
    # Import Qt only now, so `--help` and `--version` stay instant.
    from PySide6.QtWidgets import QMessageBox

    app = create_application()
    target = args.db or str(default_db_path())
    try:
        window, cleanup = build_window(target)
    except UserFacingError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    window.show()
    try:
        return int(app.exec())
    finally:
        cleanup()


def build_window(target: str):  # type: ignore[no-untyped-def]
    """Open everything for one database; returns (window, cleanup)."""
    from filelock import FileLock, Timeout

    from iqcadence_desktop.models.db import open_database
    from iqcadence_desktop.services.container import build_services
    from iqcadence_desktop.views.bridge import EventBridge
    from iqcadence_desktop.views.main_window import MainWindow
    from iqcadence_desktop.views.pages.base import PageContext
    from iqcadence_desktop.views.tasks import TaskRunner

    lock_path = _lock_path(target)
    lock = FileLock(str(lock_path)) if lock_path is not None else None
    if lock is not None:
        try:
            lock.acquire(timeout=0.1)
        except Timeout:
            raise UserFacingError(
                f"iQcadence is already open on {target}. Switch to that window, or start "
                "this copy with another database (--db).") from None
    db = open_database(target)
    services = build_services(db)
    tasks = TaskRunner()
    bridge = EventBridge(services.events)
    window = MainWindow(PageContext(services, tasks, bridge))
    # Bring every account's score and history up to today without blocking the window.
    tasks.run(lambda _token: services.customers.ensure_daily_snapshots())

    def cleanup() -> None:
        tasks.wait()
        bridge.detach()
        db.close()
        if lock is not None:
            lock.release()

    return window, cleanup


if __name__ == "__main__":
    raise SystemExit(main())
