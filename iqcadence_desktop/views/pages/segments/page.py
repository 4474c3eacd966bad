"""Segments (S5): the book grouped by tier, lifecycle, manager or tag, with a 30-day
trend per segment, drill-down into Customers and a comparison over a date range.

Figures paint first (one read of the live book); the small trend lines follow from a
second read, and regrouping is done in memory (`services.analytics.group`).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.analytics import (
    GROUPINGS,
    MAX_COMPARE,
    Comparison,
    Segment,
    SegmentBase,
    TrendHistory,
    attach_trend,
    group,
)
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.segments.comparison import ComparisonPanel
from iqcadence_desktop.views.pages.segments.sparkline import SparklineDelegate
from iqcadence_desktop.views.table_models.record_table_model import (
    RECORD_ROLE,
    Column,
    RecordTableModel,
)
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.theme import Color, money
from iqcadence_desktop.views.widgets.page_parts import (
    FOLLOW_UP_MS,
    SIZE_ROWS,
    BusyBar,
    EmptyState,
    muted,
    page_title,
)

TREND_COLUMN = 6
DEFAULT_CHECKED = 3


def _score(s: Segment) -> str:
    return "—" if s.average_score is None else f"{s.average_score:.1f}"


def _pct(s: Segment) -> str:
    return "—" if s.at_risk_pct is None else f"{s.at_risk_pct:.0f} %"


def _change(s: Segment) -> str:
    c = s.trend_change
    return "—" if c is None else ("+" if c > 0 else "−" if c < 0 else "") + f"{abs(c):.1f}"


def _change_color(s: Segment) -> str | None:
    c = s.trend_change
    if c is None or abs(c) < 0.5:
        return None
    return Color.SUCCESS if c > 0 else Color.DANGER


COLUMNS = (
    Column(
        "Segment", lambda s: s.label, lambda s: s.label.lower(), tip=lambda s: "Tick to compare"
    ),
    Column("Accounts", lambda s: f"{s.customers:,}", lambda s: s.customers, numeric=True),
    Column(
        "Avg score",
        _score,
        lambda s: s.average_score,
        numeric=True,
        header_tip="Average health score of the scored accounts (0–100)",
    ),
    Column("MRR", lambda s: money(s.mrr_cents), lambda s: s.mrr_cents, numeric=True),
    Column("ARR", lambda s: money(s.arr_cents), lambda s: s.arr_cents, numeric=True),
    Column(
        "At risk",
        _pct,
        lambda s: s.at_risk_pct,
        numeric=True,
        tip=lambda s: f"{s.at_risk:,} of {s.customers:,} accounts At Risk or Critical",
        header_tip="Share of the segment's accounts that are At Risk or Critical",
    ),
    Column(
        "30-day trend",
        lambda s: "",
        lambda s: s.trend_change,
        header_tip="Average score of the segment's accounts over the last 30 days",
    ),
    Column(
        "Change (30 d)",
        _change,
        lambda s: s.trend_change,
        numeric=True,
        color=_change_color,
        header_tip="Points the segment's average score moved over 30 days",
    ),
)


class SegmentsPage(Page):
    """Segments of the book; double-click one to see its accounts in Customers."""

    PAGE_ID = "segments"
    TITLE = "Segments"
    SECTION = "Monitor"
    ICON = "segments"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.base: SegmentBase | None = None
        self.segments: list[Segment] = []
        self.comparison: Comparison | None = None
        self._generation = 0
        self.grouping = QComboBox()
        self.grouping.setObjectName("grouping")
        for key, label in GROUPINGS.items():
            self.grouping.addItem(label, key)
        self.open_button = QPushButton("Open in Customers")
        self.open_button.setObjectName("open_segment")
        self.open_button.setToolTip("Show the selected segment's accounts on the Customers page")
        self.busy = BusyBar()
        self.model = RecordTableModel(COLUMNS, check_key=lambda s: s.key)
        self.table = self._build_table()
        self.note = muted()
        self.compare = ComparisonPanel(ctx.services.clock.today())
        self.empty = EmptyState()
        self._compare_timer = QTimer(self)
        self._compare_timer.setSingleShot(True)
        self._compare_timer.setInterval(250)
        self._stack = QStackedWidget()
        self._build_layout()
        self._connect()

    # -- building ----------------------------------------------------------------------
    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("segments_table")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.setItemDelegateForColumn(TREND_COLUMN, SparklineDelegate(table))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Sized from the first rows only: a month's agenda or a big book stays quick.
        header.setResizeContentsPrecision(SIZE_ROWS)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TREND_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(TREND_COLUMN, 130)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        return table

    def _build_layout(self) -> None:
        title_row = QHBoxLayout()
        title_row.addWidget(page_title(self.TITLE))
        title_row.addStretch(1)
        self.grouping_label = QLabel("Group by:")
        title_row.addWidget(self.grouping_label)
        title_row.addWidget(self.grouping)
        title_row.addWidget(self.open_button)
        content = QSplitter(Qt.Orientation.Vertical)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.note)
        content.addWidget(upper)
        content.addWidget(self.compare)
        content.setStretchFactor(0, 1)
        content.setStretchFactor(1, 1)
        self._stack.addWidget(content)
        self._stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(self.busy)
        layout.addWidget(self._stack, 1)

    def _connect(self) -> None:
        self.grouping.currentIndexChanged.connect(self._on_grouping_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.model.checks_changed.connect(self._compare_timer.start)
        self.compare.range_changed.connect(self._compare_timer.start)
        self._compare_timer.timeout.connect(self.run_comparison)
        self.empty.action_clicked.connect(self._on_empty_action_clicked)
        self.track(self.ctx.bridge.customers_changed, self.mark_stale)
        self.track(self.ctx.bridge.config_changed, self.mark_stale)

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        """In steps, so the figures paint first: the book, then the 30-day lines, then
        the comparison chart (each a background read; regrouping needs none)."""
        super().refresh()
        self._generation += 1
        generation, manager = self._generation, self.ctx.manager
        service, today = self.ctx.services.segments, self.ctx.services.clock.today()
        self.compare.set_today(today)
        self.busy.start()
        self.ctx.tasks.run(
            lambda _token: service.load(manager, today, trend=False),
            owner=self,
            lane=Lane.READ,
            on_success=lambda base: self._on_base_loaded(generation, base),
            on_error=self._on_load_failed,
        )

    def _on_base_loaded(self, generation: int, base: SegmentBase) -> None:
        self.busy.stop()
        if generation != self._generation:
            return
        self.base = base
        self._regroup(reset_checks=True)
        if base.empty:
            return
        QTimer.singleShot(FOLLOW_UP_MS, self, lambda: self._load_trend(generation, base))

    def _load_trend(self, generation: int, base: SegmentBase) -> None:
        if generation != self._generation:
            return
        service, manager, today = self.ctx.services.segments, self.ctx.manager, base.book.as_of
        self.busy.start()
        self.ctx.tasks.run(
            lambda _token: service.trend(manager, today),
            owner=self,
            lane=Lane.READ,
            on_success=lambda trend: self._on_trend_loaded(generation, trend),
            on_error=self._on_load_failed,
        )

    def _on_trend_loaded(self, generation: int, trend: TrendHistory) -> None:
        self.busy.stop()
        if generation != self._generation or self.base is None:
            return
        self.base = attach_trend(self.base, trend)
        self._regroup(reset_checks=False)
        self.run_comparison()

    def _on_load_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.empty.show_message("Segments could not be loaded", str(exc))
        self._stack.setCurrentWidget(self.empty)

    def _regroup(self, reset_checks: bool) -> None:
        """Show the current grouping of the loaded book (no database access)."""
        if self.base is None:
            return
        if self.base.empty:
            self._show_empty()
            return
        self._stack.setCurrentIndex(0)
        self._show_controls(True)
        key = str(self.grouping.currentData())
        self.segments = group(self.base, key)
        header = self.table.horizontalHeader()
        self.model.set_rows(self.segments)
        if header.sortIndicatorSection() >= 0:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if reset_checks or not self.model.checked <= {s.key for s in self.segments}:
            ranked = sorted(self.segments, key=lambda s: -s.customers)[:DEFAULT_CHECKED]
            self.model.set_checked({s.key for s in ranked})
        self.note.setText(_note(key, self.segments))

    def _show_empty(self) -> None:
        if self.ctx.manager:
            self.empty.show_message(
                f"{self.ctx.manager} has no accounts",
                "Segments group the accounts of the manager chosen at the top right. "
                "Choose All managers to see the whole portfolio.",
            )
        else:
            self.empty.show_message(
                "No accounts to group yet",
                "Segments split your book by tier, lifecycle stage, manager or tag and show "
                "how each part is doing: size, average health, revenue, share at risk and a "
                "30-day trend. Add accounts first: import a CSV file, or load the sample "
                "portfolio from Home Base.",
                (("import_export", "Import a CSV file…"), ("home", "Go to Home Base")),
            )
        self._stack.setCurrentWidget(self.empty)
        self._show_controls(False)
        self.compare.clear("")

    def _show_controls(self, shown: bool) -> None:
        """Grouping and drill-down mean nothing without accounts."""
        for widget in (self.grouping, self.grouping_label, self.open_button):
            widget.setVisible(shown)

    # -- comparison --------------------------------------------------------------------
    def run_comparison(self) -> None:
        base, keys = self.base, [s.key for s in self.model.rows() if s.key in self.model.checked]
        if base is None or base.empty:
            return
        if not keys:
            self.compare.clear("Tick one or more segments in the table to compare them here.")
            return
        if len(keys) > MAX_COMPARE:
            self.compare.clear(
                f"{len(keys)} segments are ticked; the chart compares at most {MAX_COMPARE}. "
                "Untick some to draw it."
            )
            return
        start, end = self.compare.dates()
        if end <= start:
            self.compare.clear("The range must end after it starts: pick a later end date.")
            return
        service, grouping, manager = (
            self.ctx.services.segments,
            str(self.grouping.currentData()),
            self.ctx.manager,
        )
        self.busy.start()
        self.ctx.tasks.run(
            lambda _token: service.compare(base, grouping, keys, start, end, manager),
            owner=self,
            lane=Lane.READ,
            on_success=self._on_comparison_loaded,
            on_error=self._on_comparison_failed,
        )

    def _on_comparison_loaded(self, c: Comparison) -> None:
        self.busy.stop()
        if c.grouping != self.grouping.currentData():
            return  # the user regrouped meanwhile; a newer comparison is on its way
        self.comparison = c
        self.compare.show_comparison(c)

    def _on_comparison_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.compare.clear(f"The comparison could not be drawn: {exc}")

    # -- slots -------------------------------------------------------------------------
    def _on_grouping_changed(self, _index: int) -> None:
        self._regroup(reset_checks=True)
        self._compare_timer.start()  # the chart follows once the user settles

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.open_segment(index.data(RECORD_ROLE))

    def _on_open_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_segment(rows[0].data(RECORD_ROLE))
        else:
            self.note.setText("Select a segment in the table first, then open it.")

    def open_segment(self, segment: Segment) -> None:
        """Show exactly this segment's accounts on the Customers page."""
        what = GROUPINGS[segment.grouping].lower()
        label = f"Showing the {segment.label} segment ({what}): {segment.customers:,} accounts."
        self.navigation_requested.emit(
            "customers", {"ids": list(segment.customer_ids), "label": label}
        )

    def _on_empty_action_clicked(self, key: str) -> None:
        self.navigation_requested.emit(key, {})


def _note(grouping: str, segments: list[Segment]) -> str:
    parts = [f"{len(segments):,} segments."]
    if grouping == "tag":
        parts.append("An account with several tags counts in each of them.")
    if grouping != "lifecycle":
        parts.append("Churned accounts are left out (group by lifecycle to see them).")
    parts.append("Double-click a segment to open its accounts; tick up to 5 to compare them.")
    return " ".join(parts)
