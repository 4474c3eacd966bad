"""The desktop app's composition root: open the database, build services, show the window.

Start-up problems the user can fix (a locked, read-only or too-new database, a second
copy on the same file) are shown in a message box in plain words. Anything else is a bug:
it is logged with its traceback to the rotating log and shown in a crash dialog that
says where the log is.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from iqcadence_desktop import APP_NAME, __version__
from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.paths import DB_ENV, default_db_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from iqcadence_desktop.services.container import Services
    from iqcadence_desktop.views.main_window import MainWindow

log = logging.getLogger(__name__)

#: QSettings key: the email last signed in with on a team database.
TEAM_EMAIL_KEY = "team/email"


class SignInCancelled(Exception):
    """The user closed the sign-in dialog of a team database: quit quietly."""


#: Shows (title, text) to the user; a QMessageBox in the app, a list in tests.
Alert = Callable[[str, str], None]
Cleanup = Callable[[], None]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="iqcadence", description="iQcadence Desktop")
    parser.add_argument(
        "--db",
        default=os.environ.get(DB_ENV),
        help=f"database path or SQLAlchemy URL (default: ${DB_ENV} or the app's own)",
    )
    parser.add_argument("--version", action="version", version=f"iqcadence {__version__}")
    return parser.parse_args(argv)


def _lock_path(target: str) -> Path | None:
    from iqcadence_desktop.models.db import resolve_url, sqlite_path

    path = sqlite_path(resolve_url(target))
    return None if path is None else path.with_name(path.name + ".lock")


def _message_box(title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, title, text)


def install_crash_handler(log_path: Path, alert: Alert = _message_box) -> None:
    """Route uncaught exceptions (also from Qt slots) to the log and a dialog."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
        elif isinstance(exc, UserFacingError):
            log.warning("%s", exc)
            alert(APP_NAME, str(exc))
        else:
            log.critical("Unexpected error", exc_info=(kind, exc, tb))
            alert(
                f"{APP_NAME} hit a bug",
                f"Something went wrong that we did not expect: {exc!s:.300}\n\n"
                f"The details were written to {log_path}. Please send that file with a "
                "note of what you were doing. Your data was saved up to the last change.",
            )

    sys.excepthook = hook


def open_window(target: str, alert: Alert = _message_box) -> tuple[MainWindow, Cleanup] | None:
    """The main window for a database, or None after telling the user why not."""
    try:
        return build_window(target)
    except SignInCancelled:
        return None
    except UserFacingError as exc:
        log.warning("Cannot start: %s", exc)
        alert(f"{APP_NAME} cannot start", str(exc))
        return None


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
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from iqcadence_desktop.logging_setup import setup_logging

    log_path = setup_logging()
    # Qt is imported only now, so `--help` and `--version` stay instant.
    app = create_application()
    install_crash_handler(log_path)
    opened = open_window(args.db or _remembered_team_url() or str(default_db_path()))
    if opened is None:
        return 1
    window, cleanup = opened
    window.show()
    try:
        return int(app.exec())
    finally:
        cleanup()


def _remembered_team_url() -> str | None:
    from PySide6.QtCore import QSettings

    from iqcadence_desktop.views.team.connect import TEAM_URL_KEY

    value = QSettings().value(TEAM_URL_KEY)
    return str(value) if value else None


def build_window(target: str) -> tuple[MainWindow, Cleanup]:
    """Open everything for one database; returns (window, cleanup)."""
    from filelock import FileLock, Timeout

    lock_path = _lock_path(target)
    lock = FileLock(str(lock_path)) if lock_path is not None else None
    if lock is not None:
        try:
            lock.acquire(timeout=0.1)
        except Timeout:
            raise UserFacingError(
                f"iQcadence is already open on {target}. Switch to that window, or start "
                "this copy with another database (--db)."
            ) from None
    try:
        window, close = _assemble(target)
    except BaseException:
        if lock is not None:
            lock.release()
        raise

    def cleanup() -> None:
        close()
        if lock is not None:
            lock.release()

    return window, cleanup


def _assemble(target: str) -> tuple[MainWindow, Cleanup]:
    from iqcadence_desktop.models.db import open_database
    from iqcadence_desktop.services.container import build_services
    from iqcadence_desktop.services.system import KeyringSecretStore
    from iqcadence_desktop.services.team import with_server_password
    from iqcadence_desktop.views.bridge import EventBridge
    from iqcadence_desktop.views.due_work import DueWorkRunner
    from iqcadence_desktop.views.main_window import MainWindow
    from iqcadence_desktop.views.pages.base import PageContext
    from iqcadence_desktop.views.tasks import TaskRunner

    secrets = KeyringSecretStore()
    db = open_database(with_server_password(target, secrets))
    services = build_services(db, secrets=secrets)
    if db.is_team:
        try:
            _sign_in(services)
        except BaseException:
            db.close()
            raise
    tasks = TaskRunner()
    bridge = EventBridge(services.events)
    window = MainWindow(PageContext(services, tasks, bridge))
    # Bring every account's score and history up to today without blocking the window.
    tasks.run(lambda _token: services.customers.ensure_daily_snapshots(), owner=None)
    # Alert rules, digests, scheduled reports and the outbox, while the app is open; what
    # delivery writes goes between the write lane's tasks.
    services.automations.set_write_gate(tasks.call_on_write_lane)
    due_work = DueWorkRunner(services.automations, tasks, bridge)
    due_work.start()

    try:
        services.api.start_if_enabled()  # the local REST API, when switched on in Settings
    except UserFacingError as exc:  # its port is taken: the app still starts, and says so
        log.warning("Local API not started: %s", exc)
        window.statusBar().showMessage(f"Local API not started: {exc}")

    def close() -> None:
        due_work.stop()
        services.api.stop()
        tasks.wait()
        bridge.detach()
        db.close()

    return window, close


def _sign_in(services: Services) -> None:
    """Every session on a team database belongs to a signed-in user (S13)."""
    from PySide6.QtCore import QSettings

    from iqcadence_desktop.views.team.sign_in import SignInDialog

    state = QSettings()
    dialog = SignInDialog(services, str(state.value(TEAM_EMAIL_KEY, "")))
    if not dialog.try_stored() and not dialog.exec():
        raise SignInCancelled
    state.setValue(TEAM_EMAIL_KEY, services.scope.identity.email)


if __name__ == "__main__":
    raise SystemExit(main())
