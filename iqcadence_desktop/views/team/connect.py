"""'Connect to team database': where the PostgreSQL server is, tested before it is kept.

The server password goes to the system keyring, never into the saved address."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.system import SecretStore
from iqcadence_desktop.services.team import server_password_key
from iqcadence_desktop.views.tasks import Lane, TaskRunner
from iqcadence_desktop.views.theme import ERROR_STYLE, OK_STYLE

#: QSettings key of the team database chosen here (app.py opens it at start-up).
TEAM_URL_KEY = "team/url"


def driver_missing() -> str | None:
    """Why this copy cannot talk to PostgreSQL, or None when it can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return (
            "This copy of iQcadence has no PostgreSQL driver. Install it with "
            '"pip install iqcadence-desktop[team]", or use a team build of the app.'
        )
    return None


class ConnectDialog(QDialog):
    """Host, port, database, user and password; 'Test connection' before 'Save'.

    Signals:
        connection_saved(str): the address to use (no password in it).
    """

    connection_saved = Signal(str)

    def __init__(self, tasks: TaskRunner, secrets: SecretStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks, self.secrets = tasks, secrets
        self.setWindowTitle("Connect to team database")
        self.host = QLineEdit("localhost")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("iqcadence")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.status = QLabel("Test the connection before saving it.")
        self.status.setWordWrap(True)
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self._on_test_clicked)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self._tested: str | None = None
        form = QFormLayout()
        for label, widget in (
            ("Server:", self.host),
            ("Port:", self.port),
            ("Database:", self.database),
            ("Database user:", self.user),
            ("Password:", self.password),
        ):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def address(self, with_password: bool = False) -> str:
        url = URL.create(
            "postgresql+psycopg",
            username=self.user.text().strip() or None,
            password=(self.password.text() or None) if with_password else None,
            host=self.host.text().strip() or None,
            port=self.port.value(),
            database=self.database.text().strip() or None,
        )
        return url.render_as_string(hide_password=False)

    def _on_test_clicked(self) -> None:
        problem = driver_missing()
        if problem:
            self._show(problem, error=True)
            return
        self.test_button.setEnabled(False)
        self._show("Connecting…")
        target = self.address(with_password=True)
        self.tasks.run(
            lambda _t: _check(target),
            owner=self,
            lane=Lane.READ,
            on_success=self._on_test_succeeded,
            on_error=self._on_test_failed,
        )

    def _on_test_succeeded(self, described: str) -> None:
        self.test_button.setEnabled(True)
        self._tested = self.address()
        self._show(f"Connected to {described}. Save to use it from the next start.")

    def _on_test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._tested = None
        if not isinstance(exc, UserFacingError):
            raise exc
        self._show(str(exc), error=True)

    def _on_save_clicked(self) -> None:
        if self._tested != self.address():
            self._show("Test this connection first (the fields changed since).", error=True)
            return
        if self.password.text():
            try:
                self.secrets.set(server_password_key(self._tested), self.password.text())
            except UserFacingError as exc:
                self._show(str(exc), error=True)
                return
        self.connection_saved.emit(self._tested)
        self.accept()

    def _show(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.status.setText(text)


def _check(url: str) -> str:
    """Open (and migrate) the database once; returns how it describes itself."""
    db = open_database(url)
    try:
        return db.describe()
    finally:
        db.close()
