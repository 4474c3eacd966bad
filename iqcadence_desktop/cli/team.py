"""Team mode commands: team init, user, client, migrate-to (docs/team-mode.md)."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext, team_password
from iqcadence_desktop.errors import UserFacingError, ValidationError

if TYPE_CHECKING:
    from iqcadence_desktop.services.team import UserDTO

#: The roles of a team member (services.team.Role; equal, checked by the CLI tests). Named
#: here so `--help` does not load the services.
ROLES = ("admin", "manager", "csm")


def register(sub: Any) -> None:
    p = sub.add_parser("team", help="team database (PostgreSQL) set-up")
    team = p.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    q = team.add_parser("init", help="create the schema and the first admin")
    q.add_argument("--admin", required=True, metavar="EMAIL")
    q.add_argument("--name", default="", help="the admin's display name")
    q.add_argument(
        "--password-env", required=True, metavar="VAR", help="variable with the password"
    )
    q.set_defaults(func=cmd_team_init)

    p = sub.add_parser("user", help="team members (admins only)")
    user = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    q = user.add_parser("add", help="add a user")
    q.add_argument("email")
    q.add_argument("--role", required=True, choices=ROLES)
    q.add_argument("--clients", default="", metavar="A,B", help="clients they work on")
    q.add_argument("--name", default="")
    q.add_argument("--password-env", required=True, metavar="VAR")
    q.set_defaults(func=cmd_user_add)
    user.add_parser("list", help="list users").set_defaults(func=cmd_user_list)
    for action, helptext in (("disable", "stop a user signing in"), ("enable", "undo disable")):
        q = user.add_parser(action, help=helptext)
        q.add_argument("email")
        q.set_defaults(func=cmd_user_switch, action=action)
    q = user.add_parser("set-role", help="change a user's role")
    q.add_argument("email")
    q.add_argument("role", choices=ROLES)
    q.set_defaults(func=cmd_user_set_role)
    q = user.add_parser("set-clients", help="replace the clients a user works on")
    q.add_argument("email")
    q.add_argument("clients", metavar="A,B")
    q.set_defaults(func=cmd_user_set_clients)

    p = sub.add_parser("client", help="clients (the businesses customers belong to)")
    client = p.add_subparsers(dest="client_command", metavar="ACTION", required=True)
    q = client.add_parser("add", help="add a client (admins only)")
    q.add_argument("name")
    q.set_defaults(func=cmd_client_add)
    client.add_parser("list", help="list your clients").set_defaults(func=cmd_client_list)

    p = sub.add_parser("migrate-to", help="copy this SQLite database into a team database")
    p.add_argument("url", help="the team database (postgresql+psycopg://user@host/db)")
    p.add_argument(
        "--client",
        dest="target_client",
        default="Default",
        help='the client the laptop\'s customers go to (default "Default")',
    )
    p.set_defaults(func=cmd_migrate_to)


def _password(var: str) -> str:
    value = os.environ.get(var)
    if not value:
        raise ValidationError("password", f"The variable {var} holds no password; set it first.")
    return value


def _clients(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _require_team(ctx: CommandContext) -> None:
    if ctx.services.db.is_sqlite:
        raise UserFacingError(
            "Users exist only on a team database; this is a single-user SQLite file. "
            "Give --db postgresql+psycopg://USER@HOST/DB."
        )


def cmd_team_init(ctx: CommandContext, args: argparse.Namespace) -> int:
    ctx.anonymous = True
    _require_team(ctx)
    user = ctx.services.team.init_team(args.admin, _password(args.password_env), args.name)
    ctx.emit(_user_json(user), f"Team database ready; {user.email} is its admin.")
    return 0


def cmd_user_add(ctx: CommandContext, args: argparse.Namespace) -> int:
    _require_team(ctx)
    user = ctx.services.team.add_user(
        args.email,
        _role(args.role),
        _password(args.password_env),
        _clients(args.clients),
        args.name,
    )
    ctx.emit(_user_json(user), f"Added {user.role.value} {user.email}.")
    return 0


def cmd_user_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    _require_team(ctx)
    users = ctx.services.team.users()
    lines = [
        f"{u.email:<32} {u.role.value:<8} {'active' if u.active else 'disabled':<9} "
        f"{', '.join(u.clients) or ('all clients' if u.role == 'admin' else '—')}"
        for u in users
    ]
    ctx.emit([_user_json(u) for u in users], "\n".join(lines))
    return 0


def cmd_user_switch(ctx: CommandContext, args: argparse.Namespace) -> int:
    _require_team(ctx)
    team = ctx.services.team
    (team.disable if args.action == "disable" else team.enable)(args.email)
    ctx.emit(
        {"email": args.email, "active": args.action == "enable"}, f"{args.action}d {args.email}."
    )
    return 0


def cmd_user_set_role(ctx: CommandContext, args: argparse.Namespace) -> int:
    _require_team(ctx)
    ctx.services.team.set_role(args.email, _role(args.role))
    ctx.emit({"email": args.email, "role": args.role}, f"{args.email} is now {args.role}.")
    return 0


def cmd_user_set_clients(ctx: CommandContext, args: argparse.Namespace) -> int:
    _require_team(ctx)
    clients = _clients(args.clients)
    ctx.services.team.set_clients(args.email, clients)
    ctx.emit({"email": args.email, "clients": clients}, f"{args.email} works on {args.clients}.")
    return 0


def cmd_client_add(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = ctx.services.team.add_client(args.name)
    ctx.emit({"id": client.id, "name": client.name}, f'Added client "{client.name}".')
    return 0


def cmd_client_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    clients = ctx.services.team.clients()
    lines = [f"{c.name:<40} {c.customers:>8,} customers" for c in clients]
    ctx.emit(
        [{"id": c.id, "name": c.name, "customers": c.customers} for c in clients],
        "\n".join(lines) or "No clients.",
    )
    return 0


def cmd_migrate_to(ctx: CommandContext, args: argparse.Namespace) -> int:
    """Copy the laptop (--db, SQLite) into the team database, signed in there as --user."""
    ctx.anonymous = True  # the laptop file has no users
    source = ctx.services
    if not ctx.user:
        raise ValidationError("user", "Say which admin of the team database copies: --user EMAIL.")
    from iqcadence_desktop.models.db import open_database
    from iqcadence_desktop.services.container import build_services
    from iqcadence_desktop.services.scoring import rebuild_every_portfolio_day
    from iqcadence_desktop.services.team import Migrator

    target_db = open_database(args.url)
    try:
        target = build_services(target_db, source.clock, secrets=source.secrets)
        target.team.sign_in(ctx.user, team_password(target.secrets, target_db, ctx.user))
        migrator = Migrator(source.db, target_db, target.scope, target.audit, source.clock)
        report = migrator.run(args.target_client, rebuild_every_portfolio_day)
    finally:
        target_db.close()
    ctx.emit(
        {"client": report.client, "copied": report.copied, "skipped": report.skipped},
        report.text(),
    )
    return 0


def _role(text: str) -> Any:
    from iqcadence_desktop.services.team import parse_role

    return parse_role(text)


def _user_json(u: UserDTO) -> dict[str, Any]:
    return {
        "email": u.email,
        "name": u.name,
        "role": u.role.value,
        "active": u.active,
        "clients": list(u.clients),
    }
