"""Audit Log page: every recorded change, filterable, and the config history with diffs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.system import AuditEntryDTO, AuditFilter
from iqcadence_desktop.views.pages.audit_log.config_history import ConfigHistoryView
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.widgets.common import message_label, rows_table, show_message

ANY = "Any"
FILTER_DELAY_MS = 250


class AuditLogPage(Page):
    """Who changed what and when; filters narrow the list as you type."""

    PAGE_ID = "audit_log"
    TITLE = "Audit Log"
    SECTION = "Settings"
    ICON = "audit"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = RowsTableModel(("When", "User", "Action", "Customer", "Summary"))
        self.table = rows_table(self.model, stretch_column=4)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        self.count_label.setWordWrap(True)
        self.message = message_label()
        self.history = ConfigHistoryView(ctx)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self._load_entries)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_entries_tab(), "Changes")
        self.tabs.addTab(self.history, "Config history")
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        for signal in (
            ctx.bridge.customers_changed,
            ctx.bridge.config_changed,
            ctx.bridge.settings_changed,
        ):
            self.track(signal, self.mark_stale)

    def _build_entries_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addLayout(self._build_filters())
        layout.addWidget(self.message)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        return box

    def _build_filters(self) -> QGridLayout:
        self.action_combo, self.user_combo = QComboBox(), QComboBox()
        self.customer_edit, self.text_edit = QLineEdit(), QLineEdit()
        self.customer_edit.setPlaceholderText("Exact customer name")
        self.text_edit.setPlaceholderText("Words in the summary or customer name")
        self.dates_check = QCheckBox("Between")
        self.since_edit, self.until_edit = QDateEdit(), QDateEdit()
        for date_edit in (self.since_edit, self.until_edit):
            date_edit.setCalendarPopup(True)
            date_edit.setDisplayFormat("yyyy-MM-dd")
            date_edit.setEnabled(False)
            date_edit.dateChanged.connect(self._timer.start)
        self.dates_check.toggled.connect(self._on_dates_check_toggled)
        for combo in (self.action_combo, self.user_combo):
            combo.currentIndexChanged.connect(self._timer.start)
        for edit in (self.customer_edit, self.text_edit):
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self._timer.start)
        grid = QGridLayout()
        cells = (
            ("Action", self.action_combo),
            ("User", self.user_combo),
            ("Customer", self.customer_edit),
            ("Search", self.text_edit),
        )
        for i, (text, widget) in enumerate(cells):
            grid.addWidget(QLabel(text), i // 2, (i % 2) * 2)
            grid.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        grid.addWidget(self.dates_check, 2, 0)
        dates = QHBoxLayout()
        dates.addWidget(self.since_edit)
        dates.addWidget(QLabel("and"))
        dates.addWidget(self.until_edit)
        dates.addStretch(1)
        grid.addLayout(dates, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return grid

    # -- loading ---------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        self._reload_choices()
        if not self.dates_check.isChecked():
            today = self.ctx.services.clock.today()
            self.until_edit.setDate(QDate(today.year, today.month, today.day))
            self.since_edit.setDate(self.until_edit.date().addDays(-30))
        self._load_entries()
        self._timer.stop()  # the date changes above queued a reload that just happened
        self.history.refresh()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        # A filter change still waiting to load is moot once the page is hidden (it
        # reloads when shown), and the window may be closing with its database.
        self._timer.stop()
        super().hideEvent(event)

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.text_edit.setFocus()
        self.text_edit.selectAll()

    def _reload_choices(self) -> None:
        audit = self.ctx.services.audit
        for combo, column in ((self.action_combo, "action"), (self.user_combo, "user")):
            chosen = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ANY, *audit.distinct(column)])
            combo.setCurrentIndex(max(combo.findText(chosen), 0))
            combo.blockSignals(False)

    def current_filter(self) -> AuditFilter | None:
        """The filter the controls describe; None (with a message) when it cannot match."""
        customer_id = None
        name = self.customer_edit.text().strip()
        if name:
            customer_id = self.ctx.services.customers.find_id(name)
            if customer_id is None:
                show_message(
                    self.message,
                    f'No customer is named "{name}". Check the '
                    "spelling, or clear the Customer box.",
                    error=True,
                )
                return None
        since = until = None
        if self.dates_check.isChecked():
            since = _start_of(self.since_edit.date())
            until = _start_of(self.until_edit.date()) + dt.timedelta(days=1)
        return AuditFilter(
            action=_chosen(self.action_combo),
            customer_id=customer_id,
            user=_chosen(self.user_combo),
            since=since,
            until=until,
            text=self.text_edit.text().strip() or None,
        )

    def _load_entries(self) -> None:
        self.message.clear()
        flt = self.current_filter()
        entries = [] if flt is None else self.ctx.services.audit.entries(flt)
        self.model.set_rows(
            [_row(e) for e in entries], [e.id for e in entries], [e.summary for e in entries]
        )
        limit = AuditFilter().limit
        more = (
            f" (the newest {limit:,}; narrow the filters to see older ones)"
            if len(entries) >= limit
            else ""
        )
        if entries:
            noun = "entry" if len(entries) == 1 else "entries"
            self.count_label.setText(f"{len(entries):,} {noun}{more}")
        elif flt is not None and flt != AuditFilter():
            self.count_label.setText("No entry matches these filters; widen or clear them.")
        else:
            self.count_label.setText(
                "No changes recorded yet. Every change to customers, settings and data "
                "(imports, restores, rescores) is listed here with who made it and when."
            )

    def _on_dates_check_toggled(self, checked: bool) -> None:
        self.since_edit.setEnabled(checked)
        self.until_edit.setEnabled(checked)
        self._timer.start()


def _chosen(combo: QComboBox) -> str | None:
    return None if combo.currentIndex() <= 0 else combo.currentText()


def _start_of(day: QDate) -> dt.datetime:
    return dt.datetime(day.year(), day.month(), day.day())


def _row(e: AuditEntryDTO) -> tuple[str, ...]:
    return (
        f"{e.at:%Y-%m-%d %H:%M}",
        e.user,
        e.action.replace("_", " "),
        e.customer_name or "",
        e.summary,
    )
