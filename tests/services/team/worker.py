"""A second laptop for the multi-process tests: `python -m tests.services.team.worker`.

Each action opens the database at URL, signs in and does one piece of work, printing
one JSON line per step so the test can follow along.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from argon2 import PasswordHasher

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.system.secrets import InMemorySecretStore
from iqcadence_desktop.services.team import passwords
from tests.services.team.helpers import PASSWORD


def _say(**values: object) -> None:
    print(json.dumps(values), flush=True)


def main(argv: list[str]) -> int:
    action, url, email, *rest = argv
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=64)  # as tests/conftest.py
    db = open_database(url)
    services = build_services(db, secrets=InMemorySecretStore())
    services.team.sign_in(email, PASSWORD)
    try:
        if action == "edit-when-told":  # read, wait for "go" on stdin, then save
            cid = int(rest[0])
            version = services.customers.get(cid).version
            _say(step="read", version=version)
            sys.stdin.readline()
            try:
                services.customers.update(cid, {"logins": 1}, expected_version=version)
                _say(step="saved")
            except UserFacingError as exc:
                _say(step="refused", message=str(exc))
        elif action == "edit":
            services.customers.update(int(rest[0]), {"logins": 25})
            _say(step="saved")
        elif action == "import-and-rescore":  # CSV, client name, rounds
            csv, client, rounds = Path(rest[0]), rest[1], int(rest[2])
            services.team.focus(client)
            for n in range(rounds):
                result = services.importer.run(csv)
                summary = services.customers.rescore_all()
                first = services.customers.list_customers()[n]
                services.customers.update(first.id, {"tickets": n})
                _say(step=n, created=result.created, rescored=summary.customers)
        return 0
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
