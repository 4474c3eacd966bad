"""Alerts as a flat list or grouped (by category or customer), with our own sort.

Two levels at most: group rows at the top (internalId 0) and alert rows below them
(internalId = group number + 1). In flat mode every alert is a top-level row. Grouped by
customer, a group row is a summary line for the account (its most serious alert, how
many it has, its MRR), so the list reads one line per account; acting on that line acts
on all of the account's alerts (`alerts_at`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from iqcadence_desktop.services.alerts import (
    CATEGORY_LABELS,
    RULE_LABELS,
    SEVERITY_LABELS,
    SEVERITY_RANK,
    STATE_LABELS,
    Alert,
)
from iqcadence_desktop.views.theme import SEVERITY_COLORS, money

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Severity", "Customer", "Alert", "Category", "Since", "State", "MRR")
SORT_KEYS: tuple[Callable[[Alert], Any], ...] = (
    lambda a: (SEVERITY_RANK[a.severity], -a.priority),
    lambda a: a.customer.casefold(),
    lambda a: a.message,
    lambda a: a.category,
    lambda a: a.since,
    lambda a: a.state,
    lambda a: a.mrr_cents or 0,
)
GROUPINGS: dict[str, Callable[[Alert], str]] = {
    "category": lambda a: CATEGORY_LABELS[a.category],
    "customer": lambda a: a.customer,
}


class AlertTreeModel(QAbstractItemModel):
    """Alerts for a view; `alert_at(index)` gives the Alert behind a row (None for groups)."""

    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self._alerts: list[Alert] = []
        self._grouping: str | None = None
        self._groups: list[tuple[str, list[Alert]]] = []

    def set_alerts(self, alerts: Sequence[Alert], grouping: str | None = None) -> None:
        self.beginResetModel()
        self._alerts, self._grouping = list(alerts), grouping
        self._groups = []
        if grouping is not None:
            key = GROUPINGS[grouping]
            found: dict[str, list[Alert]] = {}
            for a in self._alerts:
                found.setdefault(key(a), []).append(a)
            self._groups = sorted(found.items(), key=_group_order)
        self.endResetModel()

    @property
    def grouping(self) -> str | None:
        return self._grouping

    def alerts_at(self, index: Index) -> list[Alert]:
        """The alert of an alert row, or every alert of a group row."""
        alert = self.alert_at(index)
        if alert is not None:
            return [alert]
        if index.isValid() and self._grouping is not None and index.internalId() == 0:
            return list(self._groups[index.row()][1])
        return []

    def alert_at(self, index: Index) -> Alert | None:
        if not index.isValid():
            return None
        if self._grouping is None:
            return self._alerts[index.row()]
        group = index.internalId()
        return None if group == 0 else self._groups[group - 1][1][index.row()]

    # -- structure -------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or self._grouping is None or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        if not parent.isValid():
            return len(self._alerts) if self._grouping is None else len(self._groups)
        if self._grouping is None or parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self._groups[parent.row()][1])

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return len(HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802 (Qt API)
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    # -- data --------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        alert = self.alert_at(index)
        if alert is None:
            return self._group_data(index, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(alert, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QColor(SEVERITY_COLORS[alert.severity])
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{RULE_LABELS[alert.rule]} — {alert.message}\nAlert id: {alert.id}"
        if role == self.IdRole:
            return alert.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _group_data(self, index: Index, role: int) -> Any:
        name, alerts = self._groups[index.row()]
        if self._grouping == "customer":
            return _account_line(alerts, index.column(), role)
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
            return f"{name} ({len(alerts):,})"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorts alerts (within their groups when grouped); a reset keeps indexes honest."""
        self.beginResetModel()
        reverse = order == Qt.SortOrder.DescendingOrder
        key = SORT_KEYS[column]
        self._alerts.sort(key=key, reverse=reverse)
        for _, alerts in self._groups:
            alerts.sort(key=key, reverse=reverse)
        self.endResetModel()


def _group_order(item: tuple[str, list[Alert]]) -> tuple[int, int, str]:
    """Groups with the most serious alerts first, then the biggest."""
    name, alerts = item
    return min(SEVERITY_RANK[a.severity] for a in alerts), -len(alerts), name.casefold()


def _account_line(alerts: list[Alert], column: int, role: int) -> Any:
    """One account's summary row: its most serious alert stands for the rest."""
    top = min(alerts, key=lambda a: (SEVERITY_RANK[a.severity], -a.priority))
    if role == Qt.ItemDataRole.DisplayRole:
        if column == 2 and len(alerts) > 1:
            return f"{top.message} (+{len(alerts) - 1:,} more)"
        if column == 3:
            return ", ".join(dict.fromkeys(CATEGORY_LABELS[a.category] for a in alerts))
        if column == 4:
            return min(a.since for a in alerts).isoformat()
        return _cell(top, column)
    if role == Qt.ItemDataRole.ForegroundRole and column == 0:
        return QColor(SEVERITY_COLORS[top.severity])
    if role == Qt.ItemDataRole.FontRole and column == 1:
        font = QFont()
        font.setBold(True)
        return font
    if role == Qt.ItemDataRole.ToolTipRole:
        return "\n".join(f"{SEVERITY_LABELS[a.severity]}: {a.message}" for a in alerts)
    if role == Qt.ItemDataRole.TextAlignmentRole and column == 6:
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return None


def _cell(a: Alert, column: int) -> str:
    if column == 0:
        return SEVERITY_LABELS[a.severity]
    if column == 1:
        return a.customer
    if column == 2:
        return a.message
    if column == 3:
        return CATEGORY_LABELS[a.category]
    if column == 4:
        return a.since.isoformat()
    if column == 5:
        until = f" until {a.snoozed_until:%b %d}" if a.snoozed_until else ""
        return STATE_LABELS[a.state] + until
    return money(a.mrr_cents)
