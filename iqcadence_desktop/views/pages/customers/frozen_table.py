"""A table whose first column stays put while the others scroll sideways.

Two QTableViews share one model and one selection model: the left one shows only the
first column, the right one every other column. Their vertical scroll bars move
together and a click on either header sorts both, so to the user it is one table.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QTableView, QWidget

ROW_HEIGHT = 24


class _View(QTableView):
    """A table view that reports Enter/Return as an activation of the current row."""

    enter_pressed = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_pressed.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class FrozenTableView(QWidget):
    """Column 0 frozen on the left; rows selected with Shift/Ctrl like any table.

    Signals:
        row_activated(int): a row was double-clicked or Enter was pressed on it.
    """

    row_activated = Signal(int)

    def __init__(
        self, model: QAbstractItemModel, widths: list[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.frozen = _View()
        self.body = _View()
        for view in (self.frozen, self.body):
            self._setup(view, model)
        self.body.setSelectionModel(self.frozen.selectionModel())
        self.frozen.setColumnWidth(0, widths[0])
        self.frozen.setFixedWidth(widths[0] + 2)
        self.frozen.horizontalHeader().setStretchLastSection(True)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Both views keep a bottom scroll bar so their viewports are the same height.
        for view in (self.frozen, self.body):
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        for column in range(1, model.columnCount()):
            self.frozen.setColumnHidden(column, True)
            self.body.setColumnWidth(column, widths[column] if column < len(widths) else 90)
        self.body.setColumnHidden(0, True)
        self._link_scrolling()
        self._link_sorting()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.frozen)
        layout.addWidget(self.body, 1)

    def _setup(self, view: _View, model: QAbstractItemModel) -> None:
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setAlternatingRowColors(True)
        # Qt's default indicator is descending; start A→Z like the model.
        view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setHighlightSections(False)
        view.doubleClicked.connect(self._on_view_activated)
        view.enter_pressed.connect(self._on_view_activated)

    def _link_scrolling(self) -> None:
        left, right = self.frozen.verticalScrollBar(), self.body.verticalScrollBar()
        right.valueChanged.connect(left.setValue)
        left.valueChanged.connect(right.setValue)

    def _link_sorting(self) -> None:
        left, right = self.frozen.horizontalHeader(), self.body.horizontalHeader()
        left.sortIndicatorChanged.connect(
            lambda col, order: self._mirror_indicator(right, col, order)
        )
        right.sortIndicatorChanged.connect(
            lambda col, order: self._mirror_indicator(left, col, order)
        )

    @staticmethod
    def _mirror_indicator(header: QHeaderView, column: int, order: Qt.SortOrder) -> None:
        if header.sortIndicatorSection() != column or header.sortIndicatorOrder() != order:
            header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(False)

    def _on_view_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.row_activated.emit(index.row())

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.frozen.selectionModel().selectedRows())

    def headers(self) -> tuple[QHeaderView, QHeaderView]:
        return self.frozen.horizontalHeader(), self.body.horizontalHeader()
