"""The sign-in dialog of a team database: email and password, remembered on request."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.team import password_key
from iqcadence_desktop.views.theme import ERROR_STYLE


class SignInDialog(QDialog):
    """Signs in to the team database (the Scope then holds the user)."""

    def __init__(self, services: Services, email: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Sign in — iQcadence")
        self.email = QLineEdit(email)
        self.email.setPlaceholderText("you@company.com")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember my password on this computer (system keyring)")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self._on_sign_in_clicked)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Email:", self.email)
        form.addRow("Password:", self.password)
        layout = QVBoxLayout(self)
        where = QLabel(f"Team database: {services.db.describe()}")
        where.setWordWrap(True)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        (self.password if email else self.email).setFocus()

    def try_stored(self) -> bool:
        """Sign in with a password remembered in the keyring, if there is one."""
        email = self.email.text().strip()
        stored = self.services.secrets.get(password_key(self.services.db.describe(), email))
        if not email or not stored:
            return False
        try:
            self.services.team.sign_in(email, stored)
        except UserFacingError:
            return False
        return True

    def _on_sign_in_clicked(self) -> None:
        email, password = self.email.text().strip(), self.password.text()
        try:
            self.services.team.sign_in(email, password)
        except UserFacingError as exc:
            self.error.setText(str(exc))
            self.password.selectAll()
            self.password.setFocus()
            return
        if self.remember.isChecked():
            try:
                self.services.secrets.set(
                    password_key(self.services.db.describe(), email), password
                )
            except UserFacingError as exc:  # no usable keyring: signed in all the same
                self.error.setText(str(exc))
        self.accept()
