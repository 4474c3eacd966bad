"""`outbox`: what is waiting, sent or failed; `outbox resend ID ...` re-queues failed ones."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext, json_flag

if TYPE_CHECKING:
    from iqcadence_desktop.services.automations import OutboxDTO


def register(sub: Any) -> None:
    p = sub.add_parser(
        "outbox",
        help="list outbox entries, or re-send failed ones",
        description="Without an action: list entries (newest first). "
        "With 'resend ID ...': queue failed (dead) entries again.",
    )
    p.add_argument("action", nargs="?", choices=("resend",), help="what to do with the ids")
    p.add_argument("ids", nargs="*", type=int, metavar="ID")
    p.add_argument("--status", choices=("pending", "sending", "sent", "dead"))
    p.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    json_flag(p)
    p.set_defaults(func=cmd_outbox)


def cmd_outbox(ctx: CommandContext, args: argparse.Namespace) -> int:
    log = ctx.services.automations.log
    if args.action is None:
        if args.ids:
            ctx.say("Give an action (resend) before the entry ids.")
            return 2
        entries = log.entries(args.status, args.limit)
        ctx.emit(
            [e.to_json() for e in entries],
            "\n".join(_line(e) for e in entries) or "The outbox is empty.",
        )
        return 0
    if not args.ids:
        ctx.say("Which entries? Give one or more ids after 'resend'.")
        return 2
    done = [log.resend(i) for i in args.ids]
    ctx.emit(
        [e.to_json() for e in done],
        f"Queued {len(done)} entr{'y' if len(done) == 1 else 'ies'} again; "
        "run-due (or the open app) sends them.",
    )
    return 0


def _line(e: OutboxDTO) -> str:
    when = e.sent_at if e.status == "sent" else e.next_attempt_at
    error = f"  [{e.last_error}]" if e.last_error and e.status != "sent" else ""
    return (
        f"#{e.id:<5} {e.status:<8} {e.connection[:18]:<18} {when:%Y-%m-%d %H:%M}  "
        f"{e.subject[:70]}{error}"
    )
