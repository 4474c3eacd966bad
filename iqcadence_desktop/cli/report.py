"""`report KIND --out FILE`: write one of the ten reports as PDF or CSV (S8, S15)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from iqcadence_desktop.cli.context import CommandContext, iso_day

#: The ten report kinds (services.reports.REPORT_KINDS; tests/cli keeps them in step):
#: listed here so that `--help` needs no service import.
KIND_IDS = (
    "portfolio-summary",
    "at-risk",
    "renewal-forecast",
    "csm-performance",
    "segment-analysis",
    "trend-90d",
    "churn-risk",
    "customer-health",
    "score-history",
    "weekly-digest",
)


def register(sub: Any) -> None:
    kinds = [*KIND_IDS, "qbr"]
    p = sub.add_parser(
        "report",
        help="write a report as PDF or CSV",
        description="Kinds: "
        + ", ".join(KIND_IDS)
        + ". `report qbr --customer NAME` makes the business review (--audience customer "
        "or internal).",
    )
    p.add_argument("kind", choices=kinds, metavar="KIND", help="which report (see above)")
    p.add_argument("--out", required=True, type=Path, help="file to write")
    p.add_argument(
        "--format",
        choices=("pdf", "csv"),
        help="pdf or csv (default: from the --out suffix, else pdf)",
    )
    p.add_argument("--customer", metavar="NAME", help="the customer, for one-customer reports")
    p.add_argument("--manager", metavar="NAME", help="only this manager's accounts")
    p.add_argument(
        "--today",
        dest="report_today",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="as-of day (same as the global --today)",
    )
    p.add_argument(
        "--qbr", action="store_true", help="customer-health as a multi-page business review"
    )
    p.add_argument(
        "--audience",
        choices=("customer", "internal"),
        default="customer",
        help="business review for the customer (default: nothing internal in it) or "
        "internal (everything, marked Internal)",
    )
    p.set_defaults(func=cmd_report)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return "csv" if args.out.suffix.lower() == ".csv" else "pdf"


def cmd_report(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.reports import ReportFormat, ReportRequest

    if args.report_today:
        ctx.today = args.report_today  # before the services exist, so the clock agrees
    svc = ctx.services
    as_of = ctx.today or svc.clock.today()
    cid = svc.reports.customer_id(args.customer) if args.customer else None
    qbr = args.qbr or args.kind == "qbr"  # `report qbr` is customer-health --qbr
    kind = "customer-health" if args.kind == "qbr" else args.kind
    request = ReportRequest(kind, as_of, args.manager or None, cid, qbr, args.audience)
    fmt: ReportFormat = "csv" if _format(args) == "csv" else "pdf"
    done = svc.reports.render(request, args.out, fmt)
    size = f"{done.pages:,} pages" if fmt == "pdf" else f"{done.rows:,} rows"
    ctx.emit(
        {
            "kind": kind,
            "audience": args.audience if qbr else None,
            "path": str(done.path),
            "format": fmt,
            "title": done.title,
            "pages": done.pages,
            "rows": done.rows,
            "as_of": as_of,
        },
        f"Wrote {done.title} ({size}) to {done.path}.",
    )
    return 0
