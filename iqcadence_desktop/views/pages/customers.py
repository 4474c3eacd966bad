"""Customers page: the portfolio in a sortable, searchable table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.customer_query import CustomerFilter
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.table_models.customer_table_model import CustomerTableModel

COLUMN_WIDTHS = (260, 60, 90, 140, 100, 100, 100, 100, 80)


class CustomersPage(Page):
    """Every live customer, scored as of today."""

    PAGE_ID = "customers"
    TITLE = "Customers"
    SECTION = "Monitor"
    ICON = "customers"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = CustomerTableModel()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, manager, status, tags…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_filter_text)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(i, width)
        header.setStretchLastSection(True)
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        self.track(ctx.bridge.customers_changed, self.mark_stale)
        self.track(ctx.bridge.config_changed, self.mark_stale)
        self.model.modelReset.connect(self._update_count)

    def refresh(self) -> None:
        super().refresh()
        rows = self.ctx.services.customers.list_customers(CustomerFilter(manager=self.ctx.manager))
        self.model.set_rows(rows)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        self.count_label.setText(f"{shown:,} of {total:,} customers" if shown != total
                                 else f"{total:,} customers")
