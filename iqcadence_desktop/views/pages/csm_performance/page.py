"""CSM Performance (S5): managers side by side, and one manager's book up close.

The leaderboard (average health, band mix, accounts, MRR, 7-day movement) and the
workload chart load first; selecting a manager loads their accounts by urgency, focus
areas from their alerts and their recent activity.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.alerts import SEVERITY_LABELS
from iqcadence_desktop.services.analytics import (
    ActivityItem,
    CsmDetail,
    CsmRow,
    FocusArea,
    Leaderboard,
)
from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.csm_performance.band_bar import BandBarDelegate
from iqcadence_desktop.views.pages.csm_performance.workload import WorkloadChart
from iqcadence_desktop.views.table_models.record_table_model import (
    RECORD_ROLE,
    Column,
    RecordTableModel,
)
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.theme import BAND_COLORS, SEVERITY_COLORS, Color, money
from iqcadence_desktop.views.widgets.page_parts import (
    FOLLOW_UP_MS,
    SIZE_ROWS,
    BusyBar,
    EmptyState,
    muted,
    page_title,
)

BAND_COLUMN = 2


def _signed(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{abs(value):.{decimals}f}"
    return text if float(text) == 0 else ("+" if value > 0 else "−") + text


def _move_color(value: float | None, decimals: int = 1) -> str | None:
    if value is None or round(abs(value), decimals) == 0:
        return None
    return Color.SUCCESS if value > 0 else Color.DANGER


def _bands_tip(r: CsmRow) -> str:
    names = [*(BAND_LABELS[b] for b in BANDS), "Unscored"]
    return " · ".join(f"{n} {c:,}" for n, c in zip(names, r.band_counts, strict=True) if c)


def _renewal(c: CustomerDTO) -> str:
    days = c.days_until_renewal
    if days is None:
        return "—"
    if days == 0:
        return "today"
    return f"in {days:,} d" if days > 0 else f"{-days:,} d ago"


LEADERBOARD = (
    Column("Manager", lambda r: r.label, lambda r: r.label.lower()),
    Column(
        "Avg health",
        lambda r: "—" if r.average_score is None else f"{r.average_score:.1f}",
        lambda r: r.average_score,
        numeric=True,
        header_tip="Average health score of the manager's scored accounts (0–100)",
    ),
    Column(
        "Bands",
        lambda r: "",
        lambda r: r.at_risk,
        tip=_bands_tip,
        header_tip="How the book splits across the health bands",
    ),
    Column("Accounts", lambda r: f"{r.customers:,}", lambda r: r.customers, numeric=True),
    Column("MRR", lambda r: money(r.mrr_cents), lambda r: r.mrr_cents, numeric=True),
    Column(
        "7-day move",
        lambda r: _signed(r.movement),
        lambda r: r.movement,
        numeric=True,
        color=lambda r: _move_color(r.movement),
        header_tip="Change in the average score of the same accounts over 7 days (points)",
    ),
    Column(
        "At risk",
        lambda r: f"{r.at_risk:,}",
        lambda r: r.at_risk,
        numeric=True,
        header_tip="Accounts At Risk or Critical",
    ),
)
ACCOUNTS = (
    Column("Customer", lambda c: c.name, lambda c: c.name.lower()),
    Column(
        "Health",
        lambda c: "—" if c.shown_score is None else str(c.shown_score),
        lambda c: c.score,
        numeric=True,
    ),
    Column(
        "Band",
        lambda c: BAND_LABELS.get(c.status, c.status),
        lambda c: c.status,
        color=lambda c: BAND_COLORS.get(c.status),
    ),
    Column("MRR", lambda c: money(c.mrr_cents), lambda c: c.mrr_cents, numeric=True),
    Column(
        "Priority",
        lambda c: f"{c.priority:.0f}",
        lambda c: c.priority,
        numeric=True,
        header_tip="How urgently the account needs attention (0–100)",
    ),
    Column("Renewal", _renewal, lambda c: c.days_until_renewal, numeric=True),
    Column(
        "7-day move",
        lambda c: _signed(c.momentum, 0),
        lambda c: c.momentum,
        numeric=True,
        color=lambda c: _move_color(c.momentum, 0),
    ),
)
FOCUS = (
    Column("Area", lambda f: f.title, lambda f: f.title),
    Column(
        "Severity",
        lambda f: SEVERITY_LABELS[f.severity],
        lambda f: f.severity,
        color=lambda f: SEVERITY_COLORS[f.severity],
    ),
    Column("Accounts", lambda f: f"{f.accounts:,}", lambda f: f.accounts, numeric=True),
    Column("MRR", lambda f: money(f.mrr_cents), lambda f: f.mrr_cents, numeric=True),
    Column("Suggestion", lambda f: f.advice, tip=lambda f: "Double-click to list these accounts"),
)
ACTIVITY = (
    Column("When", lambda a: f"{a.at:%d %b %Y %H:%M}", lambda a: a.at),
    Column("Customer", lambda a: a.customer_name or "—", lambda a: a.customer_name or ""),
    Column("What happened", lambda a: a.summary, tip=lambda a: f"{a.action} by {a.user}"),
)


def _table(model: RecordTableModel, name: str, stretch: int) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Sized from the first rows only: a month's agenda or a big book stays quick.
    header.setResizeContentsPrecision(SIZE_ROWS)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    return table


class CsmPerformancePage(Page):
    """The team's leaderboard and one manager's accounts, focus areas and activity."""

    PAGE_ID = "csm_performance"
    TITLE = "CSM Performance"
    SECTION = "Monitor"
    ICON = "performance"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.board: Leaderboard | None = None
        self.detail: CsmDetail | None = None
        self._generation = 0
        self._detail_generation = 0
        self.leaders = RecordTableModel(LEADERBOARD)
        self.accounts = RecordTableModel(ACCOUNTS)
        self.focus = RecordTableModel(FOCUS)
        self.activity = RecordTableModel(ACTIVITY)
        self.leader_table = _table(self.leaders, "leaderboard", 0)
        self.leader_table.setItemDelegateForColumn(BAND_COLUMN, BandBarDelegate(self.leader_table))
        self.leader_table.horizontalHeader().setSectionResizeMode(
            BAND_COLUMN, QHeaderView.ResizeMode.Fixed
        )
        self.leader_table.horizontalHeader().resizeSection(BAND_COLUMN, 140)
        self.workload = WorkloadChart()
        self.summary = muted()
        self.detail_title = QLabel()
        self.detail_title.setProperty("role", "section-title")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detail_tabs")
        self.busy = BusyBar()
        self.empty = EmptyState()
        self._stack = QStackedWidget()
        self._build_layout()
        self._connect()

    def _build_layout(self) -> None:
        self.accounts_table = _table(self.accounts, "urgent_accounts", 0)
        self.focus_table = _table(self.focus, "focus_areas", 4)
        self.activity_table = _table(self.activity, "activity", 2)
        self.tabs.addTab(self.accounts_table, "Accounts by urgency")
        self.tabs.addTab(self.focus_table, "Focus areas")
        self.tabs.addTab(self.activity_table, "Activity")
        self.tabs.addTab(self.workload, "Team workload")
        top = QWidget()
        board_layout = QVBoxLayout(top)
        board_layout.setContentsMargins(0, 0, 0, 0)
        board_layout.addWidget(self.leader_table, 1)
        board_layout.addWidget(self.summary)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail_title)
        lower_layout.addWidget(self.tabs, 1)
        self.leader_table.setMinimumHeight(170)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(top, 2)
        body_layout.addWidget(lower, 3)
        self._stack.addWidget(body)
        self._stack.addWidget(self.empty)
        title_row = QHBoxLayout()
        title_row.addWidget(page_title(self.TITLE))
        title_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(self.busy)
        layout.addWidget(self._stack, 1)

    def _connect(self) -> None:
        self.leader_table.selectionModel().selectionChanged.connect(self._on_leader_selected)
        self.accounts_table.doubleClicked.connect(self._on_account_double_clicked)
        self.focus_table.doubleClicked.connect(self._on_focus_double_clicked)
        self.activity_table.doubleClicked.connect(self._on_activity_double_clicked)
        self.empty.action_clicked.connect(lambda key: self.navigation_requested.emit(key, {}))
        for signal in (
            self.ctx.bridge.customers_changed,
            self.ctx.bridge.config_changed,
            self.ctx.bridge.alerts_changed,
        ):
            self.track(signal, self.mark_stale)

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        self._generation += 1
        generation, manager = self._generation, self.ctx.manager
        service = self.ctx.services.performance
        self.busy.start()
        self.ctx.tasks.run(
            lambda _token: service.leaderboard(manager),
            owner=self,
            lane=Lane.READ,
            on_success=lambda board: self._on_board_loaded(generation, board),
            on_error=self._on_load_failed,
        )

    def _on_board_loaded(self, generation: int, board: Leaderboard) -> None:
        self.busy.stop()
        if generation != self._generation:
            return
        self.board = board
        if board.empty:
            self._show_empty()
            return
        self._stack.setCurrentIndex(0)
        self.leaders.set_rows(board.rows)
        self.workload.show_board(board)
        self.summary.setText(
            f"{len(board.rows):,} manager(s) shown. Team median: "
            f"{board.median_customers:,.0f} accounts and {money(int(board.median_mrr_cents))} "
            "MRR per manager (Team workload compares each book with it). Select a manager "
            "to see their book."
        )
        self.leader_table.selectRow(0)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.empty.show_message("CSM Performance could not be loaded", str(exc))
        self._stack.setCurrentWidget(self.empty)

    def _show_empty(self) -> None:
        self.empty.show_message(
            "No managers to compare yet",
            "This page ranks each customer success manager's book by average health and "
            "shows their workload, movement and focus areas. Give accounts a manager "
            "(a manager column in a CSV import, or the Manager field on an account) and "
            "they appear here.",
            (("import_export", "Import a CSV file…"), ("home", "Go to Home Base")),
        )
        self._stack.setCurrentWidget(self.empty)

    def load_detail(self, row: CsmRow) -> None:
        self._detail_generation += 1
        generation = self._detail_generation
        self.detail_title.setText(f"{row.label}: loading accounts, alerts and activity…")
        # Started a moment later: the leaderboard paints first, then the detail is read.
        QTimer.singleShot(FOLLOW_UP_MS, self, lambda: self._read_detail(generation, row))

    def _read_detail(self, generation: int, row: CsmRow) -> None:
        if generation != self._detail_generation:
            return
        service = self.ctx.services.performance
        self.busy.start()
        self.ctx.tasks.run(
            lambda _token: service.detail(row.manager),
            owner=self,
            lane=Lane.READ,
            on_success=lambda d: self._on_detail_loaded(generation, d),
            on_error=self._on_detail_failed,
        )

    def _on_detail_loaded(self, generation: int, detail: CsmDetail) -> None:
        self.busy.stop()
        if generation != self._detail_generation:
            return
        self.detail = detail
        self.accounts.set_rows(detail.accounts)
        self.focus.set_rows(detail.focus)
        self.activity.set_rows(detail.activity)
        shown = (
            f"the {len(detail.accounts):,} most urgent"
            if len(detail.accounts) >= 200
            else (f"{len(detail.accounts):,} accounts")
        )
        self.detail_title.setText(
            f"{detail.label}: {shown}, {len(detail.focus)} focus area(s), "
            f"{len(detail.activity)} recent change(s)"
        )
        self.tabs.setTabText(1, f"Focus areas ({len(detail.focus)})")

    def _on_detail_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.detail_title.setText(f"This manager's details could not be loaded: {exc}")

    # -- slots -------------------------------------------------------------------------
    def _on_leader_selected(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            record = rows[0].data(RECORD_ROLE)
            if isinstance(record, CsmRow):
                self.load_detail(record)

    def _on_account_double_clicked(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if isinstance(record, CustomerDTO):
            self.customer_open_requested.emit(record.id)

    def _on_focus_double_clicked(self, index: QModelIndex) -> None:
        f = index.data(RECORD_ROLE)
        if isinstance(f, FocusArea) and self.detail is not None:
            label = f"Showing {self.detail.label}'s accounts with {f.title.lower()} alerts."
            self.navigation_requested.emit(
                "customers", {"ids": list(f.customer_ids), "label": label}
            )

    def _on_activity_double_clicked(self, index: QModelIndex) -> None:
        item = index.data(RECORD_ROLE)
        if isinstance(item, ActivityItem) and item.customer_id is not None:
            self.customer_open_requested.emit(item.customer_id)
