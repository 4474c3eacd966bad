"""The main window: a top bar with the manager filter, the sidebar, the page stack."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtGui import QAction, QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop import APP_NAME
from iqcadence_desktop.views.customer_detail.window import open_customer_detail
from iqcadence_desktop.views.menu_bar import install_menu_bar
from iqcadence_desktop.views.pages.alerts.page import AlertsPage
from iqcadence_desktop.views.pages.audit_log.page import AuditLogPage
from iqcadence_desktop.views.pages.automations.page import AutomationsPage
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.calendar.page import CalendarPage
from iqcadence_desktop.views.pages.csm_performance.page import CsmPerformancePage
from iqcadence_desktop.views.pages.customers.page import CustomersPage
from iqcadence_desktop.views.pages.event_log.page import EventLogPage
from iqcadence_desktop.views.pages.help.page import HelpPage
from iqcadence_desktop.views.pages.home.page import HomePage
from iqcadence_desktop.views.pages.import_export.page import ImportExportPage
from iqcadence_desktop.views.pages.model_quality.page import ModelQualityPage
from iqcadence_desktop.views.pages.reports.page import ReportsPage
from iqcadence_desktop.views.pages.score_customer.page import ScoreCustomerPage
from iqcadence_desktop.views.pages.segments.page import SegmentsPage
from iqcadence_desktop.views.pages.settings.page import SettingsPage
from iqcadence_desktop.views.pages.trends.page import TrendsPage
from iqcadence_desktop.views.sidebar import Sidebar
from iqcadence_desktop.views.team.controls import TeamControls
from iqcadence_desktop.views.team.watch import ConnectionBanner, ConnectionWatch
from iqcadence_desktop.views.theme import STYLE_SHEET
from iqcadence_desktop.views.widgets.placement import keep_on_screen, place_on_screen

#: Every sidebar page, in sidebar order. A page is listed only once it works.
PAGE_CLASSES: tuple[type[Page], ...] = (
    HomePage,
    AlertsPage,
    CustomersPage,
    SegmentsPage,
    TrendsPage,
    CsmPerformancePage,
    CalendarPage,
    ReportsPage,
    AutomationsPage,
    EventLogPage,
    ScoreCustomerPage,
    ImportExportPage,
    SettingsPage,
    AuditLogPage,
    HelpPage,
    ModelQualityPage,
)
SECTIONS = ("Monitor", "Automate", "Data", "Settings")
#: Below this window width the sidebar folds away behind the ☰ button.
NARROW_WIDTH = 1000
ALL_MANAGERS = "All managers"


class MainWindow(QMainWindow):
    """Hosts the pages; remembers geometry and the last page (UI state only).

    Signals:
        manager_changed(object): the manager filter changed (a name, or None for all).
    """

    manager_changed = Signal(object)

    def __init__(self, ctx: PageContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._ui_state = settings or QSettings()
        self.setWindowTitle(APP_NAME)
        self.setStyleSheet(STYLE_SHEET)
        self.pages: dict[str, Page] = {}
        self.sidebar = Sidebar()
        self.stack = QStackedWidget()
        self._narrow = False
        self.team: TeamControls | None = None
        self.banner = ConnectionBanner()
        self.watch: ConnectionWatch | None = None
        self._build_pages()
        self.setCentralWidget(self._build_central())
        self.sidebar.page_selected.connect(self._on_sidebar_page_selected)
        ctx.bridge.customers_changed.connect(self._reload_managers)
        self._reload_managers()
        self.quit_action: QAction | None = None
        install_menu_bar(self)
        self.statusBar().showMessage(f"Database: {ctx.services.db.describe()}")
        if ctx.services.db.is_team:
            self._watch_connection()
        self._restore_state()

    # -- building --------------------------------------------------------------------
    def _build_central(self) -> QWidget:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.banner)
        outer.addWidget(self._build_top_bar())
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        return central

    def _build_top_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("topbar")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(8, 4, 12, 4)
        self.menu_button = QToolButton()
        self.menu_button.setObjectName("hamburger")
        self.menu_button.setText("☰")
        self.menu_button.setToolTip("Show or hide the page list")
        self.menu_button.setAccessibleName("Page list")
        self.menu_button.clicked.connect(self._on_menu_button_clicked)
        self.menu_button.hide()
        brand = QLabel(APP_NAME)
        brand.setObjectName("brand")
        self.manager_combo = QComboBox()
        self.manager_combo.setObjectName("manager_filter")
        self.manager_combo.setMinimumWidth(200)
        self.manager_combo.setToolTip("Show only this manager's accounts on every page")
        self.manager_combo.currentIndexChanged.connect(self._on_manager_combo_changed)
        label = QLabel("Manager:")
        label.setBuddy(self.manager_combo)
        self.help_button = QToolButton()
        self.help_button.setObjectName("help_button")
        self.help_button.setText("?")
        self.help_button.setToolTip("Help for this page (F1)")
        self.help_button.setAccessibleName("Help for this page")
        self.help_button.clicked.connect(self._on_help_button_clicked)
        for widget in (self.menu_button, brand):
            layout.addWidget(widget)
        layout.addStretch(1)
        services = self.ctx.services
        # Signed in (team database), or a single-user file someone added clients to.
        if services.scope.signed_in or len(services.team.clients()) > 1:
            self.team = TeamControls(services)
            self.team.client_changed.connect(self._on_team_client_changed)
            layout.addWidget(self.team)
        layout.addWidget(label)
        layout.addWidget(self.manager_combo)
        layout.addWidget(self.help_button)
        return bar

    def _build_pages(self) -> None:
        for section in SECTIONS:
            classes = [c for c in PAGE_CLASSES if section == c.SECTION]
            if classes:
                self.sidebar.add_section(section)
            for cls in classes:
                page = cls(self.ctx)
                self.pages[cls.PAGE_ID] = page
                self.stack.addWidget(page)
                self.sidebar.add_page(cls.PAGE_ID, cls.TITLE, cls.ICON)
                self._connect_page(page)
        home = self.pages["home"]
        if isinstance(home, HomePage):
            home.sample_loaded.connect(lambda: self.show_page("customers"))

    def _connect_page(self, page: Page) -> None:
        page_id = page.PAGE_ID
        page.badge_changed.connect(lambda text: self.sidebar.set_badge(page_id, text))
        page.navigation_requested.connect(self._on_page_navigation_requested)
        page.customer_open_requested.connect(self.open_customer)
        page.help_requested.connect(self.show_help)

    # -- navigation ------------------------------------------------------------------
    def show_page(self, page_id: str) -> None:
        self.sidebar.select(page_id)

    def show_import_export(self, tab: int) -> None:
        """The Import / Export page on its import (0) or export and backup (1) tab."""
        self.show_page("import_export")
        page = self.pages["import_export"]
        if isinstance(page, ImportExportPage):
            page.tabs.setCurrentIndex(tab)

    def toggle_sidebar(self) -> None:
        self.sidebar.setVisible(not self.sidebar.isVisible())

    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def open_customer(self, customer_id: int) -> None:
        """Open the customer's detail window (one per customer; an open one is raised).

        The windows belong to the Customers page, which also opens them itself when a row
        is activated, so each customer still gets exactly one window.
        """
        open_customer_detail(self.ctx, customer_id, self.pages["customers"])

    def show_help(self, topic: str) -> None:
        """Open Help & Guide at a topic ("tab/section")."""
        self.show_page("help")
        self.pages["help"].apply_navigation({"topic": topic})

    def open_help_for_current_page(self) -> None:
        """The Help & Guide section of the page on screen (the ? button, F1)."""
        self.current_page().request_help()

    def _on_help_button_clicked(self) -> None:
        self.open_help_for_current_page()

    def _on_page_navigation_requested(self, page_id: str, params: dict[str, object]) -> None:
        self.show_page(page_id)
        self.pages[page_id].apply_navigation(params)

    def _on_sidebar_page_selected(self, page_id: str) -> None:
        page = self.pages[page_id]
        self.stack.setCurrentWidget(page)
        if self._narrow:
            self.sidebar.hide()  # the drawer closes once a page is chosen
        if page.stale:
            page.refresh()

    # -- manager filter --------------------------------------------------------------
    def set_manager(self, manager: str | None) -> None:
        index = 0 if manager is None else self.manager_combo.findText(manager)
        if index >= 0:
            self.manager_combo.setCurrentIndex(index)

    def _reload_managers(self, *_args: object) -> None:
        chosen = self.ctx.manager
        self.manager_combo.blockSignals(True)
        self.manager_combo.clear()
        self.manager_combo.addItem(ALL_MANAGERS)
        self.manager_combo.addItems(self.ctx.services.customers.managers())
        index = self.manager_combo.findText(chosen) if chosen else 0
        self.manager_combo.setCurrentIndex(max(index, 0))
        self.manager_combo.blockSignals(False)
        if chosen and index < 0:  # the manager vanished (renamed or merged away)
            self._on_manager_combo_changed(0)

    def _on_manager_combo_changed(self, index: int) -> None:
        manager = None if index <= 0 else self.manager_combo.itemText(index)
        if manager == self.ctx.manager:
            return
        self.ctx.manager = manager
        for page in self.pages.values():
            page.mark_stale()
        self.manager_changed.emit(manager)

    # -- team mode -------------------------------------------------------------------
    def _on_team_client_changed(self, _client: object) -> None:
        self._reload_managers()
        for page in self.pages.values():
            page.mark_stale()

    def _watch_connection(self) -> None:
        self.watch = ConnectionWatch(self.ctx.services.db, self.ctx.tasks, self)
        self.watch.lost.connect(self.banner.show)
        self.watch.restored.connect(self._on_watch_restored)

    def _on_watch_restored(self) -> None:
        self.banner.hide()
        self._reload_managers()
        for page in self.pages.values():
            page.mark_stale()

    # -- narrow windows --------------------------------------------------------------
    def is_narrow(self) -> bool:
        return self._narrow

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        narrow = event.size().width() < NARROW_WIDTH
        if narrow != self._narrow:
            self._narrow = narrow
            self.menu_button.setVisible(narrow)
            self.sidebar.setVisible(not narrow)

    def _on_menu_button_clicked(self) -> None:
        self.toggle_sidebar()

    # -- UI state --------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self._ui_state.value("window/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            keep_on_screen(self)  # it may have been on a bigger or a detached monitor
        else:
            place_on_screen(self, QSize(1280, 800))
        last = str(self._ui_state.value("window/page", "home"))
        self.show_page(last if last in self.pages else "home")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.watch is not None:
            self.watch.stop()  # no more probes (or page reloads) once the window is gone
        self._ui_state.setValue("window/geometry", self.saveGeometry())
        self._ui_state.setValue("window/page", self.current_page().PAGE_ID)
        super().closeEvent(event)
