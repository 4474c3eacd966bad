"""The customer detail window: one account's score explained, its records and history.

Tabs: Overview, Alerts, Playbook, Notes, Sentiment, History, Contacts; a button makes the
business-review (QBR) PDF. Other features can add a tab with `add_tab`. The window
reloads itself when the services report a change to its customer.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from iqcadence_desktop.errors import NotFoundError
from iqcadence_desktop.services.customers import suggest
from iqcadence_desktop.services.system import DomainEvent
from iqcadence_desktop.views.customer_detail.alerts_tab import CustomerAlertsWidget
from iqcadence_desktop.views.customer_detail.history_tab import HistoryTab
from iqcadence_desktop.views.customer_detail.overview_tab import OverviewTab
from iqcadence_desktop.views.customer_detail.qbr import QbrButton
from iqcadence_desktop.views.customer_detail.records_tabs import (
    ContactsTab,
    NotesTab,
    PlaybookTab,
    SentimentTab,
)
from iqcadence_desktop.views.menu_bar import quit_app
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.widgets.placement import place_on_screen

#: Where the Alerts tab sits (right after Overview).
ALERTS_TAB_INDEX = 1
#: The size the window asks for; a smaller screen gets a smaller window (placement.py).
PREFERRED_SIZE = QSize(1100, 720)


class CustomerDetailWindow(QWidget):
    """A separate window for one customer (several may be open at once)."""

    def __init__(self, ctx: PageContext, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.customer_id = customer_id
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName(f"customer_detail_{customer_id}")
        place_on_screen(self, PREFERRED_SIZE, parent.window() if parent is not None else None)
        self.title = QLabel()
        self.title.setProperty("role", "page-title")
        self.tabs = QTabWidget()
        self.overview = OverviewTab(ctx, customer_id)
        self.overview.reload_requested.connect(self.reload)
        self.playbook = PlaybookTab()
        self.notes = NotesTab(ctx, customer_id)
        self.sentiment = SentimentTab(ctx, customer_id)
        self.history = HistoryTab()
        self.contacts = ContactsTab(ctx, customer_id)
        for widget, label in (
            (self.overview, "Overview"),
            (self.playbook, "Playbook"),
            (self.notes, "Notes"),
            (self.sentiment, "Sentiment"),
            (self.history, "History"),
            (self.contacts, "Contacts"),
        ):
            self.tabs.addTab(widget, label)
        self.alerts = CustomerAlertsWidget(ctx.services)
        self.add_tab(self.alerts, "Alerts", ALERTS_TAB_INDEX)
        self.qbr = QbrButton(ctx, customer_id)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.qbr)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence.StandardKey.Quit, self, quit_app)
        self._listening = True
        ctx.bridge.customers_changed.connect(self._on_customers_changed)
        self.reload()

    def add_tab(self, widget: QWidget, title: str, index: int = -1) -> int:
        """Insert a feature's tab (e.g. Alerts at ALERTS_TAB_INDEX); returns its index."""
        return self.tabs.insertTab(index, widget, title)

    def reload(self) -> None:
        """Read everything this window shows from the services again."""
        services = self.ctx.services
        try:
            explanation = services.customers.explain(self.customer_id)
        except NotFoundError:
            self.close()  # purged elsewhere: nothing left to show
            return
        c = explanation.customer
        self.setWindowTitle(f"{c.name} — iQcadence")
        self.title.setText(c.name + ("  (in the trash)" if c.deleted_at else ""))
        self.qbr.customer_name = c.name
        self.alerts.set_customer(self.customer_id)
        self.overview.show_explanation(explanation)
        self.overview.show_churn(services.churn_model.estimate(c))
        self.overview.load_fields(c)
        self.overview.load_custom(c, services.custom_fields.fields())
        config = services.config.current()
        self.playbook.show_actions(suggest(c, config))
        self.notes.show_notes(services.records.notes(self.customer_id))
        self.sentiment.show_log(services.records.sentiment_log(self.customer_id))
        self.history.show_history(services.customers.history(self.customer_id), config.bands)
        self.contacts.show_contacts(services.records.contacts(self.customer_id))

    def _on_customers_changed(self, event: DomainEvent) -> None:
        if not event.customer_ids or self.customer_id in event.customer_ids:
            self.reload()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        # Esc closes the window, as in other desktop apps; fields pass it up unless they
        # are using it (an open list, a completer).
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self._listening:
            self._listening = False
            self.ctx.bridge.customers_changed.disconnect(self._on_customers_changed)
        super().closeEvent(event)


def open_customer_detail(
    ctx: PageContext, customer_id: int, parent: QWidget | None = None
) -> CustomerDetailWindow:
    """Show the customer's window, reusing one already open under the same parent."""
    if parent is not None:
        for window in parent.findChildren(CustomerDetailWindow):
            if window.customer_id == customer_id and window.isVisible():
                window.raise_()
                window.activateWindow()
                return window
    window = CustomerDetailWindow(ctx, customer_id, parent)
    window.show()
    return window
