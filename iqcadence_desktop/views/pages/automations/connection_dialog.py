"""Add or edit a connection: Slack, Teams (Workflows), email over SMTP, signed webhook.

The secret (SMTP password, webhook signing secret) goes to the system keyring through
the service; when editing, an empty secret box keeps the saved one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.automations import (
    CONNECTION_KINDS,
    EMAIL_SECURITY,
    ConnectionDTO,
    ConnectionInput,
)
from iqcadence_desktop.views.theme import ERROR_STYLE
from iqcadence_desktop.views.widgets.field_form import FieldForm

HELP = {
    "slack": "In Slack, add an incoming webhook to the channel (Apps → Incoming Webhooks) and "
    "paste its address here.",
    "teams": "In Teams, add the workflow “Post to a channel when a webhook request is "
    "received” to the channel and paste the address it gives you. The old Office 365 "
    "connector addresses no longer work.",
    "email": "Messages go out through your SMTP server. The password is kept in the system "
    "keyring, never in the database.",
    "webhook": "Each message is a JSON POST signed with HMAC-SHA256 in the X-IQcadence-"
    "Signature header; docs/automations.md shows how a receiver checks it.",
}
#: Saves the form; reports an error (or None) through the callback it is given.
SaveFn = Callable[[ConnectionInput, int | None, Callable[[BaseException | None], None]], None]


class ConnectionDialog(QDialog):
    """One form per kind; Save asks `save` to store it and closes when that worked."""

    def __init__(
        self, save: SaveFn, existing: ConnectionDTO | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connection_dialog")
        self.setWindowTitle("Edit connection" if existing else "New connection")
        self.setMinimumWidth(560)
        self._save, self._existing = save, existing
        self.kind = QComboBox()
        for key, label in CONNECTION_KINDS.items():
            self.kind.addItem(label, key)
        self.name = QLineEdit()
        self.name.setObjectName("connection_name")
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.help.setProperty("role", "muted")
        self.form = FieldForm()
        self.form.add_row("name", "Name", self.name)
        self.form.add_row("kind", "Kind", self.kind)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._url_form())
        self.stack.addWidget(self._email_form())
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.form, self.help, self.stack, self.error, self.buttons):
            layout.addWidget(widget)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self._load(existing)
        self._on_kind_changed()

    # -- forms -----------------------------------------------------------------------
    def _url_form(self) -> FieldForm:
        self.url_form = FieldForm()
        self.url = self.url_form.add_row("url", "Address", QLineEdit())
        self.url.setObjectName("connection_url")
        self.url.setPlaceholderText("https://…")
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.hook_secret = QLineEdit()
        self.hook_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.hook_secret.setObjectName("webhook_secret")
        generate = QPushButton("Generate")
        generate.setToolTip("Make a strong random secret (copy it to the receiving system)")
        generate.clicked.connect(self._on_generate_clicked)
        box.addWidget(self.hook_secret, 1)
        box.addWidget(generate)
        self.url_form.add_row("secret", "Signing secret", row)
        self.hook_env = self.url_form.add_row("secret_env", "Or from variable", QLineEdit())
        self.hook_env.setPlaceholderText("optional: e.g. IQCADENCE_HOOK_SECRET, for run-due")
        return self.url_form

    def _email_form(self) -> FieldForm:
        f = self.email_form = FieldForm()
        self.host = f.add_row("host", "SMTP server", QLineEdit())
        self.port = f.add_row("port", "Port", QSpinBox())
        self.port.setRange(1, 65535)
        self.port.setValue(587)
        self.security = f.add_row("security", "Security", QComboBox())
        for key, label in EMAIL_SECURITY.items():
            self.security.addItem(label, key)
        self.user = f.add_row("user", "User name", QLineEdit())
        self.password = f.add_row("secret", "Password", QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.from_address = f.add_row("sender", "From", QLineEdit())
        self.to = f.add_row("to", "To", QLineEdit())
        self.to.setPlaceholderText("one or more addresses, separated by commas")
        self.mail_env = f.add_row("secret_env", "Or password from", QLineEdit())
        self.mail_env.setPlaceholderText("optional environment variable, for run-due")
        return f

    def _on_kind_changed(self, *_args: object) -> None:
        kind = self.kind_key()
        self.stack.setCurrentIndex(1 if kind == "email" else 0)
        for form in (self.url_form, self.email_form):  # size to the form shown, not the tallest
            shown = form is self.stack.currentWidget()
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            form.setSizePolicy(policy, policy)
        self.adjustSize()
        for key in ("secret", "secret_env"):  # only webhooks are signed
            holder = self.url_form.errors[key].parentWidget()
            assert holder is not None
            self.url_form.layout_.setRowVisible(holder, kind == "webhook")
        self.help.setText(HELP[kind])

    def _on_generate_clicked(self) -> None:
        self.hook_secret.setEchoMode(QLineEdit.EchoMode.Normal)
        self.hook_secret.setText(secrets.token_urlsafe(32))

    def kind_key(self) -> str:
        return str(self.kind.currentData())

    def _load(self, c: ConnectionDTO | None) -> None:
        if c is None:
            return
        self.kind.setCurrentIndex(self.kind.findData(c.kind))
        self.kind.setEnabled(False)
        self.name.setText(c.name)
        self.url.setText(c.url or "")
        s = c.settings
        self.host.setText(str(s.get("host", "")))
        self.port.setValue(int(s.get("port", 587)))
        self.security.setCurrentIndex(self.security.findData(s.get("security", "starttls")))
        self.user.setText(str(s.get("user") or ""))
        self.from_address.setText(str(s.get("sender", "")))
        self.to.setText(", ".join(c.recipients))
        for box in (self.hook_env, self.mail_env):
            box.setText(c.secret_env or "")
        for box in (self.hook_secret, self.password):
            box.setPlaceholderText(
                "unchanged (saved in the keyring)" if c.secret_state == "keyring" else ""
            )

    def data(self) -> ConnectionInput:
        kind = self.kind_key()
        if kind == "email":
            return ConnectionInput(
                self.name.text(),
                kind,
                host=self.host.text(),
                port=self.port.value(),
                security=str(self.security.currentData()),
                user=self.user.text(),
                sender=self.from_address.text(),
                to=tuple(t for t in self.to.text().replace(";", ",").split(",") if t.strip()),
                secret=self.password.text() or None,
                secret_env=self.mail_env.text() or None,
            )
        return ConnectionInput(
            self.name.text(),
            kind,
            url=self.url.text(),
            secret=self.hook_secret.text() or None if kind == "webhook" else None,
            secret_env=self.hook_env.text() or None if kind == "webhook" else None,
        )

    def _on_save_clicked(self) -> None:
        for form in (self.form, self.url_form, self.email_form):
            form.clear_errors()
        self.error.clear()
        self.buttons.setEnabled(False)
        self._save(self.data(), None if self._existing is None else self._existing.id, self._done)

    def _done(self, error: BaseException | None) -> None:
        self.buttons.setEnabled(True)
        if error is None:
            self.accept()
            return
        field = error.field if isinstance(error, ValidationError) else ""
        forms = (self.form, self.email_form if self.kind_key() == "email" else self.url_form)
        if not any(f.show_error(field, str(error)) for f in forms if field):
            self.error.setText(str(error))
