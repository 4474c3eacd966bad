"""Settings → API: the local REST API's switch and port, its keys, and the API Log."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.widgets.common import (
    message_label,
    rows_table,
    selected_rows,
    show_message,
)

LOG_LIMIT = 500


class ApiSection(QWidget):
    """Turn the API on or off, make and revoke keys, read what called it."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enabled = QCheckBox("Answer API calls on this computer (127.0.0.1 only)")
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.apply_button = QPushButton("Apply")
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.state = message_label()
        self.new_key = QLineEdit()
        self.new_key.setReadOnly(True)
        self.new_key.setPlaceholderText("A new key appears here once; copy it then.")
        self.keys_model = RowsTableModel(("Key id", "Label", "Created", "State"))
        self.keys_table = rows_table(self.keys_model, stretch_column=1)
        self.keys_table.setMinimumHeight(110)
        self.log_model = RowsTableModel(("When (UTC)", "Call", "Key", "Status", "ms"))
        self.log_table = rows_table(self.log_model, stretch_column=1)
        self.log_table.setMinimumHeight(180)
        self.log_empty = QLabel("No API calls yet. Calls appear here with their key and result.")
        self.log_empty.setProperty("role", "muted")
        self.message = message_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self._server_box())
        layout.addWidget(self._keys_box())
        layout.addWidget(self._log_box(), 1)
        layout.addWidget(self.message)

    def _server_box(self) -> QGroupBox:
        box = QGroupBox("Local REST API")
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(self.enabled)
        row.addWidget(QLabel("Port"))
        row.addWidget(self.port)
        row.addWidget(self.apply_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.state)
        hint = QLabel(
            "Existing Zapier or script set-ups work by pointing them at this address and "
            "sending an x-api-key header. Headless: iqcadence-cli serve."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        column.addWidget(hint)
        return box

    def _keys_box(self) -> QGroupBox:
        box = QGroupBox("API keys")
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        for text, slot in (
            ("New key", self._on_new_clicked),
            ("Revoke selected", self._on_revoke_clicked),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addWidget(self.new_key, 1)
        column.addLayout(row)
        column.addWidget(self.keys_table)
        return box

    def _log_box(self) -> QGroupBox:
        box = QGroupBox("API Log")
        column = QVBoxLayout(box)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh_log)
        row = QHBoxLayout()
        row.addWidget(self.log_empty, 1)
        row.addWidget(refresh)
        column.addLayout(row)
        column.addWidget(self.log_table, 1)
        return box

    def refresh(self) -> None:
        api = self.ctx.services.api
        self.enabled.setChecked(api.enabled())
        self.port.setValue(api.port())
        self._show_state()
        keys = api.keys.keys()
        self.keys_model.set_rows(
            [
                (
                    k.key_id,
                    k.label or "",
                    f"{k.created_at:%Y-%m-%d %H:%M}",
                    "revoked" if k.revoked_at else "active",
                )
                for k in keys
            ],
            [k.key_id for k in keys],
        )
        self.refresh_log()

    def refresh_log(self) -> None:
        entries = self.ctx.services.api.log(LOG_LIMIT)
        rows = []
        for e in entries:
            d = e.details or {}
            rows.append(
                (
                    f"{e.at:%Y-%m-%d %H:%M:%S}",
                    f"{d.get('method', '')} {d.get('action') or '—'}",
                    str(d.get("key_id") or "none"),
                    str(d.get("status", "")),
                    str(d.get("ms", "")),
                )
            )
        self.log_model.set_rows(rows, [e.id for e in entries])
        self.log_empty.setText(
            f"The last {len(rows):,} calls, newest first."
            if rows
            else "No API calls yet. Calls appear here with their key and result."
        )

    def _show_state(self) -> None:
        url = self.ctx.services.api.running_url
        if url:
            show_message(self.state, f"Answering at {url}")
        else:
            self.state.setStyleSheet("")
            self.state.setText("Off: nothing listens for API calls.")

    def _on_apply_clicked(self) -> None:
        api = self.ctx.services.api
        try:
            api.configure(self.enabled.isChecked(), self.port.value())
            api.stop()
            if self.enabled.isChecked():
                api.start()
        except UserFacingError as exc:
            show_message(self.state, str(exc), error=True)
            return
        self._show_state()
        if self.enabled.isChecked() and not api.keys.active():
            show_message(
                self.message, "No key exists yet: make one so callers can get in.", error=True
            )

    def _on_new_clicked(self) -> None:
        made = self.ctx.services.api.keys.new("made in Settings")
        self.new_key.setText(made.key)
        self.new_key.selectAll()
        show_message(self.message, f"Key {made.key_id} made. Copy it now: it is not shown again.")
        self.refresh()
        self.new_key.setText(made.key)

    def _on_revoke_clicked(self) -> None:
        rows = selected_rows(self.keys_table)
        if not rows:
            show_message(self.message, "Select the key to revoke first.", error=True)
            return
        key_id = str(self.keys_model.key(rows[0]))
        try:
            self.ctx.services.api.keys.revoke(key_id)
        except UserFacingError as exc:
            show_message(self.message, str(exc), error=True)
            return
        show_message(self.message, f"Key {key_id} revoked; calls with it now get 401.")
        self.refresh()
