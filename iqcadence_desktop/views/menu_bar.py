"""The menu bar people expect: File, Edit, View and Help, with the usual shortcuts.

Ctrl+Q quits (also from a customer window), Ctrl+F searches the page, Ctrl+1…9 switch
pages, F5 reloads the page. Every entry goes to a page that already does the work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from iqcadence_desktop import APP_NAME, __version__
from iqcadence_desktop.paths import data_dir

if TYPE_CHECKING:
    from iqcadence_desktop.views.main_window import MainWindow


def _action(
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    return action


def install_menu_bar(window: MainWindow) -> None:
    bar = window.menuBar()
    _file_menu(window, bar.addMenu("&File"))
    _edit_menu(window, bar.addMenu("&Edit"))
    _view_menu(window, bar.addMenu("&View"))
    _help_menu(window, bar.addMenu("&Help"))


def _file_menu(window: MainWindow, menu: QMenu) -> None:
    _action(menu, "&Import a CSV file…", lambda: window.show_import_export(0), "Ctrl+I")
    _action(menu, "&Export and back up…", lambda: window.show_import_export(1), "Ctrl+E")
    menu.addSeparator()
    _action(menu, "&Reports", lambda: window.show_page("reports"), "Ctrl+R")
    menu.addSeparator()
    quit_action = _action(menu, "&Quit", quit_app, QKeySequence.StandardKey.Quit)
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    if quit_action.shortcut().isEmpty():  # Windows has no standard Quit key
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    window.quit_action = quit_action


def _edit_menu(window: MainWindow, menu: QMenu) -> None:
    _action(menu, "&Find on this page", lambda: window.current_page().focus_search(), "Ctrl+F")
    _action(menu, "&Score a customer…", lambda: window.show_page("score_customer"), "Ctrl+N")
    menu.addSeparator()
    settings = _action(menu, "Se&ttings", lambda: window.show_page("settings"), "Ctrl+,")
    settings.setMenuRole(QAction.MenuRole.PreferencesRole)


def _view_menu(window: MainWindow, menu: QMenu) -> None:
    for number, page_id in enumerate(window.sidebar.page_ids(), start=1):
        title = window.pages[page_id].TITLE
        shortcut = f"Ctrl+{number}" if number <= 9 else None
        _action(menu, title.replace("&", "&&"), _go(window, page_id), shortcut)
    menu.addSeparator()
    _action(menu, "&Reload this page", lambda: window.current_page().refresh(), "F5")
    _action(menu, "Show or hide the &page list", window.toggle_sidebar, "Ctrl+B")


def _go(window: MainWindow, page_id: str) -> Callable[[], None]:
    return lambda: window.show_page(page_id)


def _help_menu(window: MainWindow, menu: QMenu) -> None:
    help_key = QKeySequence.StandardKey.HelpContents
    _action(menu, "&Help for this page", window.open_help_for_current_page, help_key)
    _action(menu, "&Where is my data?", lambda: _where_is_my_data(window))
    _action(menu, "&Keyboard shortcuts", lambda: _shortcuts(window))
    about = _action(menu, f"&About {APP_NAME}", lambda: _about(window))
    about.setMenuRole(QAction.MenuRole.AboutRole)


def quit_app() -> None:
    """Close every window (customer windows too), then leave the event loop."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.closeAllWindows()
        app.quit()


def _where_is_my_data(window: MainWindow) -> None:
    QMessageBox.information(
        window,
        "Where is my data?",
        f"This window works on {window.ctx.services.db.describe()}.\n\n"
        f"The app keeps its files (database, logs, backups, reports) in {data_dir()}. "
        "Set IQCADENCE_DATA_DIR before starting the app to keep them somewhere else.",
    )


def _shortcuts(window: MainWindow) -> None:
    QMessageBox.information(
        window,
        "Keyboard shortcuts",
        "F1  help for this page\n"
        "Ctrl+1 … Ctrl+9  go to a page (in sidebar order)\n"
        "Ctrl+F  search on this page\n"
        "Ctrl+N  score a customer\n"
        "Ctrl+I  import a CSV file\n"
        "F5  reload this page\n"
        "Ctrl+B  show or hide the page list\n"
        "Esc  close a customer window\n"
        "Ctrl+Q  quit",
    )


def _about(window: MainWindow) -> None:
    QMessageBox.about(
        window,
        f"About {APP_NAME}",
        f"{APP_NAME} {__version__}\n\nCustomer health scores you can take apart, kept on "
        "your own computer.",
    )
