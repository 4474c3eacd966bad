"""Alerts (S4): every alert by priority, category, customer or as a table, with actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.alerts import Alert, AlertBoard, overview
from iqcadence_desktop.views.pages.alerts.panel import AlertSidePanel
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.table_models.alert_tree_model import AlertTreeModel
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.theme import ERROR_STYLE
from iqcadence_desktop.views.widgets.alert_actions import AlertActionBar

#: view id -> (button text, grouping); by customer first: one line per account.
VIEWS: dict[str, tuple[str, str | None]] = {
    "customer": ("By customer", "customer"),
    "priority": ("By priority", None),
    "category": ("By category", "category"),
    "table": ("Table", None),
}
#: Columns that give way (Category, Since) when the list is narrower than this.
NARROW_LIST = 760
ALERT_COLUMN = 2
CUSTOMER_COLUMN = 1
CATEGORY_COLUMN = 3
SHOW = {"active": "Active", "snoozed": "Snoozed", "dismissed": "Dismissed", "all": "All"}


class AlertsPage(Page):
    """Lists alerts for the manager filter; snooze / dismiss / wake one or many.

    Emits badge_changed with the active count on every refresh, and
    customer_open_requested when an alert is activated (double-click or Enter).
    """

    PAGE_ID: ClassVar[str] = "alerts"
    TITLE: ClassVar[str] = "Alerts"
    SECTION: ClassVar[str] = "Monitor"
    ICON: ClassVar[str] = "alerts"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.board = AlertBoard([], overview([], [], 30))
        self.view_id = "customer"
        self.model = AlertTreeModel()
        layout = QVBoxLayout(self)
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        self.notice = QLabel()
        self.notice.setObjectName("alert_notice")
        self.notice.setStyleSheet(ERROR_STYLE)
        self.notice.setWordWrap(True)
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.notice, 1)
        heading.addWidget(self.summary)
        layout.addLayout(heading)
        layout.addLayout(self._build_toolbar())
        self.actions_bar = AlertActionBar()
        layout.addWidget(self.actions_bar)
        layout.addWidget(self._build_body(), 1)
        self._connect()
        # The sidebar badge counts before a first visit (the page is the timer's context,
        # so a page destroyed first cancels it).
        QTimer.singleShot(0, self, self.refresh)

    def mark_stale(self, *_args: object) -> None:
        """Reload even when hidden: the sidebar badge must stay current."""
        self.stale = True
        self.refresh()

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.view_buttons = QButtonGroup(self)
        for view_id, (text, _) in VIEWS.items():
            button = QPushButton(text)
            button.setCheckable(True)
            button.setObjectName(f"view_{view_id}")
            button.setChecked(view_id == self.view_id)
            self.view_buttons.addButton(button)
            button.clicked.connect(lambda _=False, v=view_id: self._on_view_clicked(v))
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(QLabel("Show"))
        self.show_combo = QComboBox()
        self.show_combo.setObjectName("alert_show")
        for key, text in SHOW.items():
            self.show_combo.addItem(text, key)
        bar.addWidget(self.show_combo)
        return bar

    def _build_body(self) -> QSplitter:
        self.tree = QTreeView()
        self.tree.setObjectName("alert_list")
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.empty = QLabel(self.tree.viewport())
        self.empty.setObjectName("alerts_empty")
        self.empty.setProperty("role", "muted")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.panel = AlertSidePanel()
        side = QScrollArea()
        side.setWidget(self.panel)
        side.setWidgetResizable(True)
        side.setFrameShape(QFrame.Shape.NoFrame)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.setMinimumWidth(270)
        side.setMaximumWidth(340)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([900, 300])
        return splitter

    def _connect(self) -> None:
        self.track(self.ctx.bridge.customers_changed, self.mark_stale)
        self.track(self.ctx.bridge.config_changed, self.mark_stale)
        self.track(self.ctx.bridge.alerts_changed, self.mark_stale)
        self.show_combo.currentIndexChanged.connect(self._on_show_changed)
        self.tree.activated.connect(self._on_tree_activated)
        self.tree.selectionModel().selectionChanged.connect(self._on_selection_changed)
        bar = self.actions_bar
        bar.snooze_requested.connect(self._on_snooze_requested)
        bar.dismiss_requested.connect(lambda: self._act(self.ctx.services.alerts.dismiss))
        bar.wake_requested.connect(lambda: self._act(self.ctx.services.alerts.wake))
        bar.outcome_requested.connect(self._on_outcome_requested)
        bar.open_requested.connect(self._on_open_requested)

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        alerts, manager = self.ctx.services.alerts, self.ctx.manager
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=lambda _token: alerts.board(manager),
            on_success=self._on_board_loaded,
            on_error=self._on_load_failed,
        )

    def _on_board_loaded(self, board: AlertBoard) -> None:
        self.board = board
        view = board.overview
        self.badge_changed.emit(f"{view.active:,}" if view.active else "")
        self.summary.setText(
            f"{view.active:,} active · {view.snoozed:,} snoozed · {view.dismissed:,} dismissed"
        )
        self.panel.show_overview(view)
        self._fill()

    def _on_load_failed(self, exc: BaseException) -> None:
        self.notice.setText(f"Alerts could not be loaded: {exc}")

    def _fill(self) -> None:
        show = self.show_combo.currentData()
        shown = [a for a in self.board.alerts if show == "all" or a.state == show]
        self.model.set_alerts(shown, VIEWS[self.view_id][1])
        grouping = VIEWS[self.view_id][1]
        self.tree.setSortingEnabled(self.view_id == "table")
        self.tree.setRootIsDecorated(grouping is not None)
        if grouping == "category":
            self.tree.expandAll()
            for row in range(self.model.rowCount()):  # "Health (61)" across the row
                self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self._fit_columns()
        self.empty.setText(_empty_text(show, bool(self.board.alerts)))
        self._place_empty()
        self.empty.setVisible(not shown)
        self.actions_bar.set_selection(0)

    def _fit_columns(self) -> None:
        """The message takes the room left; Category and Since give way on a laptop."""
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column in range(self.model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == ALERT_COLUMN
                else QHeaderView.ResizeMode.Interactive
                if column in (CUSTOMER_COLUMN, CATEGORY_COLUMN)
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        narrow = self.tree.width() < NARROW_LIST
        self.tree.setColumnWidth(CUSTOMER_COLUMN, 150 if narrow else 190)
        self.tree.setColumnWidth(CATEGORY_COLUMN, 130)
        for column in (3, 4):
            self.tree.setColumnHidden(column, narrow)
        # Every row says "Active" when only active alerts are listed.
        self.tree.setColumnHidden(5, self.show_combo.currentData() == "active")
        self._place_empty()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_columns()

    def _place_empty(self) -> None:
        self.empty.setGeometry(self.tree.viewport().rect().adjusted(32, 32, -32, -32))

    # -- slots -------------------------------------------------------------------------
    def _on_view_clicked(self, view_id: str) -> None:
        self.view_id = view_id
        self._fill()

    def _on_show_changed(self, _index: int) -> None:
        self._fill()

    def selected_alerts(self) -> list[Alert]:
        """The alerts of the selected rows (an account's line stands for all of its alerts)."""
        chosen: dict[str, Alert] = {}
        for index in self.tree.selectionModel().selectedRows():
            for alert in self.model.alerts_at(index):
                chosen[alert.id] = alert
        return list(chosen.values())

    def _on_selection_changed(self, *_args: object) -> None:
        chosen = self.selected_alerts()
        self.actions_bar.set_selection(len(chosen), len({a.customer_id for a in chosen}))

    def _on_tree_activated(self, index: QModelIndex) -> None:
        alerts = self.model.alerts_at(index)
        if alerts and len({a.customer_id for a in alerts}) == 1:
            self.customer_open_requested.emit(alerts[0].customer_id)

    def _on_open_requested(self) -> None:
        customers = {a.customer_id for a in self.selected_alerts()}
        if len(customers) == 1:
            self.customer_open_requested.emit(customers.pop())

    def _on_snooze_requested(self, days: int) -> None:
        self._act(lambda ids: self.ctx.services.alerts.snooze(ids, days))

    def _on_outcome_requested(self, outcome: str) -> None:
        chosen = self.selected_alerts()
        if len(chosen) == 1:
            self._act(lambda ids: self.ctx.services.alerts.mark_outcome(ids[0], outcome))

    def _act(self, action: Callable[[list[str]], object]) -> None:
        ids = [a.id for a in self.selected_alerts()]
        if not ids:
            return
        self.notice.clear()
        # No reload here: every action publishes alerts_changed, which reloads the page.
        self.ctx.tasks.run(
            owner=self, fn=lambda _token: action(ids), on_error=self._on_action_failed
        )

    def _on_action_failed(self, exc: BaseException) -> None:
        self.notice.setText(str(exc))
        self.refresh()


def _empty_text(show: str, any_alerts: bool) -> str:
    """What an empty list means, and what to do next."""
    if show == "active" and not any_alerts:
        return (
            "No alerts. Alerts appear here by themselves when an account's health, "
            "tickets, usage, renewal or contact needs a look; add or import customers to "
            "start."
        )
    if show == "active":
        return "No active alerts: the rest are snoozed or dismissed (Show → All lists them)."
    if show == "all":
        return "No alerts at all: nothing in the portfolio needs a look today."
    return f"No {SHOW[show].lower()} alerts. Show → Active lists the alerts that need you."
