"""`connection add|list|test|remove`: saved Slack, Teams, email and webhook connections.

Secrets (the webhook signing secret, the SMTP password) go to the system keyring. On a
machine without one, `--secret-env VAR` names an environment variable that holds the
secret; the variable's name is saved, never its value, and `run-due` reads it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext, json_flag

if TYPE_CHECKING:
    from iqcadence_desktop.services.automations import ConnectionDTO

#: Named here so building the parser imports no service (tests/cli keeps them in step).
CONNECTION_KINDS = ("slack", "teams", "email", "webhook")
EMAIL_SECURITY = ("starttls", "ssl", "none")

SECRET_LABELS = {
    "keyring": "secret in keyring",
    "env": "secret from environment",
    "missing": "SECRET MISSING",
    "none": "",
}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "connection", help="add, list, test or remove Slack / Teams / email / webhook connections"
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="save a new connection")
    add.add_argument("name")
    add.add_argument("--kind", required=True, choices=tuple(CONNECTION_KINDS))
    add.add_argument("--url", help="webhook address (slack, teams, webhook)")
    add.add_argument("--to", metavar="EMAILS", help="default recipients, comma-separated (email)")
    add.add_argument("--smtp-host", metavar="H", help="SMTP server (email)")
    add.add_argument("--smtp-port", metavar="P", type=int, help="SMTP port (default 587)")
    add.add_argument("--smtp-user", metavar="U", help="SMTP login; the password is a secret")
    add.add_argument("--security", choices=tuple(EMAIL_SECURITY), help="default by port")
    add.add_argument("--from", dest="sender", metavar="ADDRESS", help="sender address (email)")
    add.add_argument(
        "--secret-env",
        metavar="VAR",
        help="environment variable holding the secret (for machines without a keyring)",
    )
    json_flag(add)
    add.set_defaults(func=cmd_add)
    for name, func, text in (
        ("list", cmd_list, "list saved connections"),
        ("test", cmd_test, "send a test message now"),
        ("remove", cmd_remove, "remove a connection no rule or schedule uses"),
    ):
        q = actions.add_parser(name, help=text)
        if name != "list":
            q.add_argument("name")
        json_flag(q)
        q.set_defaults(func=func)


def cmd_add(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.automations import ConnectionInput, parse_emails

    data = ConnectionInput(
        name=args.name,
        kind=args.kind,
        url=args.url,
        host=args.smtp_host,
        port=args.smtp_port,
        security=args.security,
        user=args.smtp_user,
        sender=args.sender,
        to=parse_emails(args.to or ""),
        secret=_secret(ctx, args),
        secret_env=args.secret_env,
    )
    conn = ctx.services.automations.connections.create(data)
    ctx.emit(conn.to_json(), f'Saved {conn.kind_label} connection "{conn.name}" ({_line(conn)}).')
    return 0


def _secret(ctx: CommandContext, args: argparse.Namespace) -> str | None:
    """From --secret-env when set now, else a prompt on a terminal, else none."""
    needs = args.kind == "webhook" or (args.kind == "email" and args.smtp_user)
    if not needs:
        return None
    if args.secret_env:
        value = os.environ.get(args.secret_env)
        if not value:
            ctx.say(
                f"Note: ${args.secret_env} is not set here; set it wherever run-due runs, "
                "or the messages wait."
            )
        return value or None
    if sys.stdin.isatty():
        what = "signing secret" if args.kind == "webhook" else "SMTP password"
        return getpass.getpass(f"{what} for {args.name} (kept in the keyring): ") or None
    return None


def cmd_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    found = ctx.services.automations.connections.all()
    ctx.emit(
        [c.to_json() for c in found],
        "\n".join(f"{c.name:<24} {c.kind:<8} {_line(c)}" for c in found)
        or "No connections yet. Add one with: iqcadence-cli connection add NAME --kind ...",
    )
    return 0


def _line(c: ConnectionDTO) -> str:
    secret = SECRET_LABELS[c.secret_state]
    return c.destination() + (f"; {secret}" if secret else "")


def cmd_test(ctx: CommandContext, args: argparse.Namespace) -> int:
    automations = ctx.services.automations
    conn = automations.connections.find(args.name)
    outcome = automations.send_test(conn.id)
    ctx.emit(
        {
            "connection": conn.name,
            "ok": outcome.ok,
            "status": outcome.status_code,
            "message": outcome.message,
        },
        outcome.message,
    )
    return 0 if outcome.ok else 1


def cmd_remove(ctx: CommandContext, args: argparse.Namespace) -> int:
    automations = ctx.services.automations
    conn = automations.connections.find(args.name)
    name = automations.connections.remove(conn.id)
    ctx.emit({"removed": name}, f'Removed connection "{name}" and its saved secret.')
    return 0
