"""Calendar (S5): renewals, next touches and contacts falling overdue, by month, coloured
by band; an agenda of the selected day or the whole month; export as .ics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.analytics import KINDS, CalendarEvent, MonthView
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.calendar.month_grid import GLYPHS, MonthGrid, event_tip
from iqcadence_desktop.views.table_models.record_table_model import (
    RECORD_ROLE,
    Column,
    RecordTableModel,
)
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.theme import BAND_COLORS, ERROR_STYLE, OK_STYLE, colored, money
from iqcadence_desktop.views.widgets.page_parts import (
    SIZE_ROWS,
    BusyBar,
    EmptyState,
    muted,
    page_title,
)

SHORT = {"renewal": "Renewal", "touch": "Touch", "overdue": "Overdue"}
AGENDA = (
    Column("Customer", lambda e: e.name, lambda e: e.name.lower(), tip=event_tip),
    Column(
        "What",
        lambda e: f"{GLYPHS[e.kind]} {SHORT[e.kind]}",
        lambda e: e.kind,
        tip=lambda e: KINDS[e.kind],
    ),
    Column(
        "Band",
        lambda e: e.band_label,
        lambda e: e.status,
        color=lambda e: BAND_COLORS.get(e.status),
    ),
    Column("MRR", lambda e: money(e.mrr_cents), lambda e: e.mrr_cents, numeric=True),
    Column("Date", lambda e: f"{e.day:%d %b}", lambda e: e.day),
    Column("Manager", lambda e: e.manager or "—", lambda e: (e.manager or "").lower()),
)


def _step(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1


class CalendarPage(Page):
    """A month of what is due; click an entry to open the customer."""

    PAGE_ID = "calendar"
    TITLE = "Calendar"
    SECTION = "Monitor"
    ICON = "calendar"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        today = ctx.services.clock.today()
        self.year, self.month = today.year, today.month
        self.view: MonthView | None = None
        self._generation = 0
        self.grid = MonthGrid()
        self.month_label = QLabel()
        self.month_label.setProperty("role", "section-title")
        self.month_label.setMinimumWidth(140)
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.agenda = RecordTableModel(AGENDA)
        self.agenda_table = self._agenda_table()
        self.agenda_title = QLabel()
        self.agenda_title.setProperty("role", "section-title")
        self.whole_month = QCheckBox("Whole month")
        self.whole_month.setObjectName("whole_month")
        self.counts = muted()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.export_button = QPushButton("Export .ics…")
        self.export_button.setObjectName("export_ics")
        self.export_button.setToolTip("Save this month as a calendar file for Outlook or Google")
        self.busy = BusyBar()
        self.empty = EmptyState()
        self._stack = QStackedWidget()
        self._build_layout()
        self._connect()

    def _agenda_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("agenda")
        table.setModel(self.agenda)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Sized from the first rows only: a month's agenda or a big book stays quick.
        header.setResizeContentsPrecision(SIZE_ROWS)
        # The customer's name takes what is left (elided when narrow): no sideways scroll.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        return table

    def _nav_button(self, text: str, name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        return button

    def _build_layout(self) -> None:
        self.prev_button = self._nav_button("◀", "prev_month", "Previous month (Page Up)")
        self.next_button = self._nav_button("▶", "next_month", "Next month (Page Down)")
        self.today_button = QPushButton("Today")
        self.today_button.setToolTip("Back to this month (Home)")
        title_row = QHBoxLayout()
        title_row.addWidget(page_title(self.TITLE))
        title_row.addStretch(1)
        for widget in (self.prev_button, self.month_label, self.next_button, self.today_button):
            title_row.addWidget(widget)
        title_row.addSpacing(12)
        title_row.addWidget(self.export_button)
        self._controls: list[QWidget] = [
            self.prev_button,
            self.month_label,
            self.next_button,
            self.today_button,
            self.export_button,
        ]
        legend = QLabel(_legend())
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setWordWrap(True)
        agenda = QWidget()
        # An explicit minimum: the table's own grows with its content-sized columns and
        # would push the page wider than a laptop; narrow, the name column elides.
        agenda.setMinimumWidth(220)
        agenda_layout = QVBoxLayout(agenda)
        agenda_layout.setContentsMargins(0, 0, 0, 0)
        agenda_head = QHBoxLayout()
        agenda_head.addWidget(self.agenda_title, 1)
        agenda_head.addWidget(self.whole_month)
        agenda_layout.addLayout(agenda_head)
        agenda_layout.addWidget(self.agenda_table, 1)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.grid)
        body.addWidget(agenda)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([600, 400])  # scaled to the real width: 3 parts grid, 2 agenda
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(legend)
        content_layout.addWidget(self.counts)
        content_layout.addWidget(body, 1)
        self._stack.addWidget(content)
        self._stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self._stack, 1)
        self.message.hide()

    def _connect(self) -> None:
        self.prev_button.clicked.connect(lambda: self.step_month(-1))
        self.next_button.clicked.connect(lambda: self.step_month(1))
        self.today_button.clicked.connect(self.go_today)
        self.grid.month_step_requested.connect(self.step_month)
        self.grid.today_requested.connect(self.go_today)
        self.grid.day_selected.connect(self._on_grid_day_selected)
        self.grid.customer_clicked.connect(self.customer_open_requested.emit)
        self.whole_month.toggled.connect(self._show_agenda)
        self.agenda_table.doubleClicked.connect(self._on_agenda_double_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.empty.action_clicked.connect(lambda key: self.navigation_requested.emit(key, {}))
        self.track(self.ctx.bridge.customers_changed, self.mark_stale)
        self.track(self.ctx.bridge.config_changed, self.mark_stale)

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        self.load()

    def load(self) -> None:
        self._generation += 1
        generation, manager = self._generation, self.ctx.manager
        year, month, service = self.year, self.month, self.ctx.services.calendar
        self.month_label.setText(f"{dt.date(year, month, 1):%B %Y}")
        self.busy.start()
        self.ctx.tasks.run(
            lambda _token: (service.month(year, month, manager), service.has_accounts(manager)),
            owner=self,
            lane=Lane.READ,
            on_success=lambda found: self._on_month_loaded(generation, *found),
            on_error=self._on_load_failed,
        )

    def _on_month_loaded(self, generation: int, view: MonthView, has_accounts: bool) -> None:
        self.busy.stop()
        if generation != self._generation:
            return
        if not has_accounts:
            self._show_empty()
            return
        self._stack.setCurrentIndex(0)
        self._show_controls(True)
        selected = self.grid.selected
        self.view = view
        self.grid.set_view(view, selected)
        counts = view.counts()
        if view.events:
            self.counts.setText(
                f"{view.title}: {counts['renewal']:,} renewals, {counts['touch']:,} planned "
                f"touches, {counts['overdue']:,} contacts falling overdue."
            )
        else:
            self.counts.setText(f"Nothing is due in {view.title}.")
        self.export_button.setEnabled(bool(view.events))
        self._show_agenda()

    def _on_load_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self._say(f"The calendar could not be loaded: {exc}", error=True)

    def _show_empty(self) -> None:
        who = f"{self.ctx.manager} has" if self.ctx.manager else "There are"
        self.empty.show_message(
            f"{who} no accounts yet",
            "The calendar lays out renewals, planned next touches and the days on which an "
            "account's contact falls overdue, month by month. Add accounts with renewal and "
            "contact dates to fill it.",
            ()
            if self.ctx.manager
            else (
                ("import_export", "Import a CSV file…"),
                ("home", "Go to Home Base"),
            ),
        )
        self._stack.setCurrentWidget(self.empty)
        self._show_controls(False)

    def _show_controls(self, shown: bool) -> None:
        """Months and export mean nothing without accounts."""
        for widget in self._controls:
            widget.setVisible(shown)

    def _show_agenda(self, *_args: object) -> None:
        if self.view is None:
            return
        day = self.grid.selected
        if self.whole_month.isChecked() or day is None:
            events = list(self.view.events)
            self.agenda_title.setText(f"Agenda: {self.view.title} ({len(events):,})")
        else:
            events = self.grid.events_on(day)
            self.agenda_title.setText(f"Agenda: {day:%a %d %b} ({len(events):,})")
        self.agenda.set_rows(events)

    # -- navigation --------------------------------------------------------------------
    def step_month(self, step: int) -> None:
        self.year, self.month = _step(self.year, self.month, step)
        self.load()

    def go_today(self) -> None:
        today = self.ctx.services.clock.today()
        self.year, self.month = today.year, today.month
        self.grid.selected = today
        self.load()

    def _on_grid_day_selected(self, _day: object) -> None:
        self.whole_month.setChecked(False)
        self._show_agenda()

    def _on_agenda_double_clicked(self, index: QModelIndex) -> None:
        event = index.data(RECORD_ROLE)
        if isinstance(event, CalendarEvent):
            self.customer_open_requested.emit(event.customer_id)

    # -- export ------------------------------------------------------------------------
    def _on_export_clicked(self) -> None:
        if self.view is None:
            return
        default = Path.home() / f"iQcadence {self.view.first:%Y-%m}.ics"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the month as a calendar file", str(default), "iCalendar (*.ics)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the month shown to `path` in the background and say how it went."""
        view, service = self.view, self.ctx.services.calendar
        if view is None:
            return
        if path.suffix.lower() != ".ics":
            path = path.with_suffix(".ics")
        self.export_button.setEnabled(False)
        self.ctx.tasks.run(
            lambda _token: service.export_ics(view, path),
            owner=self,
            lane=Lane.READ,
            on_success=lambda n: self._on_exported(path, n),
            on_error=self._on_export_failed,
        )

    def _on_exported(self, path: Path, count: int) -> None:
        self.export_button.setEnabled(True)
        self._say(f"Saved {count:,} entries to {path}. Import that file into your calendar.")

    def _on_export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self._say(str(exc), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)
        self.message.show()


def _legend() -> str:
    kinds = " &nbsp; ".join(f"{GLYPHS[k]} {label}" for k, label in KINDS.items())
    bands = " &nbsp; ".join(colored("■", BAND_COLORS[b]) + f" {BAND_LABELS[b]}" for b in BANDS)
    return f"{kinds} &nbsp;&nbsp;|&nbsp;&nbsp; {bands}"
