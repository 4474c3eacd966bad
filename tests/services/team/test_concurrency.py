"""Two laptops at once (separate processes on one database): a stale save is refused
with who and when; four laptops importing and rescoring their own clients at the same
time neither deadlock nor lose a row. Runs on SQLite and, in make test-postgres, on
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from iqcadence_desktop.models import Customer, PortfolioDaily, ScoreSnapshot
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.team import Role
from tests.services.team.helpers import CSM, MANAGER, PASSWORD, make_team

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT = 240


def _worker(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.services.team.worker", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _line(proc: subprocess.Popen[str]) -> dict[str, object]:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line, proc.stderr.read() if proc.stderr else "worker ended"
    parsed: dict[str, object] = json.loads(line)
    return parsed


def test_two_processes_editing_one_customer(services: Services, db_url: str) -> None:
    ids = make_team(services)
    target = ids["Acme One"]
    priya = _worker("edit-when-told", db_url, CSM, str(target))
    try:
        assert _line(priya)["step"] == "read"
        max_ = _worker("edit", db_url, MANAGER, str(target))
        out, err = max_.communicate(timeout=TIMEOUT)
        assert max_.returncode == 0, err
        out, err = priya.communicate("go\n", timeout=TIMEOUT)
    finally:
        priya.kill()
    result = json.loads(out.splitlines()[-1])
    assert result["step"] == "refused", err
    assert '"Acme One" was changed by Max at' in str(result["message"])
    assert "reload" in str(result["message"]) and "overwrite" in str(result["message"])
    assert services.customers.get(target).logins_30d == 25  # Max's edit stands


def test_four_processes_import_and_rescore_their_clients_at_once(
    services: Services, db_url: str, tmp_path: Path, pg_server: str | None
) -> None:
    if pg_server is None:
        # Many laptops writing at once is team mode; an SQLite file has one user (a
        # second app instance on it is refused), so this runs in make test-postgres.
        pytest.skip("needs PostgreSQL (make test-postgres)")
    make_team(services)
    rows, rounds, names = 300, 2, ("North", "South", "East", "West")
    procs = []
    for n, client in enumerate(names):
        services.team.add_client(client)
        email = f"csm{n}@team.io"
        services.team.add_user(email, Role.CSM, PASSWORD, [client])
        csv = tmp_path / f"{client}.csv"
        lines = [f"{client} account {i},{i % 30},{(i * 7) % 100}" for i in range(rows)]
        csv.write_text("name,logins,adoption\n" + "\n".join(lines) + "\n", encoding="utf-8")
        procs.append(_worker("import-and-rescore", db_url, email, str(csv), client, str(rounds)))
    for proc in procs:
        out, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 0, err
        steps = [json.loads(line) for line in out.splitlines()]
        assert [s["created"] for s in steps] == [rows, 0]
        assert all(s["rescored"] == rows for s in steps)
    day = dt.date.today().toordinal()  # the workers run on the real clock
    with services.db.session() as s:
        for client in names:
            cid = services.team.client_id(client)
            count = s.scalar(select(func.count()).where(Customer.client_id == cid))
            assert count == rows, client
        snaps = s.scalar(select(func.count()).select_from(ScoreSnapshot))
        total = s.scalar(
            select(PortfolioDaily.customers).where(
                PortfolioDaily.manager == "", PortfolioDaily.day == day
            )
        )
    assert snaps is not None and snaps >= 4 * rows
    assert total is not None and total >= 4 * rows  # the rollup missed nobody
    with services.db.session() as s:
        today = s.scalar(select(func.count()).where(ScoreSnapshot.day == day))
    assert today is not None and today >= 4 * rows
