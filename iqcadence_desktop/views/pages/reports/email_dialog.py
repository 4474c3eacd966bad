""" "Email now": send the chosen report to some addresses through an email connection."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.automations import ConnectionDTO
from iqcadence_desktop.views.theme import ERROR_STYLE
from iqcadence_desktop.views.widgets.field_form import FieldForm

#: Sends (connection id, recipients); the dialog closes once it is handed over.
SendFn = Callable[[int, tuple[str, ...]], None]


class EmailReportDialog(QDialog):
    """Pick the email connection and the recipients (the connection's by default)."""

    def __init__(
        self,
        title: str,
        connections: Sequence[ConnectionDTO],
        send: SendFn,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("email_report_dialog")
        self.setWindowTitle(f"Email {title}")
        self.setMinimumWidth(480)
        self._send = send
        self._emails = [c for c in connections if c.kind == "email"]
        form = FieldForm()
        self.via = form.add_row("via", "Send through", QComboBox())
        for c in self._emails:
            self.via.addItem(c.name, c.id)
        self.to = form.add_row("to", "To", QLineEdit())
        self.to.setObjectName("email_to")
        self.to.setPlaceholderText("addresses separated by commas")
        self.via.currentIndexChanged.connect(self._on_via_changed)
        note = QLabel(
            "The report is attached as it is set up on the Reports page. If the mail server "
            "cannot be reached, the message waits in the outbox and goes out later."
        )
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        if not self._emails:
            self.error.setText("Add an email connection on the Automations page first.")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Send")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self._emails))
        self.buttons.accepted.connect(self._on_send_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (form, note, self.error, self.buttons):
            layout.addWidget(widget)
        self._on_via_changed()

    def _on_via_changed(self, *_args: object) -> None:
        index = self.via.currentIndex()
        if index >= 0:
            self.to.setText(", ".join(self._emails[index].recipients))

    def recipients(self) -> tuple[str, ...]:
        return tuple(t.strip() for t in self.to.text().replace(";", ",").split(",") if t.strip())

    def _on_send_clicked(self) -> None:
        if not self.recipients():
            self.error.setText("Enter at least one address.")
            return
        self._send(int(self.via.currentData()), self.recipients())
        self.accept()
