"""`iqcadence-cli`: headless commands over the same services as the GUI (S15).

Exit status: 0 success, 1 the command failed for a reason it explains, 2 wrong usage.
Messages go to stderr in plain words; `--json` puts one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from iqcadence_desktop import __version__
from iqcadence_desktop.cli import alerts, core, data, report, self_test, team
from iqcadence_desktop.cli.context import CommandContext, fail, iso_day
from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.paths import DB_ENV

#: Every command module; each has `register(subparsers)` that sets `func` on its parser.
COMMAND_MODULES = (core, data, alerts, report, self_test, team)


def build_parser() -> argparse.ArgumentParser:
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
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
