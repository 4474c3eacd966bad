"""Manage CSMs: books with account counts; rename, merge, reassign accounts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.customers import CustomerFilter
from iqcadence_desktop.services.scoring import BAND_LABELS
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.theme import money
from iqcadence_desktop.views.widgets.common import (
    message_label,
    rows_table,
    selected_rows,
    show_message,
)


class ManagersSection(QWidget):
    """Pick one manager to rename, several to merge, or accounts of one to reassign."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RowsTableModel(("Manager", "Accounts", "MRR"))
        self.table = rows_table(self.model, stretch_column=0)
        self.accounts_model = RowsTableModel(("Account", "Band", "MRR"))
        self.accounts = rows_table(self.accounts_model, stretch_column=0)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("New name, or the manager to merge into")
        self.target_combo = QComboBox()
        self.target_combo.setEditable(True)
        self.target_combo.setPlaceholderText("Give the chosen accounts to…")
        self.message = message_label()
        buttons = {
            "Rename": self.rename,
            "Merge chosen into this name": self.merge,
            "Reassign chosen accounts": self.reassign,
        }
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Choose one manager to rename, several (Ctrl/Shift-click) to merge, or "
            "accounts in the right-hand list to give to someone else."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        grid = QGridLayout()
        grid.addWidget(self.table, 0, 0)
        grid.addWidget(self.accounts, 0, 1)
        grid.addWidget(self.name_edit, 1, 0)
        grid.addWidget(self.target_combo, 1, 1)
        left = QHBoxLayout()
        self.buttons: list[QPushButton] = []
        for i, (text, slot) in enumerate(buttons.items()):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons.append(button)
            if i < 2:
                left.addWidget(button)
            else:
                grid.addWidget(button, 2, 1)
        left.addStretch(1)
        grid.addLayout(left, 2, 0)
        layout.addLayout(grid, 1)
        layout.addWidget(self.message)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def refresh(self) -> None:
        books = self.ctx.services.managers.managers()
        self.model.set_rows(
            [(m.name, f"{m.accounts:,}", money(m.mrr_cents)) for m in books],
            [m.name for m in books],
        )
        self.target_combo.clear()
        self.target_combo.addItems([m.name for m in books])
        self.target_combo.setCurrentIndex(-1)
        self.accounts_model.set_rows([], [])

    def chosen_managers(self) -> list[str]:
        return [str(self.model.key(r)) for r in selected_rows(self.table)]

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        chosen = self.chosen_managers()
        if len(chosen) != 1:
            self.accounts_model.set_rows([], [])
            return
        rows = self.ctx.services.customers.list_customers(CustomerFilter(manager=chosen[0]))
        self.accounts_model.set_rows(
            [(c.name, BAND_LABELS[c.status], money(c.mrr_cents)) for c in rows],
            [c.id for c in rows],
        )

    def rename(self) -> None:
        chosen = self.chosen_managers()
        if len(chosen) != 1:
            show_message(self.message, "Choose exactly one manager to rename.", error=True)
            return
        new = self.name_edit.text()
        self._run(
            lambda: self.ctx.services.managers.rename(chosen[0], new),
            f'Renamed "{chosen[0]}" on {{n}} accounts.',
        )

    def merge(self) -> None:
        chosen = self.chosen_managers()
        target = self.name_edit.text()
        self._run(
            lambda: self.ctx.services.managers.merge(chosen, target),
            f'Merged into "{" ".join(target.split())}": {{n}} accounts moved.',
        )

    def reassign(self) -> None:
        ids = [int(str(self.accounts_model.key(r))) for r in selected_rows(self.accounts)]
        if not ids:
            show_message(self.message, "Choose accounts in the right-hand list first.", error=True)
            return
        target = self.target_combo.currentText()
        self._run(
            lambda: self.ctx.services.managers.reassign(ids, target),
            f'{{n}} accounts now belong to "{" ".join(target.split())}".',
        )

    def _run(self, action: Callable[[], int], done: str) -> None:
        """Run a change off the GUI thread: at 100k accounts with history it rebuilds a
        year of daily rollups, which takes seconds."""
        self._busy(True)
        show_message(self.message, "Working…")
        self.ctx.tasks.run(
            owner=self,
            fn=lambda _token: action(),
            on_success=lambda count: self._finished(done, count),
            on_error=self._failed,
        )

    def _finished(self, done: str, count: int) -> None:
        self._busy(False)
        self.refresh()
        self.name_edit.clear()
        show_message(self.message, done.format(n=f"{count:,}"))

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if not isinstance(exc, UserFacingError):
            raise exc
        show_message(self.message, str(exc), error=True)

    def _busy(self, busy: bool) -> None:
        for button in self.buttons:
            button.setEnabled(not busy)
