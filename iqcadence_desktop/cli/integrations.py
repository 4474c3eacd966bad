"""Integration commands: `integration connect|status|disconnect`, `sync`, `pull-history`."""

from __future__ import annotations

import argparse
import getpass
import sys
import webbrowser
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext

if TYPE_CHECKING:
    from iqcadence_desktop.services.integrations import IntegrationStatus

#: Named here so building the parser imports no service (a test keeps them in step).
SYSTEMS: tuple[str, ...] = ("hubspot", "salesforce", "stripe")
LOOKBACKS: dict[str, int] = {"30d": 30, "90d": 90, "6mo": 182, "1yr": 365}


def _lookback(text: str) -> int:
    """'30d', '90d', '6mo', '1yr', or a number of days."""
    if text in LOOKBACKS:
        return LOOKBACKS[text]
    try:
        return int(text.removesuffix("d"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a lookback; use 30d, 90d, 6mo, 1yr or a number of days"
        ) from None


def register(sub: Any) -> None:
    p = sub.add_parser("integration", help="connect HubSpot, Salesforce or Stripe; show status")
    isub = p.add_subparsers(dest="integration_command", metavar="ACTION", required=True)
    c = isub.add_parser("connect", help="check a token with the system and keep it")
    c.add_argument("system", choices=SYSTEMS)
    c.add_argument(
        "--token-env",
        metavar="VAR",
        help="read the token (Salesforce: a refresh token) from this environment variable "
        "each time; only the variable's name is stored",
    )
    c.add_argument("--base-url", help="the API's address (a proxy, a sandbox, a test server)")
    c.add_argument("--login-url", help="Salesforce: login address (default login.salesforce.com)")
    c.add_argument("--client-id", help="Salesforce: the connected app's consumer key")
    c.add_argument("--callback-port", type=int, help="Salesforce: the loopback port for sign-in")
    c.set_defaults(func=cmd_connect)
    s = isub.add_parser("status", help="connection, last sync and its result per integration")
    s.set_defaults(func=cmd_status)
    d = isub.add_parser("disconnect", help="forget the token of an integration")
    d.add_argument("system", choices=SYSTEMS)
    d.set_defaults(func=cmd_disconnect)

    p = sub.add_parser("sync", help="pull accounts from connected systems into the portfolio")
    p.add_argument("system", nargs="?", default="all", choices=(*SYSTEMS, "all"))
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--history", type=_lookback, metavar="30d|90d|6mo|1yr", help="also pull history")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("pull-history", help="write past values from a system into score history")
    p.add_argument("system", choices=SYSTEMS)
    p.add_argument(
        "--days", type=_lookback, required=True, metavar="N", help="30, 90, 182, 365, 6mo…"
    )
    p.set_defaults(func=cmd_pull_history)


def _options(args: argparse.Namespace) -> dict[str, Any]:
    pairs = {
        "base_url": args.base_url,
        "login_url": args.login_url,
        "client_id": args.client_id,
        "callback_port": args.callback_port,
    }
    return {k: v for k, v in pairs.items() if v is not None}


def cmd_connect(ctx: CommandContext, args: argparse.Namespace) -> int:
    svc = ctx.services.integrations
    options = _options(args)
    if args.system == "salesforce" and not args.token_env:
        if options:
            svc.configure("salesforce", options)
        ctx.say("Opening the browser to sign in to Salesforce (waiting up to 5 minutes)…")
        status = svc.connect_salesforce(_open_browser(ctx), lambda: False)
    elif args.token_env:
        status = svc.connect(args.system, token_env=args.token_env, options=options)
    else:
        status = svc.connect(args.system, token=_read_token(args.system), options=options)
    ctx.emit(
        status.to_json(),
        f"Connected {status.label}: {status.account} (token in the {status.token_source}).",
    )
    return 0


def _open_browser(ctx: CommandContext) -> Any:
    def open_url(url: str) -> None:
        ctx.say(f"If no browser opens, visit:\n  {url}")
        webbrowser.open(url)

    return open_url


def _read_token(system: str) -> str:
    prompt = f"Paste the {system} token (it is not shown): "
    return getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline().strip()


def cmd_status(ctx: CommandContext, args: argparse.Namespace) -> int:
    rows = ctx.services.integrations.status()
    ctx.emit([r.to_json() for r in rows], "\n".join(_status_line(r) for r in rows))
    return 0


def _status_line(r: IntegrationStatus) -> str:
    if not r.connected:
        return f"{r.label:<11} not connected"
    last = "never synced"
    if r.last_sync_at is not None:
        summary = (r.last_result or {}).get("summary", "")
        last = f"last sync {r.last_sync_at:%Y-%m-%d %H:%M} UTC: {r.last_status} — {summary}"
    owned = f"; owns {', '.join(r.owned)}" if r.owned else ""
    return f"{r.label:<11} {r.account} (token in the {r.token_source}){owned}; {last}"


def cmd_disconnect(ctx: CommandContext, args: argparse.Namespace) -> int:
    ctx.services.integrations.disconnect(args.system)
    ctx.emit({"system": args.system, "connected": False}, f"Disconnected {args.system}.")
    return 0


def cmd_sync(ctx: CommandContext, args: argparse.Namespace) -> int:
    svc = ctx.services.integrations
    systems = (
        [s.system for s in svc.status() if s.connected] if args.system == "all" else [args.system]
    )
    if not systems:
        ctx.say("No integration is connected; see `iqcadence-cli integration connect --help`.")
        ctx.emit([], "")
        return 1
    out, lines = [], []
    for system in systems:
        result = svc.sync(system, dry_run=args.dry_run)
        data = result.to_json()
        lines.append(result.summary())
        lines += [f"  ! {text}" for text in result.issues[:20] + result.warnings]
        if args.history and not args.dry_run:
            history = svc.pull_history(system, args.history)
            data["history"] = history.to_json()
            lines.append("  History: " + history.summary())
        out.append(data)
    ctx.emit(out if args.system == "all" else out[0], "\n".join(lines))
    return 0


def cmd_pull_history(ctx: CommandContext, args: argparse.Namespace) -> int:
    ctx.say(f"Pulling {args.days} days of history from {args.system}…")
    result = ctx.services.integrations.pull_history(args.system, args.days)
    ctx.emit(result.to_json(), result.summary())
    return 0
