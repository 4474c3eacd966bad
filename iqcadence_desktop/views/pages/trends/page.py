"""Trends (S5): a metric over time with an optional second metric, overlays of managers'
books or single customers, a written reading and the accounts that moved most.

Everything comes from the daily snapshots: lines from the per-day rollup, movers from
two indexed reads (services.analytics.TrendService).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.analytics import (
    METRICS,
    RANGES,
    Mover,
    TrendRequest,
    TrendView,
)
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.trends.chart import TrendChart
from iqcadence_desktop.views.pages.trends.overlays import OverlayBar
from iqcadence_desktop.views.table_models.record_table_model import (
    RECORD_ROLE,
    Column,
    RecordTableModel,
)
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.theme import Color
from iqcadence_desktop.views.widgets.page_parts import (
    FOLLOW_UP_MS,
    SIZE_ROWS,
    BusyBar,
    EmptyState,
    muted,
    page_title,
)

NO_SECOND = "none"


def mover_columns(fmt: Callable[[float], str]) -> tuple[Column, ...]:
    return (
        Column("Customer", lambda m: m.name, lambda m: m.name.lower()),
        Column("Manager", lambda m: m.manager or "—", lambda m: (m.manager or "").lower()),
        Column("From", lambda m: fmt(m.start), lambda m: m.start, numeric=True),
        Column("To", lambda m: fmt(m.end), lambda m: m.end, numeric=True),
        Column(
            "Change",
            lambda m: ("+" if m.change > 0 else "−") + fmt(abs(m.change)),
            lambda m: m.change,
            numeric=True,
            color=lambda m: Color.SUCCESS if m.change > 0 else Color.DANGER,
        ),
    )


class TrendsPage(Page):
    """A metric over time; double-click a mover to open the customer."""

    PAGE_ID = "trends"
    TITLE = "Trends"
    SECTION = "Monitor"
    ICON = "trends"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view: TrendView | None = None
        self._generation = 0
        self.metric_combo = self._metric_combo("metric", with_none=False)
        self.secondary_combo = self._metric_combo("secondary", with_none=True)
        self.ranges = QButtonGroup(self)
        self.range_key = "90d"
        self.overlays = OverlayBar(self._search_customers)
        self.chart = TrendChart()
        self.analysis = muted()
        self.analysis.setObjectName("trend_analysis")
        self.analysis.setTextFormat(Qt.TextFormat.PlainText)
        self.analysis.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.rises = RecordTableModel(mover_columns(METRICS["health"].fmt))
        self.falls = RecordTableModel(mover_columns(METRICS["health"].fmt))
        self.movers = QTabWidget()
        self.movers.setObjectName("movers")
        self.busy = BusyBar()
        self.empty = EmptyState()
        self._stack = QStackedWidget()
        self._build_layout()
        self._connect()

    # -- building ----------------------------------------------------------------------
    def _metric_combo(self, name: str, with_none: bool) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        if with_none:
            combo.addItem("No second metric", NO_SECOND)
        for key, metric in METRICS.items():
            combo.addItem(metric.label, key)
        return combo

    def _range_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(2)
        for key, text in RANGES.items():
            button = QToolButton()
            button.setObjectName(f"range_{key}")
            button.setText({"ytd": "YTD"}.get(key, key.replace("yr", " yr").replace("mo", " mo")))
            button.setToolTip(text)
            button.setCheckable(True)
            button.setChecked(key == self.range_key)
            button.clicked.connect(lambda _=False, k=key: self.set_range(k))
            self.ranges.addButton(button)
            row.addWidget(button)
        return row

    def _movers_table(self, model: RecordTableModel, name: str) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setSortingEnabled(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Sized from the first rows only: a month's agenda or a big book stays quick.
        header.setResizeContentsPrecision(SIZE_ROWS)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.doubleClicked.connect(self._on_mover_double_clicked)
        return table

    def _build_layout(self) -> None:
        title_row = QHBoxLayout()
        title_row.addWidget(page_title(self.TITLE))
        title_row.addStretch(1)
        title_row.addLayout(self._range_buttons())
        self.controls = QWidget()
        controls = QHBoxLayout(self.controls)
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (
            QLabel("Metric:"),
            self.metric_combo,
            QLabel("Second axis:"),
            self.secondary_combo,
        ):
            controls.addWidget(widget)
        controls.addSpacing(12)
        controls.addWidget(self.overlays, 1)
        self.rises_table = self._movers_table(self.rises, "rises_table")
        self.falls_table = self._movers_table(self.falls, "falls_table")
        self.movers.addTab(self.rises_table, "Biggest rises")
        self.movers.addTab(self.falls_table, "Biggest falls")
        card = QFrame()
        card.setProperty("role", "card")
        card_layout = QVBoxLayout(card)
        heading = QLabel("What the chart shows")
        heading.setProperty("role", "section-title")
        card_layout.addWidget(heading)
        scroll = QScrollArea()
        scroll.setWidget(self.analysis)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        card_layout.addWidget(scroll, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(card)
        bottom.addWidget(self.movers)
        bottom.setStretchFactor(0, 1)
        bottom.setStretchFactor(1, 1)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.chart)
        body.addWidget(bottom)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([420, 280])  # scaled to the real height
        self._stack.addWidget(body)
        self._stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(self.controls)
        layout.addWidget(self.busy)
        layout.addWidget(self._stack, 1)

    def _connect(self) -> None:
        self.metric_combo.currentIndexChanged.connect(self._on_request_changed)
        self.secondary_combo.currentIndexChanged.connect(self._on_request_changed)
        self.overlays.changed.connect(self._on_request_changed)
        self.empty.action_clicked.connect(lambda key: self.navigation_requested.emit(key, {}))
        self.track(self.ctx.bridge.customers_changed, self.mark_stale)
        self.track(self.ctx.bridge.config_changed, self.mark_stale)

    # -- requests ----------------------------------------------------------------------
    def request(self) -> TrendRequest:
        secondary = self.secondary_combo.currentData()
        return TrendRequest(
            str(self.metric_combo.currentData()),
            None if secondary == NO_SECOND else str(secondary),
            self.range_key,
            tuple(self.overlays.managers),
            tuple(cid for cid, _ in self.overlays.customers),
        )

    def set_range(self, key: str) -> None:
        self.range_key = key
        for button in self.ranges.buttons():
            button.setChecked(button.objectName() == f"range_{key}")
        self.load()

    def refresh(self) -> None:
        super().refresh()
        self.overlays.set_available_managers(self.ctx.services.customers.managers())
        self.load()

    def load(self) -> None:
        self._generation += 1
        generation, manager, request = self._generation, self.ctx.manager, self.request()
        service = self.ctx.services.trends
        self.busy.start()
        self.ctx.tasks.run(
            lambda _token: service.view(request, manager, with_movers=False),
            owner=self,
            lane=Lane.READ,
            on_success=lambda view: self._on_view_loaded(generation, view),
            on_error=self._on_load_failed,
        )

    def _load_movers(self, generation: int, request: TrendRequest) -> None:
        """The accounts that moved most: read right after the chart is drawn."""
        if generation != self._generation:
            self.busy.stop()
            return
        service, manager = self.ctx.services.trends, self.ctx.manager
        self.ctx.tasks.run(
            lambda _token: service.movers(request, manager),
            owner=self,
            lane=Lane.READ,
            on_success=lambda found: self._on_movers_loaded(generation, *found),
            on_error=self._on_load_failed,
        )

    def _on_movers_loaded(
        self, generation: int, rises: tuple[Mover, ...], falls: tuple[Mover, ...]
    ) -> None:
        self.busy.stop()
        if generation != self._generation or self.view is None:
            return
        self.view = self.view._replace(rises=rises, falls=falls)
        fmt = METRICS[self.view.request.metric].fmt
        for model, rows in ((self.rises, rises), (self.falls, falls)):
            model.set_columns(mover_columns(fmt))  # the metric's own format
            model.set_rows(rows)
        self.movers.setTabText(0, f"Biggest rises ({len(rises)})")
        self.movers.setTabText(1, f"Biggest falls ({len(falls)})")

    def _on_view_loaded(self, generation: int, view: TrendView) -> None:
        self.busy.stop()
        if generation != self._generation:
            return  # a newer request is on its way
        self.view = view
        if view.history_start is None:
            self._show_empty()
            return
        self._stack.setCurrentIndex(0)
        self.controls.show()
        for button in self.ranges.buttons():
            button.show()
        self.chart.show_view(view)
        self.analysis.setText("\n\n".join(view.analysis))
        banded = METRICS[view.request.metric].banded
        what = "health score" if banded else METRICS[view.request.metric].label.lower()
        self.movers.setToolTip(f"Accounts whose {what} moved most over the range")
        self.overlays.add_button.setEnabled(not banded)
        request = view.request
        self.busy.start()  # until the movers are in (their read starts just after)
        QTimer.singleShot(FOLLOW_UP_MS, self, lambda: self._load_movers(generation, request))

    def _on_load_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.analysis.setText(f"The trend could not be loaded: {exc}")

    def _show_empty(self) -> None:
        self.empty.show_message(
            "No history yet",
            "Trends draw the daily snapshots the app keeps of every account: health, "
            "logins, adoption, tickets, NPS, CSAT, revenue and band counts. Once accounts "
            "are added, a snapshot is taken each day. The sample portfolio on Home Base "
            "comes with 90 days of history.",
            (("import_export", "Import a CSV file…"), ("home", "Go to Home Base")),
        )
        self._stack.setCurrentWidget(self.empty)
        self.controls.hide()
        for button in self.ranges.buttons():
            button.hide()

    # -- slots -------------------------------------------------------------------------
    def _on_request_changed(self, *_args: object) -> None:
        self.load()

    def _on_mover_double_clicked(self, index: QModelIndex) -> None:
        mover = index.data(RECORD_ROLE)
        if isinstance(mover, Mover):
            self.customer_open_requested.emit(mover.customer_id)

    def _search_customers(self, text: str, done: Callable[[list[tuple[int, str]]], None]) -> None:
        service, manager = self.ctx.services.trends, self.ctx.manager
        self.ctx.tasks.run(
            lambda _token: service.customers_matching(text, manager),
            owner=self,
            lane=Lane.READ,
            on_success=done,
        )
