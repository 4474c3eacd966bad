"""`iqcadence-cli self-test`: the GUI self-test (iqcadence_desktop/selftest.py) from the CLI."""

from __future__ import annotations

import argparse
from typing import Any

from iqcadence_desktop import selftest
from iqcadence_desktop.cli.context import CommandContext


def register(sub: Any) -> None:
    p = sub.add_parser("self-test", help=selftest.HELP)
    selftest.add_arguments(p)
    p.set_defaults(func=cmd_selftest)


def cmd_selftest(ctx: CommandContext, args: argparse.Namespace) -> int:
    return selftest.run(args, ctx.json_output)
