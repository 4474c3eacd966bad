"""The Customers page's bulk actions on the selected rows, all through CustomerService.

Every action runs through the task runner; the table refreshes itself from the
`customers_changed` event the service publishes after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.customers import LIFECYCLES, CustomerDTO
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.table_models.customer_columns import LIFECYCLE_LABELS


class BulkActionBar(QWidget):
    """Buttons that act on the selected customers; live and trash modes differ."""

    def __init__(
        self,
        ctx: PageContext,
        selected_rows: Callable[[], list[int]],
        customer_at: Callable[[int], CustomerDTO],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._selected_rows = selected_rows
        self._customer_at = customer_at
        self._trash_mode = False
        self.selection_label = QLabel("No customers selected")
        self.selection_label.setProperty("role", "muted")
        self.rescore = self._button("Re-score", self._on_rescore_clicked)
        self.tags = self._button("Tags", None)
        self.tags.setMenu(self._tags_menu())
        self.lifecycle = self._button("Lifecycle", None)
        self.lifecycle.setMenu(self._lifecycle_menu())
        self.trash = self._button("Move to trash", self._on_trash_clicked)
        self.restore = self._button("Restore", self._on_restore_clicked)
        self.purge = self._button("Delete for good…", self._on_purge_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.selection_label)
        layout.addStretch(1)
        self._buttons = (
            self.rescore,
            self.tags,
            self.lifecycle,
            self.trash,
            self.restore,
            self.purge,
        )
        for button in self._buttons:
            layout.addWidget(button)
        self.set_trash_mode(False)

    def _button(self, text: str, slot: Callable[[], None] | None) -> QPushButton:
        button = QPushButton(text)
        if slot is not None:
            button.clicked.connect(slot)
        return button

    def _tags_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Add tags…", self._on_add_tags_triggered)
        menu.addAction("Remove tags…", self._on_remove_tags_triggered)
        return menu

    def _lifecycle_menu(self) -> QMenu:
        menu = QMenu(self)
        for value in LIFECYCLES:
            menu.addAction(LIFECYCLE_LABELS[value], partial(self.set_lifecycle, value))
        return menu

    # -- state ------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return [self._customer_at(row).id for row in self._selected_rows()]

    def set_trash_mode(self, on: bool) -> None:
        self._trash_mode = on
        for button in (self.rescore, self.tags, self.lifecycle, self.trash):
            button.setVisible(not on)
        for button in (self.restore, self.purge):
            button.setVisible(on)
        self.update_state()

    def update_state(self, *_args: object) -> None:
        n = len(self._selected_rows())
        self.selection_label.setText(
            f"{n:,} selected" if n else "Select rows (Shift/Ctrl-click) to act on several"
        )
        for button in self._buttons:
            button.setEnabled(n > 0)

    # -- actions ----------------------------------------------------------------------
    def _run(self, work: Callable[[list[int]], object], done: str) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        self.ctx.tasks.run(
            owner=self,
            fn=lambda _token: work(ids),
            on_success=lambda n: self.selection_label.setText(done.format(n=n)),
            on_error=self.show_error,
        )

    def _on_rescore_clicked(self) -> None:
        customers = self.ctx.services.customers
        self._run(lambda ids: customers.rescore_selected(ids).customers, "Re-scored {n:,}")

    def _on_trash_clicked(self) -> None:
        self._run(self.ctx.services.customers.trash, "Moved {n:,} to the trash")

    def _on_restore_clicked(self) -> None:
        self._run(self.ctx.services.customers.restore, "Restored {n:,}")

    def _on_purge_clicked(self) -> None:
        n = len(self._selected_rows())
        answer = QMessageBox.question(
            self,
            "Delete for good",
            f"Delete {n:,} customers and their history for good? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(self.ctx.services.customers.purge, "Deleted {n:,} for good")

    def _on_add_tags_triggered(self) -> None:
        text, ok = QInputDialog.getText(self, "Add tags", "Tags to add (separate with commas):")
        if ok and text.strip():
            self.change_tags(add=text)

    def _on_remove_tags_triggered(self) -> None:
        text, ok = QInputDialog.getText(
            self, "Remove tags", "Tags to remove (separate with commas):"
        )
        if ok and text.strip():
            self.change_tags(remove=text)

    def change_tags(self, add: str = "", remove: str = "") -> None:
        adding = [t for t in add.replace("|", ",").split(",") if t.strip()]
        removing = [t.strip() for t in remove.replace("|", ",").split(",") if t.strip()]
        customers = self.ctx.services.customers
        self._run(lambda ids: customers.change_tags(ids, adding, removing), "Tags changed on {n:,}")

    def set_lifecycle(self, value: str) -> None:
        customers = self.ctx.services.customers
        self._run(
            lambda ids: customers.set_lifecycle(ids, value),
            f"Lifecycle set to {LIFECYCLE_LABELS[value]} on {{n:,}}",
        )

    def show_error(self, exc: BaseException) -> None:
        if not isinstance(exc, UserFacingError):
            raise exc
        QMessageBox.warning(self, "Customers", str(exc))
