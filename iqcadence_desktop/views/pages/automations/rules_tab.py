"""The rules list: sort by any column, filter by words and on/off, switch, edit, delete."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.automations import RuleDTO
from iqcadence_desktop.views.table_models.rules_table_model import SORT_ROLE, RulesTableModel
from iqcadence_desktop.views.widgets.empty_state import TableWithEmptyState

STATES = ("All rules", "On", "Off")
EMPTY = (
    "No alert rules yet.\n\nClick “New rule…” to be told when an account's health drops, it "
    "becomes At Risk, a renewal comes close or nobody has called for a while — in Slack, "
    "Teams, email or your own webhook. “Custom rule…” combines any fields you like."
)
NO_MATCH = "No rule matches the filter. Clear the filter box or choose “All rules”."


class RuleFilter(QSortFilterProxyModel):
    """Words in the name or description, and on/off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = ""
        self.state = STATES[0]
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(  # noqa: N802 (Qt API)
        self, row: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RulesTableModel)
        rule = model.rule(row)
        if self.state != STATES[0] and rule.enabled != (self.state == "On"):
            return False
        text = f"{rule.name} {rule.describe()} {' '.join(c.name for c in rule.channels)}"
        return self.words.lower() in text.lower()

    def set_filter(self, words: str, state: str) -> None:
        self.beginFilterChange()
        self.words, self.state = words.strip(), state
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)


class RulesTab(QWidget):
    """Buttons, filters and the table; the page does the work behind each button.

    Signals:
        new_requested(), custom_requested(), edit_requested(RuleDTO),
        toggle_requested(int, bool), delete_requested(RuleDTO)
    """

    new_requested = Signal()
    custom_requested = Signal()
    edit_requested = Signal(object)
    toggle_requested = Signal(int, bool)
    delete_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RulesTableModel(self)
        self.model.toggle_requested.connect(self.toggle_requested)
        self.proxy = RuleFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._build_table()
        self.holder = TableWithEmptyState(self.table, EMPTY)
        self.proxy.modelReset.connect(self._on_rows_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_bar())
        layout.addWidget(self.holder, 1)

    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("new", "New rule…", self.new_requested.emit),
            ("custom", "Custom rule…", self.custom_requested.emit),
            ("edit", "Edit…", self._on_edit_clicked),
            ("toggle", "Turn off", self._on_toggle_clicked),
            ("delete", "Delete", self._on_delete_clicked),
        ):
            button = QPushButton(text)
            button.setObjectName(f"rule_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.search = QLineEdit()
        self.search.setObjectName("rule_search")
        self.search.setPlaceholderText("Filter rules")
        self.search.setClearButtonEnabled(True)
        self.state = QComboBox()
        self.state.addItems(STATES)
        self.search.textChanged.connect(self._on_filter_changed)
        self.state.currentIndexChanged.connect(self._on_filter_changed)
        bar.addWidget(self.search)
        bar.addWidget(self.state)
        return bar

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("rules_table")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        # Long custom rules wrap instead of being cut off (rule lists are short).
        table.setWordWrap(True)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        table.selectionModel().selectionChanged.connect(self._update_buttons)
        return table

    # -- state -----------------------------------------------------------------------
    def set_rules(self, rules: list[RuleDTO]) -> None:
        chosen = self.selected()
        self.model.set_rules(rules)
        if chosen is not None:
            self.select(chosen.id)
        self._update_buttons()

    def select(self, rule_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole) == rule_id:
                self.table.selectRow(row)
                return

    def selected(self) -> RuleDTO | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.rule(self.proxy.mapToSource(rows[0]).row())

    def _update_buttons(self, *_args: object) -> None:
        rule = self.selected()
        for key in ("edit", "toggle", "delete"):
            self.buttons[key].setEnabled(rule is not None)
        self.buttons["toggle"].setText("Turn on" if rule and not rule.enabled else "Turn off")

    def _on_filter_changed(self, *_args: object) -> None:
        self.proxy.set_filter(self.search.text(), self.state.currentText())
        self._on_rows_changed()

    def _on_rows_changed(self) -> None:
        self.holder.set_empty_text(NO_MATCH if self.model.rowCount() else EMPTY)
        self.holder.setCurrentWidget(
            self.holder.empty_label if self.proxy.rowCount() == 0 else self.table
        )

    def _on_edit_clicked(self) -> None:
        rule = self.selected()
        if rule is not None:
            self.edit_requested.emit(rule)

    def _on_toggle_clicked(self) -> None:
        rule = self.selected()
        if rule is not None:
            self.toggle_requested.emit(rule.id, not rule.enabled)

    def _on_delete_clicked(self) -> None:
        rule = self.selected()
        if rule is not None:
            self.delete_requested.emit(rule)
