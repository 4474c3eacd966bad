"""Team mode on a local PostgreSQL, each case beside its SQLite baseline in the same run.

* Bulk rescore of N customers (CustomerService.rescore_all as of the next day) on
  PostgreSQL vs the same on SQLite. Target: ≤ 2.5×.
* Customers page first paint over N customers (the real page, background loads, the
  first screenful painted) on PostgreSQL. Target ≤ 300 ms; SQLite shown beside it.
* Sign-in to first window: Argon2 check at its production cost, the main window built,
  shown and painted, signed in as a CSM. Target ≤ 1.5 s; the SQLite window (no sign-in)
  beside it.

The server: --pg-url URL, or $IQCADENCE_BENCH_PG (`make bench` starts a throwaway one).

    python -m bench.team [--customers 100000] [--runs 5] [--smoke] [--pg-url URL]
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.common import Report, measure, parser  # noqa: E402
from iqcadence_desktop.models.db import Database, open_database  # noqa: E402
from iqcadence_desktop.services.container import Services, build_services  # noqa: E402
from iqcadence_desktop.services.system import FixedClock  # noqa: E402
from iqcadence_desktop.services.system.secrets import InMemorySecretStore  # noqa: E402
from iqcadence_desktop.services.team import Role  # noqa: E402
from iqcadence_desktop.views.bridge import EventBridge  # noqa: E402
from iqcadence_desktop.views.main_window import MainWindow  # noqa: E402
from iqcadence_desktop.views.pages.base import PageContext  # noqa: E402
from iqcadence_desktop.views.pages.customers.page import CustomersPage  # noqa: E402
from iqcadence_desktop.views.tasks import TaskRunner  # noqa: E402

TODAY = dt.date(2026, 11, 26)
PG_ENV = "IQCADENCE_BENCH_PG"
BENCH_DB = "iq_bench_team"
PASSWORD = "bench-password-1"


def _services(db: Database, day: dt.date = TODAY) -> Services:
    return build_services(db, FixedClock(day), secrets=InMemorySecretStore())


def _fresh_pg(server: str) -> str:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {BENCH_DB}")
    admin.dispose()
    return make_url(server).set(database=BENCH_DB).render_as_string(hide_password=False)


def _drop_pg(server: str) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    admin.dispose()


def fill(target: str, customers: int) -> None:
    """The same sample portfolio, a team (admin + one CSM of Default) on either database."""
    db = open_database(target)
    services = _services(db)
    services.customers.load_sample(customers, days=2)
    services.team.init_team("admin@bench.io", PASSWORD, "Admin")
    services.team.add_user("csm@bench.io", Role.CSM, PASSWORD, ["Default"], "Casey")
    db.close()


def rescore_cases(targets: dict[str, str], report: Report, runs: int, n: int) -> None:
    """Each run rescores as of a new day: every customer updated, a new snapshot each."""
    day = [TODAY]
    for name, target in targets.items():
        db = open_database(target)

        def run(db: Database = db) -> None:
            day[0] += dt.timedelta(days=1)
            _services(db, day[0]).customers.rescore_all()

        report.add(f"{name}: bulk rescore ({n:,})", measure(run, runs))
        db.close()


def _pump_until(app: QApplication, done: Callable[[], bool], seconds: float = 120.0) -> None:
    deadline = time.perf_counter() + seconds
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("the page did not load in time")
        app.processEvents()
        time.sleep(0.001)


def first_paint_cases(
    app: QApplication, targets: dict[str, str], report: Report, runs: int
) -> None:
    """Page created, first screenful painted; the full read then finishes untimed."""
    for name, target in targets.items():
        db = open_database(target)
        services = _services(db)
        ctx = PageContext(services, TaskRunner(), EventBridge(services.events))
        times: list[float] = []
        for _ in range(runs + 1):  # the first run warms caches and is not counted
            start = time.perf_counter()
            page = CustomersPage(ctx)
            page.resize(1280, 800)
            page.show()
            page.refresh()
            _pump_until(app, lambda page=page: page.model.rowCount() > 0)
            page.grab()
            times.append(time.perf_counter() - start)
            ctx.tasks.wait()
            page.close()
            page.deleteLater()
            app.processEvents()
        report.add(f"{name}: Customers page first paint", times[1:])
        ctx.bridge.detach()
        db.close()


def window_cases(
    app: QApplication, targets: dict[str, str], report: Report, runs: int, folder: Path
) -> None:
    """From the password to a painted window (the sign-in check at the app's cost); the
    pages' background loads then finish untimed."""
    for name, target in targets.items():
        db = open_database(target)
        times: list[float] = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            services = _services(db)
            if name == "postgresql":
                services.team.sign_in("csm@bench.io", PASSWORD)
            ctx = PageContext(services, TaskRunner(), EventBridge(services.events))
            state = QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)
            window = MainWindow(ctx, state)
            window.show()
            app.processEvents()
            window.grab()
            times.append(time.perf_counter() - start)
            ctx.tasks.wait()
            window.close()
            window.deleteLater()
            ctx.bridge.detach()
            app.processEvents()
        label = "sign-in to first window" if name == "postgresql" else "first window"
        report.add(f"{name}: {label}", times[1:])
        db.close()


def main(argv: list[str]) -> int:
    p = parser("Team mode on PostgreSQL beside SQLite: rescore, first paint, sign-in")
    p.add_argument("--customers", type=int, default=100_000)
    p.add_argument("--pg-url", default=os.environ.get(PG_ENV))
    p.add_argument("--only", default="rescore,paint,window", help="cases to run (comma-separated)")
    args = p.parse_args(argv)
    if not args.pg_url:
        print(f"bench.team needs a PostgreSQL server: --pg-url URL or ${PG_ENV}", file=sys.stderr)
        return 2
    n, runs = (300, 1) if args.smoke else (args.customers, args.runs)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="iqc-bench-team-") as folder:
        targets = {
            "postgresql": _fresh_pg(args.pg_url),
            "sqlite": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
        }
        try:
            for target in targets.values():
                fill(target, n)
            report = Report(f"Team mode: PostgreSQL beside SQLite, {n:,} customers")
            only = set(args.only.split(","))
            if "rescore" in only:
                rescore_cases(targets, report, runs, n)
                report.ratio(
                    f"postgresql: bulk rescore ({n:,})", f"sqlite: bulk rescore ({n:,})", 2.5
                )
            if "paint" in only:
                first_paint_cases(app, targets, report, runs)
                report.limit("postgresql: Customers page first paint", 0.300)
            if "window" in only:
                window_cases(app, targets, report, runs, Path(folder))
                report.limit("postgresql: sign-in to first window", 1.5)
            report.print(args.json)
        finally:
            _drop_pg(args.pg_url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
