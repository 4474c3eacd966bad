"""Automations (S9): alert rules (the wizard and the custom-rule builder), connections
with "Send test", and scheduled reports. Every load and save runs on the task runner."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.automations import (
    ConnectionDTO,
    ConnectionInput,
    RuleDraft,
    RuleDTO,
    RunDueResult,
    ScheduleDTO,
    SendOutcome,
)
from iqcadence_desktop.views.due_work import DueWorkRunner
from iqcadence_desktop.views.pages.automations.connection_dialog import ConnectionDialog
from iqcadence_desktop.views.pages.automations.connections_tab import ConnectionsTab
from iqcadence_desktop.views.pages.automations.rule_builder import CustomRuleDialog
from iqcadence_desktop.views.pages.automations.rule_wizard import RuleWizard
from iqcadence_desktop.views.pages.automations.rules_tab import RulesTab
from iqcadence_desktop.views.pages.automations.schedules_tab import SchedulesTab
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.tasks import CancelToken, Lane
from iqcadence_desktop.views.widgets.common import message_label, show_message
from iqcadence_desktop.views.widgets.report_schedule import ScheduleDialog, schedule_saver

log = logging.getLogger(__name__)
Done = Callable[[str | None], None]


@dataclass(frozen=True)
class Snapshot:
    """Everything the page shows, loaded in one background read."""

    rules: list[RuleDTO]
    connections: list[ConnectionDTO]
    schedules: list[ScheduleDTO]
    counts: dict[str, int]
    managers: list[str]


def explain(exc: BaseException) -> str:
    """A user-facing message, or a pointer to the log for a bug (which is logged)."""
    if isinstance(exc, UserFacingError):
        return str(exc)
    log.error("Automations action failed", exc_info=exc)
    return "Something went wrong; the details are in the log file."


class AutomationsPage(Page):
    """Rules, connections and scheduled reports, and a button to run due work now."""

    PAGE_ID = "automations"
    TITLE = "Automations"
    SECTION = "Automate"
    ICON = "automations"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.snapshot = Snapshot([], [], [], {}, [])
        self.dialog: QDialog | None = None  # the open wizard or dialog (tests reach in)
        self.runner = DueWorkRunner(ctx.services.automations, ctx.tasks, ctx.bridge, self)
        self.runner.run_finished.connect(self._on_run_finished)
        self.rules, self.connections, self.schedules = RulesTab(), ConnectionsTab(), SchedulesTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.rules, "Rules")
        self.tabs.addTab(self.connections, "Connections")
        self.tabs.addTab(self.schedules, "Scheduled reports")
        self.message = message_label()
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_header())
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self._connect_tabs()
        for signal in (ctx.bridge.automations_changed, ctx.bridge.outbox_changed):
            self.track(signal, self.mark_stale)
        self.track(ctx.bridge.customers_changed, self.mark_stale)  # the manager list

    def _build_header(self) -> QHBoxLayout:
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        self.status = QLabel()
        self.status.setObjectName("automation_status")
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        self.run_button = QPushButton("Run due work now")
        self.run_button.setObjectName("run_due_now")
        self.run_button.setToolTip(
            "Check every rule, queue due digests and reports, and send what is waiting. "
            "This also happens every minute while the app is open."
        )
        self.run_button.clicked.connect(self._on_run_clicked)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(self.status)
        row = QHBoxLayout()
        row.addLayout(column, 1)
        row.addWidget(self.run_button)
        return row

    def _connect_tabs(self) -> None:
        r, c, s = self.rules, self.connections, self.schedules
        r.new_requested.connect(lambda: self.open_wizard(None))
        r.custom_requested.connect(lambda: self.open_builder(None))
        r.edit_requested.connect(self._on_rule_edit_requested)
        r.toggle_requested.connect(self._on_rule_toggle_requested)
        r.delete_requested.connect(self._on_rule_delete_requested)
        c.add_requested.connect(lambda: self.open_connection(None))
        c.edit_requested.connect(self.open_connection)
        c.test_requested.connect(self._on_test_requested)
        c.remove_requested.connect(self._on_connection_remove_requested)
        s.add_requested.connect(self.open_schedule)
        s.pause_requested.connect(self._on_schedule_pause_requested)
        s.remove_requested.connect(self._on_schedule_remove_requested)

    # -- loading ---------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        services = self.ctx.services
        automations = services.automations

        def load(_token: CancelToken) -> Snapshot:
            return Snapshot(
                automations.rules.all(),
                automations.connections.all(),
                automations.schedules.all(),
                automations.log.counts(),
                services.customers.managers(),
            )

        self.ctx.tasks.run(
            load, owner=self, lane=Lane.READ, on_success=self._on_loaded, on_error=self._fail
        )

    def _on_loaded(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self.rules.set_rules(snap.rules)
        self.connections.set_connections(snap.connections)
        self.schedules.set_schedules(snap.schedules)
        on = sum(1 for r in snap.rules if r.enabled)
        waiting = snap.counts.get("pending", 0) + snap.counts.get("sending", 0)
        failed = snap.counts.get("dead", 0)
        parts = [
            f"{on:,} of {len(snap.rules):,} rules on",
            f"{len(snap.connections):,} connection{'s' * (len(snap.connections) != 1)}",
            f"{waiting:,} message{'s' * (waiting != 1)} waiting",
        ]
        if failed:
            parts.append(f"{failed:,} failed (see the Event Log)")
        self.status.setText(
            " · ".join(parts) + ". Due work runs every minute while the app "
            "is open, and with iqcadence-cli run-due when it is closed."
        )

    # -- helpers ---------------------------------------------------------------------
    def say(self, text: str, error: bool = False) -> None:
        self.message.show()
        show_message(self.message, text, error)

    def _fail(self, exc: BaseException) -> None:
        self.say(explain(exc), error=True)

    def confirm(self, text: str) -> bool:
        """Ask before deleting (tests replace this)."""
        answer = QMessageBox.question(self, "Automations", text)
        return answer == QMessageBox.StandardButton.Yes

    def _write(self, fn: Callable[[], object], done_text: Callable[[object], str]) -> None:
        self.ctx.tasks.run(
            lambda _t: fn(),
            owner=self,
            lane=Lane.WRITE,
            on_success=lambda result: self.say(done_text(result)),
            on_error=self._fail,
        )

    def _show(self, dialog: QDialog) -> None:
        """Window-modal over the app; deleted when closed."""
        self.dialog = dialog
        dialog.setParent(self, dialog.windowFlags())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- rules -----------------------------------------------------------------------
    def open_wizard(self, rule: RuleDTO | None) -> None:
        snap = self.snapshot
        self._show(RuleWizard(snap.managers, snap.connections, self._rule_saver(rule), rule))

    def open_builder(self, rule: RuleDTO | None) -> None:
        snap = self.snapshot
        dialog = CustomRuleDialog(
            self.ctx, snap.managers, snap.connections, self._rule_saver(rule), rule
        )
        self._show(dialog)

    def _rule_saver(self, rule: RuleDTO | None) -> Callable[[RuleDraft, Done], None]:
        rules = self.ctx.services.automations.rules

        def save(draft: RuleDraft, done: Done) -> None:
            def work(_t: CancelToken) -> RuleDTO:
                return rules.create(draft) if rule is None else rules.update(rule.id, draft)

            def saved(dto: RuleDTO) -> None:
                done(None)
                self.say(f'Saved rule "{dto.name}".')

            self.ctx.tasks.run(
                work,
                owner=self,
                lane=Lane.WRITE,
                on_success=saved,
                on_error=lambda exc: done(explain(exc)),
            )

        return save

    def _on_rule_edit_requested(self, rule: RuleDTO) -> None:
        if rule.kind == "custom":
            self.open_builder(rule)
        else:
            self.open_wizard(rule)

    def _on_rule_toggle_requested(self, rule_id: int, on: bool) -> None:
        rules = self.ctx.services.automations.rules
        self._write(
            lambda: rules.set_enabled(rule_id, on),
            lambda r: f'Rule "{r.name}" is {"on" if on else "off"}.',  # type: ignore[attr-defined]
        )

    def _on_rule_delete_requested(self, rule: RuleDTO) -> None:
        if self.confirm(f'Delete the rule "{rule.name}"? Its past events stay in the log.'):
            rules = self.ctx.services.automations.rules
            self._write(lambda: rules.delete(rule.id), lambda name: f'Deleted rule "{name}".')

    # -- connections -----------------------------------------------------------------
    def open_connection(self, existing: ConnectionDTO | None) -> None:
        self._show(ConnectionDialog(self._save_connection, existing))

    def _save_connection(
        self,
        data: ConnectionInput,
        connection_id: int | None,
        done: Callable[[BaseException | None], None],
    ) -> None:
        connections = self.ctx.services.automations.connections

        def work(_t: CancelToken) -> ConnectionDTO:
            if connection_id is None:
                return connections.create(data)
            return connections.update(connection_id, data)

        def saved(dto: ConnectionDTO) -> None:
            done(None)
            self.say(f'Saved connection "{dto.name}". Try it with "Send test".')

        self.ctx.tasks.run(work, owner=self, lane=Lane.WRITE, on_success=saved, on_error=done)

    def _on_test_requested(self, connection: ConnectionDTO) -> None:
        automations = self.ctx.services.automations
        self.connections.buttons["test"].setEnabled(False)
        show_message(self.connections.result, f'Sending a test message to "{connection.name}"…')
        self.ctx.tasks.run(
            lambda _t: automations.send_test(connection.id),
            owner=self,
            lane=Lane.READ,  # it waits on the network; saves must not queue behind it
            on_success=self._on_tested,
            on_error=self._on_test_failed,
        )

    def _on_tested(self, outcome: SendOutcome) -> None:
        self.connections.buttons["test"].setEnabled(True)
        show_message(self.connections.result, outcome.message, error=not outcome.ok)

    def _on_test_failed(self, exc: BaseException) -> None:
        self.connections.buttons["test"].setEnabled(True)
        show_message(self.connections.result, explain(exc), error=True)

    def _on_connection_remove_requested(self, connection: ConnectionDTO) -> None:
        if self.confirm(f'Remove the connection "{connection.name}" and its saved secret?'):
            connections = self.ctx.services.automations.connections
            self._write(
                lambda: connections.remove(connection.id),
                lambda name: f'Removed connection "{name}".',
            )

    # -- schedules -------------------------------------------------------------------
    def open_schedule(self) -> None:
        snap = self.snapshot
        automations = self.ctx.services.automations
        save = schedule_saver(automations, self.ctx.tasks, self)
        kinds = self.ctx.services.reports.kinds()
        self._show(ScheduleDialog(kinds, snap.connections, snap.managers, save))

    def _on_schedule_pause_requested(self, schedule: ScheduleDTO) -> None:
        schedules = self.ctx.services.automations.schedules
        on = not schedule.enabled
        self._write(
            lambda: schedules.set_enabled(schedule.id, on),
            lambda _r: f"{schedule.report_title} schedule {'resumed' if on else 'paused'}.",
        )

    def _on_schedule_remove_requested(self, schedule: ScheduleDTO) -> None:
        if self.confirm(
            f"Stop emailing the {schedule.report_title} report ({schedule.describe()})?"
        ):
            schedules = self.ctx.services.automations.schedules
            self._write(
                lambda: schedules.remove(schedule.id),
                lambda _r: f"Removed the {schedule.report_title} schedule.",
            )

    # -- running now -----------------------------------------------------------------
    def _on_run_clicked(self) -> None:
        self.run_button.setEnabled(False)
        self.say("Running due work…")
        self.runner.run_now()

    def _on_run_finished(self, r: RunDueResult) -> None:
        self.run_button.setEnabled(True)
        if r.busy:
            self.say("Another run was already working (the timer or run-due); it finishes the job.")
            return
        self.say(
            f"Checked the rules: {r.events:,} new event{'s' * (r.events != 1)}, "
            f"{r.reports:,} report{'s' * (r.reports != 1)} queued; sent {r.sent:,}, "
            f"failed {r.failed:,}; {r.pending:,} waiting."
        )
