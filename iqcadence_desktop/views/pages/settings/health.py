"""Data health: findings about missing, stale or duplicated data; each opens its accounts."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from iqcadence_desktop.services.portfolio import Finding
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.widgets.common import rows_table, selected_rows


class HealthSection(QWidget):
    """Lists findings; double-click (or the button) shows those accounts in Customers.

    Signals:
        accounts_requested(list): ids of the accounts behind the chosen finding.
    """

    accounts_requested = Signal(list)

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.findings: list[Finding] = []
        self.model = RowsTableModel(("Finding", "Accounts", "Why it matters"))
        self.table = rows_table(self.model, stretch_column=2)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        show = QPushButton("Show these accounts")
        show.clicked.connect(self._on_show_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(show)

    def refresh(self) -> None:
        self.findings = self.ctx.services.data_health.findings(self.ctx.manager)
        self.model.set_rows(
            [(f.title, f"{len(f.customer_ids):,}", f.detail) for f in self.findings],
            [f.kind for f in self.findings],
            [", ".join(f.names) for f in self.findings],
        )
        self.summary.setText(
            "Nothing to fix: every account has the data scoring needs."
            if not self.findings
            else "Double-click a finding to see its accounts on the Customers page."
        )

    def open_finding(self, row: int) -> None:
        self.accounts_requested.emit(list(self.findings[row].customer_ids))

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.open_finding(index.row())

    def _on_show_clicked(self) -> None:
        rows = selected_rows(self.table)
        if rows:
            self.open_finding(rows[0])
