"""What every command gets: the opened services, output helpers and the as-of day."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# The database and services are imported when first needed: `run-due` often answers
# without them, and loading them costs more than the rest of the command.
if TYPE_CHECKING:
    from iqcadence_desktop.models.db import Database
    from iqcadence_desktop.services.container import Services
    from iqcadence_desktop.services.system import Clock


def iso_day(text: str) -> dt.date:
    """An argparse type: a YYYY-MM-DD date (every command's --today)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def json_flag(parser: argparse.ArgumentParser) -> None:
    """Also accept --json after the command (`rule list --json`); SUPPRESS keeps the
    global value when it is not given there."""
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable output on stdout",
    )


def fail(message: str) -> int:
    print(f"iqcadence-cli: {message}", file=sys.stderr)
    return 1


def _default(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


@dataclass
class CommandContext:
    """Lazily opens the database, so usage errors never touch it."""

    db_target: str | None
    json_output: bool
    today: dt.date | None
    _db: Database | None = field(default=None, init=False)
    _services: Services | None = field(default=None, init=False)

    @property
    def clock(self) -> Clock:
        from iqcadence_desktop.services.system import FixedClock, SystemClock

        return FixedClock(self.today) if self.today else SystemClock()

    @property
    def services(self) -> Services:
        if self._services is None:
            from iqcadence_desktop.models.db import open_database
            from iqcadence_desktop.paths import default_db_path
            from iqcadence_desktop.services.container import build_services

            self._db = open_database(self.db_target or default_db_path())
            self._services = build_services(self._db, self.clock)
        return self._services

    def emit(self, data: Any, text: str) -> None:
        """One JSON document with --json, else the human text."""
        if self.json_output:
            json.dump(data, sys.stdout, default=_default, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            print(text)

    def say(self, message: str) -> None:
        """Progress and notes for people: stderr, so stdout stays clean."""
        print(message, file=sys.stderr)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
