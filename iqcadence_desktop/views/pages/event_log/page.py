"""Event Log (S9): every delivery attempt — time, rule, customer, channel, status code,
error, next try — and messages still waiting for their first; filter them, re-send a
message that failed for good."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.automations import OUTCOMES, AttemptDTO, EventLogFilter
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.tasks import CancelToken, Lane
from iqcadence_desktop.views.widgets.common import (
    message_label,
    rows_table,
    selected_rows,
    show_message,
)
from iqcadence_desktop.views.widgets.empty_state import TableWithEmptyState
from iqcadence_desktop.views.widgets.when import local_text

ANY = "Any"
FILTER_DELAY_MS = 250
HEADERS = ("When", "Rule", "Customer", "Channel", "Code", "Result", "Next try", "Error")
EMPTY = (
    "Nothing has been sent yet.\n\nWhen a rule fires, a scheduled report goes out or you "
    "send a test, every attempt shows up here: sent, waiting to retry, or failed."
)
NO_MATCH = "No attempt matches the filters. Choose “Any” or clear the search box."
KIND_NAMES = {
    "event": "",
    "digest": "Digest",
    "batch": "Summary",
    "report": "Report",
    "test": "Test message",
}


@dataclass(frozen=True)
class LogView:
    """One load: the attempts, the channel names for the filter, the outbox counts."""

    attempts: list[AttemptDTO]
    connections: list[str]
    counts: dict[str, int]


class EventLogPage(Page):
    """The event log with filters and a Re-send button."""

    PAGE_ID = "event_log"
    TITLE = "Event Log"
    SECTION = "Automate"
    ICON = "event_log"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.attempts: list[AttemptDTO] = []
        self.model = RowsTableModel(HEADERS, self)
        self.table = rows_table(self.model, stretch_column=7)
        self.table.setObjectName("event_log_table")
        self.table.setWordWrap(True)  # errors wrap in their column; the tooltip has them too
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._update_button)
        self.holder = TableWithEmptyState(self.table, EMPTY)
        self.summary = QLabel()
        self.summary.setObjectName("event_log_summary")
        self.summary.setProperty("role", "muted")
        self.message = message_label()
        self.message.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addLayout(self._build_filters())
        layout.addWidget(self.message)
        layout.addWidget(self.holder, 1)
        self.track(ctx.bridge.outbox_changed, self.mark_stale)

    def _build_filters(self) -> QHBoxLayout:
        self.outcome = QComboBox()
        self.outcome.addItem(ANY, None)
        for key, label in OUTCOMES.items():
            self.outcome.addItem(label, key)
        self.channel = QComboBox()
        self.channel.addItem(ANY)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Customer, rule or subject")
        self.search.setClearButtonEnabled(True)
        self.resend = QPushButton("Re-send")
        self.resend.setObjectName("resend")
        self.resend.setToolTip("Queue a message that failed for good again, with the same event id")
        self.resend.clicked.connect(self._on_resend_clicked)
        for combo in (self.outcome, self.channel):
            combo.currentIndexChanged.connect(self._timer.start)
        self.search.textChanged.connect(self._timer.start)
        row = QHBoxLayout()
        for text, widget in (("Result", self.outcome), ("Channel", self.channel)):
            row.addWidget(QLabel(text))
            row.addWidget(widget)
        row.addWidget(self.search, 1)
        row.addWidget(self.resend)
        self._update_button()
        return row

    # -- loading ---------------------------------------------------------------------
    def current_filter(self) -> EventLogFilter:
        channel = self.channel.currentText()
        return EventLogFilter(
            outcome=self.outcome.currentData(),
            connection=None if self.channel.currentIndex() <= 0 else channel,
            text=self.search.text().strip() or None,
        )

    def refresh(self) -> None:
        super().refresh()
        log, flt = self.ctx.services.automations.log, self.current_filter()

        def load(_token: CancelToken) -> LogView:
            return LogView(log.attempts(flt), log.connections(), log.counts())

        self.ctx.tasks.run(
            load, owner=self, lane=Lane.READ, on_success=self._on_loaded, on_error=self._on_failed
        )

    def _on_loaded(self, view: LogView) -> None:
        self.attempts = view.attempts
        self._fill_channels(view.connections)
        self.model.set_rows(
            [_row(a) for a in view.attempts],
            [a.outbox_id for a in view.attempts],
            [a.error or a.subject for a in view.attempts],
        )
        filtered = self.outcome.currentIndex() > 0 or self.channel.currentIndex() > 0
        self.holder.set_empty_text(NO_MATCH if filtered or self.search.text() else EMPTY)
        c = view.counts
        self.summary.setText(
            f"{c.get('sent', 0):,} sent · {c.get('pending', 0) + c.get('sending', 0):,} waiting"
            f" · {c.get('dead', 0):,} failed for good"
        )
        self.badge_changed.emit(str(c["dead"]) if c.get("dead") else "")
        self._update_button()

    def _fill_channels(self, names: list[str]) -> None:
        chosen = self.channel.currentText()
        self.channel.blockSignals(True)
        self.channel.clear()
        self.channel.addItems([ANY, *names])
        self.channel.setCurrentIndex(max(0, self.channel.findText(chosen)))
        self.channel.blockSignals(False)

    def say(self, text: str, error: bool = False) -> None:
        self.message.show()
        show_message(self.message, text, error)

    def _on_failed(self, exc: BaseException) -> None:
        self.say(str(exc) if isinstance(exc, UserFacingError) else "That did not work.", True)

    # -- re-send ---------------------------------------------------------------------
    def selected(self) -> AttemptDTO | None:
        rows = selected_rows(self.table)
        return self.attempts[rows[0]] if rows else None

    def _update_button(self, *_args: object) -> None:
        chosen = self.selected()
        self.resend.setEnabled(chosen is not None and chosen.resendable)

    def _on_resend_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        log = self.ctx.services.automations.log
        self.ctx.tasks.run(
            lambda _t: log.resend(chosen.outbox_id),
            owner=self,
            lane=Lane.WRITE,
            on_success=lambda e: self.say(
                f'"{e.subject}" is queued again; it goes out with the next run.'
            ),
            on_error=self._on_failed,
        )


def _row(a: AttemptDTO) -> tuple[str, ...]:
    result = OUTCOMES[a.outcome]
    if a.outcome == "retry" and a.entry_status == "sent":
        result += " (sent later)"
    return (
        local_text(a.at, "%Y-%m-%d %H:%M:%S"),
        a.rule or KIND_NAMES.get(a.kind, ""),
        a.customer or "—",
        a.connection,
        "" if a.status_code is None else str(a.status_code),
        result,
        local_text(a.retry_at) if a.outcome in ("retry", "queued") else "",
        a.error or "",
    )
