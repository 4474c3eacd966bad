"""The local REST API from the command line: `serve`, `api-key new|revoke|list`."""

from __future__ import annotations

import argparse
import signal
from typing import Any

from iqcadence_desktop.cli.context import CommandContext

#: The API's defaults, named here so building the parser imports no service
#: (tests/cli/test_cli_core.py keeps them equal to services.api's).
DEFAULT_PORT = 8787
API_KEY_ENV = "IQCADENCE_API_KEY"


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the local REST API on 127.0.0.1 in the foreground")
    p.add_argument(
        "--port", type=int, help=f"port (default: the setting, else {DEFAULT_PORT}; 0 = any)"
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("api-key", help="make, list or revoke keys for the local REST API")
    ksub = p.add_subparsers(dest="api_key_command", metavar="ACTION", required=True)
    n = ksub.add_parser("new", help="make a key (shown once; only its digest is kept)")
    n.add_argument("--label", help="what the key is for (e.g. Zapier)")
    n.set_defaults(func=cmd_key_new)
    r = ksub.add_parser("revoke", help="revoke one key by its id, or every key with --all")
    r.add_argument("key_id", nargs="?")
    r.add_argument("--all", action="store_true")
    r.set_defaults(func=cmd_key_revoke)
    ls = ksub.add_parser("list", help="list keys (ids and dates, never the keys)")
    ls.set_defaults(func=cmd_key_list)


def cmd_serve(ctx: CommandContext, args: argparse.Namespace) -> int:
    api = ctx.services.api
    if not api.keys.active():
        ctx.say(
            f"Note: no API key exists yet, so every call will get 401. Make one with "
            f"`iqcadence-cli api-key new` (or set {API_KEY_ENV})."
        )
    server = api.server(args.port)
    ctx.say(f"Serving the iQcadence API on {server.url} (Ctrl+C to stop)")
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager stops us like Ctrl+C
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        ctx.say("Stopped.")
    finally:
        api.calls.flush()  # the last calls reach the API Log
    return 0


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def cmd_key_new(ctx: CommandContext, args: argparse.Namespace) -> int:
    made = ctx.services.api.keys.new(args.label)
    ctx.say("This key is shown once; store it now (only its digest is kept).")
    ctx.emit({"key_id": made.key_id, "key": made.key}, made.key)
    return 0


def cmd_key_revoke(ctx: CommandContext, args: argparse.Namespace) -> int:
    if not args.all and not args.key_id:
        ctx.say("Name the key id to revoke, or give --all.")
        return 2
    count = ctx.services.api.keys.revoke(None if args.all else args.key_id)
    ctx.emit({"revoked": count}, f"Revoked {count} key{'s' if count != 1 else ''}.")
    return 0


def cmd_key_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    keys = ctx.services.api.keys.keys()
    ctx.emit(
        [
            {
                "key_id": k.key_id,
                "label": k.label,
                "created_at": k.created_at,
                "revoked_at": k.revoked_at,
            }
            for k in keys
        ],
        "\n".join(
            f"{k.key_id}  {k.created_at:%Y-%m-%d}  "
            f"{'revoked' if k.revoked_at else 'active '}  {k.label or ''}"
            for k in keys
        )
        or "No API keys yet; make one with `iqcadence-cli api-key new`.",
    )
    return 0
