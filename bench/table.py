"""Customers table at scale: first paint, sort and filter-as-you-type.

Ours: the Customers page (lean rows from CustomerRowsService into CustomerTableModel,
shown in the frozen-column table). Baseline: a bare QTableView over a plain Python list
of the same rows, preformatted, sorted with list.sort and filtered with a comprehension.
Each timing includes the repaint (processEvents) that follows.

    python -m bench.table [--customers 100000] [--runs 5] [--smoke]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from operator import itemgetter
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from bench.common import Report, measure, parser  # noqa: E402
from iqcadence_desktop.models.db import open_database  # noqa: E402
from iqcadence_desktop.services.container import Services, build_services  # noqa: E402
from iqcadence_desktop.services.customers import CustomerFilter
from iqcadence_desktop.views.bridge import EventBridge  # noqa: E402
from iqcadence_desktop.views.pages.base import PageContext  # noqa: E402
from iqcadence_desktop.views.pages.customers.page import CustomersPage  # noqa: E402
from iqcadence_desktop.views.table_models.customer_columns import COLUMNS  # noqa: E402
from iqcadence_desktop.views.tasks import SyncTaskRunner, TaskRunner  # noqa: E402

SORT_COLUMNS = ("Score", "Name", "MRR", "Manager", "Renewal", "Priority")
KEYSTROKES = ("w", "wo", "won", "wonk", "wonka", "wonk", "won", "wo", "w", "")
Index = QModelIndex | QPersistentModelIndex


class PlainModel(QAbstractTableModel):
    """The floor: rows are tuples of display strings plus one search string."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.all = rows
        self.rows = list(rows)
        self.width = len(rows[0]) - 1 if rows else 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return self.width

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=itemgetter(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def set_filter(self, needle: str) -> None:
        self.beginResetModel()
        self.rows = [r for r in self.all if needle in r[-1]] if needle else list(self.all)
        self.endResetModel()


def build_db(folder: Path, customers: int) -> Services:
    """A sample portfolio, then closed and reopened: a warm file as the app finds it at
    start-up (the bulk insert's write-ahead log checkpointed), not mid-import."""
    db = open_database(folder / "bench.sqlite3")
    build_services(db).customers.load_sample(customers, 8)
    db.close()
    return build_services(open_database(folder / "bench.sqlite3"))


def plain_rows(services: Services) -> list[tuple[str, ...]]:
    rows = services.customers.list_customers(CustomerFilter(trash=None))
    return [tuple(c.text(r) for c in COLUMNS) + (f"{r.name} {r.manager}".casefold(),) for r in rows]


def bench_ours(app: QApplication, ctx: PageContext, report: Report, runs: int) -> None:
    """First paint as the app does it: the page loads in the background (real TaskRunner),
    paints the first screenful as soon as it arrives, then fills in everything."""
    holder: dict[str, CustomersPage] = {}
    total = len(ctx.services.customers.list_customers(CustomerFilter(trash=None)))
    live = PageContext(ctx.services, TaskRunner(), ctx.bridge)
    painted: list[float] = []
    loaded: list[float] = []

    def first_paint() -> None:
        start = time.perf_counter()
        page = CustomersPage(live)
        page.resize(1280, 800)
        page.show()
        page.refresh()
        _pump_until(app, lambda: page.model.rowCount() > 0)
        page.grab()
        painted.append(time.perf_counter() - start)
        holder["page"] = page
        _pump_until(app, lambda: page.model.total_count() == total)
        loaded.append(time.perf_counter() - start)

    for _ in range(runs + 1):  # the first start warms caches and is not counted
        first_paint()
    report.add("ours: first paint (load + model + paint)", painted[1:])
    report.add("ours: every row loaded (background)", loaded[1:])
    page = holder["page"]
    report.add("ours: sort", sort_times(app, page.model, runs))
    report.add("ours: filter per keystroke", keystroke_times(app, page.model.set_filter_text, runs))
    page.close()


def _pump_until(app: QApplication, done: Any, seconds: float = 120.0) -> None:
    deadline = time.perf_counter() + seconds
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("the customers page did not load in time")
        app.processEvents()
        time.sleep(0.001)


def bench_plain(app: QApplication, rows: list[tuple[str, ...]], report: Report, runs: int) -> None:
    holder: dict[str, Any] = {}

    def first_paint() -> None:
        model = PlainModel(rows)
        view = QTableView()
        view.setModel(model)
        view.resize(1280, 800)
        view.show()
        app.processEvents()
        view.grab()
        holder["model"], holder["view"] = model, view

    report.add("bare QTableView: first paint (list ready)", measure(first_paint, runs))
    model = holder["model"]
    report.add("bare QTableView: sort", sort_times(app, model, runs))
    report.add(
        "bare QTableView: filter per keystroke", keystroke_times(app, model.set_filter, runs)
    )


def sort_times(app: QApplication, model: Any, runs: int) -> list[float]:
    times: list[float] = []
    columns = [i for i, c in enumerate(COLUMNS) if c.header in SORT_COLUMNS]
    for column in columns:
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):

            def sort(c: int = column, o: Qt.SortOrder = order) -> None:
                model.sort(c, o)
                app.processEvents()

            times += measure(sort, runs)
    return times


def keystroke_times(app: QApplication, set_text: Any, runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        for text in KEYSTROKES:

            def type_text(t: str = text) -> None:
                set_text(t)
                app.processEvents()

            times += measure(type_text, 1, warmup=False)
    return times


def main(argv: list[str]) -> int:
    p = parser("Customers table: first paint, sort and filter vs a bare QTableView")
    p.add_argument("--customers", type=int, default=100_000)
    args = p.parse_args(argv)
    customers, runs = (300, 1) if args.smoke else (args.customers, args.runs)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="iqc-bench-table-") as folder:
        services = build_db(Path(folder), customers)
        bridge = EventBridge(services.events)
        ctx = PageContext(services, SyncTaskRunner(), bridge)
        report = Report(f"Customers table at {customers:,} customers")
        bench_ours(app, ctx, report, runs)
        bench_plain(app, plain_rows(services), report, runs)
        report.limit("ours: first paint (load + model + paint)", 1.0)
        report.limit("ours: sort", 0.100)
        report.limit("ours: filter per keystroke", 0.100)
        report.ratio("ours: sort", "bare QTableView: sort", 2.0)
        report.ratio("ours: filter per keystroke", "bare QTableView: filter per keystroke", 2.0)
        report.print(args.json)
        bridge.detach()
        services.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
