"""Scoring profiles: create, edit, clone, delete, and assign to managers or tiers."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.scoring import TIER_LABELS, TIERS, ProfileDTO
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.common import WeightGrid
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.widgets.common import (
    button_row,
    message_label,
    rows_table,
    selected_rows,
    show_message,
)

ANY_MANAGER = "(no manager chosen)"


class ProfilesSection(QWidget):
    """Profiles on the left; the chosen one's name and weights on the right."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profiles: list[ProfileDTO] = []
        self.editing: int | None = None
        self.model = RowsTableModel(("Profile", "Accounts"))
        self.table = rows_table(self.model, stretch_column=0)
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Profile name")
        self.grid = WeightGrid()
        self.grid.csat_check.setEnabled(False)  # CSAT on/off is a global setting
        self.message = message_label()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(
            button_row([("New", self.new_profile), ("Clone", self.clone), ("Delete", self.delete)])
        )
        right = QVBoxLayout()
        right.addWidget(self.name_edit)
        right.addWidget(self.grid)
        right.addLayout(button_row([("Save profile", self.save)]))
        right.addStretch(1)
        top.addLayout(left, 1)
        top.addLayout(right, 1)
        layout.addLayout(top, 1)
        layout.addWidget(self._assign_group())
        layout.addWidget(self.message)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def _assign_group(self) -> QGroupBox:
        box = QGroupBox("Assign the chosen profile")
        grid = QGridLayout(box)
        self.tier_checks = {t: QCheckBox(TIER_LABELS[t]) for t in TIERS}
        for i, check in enumerate(self.tier_checks.values()):
            grid.addWidget(check, 0, i)
        self.manager_combo = QComboBox()
        grid.addWidget(self.manager_combo, 1, 0, 1, 3)
        self.assign_button = QPushButton("Assign to these tiers / this manager")
        self.assign_button.clicked.connect(self.assign)
        grid.addWidget(self.assign_button, 2, 0, 1, 3)
        return box

    def refresh(self) -> None:
        self.profiles = self.ctx.services.config.profiles()
        self.model.set_rows(
            [(p.name, f"{p.customers:,}") for p in self.profiles], [p.id for p in self.profiles]
        )
        self.manager_combo.clear()
        self.manager_combo.addItems([ANY_MANAGER, *self.ctx.services.customers.managers()])
        self.new_profile()

    def chosen(self) -> ProfileDTO | None:
        rows = selected_rows(self.table)
        return self.profiles[rows[0]] if rows else None

    def new_profile(self) -> None:
        self.table.clearSelection()
        self.editing = None
        self.name_edit.clear()
        config = self.ctx.services.config.current()
        self.grid.set_weights(config.weights, config.csat_enabled)

    def clone(self) -> None:
        profile = self.chosen()
        if profile is None:
            show_message(self.message, "Choose a profile to clone.", error=True)
            return
        self.table.clearSelection()
        self.editing = None
        self.name_edit.setText(f"{profile.name} (copy)")
        self.grid.set_weights(profile.weights, self.ctx.services.config.current().csat_enabled)

    def save(self) -> None:
        try:
            saved = self.ctx.services.config.save_profile(
                self.name_edit.text(), self.grid.weights(), profile_id=self.editing
            )
        except UserFacingError as exc:
            show_message(self.message, str(exc), error=True)
            return
        self.refresh()
        show_message(self.message, f'Saved profile "{saved.name}".')

    def delete(self) -> None:
        profile = self.chosen()
        if profile is None:
            show_message(self.message, "Choose a profile to delete.", error=True)
            return
        self.ctx.services.config.delete_profile(profile.id)
        self.refresh()
        show_message(
            self.message,
            f'Deleted "{profile.name}"; its {profile.customers:,} '
            "accounts use the global weights again.",
        )

    def assign(self) -> None:
        profile = self.chosen()
        if profile is None:
            show_message(self.message, "Choose the profile to assign first.", error=True)
            return
        tiers = [t for t, c in self.tier_checks.items() if c.isChecked()]
        managers = (
            [self.manager_combo.currentText()] if self.manager_combo.currentIndex() > 0 else []
        )
        assignment = self.ctx.services.profile_assignment
        # Off the GUI thread: the accounts are re-scored, seconds at 100k accounts.
        self.assign_button.setEnabled(False)
        show_message(self.message, f'Assigning "{profile.name}" and re-scoring…')
        self.ctx.tasks.run(
            owner=self,
            fn=lambda _token: assignment.assign(profile.id, tiers=tiers, managers=managers),
            on_success=lambda count: self._assigned(profile.name, count),
            on_error=self._assign_failed,
        )

    def _assigned(self, name: str, count: int) -> None:
        self.assign_button.setEnabled(True)
        self.refresh()
        show_message(self.message, f'"{name}" now scores {count:,} more accounts.')

    def _assign_failed(self, exc: BaseException) -> None:
        self.assign_button.setEnabled(True)
        if not isinstance(exc, UserFacingError):
            raise exc
        show_message(self.message, str(exc), error=True)

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        profile = self.chosen()
        if profile is None:
            return
        self.editing = profile.id
        self.name_edit.setText(profile.name)
        self.grid.set_weights(profile.weights, self.ctx.services.config.current().csat_enabled)
