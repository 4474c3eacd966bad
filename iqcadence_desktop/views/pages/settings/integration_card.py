"""One integration's card in Settings → Integrations: connect, test, options, mapping,
sync now (with a preview), pull history with progress and cancel, and the last result."""

from __future__ import annotations

import webbrowser
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.integrations import (
    CAN_CREATE,
    LOOKBACKS,
    SYSTEM_LABELS,
    TARGET_LABELS,
    IntegrationStatus,
    SyncResult,
)
from iqcadence_desktop.services.scoring import Cancelled
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.integration_mapping import MappingDialog
from iqcadence_desktop.views.tasks import CancelToken, Lane
from iqcadence_desktop.views.theme import ERROR_STYLE, OK_STYLE, Color

TOKEN_LABELS = {"hubspot": "Private-app token", "stripe": "Secret or restricted key"}
DEFAULT_TIER_TEXT = {
    "hubspot": "New accounts without a tier become SMB.",
    "salesforce": "New accounts without a tier become Mid-Market.",
    "stripe": "Updates existing customers only; tiers come from plan names.",
}


class IntegrationCard(QGroupBox):
    """Everything about one system.

    Signals:
        changed(): the integration's connection or settings changed (refresh the others).
    """

    changed = Signal()

    def __init__(self, ctx: PageContext, system: str, parent: QWidget | None = None) -> None:
        super().__init__(SYSTEM_LABELS[system], parent)
        self.ctx, self.system = ctx, system
        self.status: IntegrationStatus | None = None
        self._token: CancelToken | None = None
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.env = QLineEdit()
        self.env.setPlaceholderText(f"e.g. {system.upper()}_TOKEN")
        self.client_id, self.login_url = QLineEdit(), QLineEdit()
        self.create_check = QCheckBox("Create new accounts")
        self.amounts = QComboBox()
        self.amounts.addItem("Deal amounts are annual (÷ 12)", "annual")
        self.amounts.addItem("Deal amounts are already monthly", "monthly")
        self.lookback = QComboBox()
        for label, days in LOOKBACKS.items():
            self.lookback.addItem(label, days)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(110)
        self.details.setVisible(False)
        self.buttons: dict[str, QPushButton] = {}
        self._build()

    # -- layout -------------------------------------------------------------------------
    def _button(self, key: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.buttons[key] = button
        return button

    def _build(self) -> None:
        grid = QGridLayout(self)
        grid.addWidget(self.state, 0, 0, 1, 4)
        row = 1
        if self.system == "salesforce":
            grid.addWidget(QLabel("Consumer key"), row, 0)
            grid.addWidget(self.client_id, row, 1)
            grid.addWidget(QLabel("Login address"), row, 2)
            grid.addWidget(self.login_url, row, 3)
            row += 1
            grid.addWidget(
                self._button("browser", "Sign in with the browser…", self._on_browser_clicked),
                row,
                0,
                1,
                2,
            )
            self.env.setPlaceholderText("a variable holding a refresh token")
        else:
            grid.addWidget(QLabel(TOKEN_LABELS[self.system]), row, 0)
            grid.addWidget(self.secret, row, 1, 1, 3)
        row += 1
        grid.addWidget(QLabel("Or read it from the environment variable"), row, 0, 1, 2)
        grid.addWidget(self.env, row, 2, 1, 2)
        row += 1
        grid.addLayout(
            self._row(
                [
                    self._button("connect", "Connect", self._on_connect_clicked),
                    self._button("test", "Test", self._on_test_clicked),
                    self._button("disconnect", "Disconnect", self._on_disconnect_clicked),
                ]
            ),
            row,
            0,
            1,
            4,
        )
        row += 1
        self.create_check.setEnabled(CAN_CREATE[self.system])
        self.create_check.toggled.connect(self._on_create_toggled)
        options: list[QWidget] = [self.create_check]
        if self.system != "stripe":
            self.amounts.currentIndexChanged.connect(self._on_amounts_changed)
            options.append(self.amounts)
        options.append(self._button("mapping", "Field mapping…", self._on_mapping_clicked))
        grid.addLayout(self._row(options), row, 0, 1, 4)
        hint = QLabel(DEFAULT_TIER_TEXT[self.system])
        hint.setProperty("role", "muted")
        grid.addWidget(hint, row + 1, 0, 1, 4)
        # Syncing and pulling history on two rows: one row would not fit a laptop.
        sync = [
            self._button("preview", "Preview sync", lambda: self._on_sync_clicked(True)),
            self._button("sync", "Sync now", lambda: self._on_sync_clicked(False)),
        ]
        history = [
            QLabel("Pull history:"),
            self.lookback,
            self._button("history", "Pull history", self._on_history_clicked),
            self._button("cancel", "Cancel", self._on_cancel_clicked),
        ]
        grid.addLayout(self._row(sync), row + 2, 0, 1, 4)
        grid.addLayout(self._row(history), row + 3, 0, 1, 4)
        grid.addWidget(self.progress, row + 4, 0, 1, 4)
        grid.addWidget(self.result, row + 5, 0, 1, 4)
        grid.addWidget(self.details, row + 6, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.buttons["cancel"].setVisible(False)

    @staticmethod
    def _row(widgets: Sequence[QWidget]) -> QHBoxLayout:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        return row

    # -- state --------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.set_status(self.ctx.services.integrations.status(self.system)[0])

    def set_status(self, status: IntegrationStatus) -> None:
        self.status = status
        if status.connected:
            self.state.setText(
                f"● Connected: {status.account} — token in the {status.token_source}."
            )
            self.state.setStyleSheet(OK_STYLE)
        else:
            self.state.setText("Not connected.")
            self.state.setStyleSheet(f"color: {Color.MUTED};")
        self.create_check.blockSignals(True)
        self.create_check.setChecked(bool(status.options.get("create_accounts")))
        self.create_check.blockSignals(False)
        self.amounts.blockSignals(True)
        self.amounts.setCurrentIndex(
            max(0, self.amounts.findData(status.options.get("deal_amounts")))
        )
        self.amounts.blockSignals(False)
        self.client_id.setText(str(status.options.get("client_id") or ""))
        self.login_url.setText(str(status.options.get("login_url") or ""))
        for key in ("test", "disconnect", "preview", "sync", "history", "mapping"):
            self.buttons[key].setEnabled(status.connected and self._token is None)
        self._show_last(status)

    def _show_last(self, status: IntegrationStatus) -> None:
        if self._token is not None:
            return
        if status.last_sync_at is None:
            self.result.setText("Never synced." if status.connected else "")
            self.result.setStyleSheet("")
            return
        summary = (status.last_result or {}).get("summary", "")
        when = status.last_sync_at.strftime("%Y-%m-%d %H:%M UTC")
        self.result.setText(f"Last sync {when}: {summary}")
        self.result.setStyleSheet(ERROR_STYLE if status.last_status == "failed" else "")

    # -- actions ----------------------------------------------------------------------------------
    def _on_connect_clicked(self) -> None:
        env = self.env.text().strip() or None
        token = self.secret.text().strip() or None
        options: dict[str, Any] = {}
        if self.system == "salesforce":
            options = {
                "client_id": self.client_id.text().strip(),
                "login_url": self.login_url.text().strip(),
            }
            if env is None:
                self._message(
                    "Sign in with the browser, or name the environment variable that "
                    "holds a refresh token.",
                    True,
                )
                return
        svc = self.ctx.services.integrations
        self._run(
            "Checking the token…",
            lambda _t: svc.connect(self.system, token=token, token_env=env, options=options),
            self._on_connected,
            lane=Lane.WRITE,
        )

    def _on_browser_clicked(self) -> None:
        svc = self.ctx.services.integrations
        options = {
            "client_id": self.client_id.text().strip(),
            "login_url": self.login_url.text().strip(),
        }

        def work(token: CancelToken) -> IntegrationStatus:
            svc.configure("salesforce", options)
            return svc.connect_salesforce(self.open_browser, token.cancelled)

        self._run(
            "Waiting for you to sign in to Salesforce in the browser…",
            work,
            self._on_connected,
            cancellable=True,
        )

    def open_browser(self, url: str) -> None:
        """The system browser (tests replace this)."""
        webbrowser.open(url)

    def _on_connected(self, status: IntegrationStatus) -> None:
        self.secret.clear()
        self._message(f"Connected: {status.account}.")
        self.set_status(status)
        self.changed.emit()

    def _on_test_clicked(self) -> None:
        svc = self.ctx.services.integrations
        self._run(
            "Testing…",
            lambda _t: svc.test(self.system),
            lambda text: self._message(f"Works: {text}."),
            lane=Lane.READ,
        )

    def _on_disconnect_clicked(self) -> None:
        self.ctx.services.integrations.disconnect(self.system)
        self._message("Disconnected; the token was removed.")
        self.refresh()
        self.changed.emit()

    def _on_create_toggled(self, checked: bool) -> None:
        self._configure({"create_accounts": checked})

    def _on_amounts_changed(self, _index: int) -> None:
        self._configure({"deal_amounts": self.amounts.currentData()})

    def _configure(self, changes: dict[str, Any]) -> None:
        try:
            self.set_status(self.ctx.services.integrations.configure(self.system, changes))
        except UserFacingError as exc:
            self._message(str(exc), True)

    def _on_mapping_clicked(self) -> None:
        svc = self.ctx.services.integrations
        self._run(
            "Reading the fields…",
            lambda _t: svc.fields(self.system),
            self._on_fields_loaded,
            lane=Lane.READ,
        )

    def _on_fields_loaded(self, fields: list[Any]) -> None:
        self._message("")
        assert self.status is not None
        dialog = MappingDialog(self.system, fields, self.status.mapping, self)
        if self.ask(dialog):
            self._configure({"mapping": dialog.mapping()})
            self._message("Field mapping saved.")

    def ask(self, dialog: MappingDialog) -> bool:
        """Run the dialog (tests replace this)."""
        return bool(dialog.exec())

    def _on_sync_clicked(self, dry_run: bool) -> None:
        svc = self.ctx.services.integrations
        self._run(
            "Previewing…" if dry_run else "Syncing…",
            lambda t: svc.sync(self.system, dry_run, t.progress, t.cancelled),
            self._on_synced,
            cancellable=True,
        )

    def _on_synced(self, result: SyncResult) -> None:
        self.refresh()
        self._message(result.summary())
        lines = [
            f"{a.name} ({a.kind}): "
            + "; ".join(
                f"{TARGET_LABELS.get(c.field, c.field)} {_text(c.old)} → {_text(c.new)}"
                for c in a.changes
            )
            for a in result.samples[:50]
        ]
        lines += [f"! {text}" for text in result.issues[:20] + result.warnings]
        lines += [
            f"Skipped {TARGET_LABELS.get(m, m)}: {SYSTEM_LABELS[o]} owns it."
            for m, o in result.ignored_owned.items()
        ]
        self.details.setPlainText("\n".join(lines))
        self.details.setVisible(bool(lines))
        if not result.dry_run:
            self.changed.emit()

    def _on_history_clicked(self) -> None:
        svc, days = self.ctx.services.integrations, int(self.lookback.currentData())
        self._run(
            f"Pulling {self.lookback.currentText()} of history…",
            lambda t: svc.pull_history(self.system, days, t.progress, t.cancelled),
            lambda r: self._message(r.summary()),
            cancellable=True,
        )

    def _on_cancel_clicked(self) -> None:
        if self._token is not None:
            self._token.cancel()
            self.progress.setFormat("Cancelling…")

    # -- running ---------------------------------------------------------------------------------
    def _run(
        self, text: str, fn: Any, done: Any, cancellable: bool = False, lane: Lane = Lane.WRITE
    ) -> None:
        self._message(text)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.buttons["cancel"].setVisible(cancellable)
        for button in self.buttons.values():
            if button is not self.buttons["cancel"]:
                button.setEnabled(False)
        token = self.ctx.tasks.run(
            fn,
            owner=self,
            lane=lane,
            on_success=lambda r: self._finish(done, r),
            on_error=self._on_task_failed,
            on_progress=self._on_task_progressed,
        )
        if self.progress.isVisibleTo(self):  # still running (an inline runner has finished)
            self._token = token

    def _on_task_progressed(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{done:,} read" + (f" of {total:,}" if total else ""))

    def _finish(self, done: Any, value: Any) -> None:
        self._token = None
        self._idle()
        done(value)

    def _on_task_failed(self, exc: BaseException) -> None:
        self._token = None
        self._idle()
        if isinstance(exc, Cancelled):
            self._message("Cancelled; nothing was changed.")
        elif isinstance(exc, UserFacingError):
            self.refresh()
            self._message(str(exc), True)
        else:
            raise exc

    def _idle(self) -> None:
        self.progress.setVisible(False)
        self.buttons["cancel"].setVisible(False)
        self.buttons["connect"].setEnabled(True)
        if "browser" in self.buttons:
            self.buttons["browser"].setEnabled(True)
        if self.status is not None:
            self.set_status(self.status)

    def _message(self, text: str, error: bool = False) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(ERROR_STYLE if error else "")


def _text(value: object) -> str:
    return "—" if value is None else str(value)
