"""`alerts`: list current alerts; `alerts snooze|dismiss|wake ID ...` act on them."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext, iso_day

if TYPE_CHECKING:
    from iqcadence_desktop.services.alerts import Alert

ACTIONS = ("snooze", "dismiss", "wake")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "alerts",
        help="list current alerts, or snooze / dismiss / wake them",
        description="Without an action: list the alerts as of --today. "
        "With one: snooze, dismiss or wake the alerts with these ids.",
    )
    p.add_argument("action", nargs="?", choices=ACTIONS, help="what to do with the ids")
    p.add_argument("ids", nargs="*", metavar="ID", help='alert ids, e.g. "42:tickets:open_tickets"')
    p.add_argument("--days", type=int, default=7, help="snooze length in days (default 7)")
    p.add_argument("--manager", help="only this manager's accounts")
    p.add_argument("--all", action="store_true", help="include snoozed and dismissed alerts")
    # Also accepted after the command (`alerts --today D --json`); SUPPRESS keeps the
    # global value when they are not given here.
    p.add_argument(
        "--today",
        type=iso_day,
        default=argparse.SUPPRESS,
        help="evaluate as of this day (YYYY-MM-DD)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable output on stdout",
    )
    p.set_defaults(func=cmd_alerts)


def cmd_alerts(ctx: CommandContext, args: argparse.Namespace) -> int:
    if args.action is None:
        if args.ids:
            ctx.say("Give an action (snooze, dismiss or wake) before the alert ids.")
            return 2
        return _list(ctx, args)
    if not args.ids:
        ctx.say(f"Which alerts? Give one or more ids after '{args.action}'.")
        return 2
    svc = ctx.services.alerts
    if args.action == "snooze":
        n = svc.snooze(args.ids, args.days)
        text = f"Snoozed {n} alert{'s' * (n != 1)} for {args.days} day{'s' * (args.days != 1)}."
    elif args.action == "dismiss":
        n = svc.dismiss(args.ids)
        text = f"Dismissed {n} alert{'s' * (n != 1)} until their condition clears."
    else:
        n = svc.wake(args.ids)
        text = f"Woke {n} alert{'s' * (n != 1)}."
    ctx.emit({"action": args.action, "count": n, "ids": args.ids}, text)
    return 0


def _list(ctx: CommandContext, args: argparse.Namespace) -> int:
    # With an explicit --today this is a look at another day: record no episodes, so a
    # look ahead cannot freeze the bookkeeping of the days in between.
    alerts = ctx.services.alerts.current(manager=args.manager, record=ctx.today is None)
    shown = alerts if args.all or ctx.json_output else [a for a in alerts if a.state == "active"]
    ctx.emit(
        [a.to_json() for a in shown],
        "\n".join(_line(a) for a in shown) or "No alerts need attention.",
    )
    return 0


def _line(a: Alert) -> str:
    from iqcadence_desktop.services.alerts import SEVERITY_LABELS

    state = "" if a.state == "active" else f"  [{a.state}]"
    return (
        f"{SEVERITY_LABELS[a.severity]:<11} {a.customer[:32]:<32} {a.message}"
        f"  ({a.id}, since {a.since.isoformat()}){state}"
    )
