"""`iqcadence-cli`: headless commands over the same services as the GUI (S15).

Exit status: 0 success, 1 the command failed for a reason it explains, 2 wrong usage.
Messages go to stderr in plain words; `--json` puts one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from iqcadence_desktop import __version__
from iqcadence_desktop.cli.context import CommandContext, fail, iso_day
from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.paths import DB_ENV

#: Every command module under iqcadence_desktop.cli; each has `register(subparsers)` that
#: sets `func` on its parser. Modules are imported when the parser is built.
COMMAND_MODULES: tuple[str, ...] = (
    "core",
    "data",
    "alerts",
    "report",
    "branding",
    "integrations",
    "api",
    "churn_model",
    "connections",
    "rules",
    "schedules",
    "outbox",
    "run_due",
    "self_test",
    "team",
)
#: Commands an OS scheduler runs every few minutes: only their own module is loaded, so
#: they start in a fraction of the time the whole CLI takes.
QUICK_COMMANDS: dict[str, str] = {"run-due": "run_due"}
#: Global options that take a value (skipped when looking for the command word).
_VALUED_OPTIONS = ("--db", "--today", "--user")


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iqcadence-cli", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"iqcadence {__version__}")
    parser.add_argument(
        "--db",
        default=os.environ.get(DB_ENV),
        help=f"database path or SQLAlchemy URL (default: ${DB_ENV} or the app's own)",
    )
    parser.add_argument(
        "--user",
        metavar="EMAIL",
        help="team database: sign in as this user (password from $IQCADENCE_PASSWORD "
        "or the keyring; default $IQCADENCE_USER)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    parser.add_argument("--today", type=iso_day, help="evaluate as of this day (YYYY-MM-DD)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in modules:
        importlib.import_module(f"iqcadence_desktop.cli.{name}").register(sub)
    for command in sub.choices.values():
        _accept_globals_after(command)
    return parser


def command_word(argv: Sequence[str]) -> str | None:
    """The command in an argument list (the first word that is not a global option)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUED_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def _accept_globals_after(command: argparse.ArgumentParser) -> None:
    """`customers --json` and `restore FILE --db X` work as well as the global spelling.

    SUPPRESS keeps a subcommand from resetting a value given before it.
    """
    taken = command._option_string_actions  # argparse has no public "has option"
    if "--json" not in taken:
        command.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    if "--db" not in taken:
        command.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    if "--today" not in taken:
        command.add_argument(
            "--today", type=iso_day, default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    quick = QUICK_COMMANDS.get(command_word(arguments) or "")
    parser = build_parser((quick,) if quick else COMMAND_MODULES)
    args = parser.parse_args(arguments)
    ctx = CommandContext(
        db_target=args.db,
        json_output=args.json,
        today=args.today,
        user=args.user,
        client=getattr(args, "client", None),
    )
    try:
        code: int = args.func(ctx, args)
        return code
    except UserFacingError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("Interrupted; nothing more was written.")
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
