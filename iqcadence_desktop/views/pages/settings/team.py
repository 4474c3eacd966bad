"""Settings › Team: which database this copy uses, clients, and (admins) users and roles."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError, ValidationError
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.team import Permission, Role, parse_role
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.team.connect import TEAM_URL_KEY, ConnectDialog
from iqcadence_desktop.views.theme import ERROR_STYLE
from iqcadence_desktop.views.widgets.common import (
    button_row,
    message_label,
    rows_table,
    selected_rows,
    show_message,
)


class TeamSection(QWidget):
    """Connect to a team database; list clients; admins add, disable and re-role users."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        scope = ctx.services.scope
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.message = message_label()
        # Parented models and views only: a parentless Qt object left to Python's garbage
        # collector may be destroyed on a worker thread (a crash).
        self.clients = RowsTableModel(("Client", "Live customers"), self)
        self.users = RowsTableModel(("Email", "Name", "Role", "Status", "Clients"), self)
        self.users_table = rows_table(self.users, stretch_column=4)
        self.users_table.setParent(self)
        layout = QVBoxLayout(self)
        db_box = QGroupBox("Database")
        db_layout = QVBoxLayout(db_box)
        db_layout.addWidget(self.where)
        db_layout.addLayout(
            button_row(
                [
                    ("Connect to team database…", self._on_connect_clicked),
                    ("Use the local file from the next start", self._on_local_clicked),
                ]
            )
        )
        layout.addWidget(db_box)
        clients_box = QGroupBox("Clients (the businesses customers belong to)")
        clients_layout = QVBoxLayout(clients_box)
        clients_layout.addWidget(rows_table(self.clients, stretch_column=0))
        if scope.allows(Permission.MANAGE_CLIENTS):
            clients_layout.addLayout(button_row([("Add client…", self._on_add_client_clicked)]))
        layout.addWidget(clients_box)
        if ctx.services.db.is_team and scope.allows(Permission.MANAGE_USERS):
            layout.addWidget(self._users_box())
        else:  # kept (parented) for its model, but not in a layout: never drawn
            self.users_table.hide()
        layout.addWidget(self.message)
        layout.addStretch(1)

    def _users_box(self) -> QGroupBox:
        box = QGroupBox("Users")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.users_table)
        box_layout.addLayout(
            button_row(
                [
                    ("Add user…", self._on_add_user_clicked),
                    ("Change role…", self._on_role_clicked),
                    ("Clients…", self._on_user_clients_clicked),
                    ("Disable or enable", self._on_toggle_clicked),
                    ("Reset password…", self._on_reset_clicked),
                ]
            )
        )
        return box

    def refresh(self) -> None:
        services = self.ctx.services
        me = services.scope.identity
        if services.db.is_team:
            self.where.setText(
                f"Team database {services.db.describe()}. Signed in as {me.name} "
                f"<{me.email}>, {me.role.value}."
            )
        else:
            self.where.setText(
                f"This copy works on the single-user file {services.db.describe()}. A team "
                "shares one PostgreSQL database: connect to it below (moving this file's "
                "data there: iqcadence-cli migrate-to)."
            )
        clients = services.team.clients()
        self.clients.set_rows(
            [(c.name, f"{c.customers:,}") for c in clients], [c.id for c in clients]
        )
        if services.db.is_team and services.scope.allows(Permission.MANAGE_USERS):
            users = services.team.users()
            self.users.set_rows(
                [
                    (
                        u.email,
                        u.name,
                        u.role.value,
                        "active" if u.active else "disabled",
                        ", ".join(u.clients) or ("all" if u.role is Role.ADMIN else "—"),
                    )
                    for u in users
                ],
                [u.email for u in users],
            )

    # -- database --------------------------------------------------------------------
    def _on_connect_clicked(self) -> None:
        dialog = ConnectDialog(self.ctx.tasks, self.ctx.services.secrets, self)
        dialog.connection_saved.connect(self._on_connection_saved)
        dialog.exec()

    def _on_connection_saved(self, url: str) -> None:
        QSettings().setValue(TEAM_URL_KEY, url)
        show_message(self.message, "Saved. iQcadence opens the team database from the next start.")

    def _on_local_clicked(self) -> None:
        QSettings().remove(TEAM_URL_KEY)
        show_message(self.message, "From the next start iQcadence opens its local file again.")

    # -- clients and users -------------------------------------------------------------
    def _on_add_client_clicked(self) -> None:
        name, ok = QInputDialog.getText(self, "Add client", "Client name:")
        if ok:
            self._act(lambda s: s.team.add_client(name), f'Added client "{name.strip()}".')

    def _selected_email(self) -> str | None:
        rows = selected_rows(self.users_table)
        if not rows:
            show_message(self.message, "Choose a user in the list first.", error=True)
            return None
        return str(self.users.key(rows[0]))

    def _on_add_user_clicked(self) -> None:
        dialog = AddUserDialog(self.ctx.services, self)
        if dialog.exec():
            self.refresh()
            show_message(self.message, f"Added {dialog.added}.")

    def _on_role_clicked(self) -> None:
        email = self._selected_email()
        if email is None:
            return
        roles = [r.value for r in Role]
        role, ok = QInputDialog.getItem(self, "Change role", f"Role of {email}:", roles, 2, False)
        if ok:
            self._act(lambda s: s.team.set_role(email, parse_role(role)), f"{email}: {role}.")

    def _on_user_clients_clicked(self) -> None:
        email = self._selected_email()
        if email is None:
            return
        text, ok = QInputDialog.getText(
            self, "Clients", f"Clients of {email} (separated by commas):"
        )
        if ok:
            names = [c.strip() for c in text.split(",") if c.strip()]
            self._act(lambda s: s.team.set_clients(email, names), f"Clients of {email} saved.")

    def _on_toggle_clicked(self) -> None:
        email = self._selected_email()
        if email is None:
            return
        active = self.users.data(self.users.index(selected_rows(self.users_table)[0], 3))
        if active == "active":
            self._act(lambda s: s.team.disable(email), f"{email} can no longer sign in.")
        else:
            self._act(lambda s: s.team.enable(email), f"{email} can sign in again.")

    def _on_reset_clicked(self) -> None:
        email = self._selected_email()
        if email is None:
            return
        password, ok = QInputDialog.getText(
            self, "Reset password", f"New password for {email}:", QLineEdit.EchoMode.Password
        )
        if ok:
            self._act(lambda s: s.team.reset_password(email, password), "Password reset.")

    def _act(self, action: Callable[[Services], object], done: str) -> None:
        try:
            action(self.ctx.services)
        except UserFacingError as exc:
            show_message(self.message, str(exc), error=True)
            return
        self.refresh()
        show_message(self.message, done)


class AddUserDialog(QDialog):
    """Email, name, role, clients and a first password for a new team member."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.added = ""
        self.setWindowTitle("Add user")
        self.email, self.name, self.clients = QLineEdit(), QLineEdit(), QLineEdit()
        self.clients.setPlaceholderText("Acme, Globex")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox()
        self.role.addItems([r.value for r in Role])
        self.role.setCurrentText(Role.CSM.value)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (
            ("Email:", self.email),
            ("Name:", self.name),
            ("Role:", self.role),
            ("Clients:", self.clients),
            ("First password:", self.password),
        ):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _on_ok_clicked(self) -> None:
        clients = [c.strip() for c in self.clients.text().split(",") if c.strip()]
        try:
            user = self.services.team.add_user(
                self.email.text(),
                parse_role(self.role.currentText()),
                self.password.text(),
                clients,
                self.name.text(),
            )
        except (UserFacingError, ValidationError) as exc:
            self.error.setText(str(exc))
            return
        self.added = user.email
        self.accept()
