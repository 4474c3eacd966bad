"""Customers page: the portfolio by status tab, searchable, filterable, with bulk actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from iqcadence_desktop.services.customers import CustomerDTO, CustomerFilter
from iqcadence_desktop.services.scoring import BAND_LABELS
from iqcadence_desktop.views.customer_detail.window import open_customer_detail
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.customers.bulk import BulkActionBar
from iqcadence_desktop.views.pages.customers.custom_filter import CustomFieldFilterButton
from iqcadence_desktop.views.pages.customers.export import ExportViewButton
from iqcadence_desktop.views.pages.customers.frozen_table import FrozenTableView
from iqcadence_desktop.views.table_models.customer_columns import COLUMNS, TABS
from iqcadence_desktop.views.table_models.customer_table_model import CustomerTableModel
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.widgets.empty_state import EmptyState

TAB_KEYS = [key for key, _ in TABS]
#: Rows read first on an empty table, so it paints at once even at 100k customers.
FIRST_SCREEN = 200


class CustomersPage(Page):
    """Every customer, scored as of today, in status tabs; live and trashed."""

    PAGE_ID = "customers"
    TITLE = "Customers"
    SECTION = "Monitor"
    ICON = "customers"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._load_generation = 0
        # While only the first screenful is shown, counts would mislead: hide them.
        self._partial = False
        self._complete = False
        self.model = CustomerTableModel()
        self.table = FrozenTableView(self.model, [c.width for c in COLUMNS])
        self.tabs = self._build_tabs()
        self.search = self._build_search()
        self.bulk = BulkActionBar(ctx, self.table.selected_rows, self.model.customer_at, self)
        self.filters_label = QLabel()
        self.filters_label.setProperty("role", "muted")
        self.clear_filters = QPushButton("Clear column filters")
        self.clear_filters.clicked.connect(self._on_clear_filters_clicked)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        self.export = ExportViewButton(ctx, self.model.visible_ids, self.count_label.setText)
        self.custom_filter = CustomFieldFilterButton()
        self.custom_filter.filter_chosen.connect(self._on_custom_filter_chosen)
        self.only_label = QLabel()
        self.only_bar = self._build_only_bar()
        self.empty = EmptyState()
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)
        self._build_layout()
        self._connect()

    # -- building ---------------------------------------------------------------------
    def _build_tabs(self) -> QTabBar:
        tabs = QTabBar()
        tabs.setObjectName("status_tabs")
        tabs.setExpanding(False)
        tabs.setDrawBase(False)
        tabs.setUsesScrollButtons(True)
        for _key, label in TABS:
            tabs.addTab(label)
        return tabs

    def _build_search(self) -> QLineEdit:
        search = QLineEdit()
        search.setObjectName("customer_search")
        search.setPlaceholderText("Search customers…")
        search.setToolTip("Matches name, manager, status, tier, tags and lifecycle")
        search.setClearButtonEnabled(True)
        search.setMinimumWidth(220)
        search.setMaximumWidth(360)
        return search

    def _build_only_bar(self) -> QWidget:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.only_label, 1)
        show_all = QPushButton("Show everyone")
        show_all.clicked.connect(self._on_only_cleared)
        row.addWidget(show_all)
        bar.hide()
        return bar

    def _build_layout(self) -> None:
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.search)
        top.addWidget(self.custom_filter)
        top.addWidget(self.export)
        filters = QHBoxLayout()
        filters.addWidget(self.filters_label, 1)
        filters.addWidget(self.clear_filters)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs)
        layout.addWidget(self.bulk)
        layout.addWidget(self.only_bar)
        layout.addLayout(filters)
        layout.addWidget(self.table_stack, 1)
        layout.addWidget(self.count_label)

    def _connect(self) -> None:
        self.search.textChanged.connect(self.model.set_filter_text)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.model.rows_changed.connect(self._on_model_rows_changed)
        self.model.layoutChanged.connect(self.bulk.update_state)
        self.table.frozen.selectionModel().selectionChanged.connect(self.bulk.update_state)
        self.table.row_activated.connect(self._on_table_row_activated)
        for header in self.table.headers():
            header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            header.customContextMenuRequested.connect(
                lambda pos, h=header: self._on_header_menu_requested(
                    h.logicalIndexAt(pos), h.mapToGlobal(pos)
                )
            )
        self.track(self.ctx.bridge.customers_changed, self.mark_stale)
        self.track(self.ctx.bridge.config_changed, self.mark_stale)
        self._on_model_rows_changed()

    # -- loading ----------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        self._load_generation += 1
        generation, manager = self._load_generation, self.ctx.manager
        customers = self.ctx.services.customers
        everyone = CustomerFilter(manager=manager, trash=None)  # the Trash tab needs them too
        self.custom_filter.set_fields(self.ctx.services.custom_fields.fields())
        self.count_label.setText("Loading customers…")
        if self.model.total_count() == 0:
            # Nothing on screen yet: paint the first screenful at once, then the rest.
            self.ctx.tasks.run(
                owner=self,
                lane=Lane.READ,
                fn=lambda _token: customers.list_customers(everyone, first=FIRST_SCREEN),
                on_success=lambda rows: self._on_first_rows(generation, rows),
                on_error=self.bulk.show_error,
            )
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=lambda _token: customers.list_customers(everyone),
            on_success=lambda rows: self._on_rows_loaded(generation, rows),
            on_error=self.bulk.show_error,
        )

    def _on_first_rows(self, generation: int, rows: list[CustomerDTO]) -> None:
        if generation == self._load_generation and not self._complete:
            self._partial = True
            self.model.set_rows(rows)

    def _on_rows_loaded(self, generation: int, rows: list[CustomerDTO]) -> None:
        if generation == self._load_generation:  # a newer load supersedes this one
            self._partial, self._complete = False, True
            self.model.set_rows(rows)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_navigation(self, params: dict[str, object]) -> None:
        """Show what another page asked for.

        {"status": "at_risk"} picks that tab; {"search": "acme"} sets the search box;
        {"ids": [...]}, {"customer_id": n}, {"statuses": [...]} and
        {"renewal_within_days": n} narrow the list to that subset (a bar above the table
        says so, in the words of {"label": text} when given, and clears it);
        {"manager": name} is already applied by the manager filter.
        """
        status = params.get("status")
        if isinstance(status, str) and status in TAB_KEYS:
            self.tabs.setCurrentIndex(TAB_KEYS.index(status))
        search = params.get("search")
        if isinstance(search, str):
            self.search.setText(search)
        subset = self._subset_from(params)
        if subset is not None:
            if status is None:
                self.tabs.setCurrentIndex(TAB_KEYS.index("all"))
            self.model.set_only(subset[0])
            label = params.get("label")
            self.only_label.setText(label if isinstance(label, str) and label else subset[1])
        self.only_bar.setVisible(self.model.only() is not None)

    def _subset_from(
        self, params: dict[str, object]
    ) -> tuple[Callable[[CustomerDTO], bool], str] | None:
        ids, one = params.get("ids"), params.get("customer_id")
        statuses, within = params.get("statuses"), params.get("renewal_within_days")
        if isinstance(ids, list | tuple):
            chosen = frozenset(int(i) for i in ids)
            return (lambda c: c.id in chosen), f"Showing {len(chosen):,} chosen accounts."
        if isinstance(one, int):
            return (lambda c: c.id == one), "Showing one account."
        if isinstance(statuses, list | tuple):
            wanted = {str(s) for s in statuses}
            names = " or ".join(BAND_LABELS.get(s, s) for s in sorted(wanted))
            return (lambda c: c.status in wanted), f"Showing {names} accounts."
        if isinstance(within, int):
            return (
                lambda c: c.days_until_renewal is not None and 0 <= c.days_until_renewal <= within,
                f"Showing renewals in the next {within} days.",
            )
        return None

    def _on_custom_filter_chosen(self, test: Callable[[CustomerDTO], bool], text: str) -> None:
        self.model.set_only(test)
        self.only_label.setText(text)
        self.only_bar.show()

    def _on_only_cleared(self) -> None:
        self.model.set_only(None)
        self.only_bar.hide()

    # -- slots ------------------------------------------------------------------------
    def _on_tabs_current_changed(self, index: int) -> None:
        self.model.set_tab(TAB_KEYS[index])

    def _on_model_rows_changed(self) -> None:
        counts = self.model.tab_counts()
        for i, (key, label) in enumerate(TABS):
            text = label if self._partial else f"{label}  {counts[key]:,}"
            if self.tabs.tabText(i) != text:  # typing must not relayout the tab bar
                self.tabs.setTabText(i, text)
        shown, total = self.model.rowCount(), self.model.total_count()
        if self._partial:
            self.count_label.setText(f"Showing the first {total:,} by name; loading the rest…")
        else:
            self.count_label.setText(
                f"Showing {shown:,} of {total:,}" if shown != total else f"{total:,} customers"
            )
        active = self.model.column_filters()
        self.filters_label.setText(
            "Column filters: "
            + " · ".join(f"{COLUMNS[c].header} {e}" for c, e in sorted(active.items()))
            if active
            else "Right-click a column header to filter by it (numbers take >, <, =)."
        )
        self.clear_filters.setVisible(bool(active))
        self.bulk.set_trash_mode(self.model.tab() == "trash")
        self._show_empty_state(shown)

    def _show_empty_state(self, shown: int) -> None:
        """An empty table says why and offers the next step."""
        if shown or self._partial or not self._complete:
            self.table_stack.setCurrentWidget(self.table)
            return
        if not self.model.loaded_count():
            self.empty.show_message(
                "No customers yet",
                "Bring in a spreadsheet or CRM export, score an account by hand, or load "
                "the sample portfolio from Home Base to look around.",
                [
                    ("Import a CSV file…", lambda: self._go("import_export")),
                    ("Score a customer…", lambda: self._go("score_customer")),
                    ("Go to Home Base", lambda: self._go("home")),
                ],
            )
        elif self.model.total_count():
            self.empty.show_message(
                "No customer matches",
                "Nothing in this tab matches the search and filters in force.",
                [("Clear the search and filters", self.clear_search_and_filters)],
            )
        else:
            label = dict(TABS)[self.model.tab()]
            self.empty.show_message(
                f"No {label.lower()} customers",
                "This tab is empty for now; the All tab lists everyone.",
                [("Show all customers", lambda: self.tabs.setCurrentIndex(0))],
            )
        self.table_stack.setCurrentWidget(self.empty)

    def _go(self, page_id: str) -> None:
        self.navigation_requested.emit(page_id, {})

    def clear_search_and_filters(self) -> None:
        self.search.clear()
        self._on_only_cleared()
        self.model.clear_column_filters()

    def _on_table_row_activated(self, row: int) -> None:
        customer_id = self.model.customer_at(row).id
        self.customer_open_requested.emit(customer_id)
        open_customer_detail(self.ctx, customer_id, self)

    def _on_clear_filters_clicked(self) -> None:
        self.model.clear_column_filters()

    def _on_header_menu_requested(self, column: int, at: QPoint) -> None:
        if column < 0:
            return
        menu = self._column_menu(column)
        menu.popup(at)

    def _column_menu(self, column: int) -> QMenu:
        """A menu with a filter box for one column (Enter applies, empty clears)."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor = QLineEdit(self.model.column_filters().get(column, ""))
        col = COLUMNS[column]
        editor.setPlaceholderText("e.g. >50, <=10" if col.numeric else f"{col.header} contains…")

        def apply() -> None:
            self.apply_column_filter(column, editor.text())
            menu.close()

        editor.returnPressed.connect(apply)
        box = QWidgetAction(menu)
        box.setDefaultWidget(editor)
        menu.addSection(f"Filter {col.header}")
        menu.addAction(box)
        menu.addAction("Clear this filter", lambda: self.apply_column_filter(column, ""))
        menu.addAction("Clear all column filters", self.model.clear_column_filters)
        return menu

    def apply_column_filter(self, column: int, text: str) -> None:
        self.model.set_column_filter(column, text)
