"""What every command gets: the opened services, output helpers and the as-of day."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.errors import SignInError

# The database and services are imported when first needed: `run-due` often answers
# without them, and loading them costs more than the rest of the command.
if TYPE_CHECKING:
    from iqcadence_desktop.models.db import Database
    from iqcadence_desktop.services.container import Services
    from iqcadence_desktop.services.system import Clock, SecretStore

USER_ENV = "IQCADENCE_USER"
PASSWORD_ENV = "IQCADENCE_PASSWORD"


def team_password(secrets: SecretStore, db: Database, email: str) -> str:
    """$IQCADENCE_PASSWORD, else the password the app stored in the keyring."""
    from iqcadence_desktop.services.team import password_key

    password = os.environ.get(PASSWORD_ENV) or secrets.get(password_key(db.describe(), email))
    if not password:
        raise SignInError(
            f"No password for {email}: set ${PASSWORD_ENV}, or sign in once in the app "
            "and let it remember the password in the keyring."
        )
    return password


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


def add_client_option(parser: argparse.ArgumentParser) -> None:
    """`--client NAME`: work in one client (new customers go there; names match there)."""
    parser.add_argument(
        "--client", metavar="NAME", help="the client to work in (team mode; default: your only one)"
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
    #: Team database: who signs in (--user or $IQCADENCE_USER) and the client to work in.
    user: str | None = None
    client: str | None = None
    #: True for commands that must not sign in (team init creates the first user).
    anonymous: bool = False
    secrets: SecretStore | None = None
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
            from iqcadence_desktop.services.system import KeyringSecretStore
            from iqcadence_desktop.services.team import with_server_password

            secrets = self.secrets if self.secrets is not None else KeyringSecretStore()
            target = str(self.db_target or default_db_path())
            self._db = open_database(with_server_password(target, secrets))
            services = build_services(self._db, self.clock, secrets=secrets)
            if not self._db.is_sqlite and not self.anonymous:
                self._sign_in(services)
            if self.client:
                services.team.focus(self.client)
            self._services = services
        return self._services

    def _sign_in(self, services: Services) -> None:
        """Every command on a team database runs as a signed-in user."""
        email = self.user or os.environ.get(USER_ENV)
        if not services.team.has_users():
            raise SignInError(
                f"{services.db.describe()} is a team database with no users yet: create "
                "its first admin with `iqcadence-cli team init --admin EMAIL --password-env VAR`."
            )
        if not email:
            raise SignInError(
                f"{services.db.describe()} is a team database: say who you are with "
                f"--user EMAIL (or ${USER_ENV}) and give the password in ${PASSWORD_ENV}."
            )
        services.team.sign_in(email, team_password(services.secrets, services.db, email))

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
