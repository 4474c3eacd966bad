"""The main window: a sectioned sidebar, the page stack and a status bar."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from iqcadence_desktop import APP_NAME
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.customers import CustomersPage
from iqcadence_desktop.views.pages.home import HomePage
from iqcadence_desktop.views.pages.score_customer import ScoreCustomerPage
from iqcadence_desktop.views.theme import STYLE_SHEET

#: Every sidebar page, in sidebar order. A page is listed only once it works.
PAGE_CLASSES: tuple[type[Page], ...] = (HomePage, CustomersPage, ScoreCustomerPage)
SECTIONS = ("Monitor", "Automate", "Data", "Settings")
PAGE_ROLE = Qt.ItemDataRole.UserRole


class MainWindow(QMainWindow):
    """Hosts the pages; remembers geometry and the last page (UI state only)."""

    def __init__(self, ctx: PageContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._ui_state = settings or QSettings()
        self.setWindowTitle(APP_NAME)
        self.setStyleSheet(STYLE_SHEET)
        self.pages: dict[str, Page] = {}
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(190)
        self.stack = QStackedWidget()
        self._build_pages()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.sidebar.currentItemChanged.connect(self._on_sidebar_current_changed)
        self.statusBar().showMessage(f"Database: {ctx.services.db.describe()}")
        self._restore_state()

    def _build_pages(self) -> None:
        for section in SECTIONS:
            classes = [c for c in PAGE_CLASSES if section == c.SECTION]
            if not classes:
                continue
            header = QListWidgetItem(section.upper())
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            self.sidebar.addItem(header)
            for cls in classes:
                page = cls(self.ctx)
                self.pages[cls.PAGE_ID] = page
                self.stack.addWidget(page)
                item = QListWidgetItem("   " + cls.TITLE)
                item.setData(PAGE_ROLE, cls.PAGE_ID)
                self.sidebar.addItem(item)
                self._connect_page(page, item)
        home = self.pages["home"]
        if isinstance(home, HomePage):
            home.sample_loaded.connect(lambda: self.show_page("customers"))

    def _connect_page(self, page: Page, item: QListWidgetItem) -> None:
        title = "   " + page.TITLE
        page.badge_changed.connect(
            lambda text: item.setText(f"{title}  ({text})" if text else title))
        page.navigation_requested.connect(self._on_page_navigation_requested)

    def _on_page_navigation_requested(self, page_id: str, params: dict[str, object]) -> None:
        self.show_page(page_id)
        self.pages[page_id].apply_navigation(params)

    def show_page(self, page_id: str) -> None:
        for row in range(self.sidebar.count()):
            if self.sidebar.item(row).data(PAGE_ROLE) == page_id:
                self.sidebar.setCurrentRow(row)
                return

    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def _on_sidebar_current_changed(self, item: QListWidgetItem | None,
                                    _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        page = self.pages[item.data(PAGE_ROLE)]
        self.stack.setCurrentWidget(page)
        if page.stale:
            page.refresh()

    def _restore_state(self) -> None:
        geometry = self._ui_state.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        last = str(self._ui_state.value("window/page", "home"))
        self.show_page(last if last in self.pages else "home")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self._ui_state.setValue("window/geometry", self.saveGeometry())
        self._ui_state.setValue("window/page", self.current_page().PAGE_ID)
        super().closeEvent(event)
