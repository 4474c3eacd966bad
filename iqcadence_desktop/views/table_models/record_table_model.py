"""A sortable, read-only table model over a list of records (NamedTuples, DTOs).

Each column says how a record reads (text), sorts, aligns, colours and explains itself;
pages declare their columns and hand over records. `RECORD_ROLE` returns the record of a
row, so a view's click handler needs no index bookkeeping. An optional check column lets
the user pick rows (the Segments comparison).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

RECORD_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """How one column shows a record."""

    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None  # default: the text
    numeric: bool = False  # right-aligned
    tip: Callable[[Any], str] | None = None
    color: Callable[[Any], str | None] | None = None  # a theme colour, or None
    header_tip: str = ""


def _sort_key(value: Any) -> tuple[int, Any]:
    """None always sorts last in ascending order."""
    return (1, 0) if value is None else (0, value)


class RecordTableModel(QAbstractTableModel):
    """Rows of records shown through Column specs; sortable by any column.

    Signals:
        checks_changed(): the set of checked rows changed (check column only).
    """

    checks_changed = Signal()

    def __init__(
        self,
        columns: Sequence[Column],
        check_key: Callable[[Any], object] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._check_key = check_key
        self.checked: set[object] = set()

    # -- data in ---------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Swap the column specs (same headers, another format) and redraw."""
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def record(self, row: int) -> Any:
        return self._rows[row]

    def set_checked(self, keys: set[object]) -> None:
        self.checked = set(keys)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))
        self.checks_changed.emit()

    # -- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0 and self._check_key is not None:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == RECORD_ROLE:
            return record
        if role == SORT_ROLE:
            return (column.sort or column.text)(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tip is not None:
            return column.tip(record) or None
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            color = column.color(record)
            return None if color is None else QColor(color)
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0 and self._check_key:
            chosen = self._check_key(record) in self.checked
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or self._check_key is None:
            return False
        if not index.isValid() or index.column() != 0:
            return False
        key = self._check_key(self._rows[index.row()])
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.checked.add(key)
        else:
            self.checked.discard(key)
        self.dataChanged.emit(index, index, [role])
        self.checks_changed.emit()
        return True

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:  # noqa: N802 (Qt API)
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[section].header_tip:
            return self._columns[section].header_tip
        if role == Qt.ItemDataRole.TextAlignmentRole and self._columns[section].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        spec = self._columns[column]
        key = spec.sort or spec.text
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        held = [self._rows[i.row()] for i in old]
        descending = order == Qt.SortOrder.DescendingOrder
        present = [r for r in self._rows if key(r) is not None]
        missing = [r for r in self._rows if key(r) is None]
        present.sort(key=lambda r: _sort_key(key(r)), reverse=descending)
        self._rows = present + missing  # blanks last either way
        where = {id(r): i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(where[id(r)], i.column()) for i, r in zip(old, held, strict=True)]
        )
        self.layoutChanged.emit()
