"""The team part of the top bar: which client to work on, and who is signed in."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.theme import ERROR_STYLE

ALL_CLIENTS = "All my clients"


class TeamControls(QWidget):
    """Client picker (narrows every page, and says where new customers go) and the
    signed-in user's menu.

    Signals:
        client_changed(object): the client in focus (a name, or None for all).
    """

    client_changed = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.client_combo = QComboBox()
        self.client_combo.setObjectName("client_filter")
        self.client_combo.setMinimumWidth(160)
        self.client_combo.setToolTip(
            "Show only this client's accounts; new customers and imports go to it"
        )
        self.client_combo.currentIndexChanged.connect(self._on_client_combo_changed)
        me = services.scope.identity
        self.account = QToolButton()
        self.account.setObjectName("account")
        self.account.setText(f"{me.name} ({me.role.value})")
        self.account.setToolTip(f"Signed in as {me.email}")
        self.account.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.account)
        menu.addAction("Change password…", self._on_change_password_clicked)
        self.account.setMenu(menu)
        # Room for the menu arrow Qt draws over the text's end.
        self.account.setMinimumWidth(self.account.sizeHint().width() + 16)
        label = QLabel("Client:")
        label.setBuddy(self.client_combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.client_combo)
        layout.addWidget(self.account)
        self.account.setVisible(services.scope.signed_in)
        self.reload()

    def reload(self) -> None:
        focus = self.services.scope.focus
        self.client_combo.blockSignals(True)
        self.client_combo.clear()
        self.client_combo.addItem(ALL_CLIENTS)
        for c in self.services.team.clients():
            self.client_combo.addItem(c.name, c.id)
        index = self.client_combo.findData(focus) if focus is not None else 0
        self.client_combo.setCurrentIndex(max(index, 0))
        self.client_combo.blockSignals(False)

    def _on_client_combo_changed(self, index: int) -> None:
        name = None if index <= 0 else self.client_combo.itemText(index)
        self.services.team.focus(name)
        self.client_changed.emit(name)

    def _on_change_password_clicked(self) -> None:
        PasswordDialog(self.services, self).exec()


class PasswordDialog(QDialog):
    """Change one's own password (the current one is asked first)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Change password")
        self.old, self.new, self.again = QLineEdit(), QLineEdit(), QLineEdit()
        form = QFormLayout()
        for label, edit in (
            ("Current password:", self.old),
            ("New password:", self.new),
            ("New password again:", self.again),
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(label, edit)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _on_ok_clicked(self) -> None:
        if self.new.text() != self.again.text():
            self.error.setText("The two new passwords differ; type the same one twice.")
            return
        try:
            self.services.team.change_password(self.old.text(), self.new.text())
        except UserFacingError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
