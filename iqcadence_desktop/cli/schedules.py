"""`schedule add|list|remove`: reports emailed daily, weekly or monthly (S8).

schedule add portfolio-summary --every weekly --day monday --at 07:30 --to a@x.com,b@y.com
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext, json_flag
from iqcadence_desktop.cli.report import KIND_IDS
from iqcadence_desktop.errors import ValidationError

if TYPE_CHECKING:
    from iqcadence_desktop.services.automations import ScheduleDTO

#: Named here so building the parser imports no service (tests/cli keeps it in step).
EVERY = ("daily", "weekly", "monthly")


def register(sub: Any) -> None:
    p = sub.add_parser("schedule", help="email a report daily, weekly or monthly")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="schedule a report",
        description="Reports: " + ", ".join(KIND_IDS),
    )
    add.add_argument("report", metavar="REPORT", choices=KIND_IDS)
    add.add_argument("--every", required=True, choices=EVERY)
    add.add_argument("--at", default="08:00", metavar="HH:MM", help="local time (default 08:00)")
    add.add_argument("--day", help="weekday for weekly (default monday), 1-28 for monthly")
    add.add_argument("--to", required=True, metavar="EMAILS", help="recipients, comma-separated")
    add.add_argument("--via", metavar="CONNECTION", help="email connection (default: the only one)")
    add.add_argument("--format", choices=("pdf", "csv"), default="pdf")
    add.add_argument("--customer", metavar="NAME", help="the customer, for one-customer reports")
    add.add_argument("--manager", metavar="M", help="only this manager's accounts")
    json_flag(add)
    add.set_defaults(func=cmd_add)
    listing = actions.add_parser("list", help="list scheduled reports")
    json_flag(listing)
    listing.set_defaults(func=cmd_list)
    remove = actions.add_parser("remove", help="remove a schedule by its id")
    remove.add_argument("id", type=int)
    json_flag(remove)
    remove.set_defaults(func=cmd_remove)


def _via(ctx: CommandContext, name: str | None) -> int:
    connections = ctx.services.automations.connections
    if name:
        return connections.find(name).id
    emails = [c for c in connections.all() if c.kind == "email"]
    if len(emails) == 1:
        return emails[0].id
    if not emails:
        raise ValidationError(
            "via",
            "Add an email connection first: iqcadence-cli connection add NAME --kind email "
            "--smtp-host H --from ADDRESS --to EMAILS",
        )
    raise ValidationError(
        "via", "Choose the email connection with --via: " + ", ".join(c.name for c in emails)
    )


def cmd_add(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.automations import parse_emails

    services = ctx.services
    customer = services.reports.customer_id(args.customer) if args.customer else None
    schedule = services.automations.schedules.add(
        args.report,
        args.every,
        args.at,
        _via(ctx, args.via),
        parse_emails(args.to),
        args.format,
        args.day,
        customer,
        args.manager,
    )
    ctx.emit(schedule.to_json(), f"Scheduled: {_line(schedule)}")
    return 0


def _line(s: ScheduleDTO) -> str:
    state = "" if s.enabled else " (paused)"
    return (
        f"#{s.id} {s.report_title} ({s.format.upper()}), {s.describe()}, to "
        f"{', '.join(s.recipients)} via {s.connection}; next {s.next_due_at:%Y-%m-%d %H:%M} UTC"
        f"{state}"
    )


def cmd_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    found = ctx.services.automations.schedules.all()
    ctx.emit(
        [s.to_json() for s in found],
        "\n".join(_line(s) for s in found) or "No scheduled reports.",
    )
    return 0


def cmd_remove(ctx: CommandContext, args: argparse.Namespace) -> int:
    ctx.services.automations.schedules.remove(args.id)
    ctx.emit({"removed": args.id}, f"Removed schedule #{args.id}.")
    return 0
