"""The analyst's pages at scale: first paint, a Trends range switch, Segments regrouping.

Data: 10,000 customers with a year of daily snapshots (3.65 M rows), built fast with raw
inserts (bench/analytics_data.py). Ours: each page as the app runs it (real TaskRunner,
background reads), timed from construction to the first picture with its figures in it.
Baselines, in the same run: the bare SQL aggregate behind each page's headline numbers
(raw sqlite3) shown in a bare QTableView over a plain list, or for Trends a bare
pyqtgraph plot of the rollup; for Help, the markdown files set on a bare QTextBrowser.

Targets (issue 18): first paint <= 300 ms per page, a range switch <= 200 ms, regrouping
<= 150 ms. "First paint" is the page with its figures; follow-up reads (the Segments
trend lines and comparison, a manager's detail, the Trends movers) come after it. The
ratios are reported to track drift (<= 10x): a page does several such queries' work
(every account scored live, drill-down ids, the written reading) against one bare query.

    python -m bench.analytics [--customers 10000] [--days 365] [--runs 5] [--smoke]
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView, QTextBrowser, QWidget  # noqa: E402

from bench.analytics_data import TODAY, build  # noqa: E402
from bench.common import Report, measure, parser  # noqa: E402
from bench.table import PlainModel  # noqa: E402
from iqcadence_desktop.paths import resource_path  # noqa: E402
from iqcadence_desktop.services.container import Services  # noqa: E402
from iqcadence_desktop.views.bridge import EventBridge  # noqa: E402
from iqcadence_desktop.views.pages.base import Page, PageContext  # noqa: E402
from iqcadence_desktop.views.pages.calendar.page import CalendarPage  # noqa: E402
from iqcadence_desktop.views.pages.csm_performance.page import CsmPerformancePage  # noqa: E402
from iqcadence_desktop.views.pages.help.page import HelpPage  # noqa: E402
from iqcadence_desktop.views.pages.segments.page import SegmentsPage  # noqa: E402
from iqcadence_desktop.views.pages.trends.page import TrendsPage  # noqa: E402
from iqcadence_desktop.views.tasks import TaskRunner  # noqa: E402

#: Each page and what "painted with its figures" means for it.
PAGES: dict[str, tuple[type[Page], Callable[[Any], bool]]] = {
    "Segments": (SegmentsPage, lambda p: p.model.rowCount() > 0),
    "Trends": (TrendsPage, lambda p: p.view is not None),
    "CSM Performance": (CsmPerformancePage, lambda p: p.leaders.rowCount() > 0),
    "Calendar": (CalendarPage, lambda p: p.view is not None),
    "Help & Guide": (HelpPage, lambda p: bool(p.guide)),
}
RATIO = 10.0
SWITCHES = ("30d", "1yr", "7d", "2yr", "90d", "6mo", "ytd")
GROUPINGS = ("lifecycle", "manager", "tag", "tier")
FIRST_DAY = TODAY.toordinal() - 364
#: The bare aggregates: what a hand-written SQL query for each page's headline would be.
BASE_SQL = {
    "Segments": "SELECT tier, count(*), avg(score), sum(mrr_cents), "
    "sum(status IN ('at_risk','critical')) FROM customers WHERE deleted_at IS NULL "
    "GROUP BY tier",
    "CSM Performance": "SELECT manager, count(*), avg(score), sum(mrr_cents) FROM customers "
    "WHERE deleted_at IS NULL GROUP BY manager",
    "Calendar": "SELECT name, renewal_date, mrr_cents, status FROM customers WHERE "
    "renewal_date BETWEEN '2026-11-01' AND '2026-11-30' OR next_touch BETWEEN "
    "'2026-11-01' AND '2026-11-30'",
    "regroup": "SELECT lifecycle, count(*), avg(score), sum(mrr_cents) FROM customers "
    "WHERE deleted_at IS NULL GROUP BY lifecycle",
}


def pump_until(app: QApplication, done: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.perf_counter() + seconds
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("a page did not load in time")
        app.processEvents()
        time.sleep(0.0005)


def first_paint(app: QApplication, ctx: PageContext, name: str) -> Callable[[], None]:
    cls, ready = PAGES[name]
    held: list[QWidget] = []

    def run() -> None:
        page = cls(ctx)
        page.resize(1280, 800)
        page.show()
        page.refresh()
        pump_until(app, lambda: ready(page))
        page.grab()
        held.append(page)  # closed after timing: teardown is not first paint

    def close() -> None:
        """Untimed: drop the page and let its follow-up reads (trend lines, a manager's
        detail) finish, so each run starts from an idle app."""
        while held:
            held.pop().deleteLater()
        # processEvents() alone leaves deferred deletes (and so the page's pending
        # follow-up timers) alive into the next run.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        ctx.tasks.wait()
        app.processEvents()

    run.close = close  # type: ignore[attr-defined]
    return run


def bench_pages(app: QApplication, ctx: PageContext, report: Report, runs: int) -> None:
    for name in PAGES:
        run = first_paint(app, ctx, name)
        report.add(f"ours: {name} first paint", measure(run, runs, setup=run.close))  # type: ignore[attr-defined]
        run.close()  # type: ignore[attr-defined]
        ctx.tasks.wait()
        app.processEvents()


def bench_switches(app: QApplication, ctx: PageContext, report: Report, runs: int) -> None:
    trends = TrendsPage(ctx)
    trends.resize(1280, 800)
    trends.show()
    trends.refresh()
    pump_until(app, lambda: trends.view is not None)
    drawn, settled = [], []
    for _ in range(runs):
        for key in SWITCHES:
            start = time.perf_counter()
            trends.set_range(key)
            pump_until(app, lambda k=key: _drawn(trends, k))
            trends.grab()
            drawn.append(time.perf_counter() - start)
            pump_until(app, lambda: not trends.busy.is_busy())
            settled.append(time.perf_counter() - start)
    report.add("ours: Trends range switch", drawn)
    report.add("ours: range switch, movers listed too", settled)
    segments = SegmentsPage(ctx)
    segments.resize(1280, 800)
    segments.show()
    segments.refresh()
    pump_until(app, lambda: segments.base is not None and segments.base.trend is not None)
    times = []
    for _ in range(runs):
        for key in GROUPINGS:
            start = time.perf_counter()
            segments.grouping.setCurrentIndex(segments.grouping.findData(key))
            segments.grab()
            times.append(time.perf_counter() - start)
    report.add("ours: Segments regrouping", times)
    ctx.tasks.wait()


def _drawn(page: TrendsPage, key: str) -> bool:
    """The chart shows the new range (the movers table follows a moment later)."""
    return page.view is not None and page.view.request.range_key == key


def table_baseline(app: QApplication, path: Path, sql: str) -> Callable[[], None]:
    def run() -> None:
        con = sqlite3.connect(path)
        rows = [tuple(str(v) for v in r) + ("",) for r in con.execute(sql)]
        con.close()
        view = QTableView()
        view.setModel(PlainModel(rows))
        view.resize(1280, 800)
        view.show()
        app.processEvents()
        view.grab()
        view.deleteLater()

    return run


def plot_baseline(app: QApplication, path: Path, first: int) -> Callable[[], None]:
    def run() -> None:
        con = sqlite3.connect(path)
        rows = con.execute(
            "SELECT day, avg_score FROM portfolio_daily WHERE manager = '' AND day >= ? "
            "ORDER BY day",
            (first,),
        ).fetchall()
        con.close()
        plot = pg.PlotWidget(background="w")
        plot.resize(1280, 500)
        plot.plot([r[0] for r in rows], [r[1] for r in rows])
        plot.show()
        app.processEvents()
        plot.grab()
        plot.deleteLater()

    return run


def help_baseline(app: QApplication) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in resource_path("help").glob("*.md"))
    view = QTextBrowser()
    view.setMarkdown(text)
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    view.grab()
    view.deleteLater()


def bench_baselines(app: QApplication, path: Path, report: Report, runs: int) -> None:
    for name in ("Segments", "CSM Performance", "Calendar"):
        report.add(
            f"baseline: {name} SQL + bare table",
            measure(table_baseline(app, path, BASE_SQL[name]), runs),
        )
    report.add(
        "baseline: Trends rollup + bare plot",
        measure(plot_baseline(app, path, TODAY.toordinal() - 89), runs),
    )
    report.add("baseline: Help markdown + bare browser", measure(lambda: help_baseline(app), runs))
    report.add(
        "baseline: range switch (rollup + plot)", measure(plot_baseline(app, path, FIRST_DAY), runs)
    )
    report.add(
        "baseline: regroup (SQL + bare table)",
        measure(table_baseline(app, path, BASE_SQL["regroup"]), runs),
    )


def checks(report: Report) -> None:
    pairs = {
        "Segments": "baseline: Segments SQL + bare table",
        "Trends": "baseline: Trends rollup + bare plot",
        "CSM Performance": "baseline: CSM Performance SQL + bare table",
        "Calendar": "baseline: Calendar SQL + bare table",
        "Help & Guide": "baseline: Help markdown + bare browser",
    }
    for name, baseline in pairs.items():
        report.limit(f"ours: {name} first paint", 0.300)
        report.ratio(f"ours: {name} first paint", baseline, RATIO)
    report.limit("ours: Trends range switch", 0.200)
    report.ratio("ours: Trends range switch", "baseline: range switch (rollup + plot)", RATIO)
    report.limit("ours: Segments regrouping", 0.150)
    report.ratio("ours: Segments regrouping", "baseline: regroup (SQL + bare table)", RATIO)


def main(argv: list[str]) -> int:
    p = parser("Analyst's pages: first paint, range switch and regrouping vs bare baselines")
    p.add_argument("--customers", type=int, default=10_000)
    p.add_argument("--days", type=int, default=365)
    args = p.parse_args(argv)
    customers, days, runs = (200, 30, 1) if args.smoke else (args.customers, args.days, args.runs)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="iqc-bench-analytics-") as folder:
        path = Path(folder) / "bench.sqlite3"
        started = time.perf_counter()
        services: Services = build(path, customers, days)
        print(
            f"built {customers:,} customers x {days} days in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        bridge = EventBridge(services.events)
        ctx = PageContext(services, TaskRunner(), bridge)
        report = Report(f"Analyst's pages at {customers:,} customers x {days} days")
        bench_pages(app, ctx, report, runs)
        bench_switches(app, ctx, report, runs)
        bench_baselines(app, path, report, runs)
        checks(report)
        report.print(args.json)
        ctx.tasks.wait()
        bridge.detach()
        services.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
