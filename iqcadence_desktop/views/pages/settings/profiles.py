"""Scoring profiles: create, edit, clone, delete, and the rules that assign them.

A rule gives every account whose tier, manager or tag matches a profile (the first
matching rule wins); a profile chosen on a customer by hand wins over every rule.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.scoring import TIER_LABELS, TIERS, ProfileDTO, ProfileRuleDTO
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
        self.rules: list[ProfileRuleDTO] = []
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
        box = QGroupBox("Profiles by rule")
        grid = QGridLayout(box)
        hint = QLabel(
            "Accounts get the profile of the first rule they match, on import, on every "
            "edit and on a rescore; a profile chosen on a customer by hand wins."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        grid.addWidget(hint, 0, 0, 1, 3)
        self.rule_list = QListWidget()
        self.rule_list.setObjectName("profile_rules")
        self.rule_list.setMaximumHeight(96)
        grid.addWidget(self.rule_list, 1, 0, 1, 3)
        self.tier_checks = {t: QCheckBox(TIER_LABELS[t]) for t in TIERS}
        for i, check in enumerate(self.tier_checks.values()):
            grid.addWidget(check, 2, i)
        self.manager_combo = QComboBox()
        grid.addWidget(self.manager_combo, 3, 0, 1, 2)
        self.tag_edit = QLineEdit()
        self.tag_edit.setPlaceholderText("or a tag, e.g. vip")
        grid.addWidget(self.tag_edit, 3, 2)
        self.assign_button = QPushButton("Add rules: these tiers / manager / tag → chosen profile")
        self.assign_button.clicked.connect(self.assign)
        grid.addWidget(self.assign_button, 4, 0, 1, 2)
        self.remove_rule_button = QPushButton("Remove the selected rule")
        self.remove_rule_button.clicked.connect(self.remove_rule)
        grid.addWidget(self.remove_rule_button, 4, 2)
        return box

    def refresh(self) -> None:
        self.profiles = self.ctx.services.config.profiles()
        self.model.set_rows(
            [(p.name, f"{p.customers:,}") for p in self.profiles], [p.id for p in self.profiles]
        )
        self.manager_combo.clear()
        self.manager_combo.addItems([ANY_MANAGER, *self.ctx.services.customers.managers()])
        self.rules = self.ctx.services.profile_rules.rules()
        self.rule_list.clear()
        self.rule_list.addItems([f"{i + 1}. {r.text()}" for i, r in enumerate(self.rules)])
        if not self.rules:
            self.rule_list.addItem("No rules yet: every account uses the global weights.")
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
        """Add rules sending the checked tiers, the chosen manager and the tag to the
        chosen profile, then save every rule (accounts are rescored in the background)."""
        profile = self.chosen()
        if profile is None:
            show_message(self.message, "Choose the profile the rules point to first.", error=True)
            return
        wanted: list[tuple[str, str]] = [
            ("tier", str(t)) for t, c in self.tier_checks.items() if c.isChecked()
        ]
        if self.manager_combo.currentIndex() > 0:
            wanted.append(("manager", self.manager_combo.currentText()))
        if self.tag_edit.text().strip():
            wanted.append(("tag", self.tag_edit.text().strip()))
        if not wanted:
            show_message(self.message, "Tick a tier, choose a manager or type a tag.", True)
            return
        kept = [
            (r.field, r.value, r.profile_id)
            for r in self.rules
            if (r.field, r.value.casefold()) not in {(f, v.casefold()) for f, v in wanted}
        ]
        self._save_rules(kept + [(f, v, profile.id) for f, v in wanted], profile.name)

    def remove_rule(self) -> None:
        row = self.rule_list.currentRow()
        if not 0 <= row < len(self.rules):
            show_message(self.message, "Choose the rule to remove.", error=True)
            return
        kept = [(r.field, r.value, r.profile_id) for i, r in enumerate(self.rules) if i != row]
        self._save_rules(kept, None)

    def _save_rules(self, rules: list[tuple[str, str, int]], name: str | None) -> None:
        service = self.ctx.services.profile_rules
        # Off the GUI thread: the accounts are re-scored, seconds at 100k accounts.
        self.assign_button.setEnabled(False)
        show_message(self.message, "Saving the rules and re-scoring…")
        self.ctx.tasks.run(
            owner=self,
            fn=lambda _token: service.save_rules(rules),
            on_success=lambda count: self._assigned(name, count),
            on_error=self._assign_failed,
        )

    def _assigned(self, name: str | None, count: int) -> None:
        self.assign_button.setEnabled(True)
        self.refresh()
        moved = f"{count:,} account{'s' if count != 1 else ''}"
        show_message(
            self.message,
            f'Rules saved: {moved} now {"uses" if count == 1 else "use"} "{name}".'
            if name
            else f"Rules saved: {moved} changed profile.",
        )

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
