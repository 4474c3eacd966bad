"""The customers table: our own sort and filter over the loaded rows.

QSortFilterProxyModel takes seconds at 100k rows. Here a sort is one `sorted()` over a
cached per-column key list, a filter is one pass over precomputed lowercase search
strings, and only the cells on screen are ever formatted. The model keeps row indices
into the loaded list, so a tab, search or column filter never copies a customer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.scoring import BAND_LABELS
from iqcadence_desktop.views.table_models.customer_columns import (
    COLUMNS,
    MOMENTUM,
    SCORE,
    STATUS,
    TABS,
    in_tab,
    numeric_test,
)
from iqcadence_desktop.views.theme import BAND_COLORS, Color

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
UP, DOWN = QColor(Color.SUCCESS), QColor(Color.DANGER)


class CustomerTableModel(QAbstractTableModel):
    """Customers (live and trashed) shown through a status tab, a search and column filters.

    Signals:
        rows_changed(): the visible rows changed (tab, search, filters or new data).
    """

    IdRole = Qt.ItemDataRole.UserRole + 1
    rows_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._all: list[CustomerDTO] = []
        self._keys: dict[int, list[Any]] = {}
        self._arrays: dict[int, np.ndarray | None] = {}
        self._masks: dict[str, bytes] = {}
        self._counts: dict[str, int] | None = None
        self._tab_order: list[int] | None = None
        self._recent: dict[str, list[int]] = {}  # search text -> rows, for backspacing
        self._search_text: list[str] | None = None
        self._order: list[int] = []
        self._rows: list[int] = []
        self._tab = "all"
        self._needle = ""
        self._column_filters: dict[int, str] = {}
        # A subset chosen elsewhere (a Home KPI card, a data-health finding); a rule, not
        # a list of ids, so it still holds after the rows reload.
        self._only: Callable[[CustomerDTO], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self._bold = QFont()
        self._bold.setBold(True)

    # -- feeding ----------------------------------------------------------------------
    def set_rows(self, rows: Sequence[CustomerDTO]) -> None:
        """Replace every row (live and trashed customers together)."""
        self.beginResetModel()
        self._all = list(rows)
        self._keys.clear()
        self._arrays.clear()
        self._masks.clear()
        self._counts = None
        self._tab_order = None
        self._recent.clear()
        self._search_text = None
        self._order = self._sorted_order()
        self._rows = self._visible()
        self.endResetModel()
        self.rows_changed.emit()

    def set_tab(self, tab: str) -> None:
        if tab not in dict(TABS):
            raise ValueError(f"unknown tab {tab!r}")
        self._tab = tab
        self._tab_order = None
        self._refilter()

    def set_filter_text(self, text: str) -> None:
        needle = " ".join(text.casefold().split())
        if needle == self._needle:
            return
        known = self._recent.get(needle)
        narrowing = bool(self._needle) and self._needle in needle
        self._needle = needle
        self.beginResetModel()
        if known is not None:  # backspacing to a search shown moments ago
            self._rows = known
        elif narrowing:  # every match of the longer text is already visible
            text_of = self._search_strings()
            self._rows = [i for i in self._rows if needle in text_of[i]]
        else:
            self._rows = self._visible()
        self._remember()
        self.endResetModel()
        self.rows_changed.emit()

    def _remember(self) -> None:
        """Keep this search's rows (lists are never changed in place, so sharing is safe)."""
        if len(self._recent) >= 32:
            self._recent.clear()
        self._recent[self._needle] = self._rows

    def set_column_filter(self, column: int, text: str) -> None:
        """Substring for text columns; '>50', '<=10', '=3' for numeric ones ('' clears)."""
        if text.strip():
            self._column_filters[column] = text.strip()
        else:
            self._column_filters.pop(column, None)
        self._refilter()

    def set_only(self, test: Callable[[CustomerDTO], bool] | None) -> None:
        """Show only the customers that pass `test` (None shows everyone again)."""
        self._only = test
        self._refilter()

    def only(self) -> Callable[[CustomerDTO], bool] | None:
        return self._only

    def clear_column_filters(self) -> None:
        self._column_filters.clear()
        self._refilter()

    def column_filters(self) -> dict[int, str]:
        return dict(self._column_filters)

    def _refilter(self) -> None:
        """Recompute from scratch; earlier search results no longer apply."""
        self._recent.clear()
        self.beginResetModel()
        self._rows = self._visible()
        self._remember()
        self.endResetModel()
        self.rows_changed.emit()

    # -- reading ----------------------------------------------------------------------
    def tab(self) -> str:
        return self._tab

    def tab_counts(self) -> dict[str, int]:
        """How many customers each status tab would list with the search, the column
        filters and any chosen subset in force (so a tab's count is what it shows)."""
        if self._needle or self._column_filters or self._only is not None:
            return self._count_tabs(self._filtered_everyone())
        if self._counts is None:
            self._counts = self._count_tabs(range(len(self._all)))
        return dict(self._counts)

    def _count_tabs(self, indices: Iterable[int]) -> dict[str, int]:
        counts = dict.fromkeys(dict(TABS), 0)
        rows = self._all
        for i in indices:
            c = rows[i]
            if c.deleted_at is not None:
                counts["trash"] += 1
                continue
            counts["all"] += 1
            counts[c.status] = counts.get(c.status, 0) + 1
            if c.lifecycle == "churned":
                counts["churned"] += 1
        return counts

    def _filtered_everyone(self) -> list[int]:
        """Every row (any tab) that passes the search, the column filters and the subset."""
        rows: Iterable[int] = range(len(self._all))
        if self._needle:
            text, needle = self._search_strings(), self._needle
            rows = [i for i in rows if needle in text[i]]
        for column, expr in self._column_filters.items():
            test = self._column_test(column, expr)
            rows = [i for i in rows if test(i)]
        if self._only is not None:
            only, every_row = self._only, self._all
            rows = [i for i in rows if only(every_row[i])]
        return list(rows)

    def loaded_count(self) -> int:
        """Every customer loaded, live and trashed, whatever the tab and filters."""
        return len(self._all)

    def total_count(self) -> int:
        """Rows in the current tab before the search and column filters."""
        return self._tab_mask(self._tab).count(1)

    def visible_ids(self) -> list[int]:
        """Ids of the rows shown, in display order (for "export this view")."""
        return [self._all[i].id for i in self._rows]

    def customer_at(self, row: int) -> CustomerDTO:
        return self._all[self._rows[row]]

    # -- filtering and sorting ----------------------------------------------------------
    def _visible(self) -> list[int]:
        """Row indices in sort order that pass the tab, the search and every column filter."""
        if self._tab_order is None:  # cached until the sort, the tab or the data change
            mask = self._tab_mask(self._tab)
            everyone = mask.count(0) == 0
            self._tab_order = self._order if everyone else [i for i in self._order if mask[i]]
        rows = self._tab_order
        if self._needle:
            text, needle = self._search_strings(), self._needle
            rows = [i for i in rows if needle in text[i]]
        for column, expr in self._column_filters.items():
            test = self._column_test(column, expr)
            rows = [i for i in rows if test(i)]
        if self._only is not None:
            only, every_row = self._only, self._all
            rows = [i for i in rows if only(every_row[i])]
        return rows if rows is not self._tab_order else list(rows)

    def _tab_mask(self, tab: str) -> bytes:
        cached = self._masks.get(tab)
        if cached is None:
            cached = self._masks[tab] = bytes(in_tab(tab, c) for c in self._all)
        return cached

    def _column_test(self, column: int, expr: str) -> Callable[[int], bool]:
        col = COLUMNS[column]
        rows = self._all
        if col.numeric:
            keys = self._key_list(column)
            number = numeric_test(expr, col.scale)
            if number is not None:
                return lambda i: number(keys[i])
        needle = expr.casefold()
        return lambda i: needle in col.text(rows[i]).casefold()

    def _search_strings(self) -> list[str]:
        """Name, manager, status, tier and tags of each row, lowercased (built once)."""
        if self._search_text is None:
            self._search_text = [
                f"{c.name} {c.manager or ''} {BAND_LABELS[c.status]} {c.tier or ''} "
                f"{' '.join(c.tags)} {c.lifecycle}".casefold()
                for c in self._all
            ]
        return self._search_text

    def _key_list(self, column: int) -> list[Any]:
        keys = self._keys.get(column)
        if keys is None:
            key = COLUMNS[column].key
            keys = self._keys[column] = [key(c) for c in self._all]
        return keys

    def _number_keys(self, column: int) -> np.ndarray | None:
        """The column's keys as a float array when they are all numbers (else None)."""
        if column not in self._arrays:
            keys = self._key_list(column)
            numeric = all(isinstance(k, int | float) for k in keys[:1]) and bool(keys)
            self._arrays[column] = np.fromiter(keys, float, len(keys)) if numeric else None
        return self._arrays[column]

    def _sorted_order(self) -> list[int]:
        """Row indices in sort order. Stable over rows that arrive ordered by name, so ties
        stay alphabetical; numbers sort with numpy, text with list.sort."""
        column, order = self._sort
        descending = order == Qt.SortOrder.DescendingOrder
        numbers = self._number_keys(column)
        if numbers is not None:
            # Negating keeps ties in their original order, as sorted(reverse=True) does.
            ranked = np.argsort(-numbers if descending else numbers, kind="stable")
            order_list: list[int] = ranked.tolist()
            return order_list
        keys = self._key_list(column)
        return sorted(range(len(self._all)), key=keys.__getitem__, reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        held = [self._rows[i.row()] for i in old]
        self._sort = (column, order)
        self._order = self._sorted_order()
        self._tab_order = None
        self._recent.clear()
        self._rows = self._visible()
        self._move_persistent(old, held)
        self.layoutChanged.emit()

    def _move_persistent(self, old: list[QModelIndex], held: list[int]) -> None:
        """Keep selections and the current row on the same customers after a sort."""
        if not old:
            return
        if len(old) <= 16:  # usually just the current index: a few C-speed scans
            rows = [self._rows.index(c) for c in held]
        else:
            position = {customer: row for row, customer in enumerate(self._rows)}
            rows = [position[c] for c in held]
        self.changePersistentIndexList(
            old, [self.index(r, i.column()) for r, i in zip(rows, old, strict=True)]
        )

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    # -- Qt overrides -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self._all[self._rows[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column].text(c)
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[column].numeric:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(c, column)
        if role == Qt.ItemDataRole.FontRole and column == SCORE:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column == SCORE and c.manual_score:
            until = f" until {c.override_until.isoformat()}" if c.override_until else ""
            return f"Set by hand{until}: {c.override_reason or 'no reason given'}"
        if role == self.IdRole:
            return c.id
        return None

    def _foreground(self, c: CustomerDTO, column: int) -> QColor | None:
        if column in (SCORE, STATUS):
            return QColor(BAND_COLORS[c.status])
        if column == MOMENTUM and c.momentum is not None and abs(c.momentum) >= 0.5:
            return UP if c.momentum > 0 else DOWN
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        col = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.header + (" ▾" if section in self._column_filters else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            hint = (
                f"Filter: {self._column_filters[section]}"
                if section in self._column_filters
                else "Right-click to filter this column"
            )
            return f"{col.tip}\n{hint}" if col.tip else hint
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return RIGHT
        return None
