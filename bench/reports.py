"""Reports: every report for a 10k-customer portfolio with a year of history (≤ 10 s each),
and the At-Risk PDF for 10k rows against a bare reportlab LongTable document of the same
rows built in the same run (≤ 1.3×).

`python -m bench.reports [--smoke] [--runs N] [--db FILE]`; `--db` reuses (or creates and
keeps) the generated portfolio, because generating a year of history takes minutes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.common import Report, measure, parser
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.container import Services, build_services
from iqcadence_desktop.services.reports import REPORT_KINDS, ReportRequest
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds import at_risk as at_risk_report
from iqcadence_desktop.services.reports.model import ReportDocument
from iqcadence_desktop.services.reports.render.format import show
from iqcadence_desktop.services.reports.service import write_document
from iqcadence_desktop.services.system.clock import FixedClock

TODAY = dt.date(2026, 11, 26)


def portfolio(db_file: Path, customers: int, days: int) -> Services:
    fresh = not db_file.exists()
    services = build_services(open_database(db_file), FixedClock(TODAY))
    if fresh:
        print(f"generating {customers} customers with {days} days of history…", file=sys.stderr)
        services.customers.load_sample(customers=customers, days=days, seed=11)
    return services


def request_for(services: Services, kind: str) -> ReportRequest:
    needs = next(k.customer for k in REPORT_KINDS if k.id == kind)
    customer = services.customers.list_customers()[0].id if needs == "required" else None
    return ReportRequest(kind, TODAY, customer_id=customer)


def all_at_risk(services: Services) -> ReportContext:
    """The portfolio with every account put in the At Risk band: a 10k-row At-Risk table."""
    ctx = ReportContext.gather(
        ReportRequest("at-risk", TODAY),
        services.customers,
        services.portfolio,
        services.config,
        services.clock.now(),
    )
    rows = tuple(c._replace(status="at_risk", lifecycle="active") for c in ctx.customers)
    return dataclasses.replace(ctx, customers=rows)


def bare_longtable(doc: ReportDocument, out: Path) -> None:
    """The floor: the same rows as plain strings in one LongTable, nothing else."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import LongTable, SimpleDocTemplate

    from iqcadence_desktop.services.reports.render.fonts import REGULAR, register_base_fonts

    register_base_fonts()
    table = doc.tables()[0]
    width = A4[0] - 72
    total = sum(c.width for c in table.columns)
    data = [
        [c.header for c in table.columns],
        *[[show(v, c.fmt) for v, c in zip(r, table.columns, strict=True)] for r in table.rows],
    ]
    lt = LongTable(data, colWidths=[width * c.width / total for c in table.columns], repeatRows=1)
    lt.setStyle([("FONT", (0, 0), (-1, -1), REGULAR, 7.5)])
    SimpleDocTemplate(str(out), pagesize=A4, leftMargin=36, rightMargin=36).build([lt])


def interleaved(
    ours: Callable[[], object], base: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    """Alternate the two cases run by run, so load on a shared machine hits both alike."""
    a: list[float] = []
    b: list[float] = []
    for i in range(runs):
        a += measure(ours, 1, warmup=i == 0)
        b += measure(base, 1, warmup=i == 0)
    return a, b


def main(argv: list[str]) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, help="portfolio database to reuse or create")
    args = p.parse_args(argv)
    customers, days, runs = (60, 20, 1) if args.smoke else (10_000, 365, args.runs)
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        work = Path(tmp)
        services = portfolio(args.db or work / "portfolio.sqlite3", customers, days)
        report = Report(f"reports ({customers} customers, {days} days of history)")
        for kind in REPORT_KINDS:
            req = request_for(services, kind.id)
            out = work / f"{kind.id}.pdf"
            name = f"{kind.id} PDF"
            report.add(name, measure(lambda r=req, o=out: services.reports.render(r, o), runs))
            report.limit(name, 10.0)
        ctx = all_at_risk(services)
        doc = at_risk_report.build(ctx)
        brand = services.reports.brand()
        rows = len(doc.tables()[0].rows)
        ours, base = f"at-risk {rows} rows (build + PDF)", f"bare LongTable {rows} rows"
        ours_t, base_t = interleaved(
            lambda: write_document(at_risk_report.build(ctx), brand, work / "ours.pdf", "pdf"),
            lambda: bare_longtable(doc, work / "bare.pdf"),
            runs,
        )
        report.add(ours, ours_t)
        report.add(base, base_t)
        report.ratio(ours, base, 1.3)
        report.print(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
