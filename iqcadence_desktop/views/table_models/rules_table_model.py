"""The alert rules list: a switch per rule, sortable columns, a sort key per cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from iqcadence_desktop.services.automations import RuleDTO

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RULE_ROLE = Qt.ItemDataRole.UserRole
HEADERS = ("On", "Name", "Watches for", "Accounts", "Timing", "Sends to", "Fired", "Last fired")
_Index = QModelIndex | QPersistentModelIndex


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "never"
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


class RulesTableModel(QAbstractTableModel):
    """One row per rule; ticking the first column asks for the rule to be switched.

    Signals:
        toggle_requested(int, bool): the user ticked or unticked a rule (id, on).
    """

    toggle_requested = Signal(int, bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rules: list[RuleDTO] = []

    def set_rules(self, rules: Sequence[RuleDTO]) -> None:
        self.beginResetModel()
        self._rules = list(rules)
        self.endResetModel()

    def rule(self, row: int) -> RuleDTO:
        return self._rules[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rules)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, col = self._rules[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if r.enabled else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return r.describe()
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == RULE_ROLE:
            return r.id
        return None

    @staticmethod
    def _text(r: RuleDTO, col: int) -> str | None:
        texts = (
            None,
            r.name,
            r.describe(),
            r.manager or "All managers",
            r.timing_label,
            ", ".join(c.name for c in r.channels),
            f"{r.fired:,}",
            _when(r.last_fired_at),
        )
        return texts[col]

    @staticmethod
    def _sort_key(r: RuleDTO, col: int) -> Any:
        if col == 0:
            return int(r.enabled)
        if col == 6:
            return r.fired
        if col == 7:
            return "" if r.last_fired_at is None else r.last_fired_at.isoformat()
        return (RulesTableModel._text(r, col) or "").lower()

    def setData(  # noqa: N802 (Qt API)
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        self.toggle_requested.emit(self._rules[index.row()].id, on)
        return True

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None
