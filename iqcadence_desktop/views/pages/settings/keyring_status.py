"""A small Settings widget: which keyring backend was found, and the session-only fallback."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from iqcadence_desktop.services.system import KeyringStatus, SecretStore
from iqcadence_desktop.views.theme import Color

# Without a keyring the app still works fully: a plain note, never an error colour.
_COLORS = {"ok": Color.SUCCESS, "session": Color.MUTED, "none": Color.INK}


def _tone(status: KeyringStatus) -> str:
    if status.usable:
        return "ok"
    return "session" if status.session_only else "none"


class KeyringStatusWidget(QWidget):
    """States the secret storage in plain words; offers session-only memory without a keyring.

    Signals:
        session_memory_enabled(): the user chose to keep secrets in memory for this session.
    """

    session_memory_enabled = Signal()

    def __init__(self, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._secrets = secrets
        self.title = QLabel("Secret storage")
        self.title.setStyleSheet("font-weight: 600;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.backend = QLabel()
        self.backend.setProperty("role", "muted")
        self.backend.setWordWrap(True)
        self.session_button = QPushButton("Keep secrets for this session")
        self.session_button.setToolTip(
            "Secrets you enter are held in memory only and forgotten when the app quits."
        )
        self.session_button.clicked.connect(self._on_session_button_clicked)
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.message, 1)
        row.addWidget(self.session_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addLayout(row)
        column.addWidget(self.backend)

    def refresh(self) -> None:
        status = self._secrets.status()
        self.message.setText(status.message)
        self.message.setStyleSheet(f"color: {_COLORS[_tone(status)]};")
        self.backend.setText(f"Keyring backend found: {status.backend}")
        self.session_button.setVisible(not status.usable and not status.session_only)

    def _on_session_button_clicked(self) -> None:
        self._secrets.use_session_memory()
        self.refresh()
        self.session_memory_enabled.emit()
