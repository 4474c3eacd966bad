"""Team database server behaviour (PostgreSQL only): the network drops and comes back;
a laptop's SQLite database moves into the team database with `migrate-to`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from iqcadence_desktop.cli import main
from iqcadence_desktop.errors import DatabaseUnreachableError
from iqcadence_desktop.models import Customer, Note, ScoreSnapshot
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.system import FixedClock
from iqcadence_desktop.services.system.secrets import InMemorySecretStore
from tests.conftest import TODAY, drop_pg_database, new_pg_database

CLUSTER = Path(__file__).resolve().parents[3] / "tools" / "pgcluster.sh"


@pytest.fixture
def server(pg_server: str | None) -> str:
    if pg_server is None:
        pytest.skip("needs PostgreSQL (make test-postgres)")
    return pg_server


def test_network_drop_then_recovery(server: str) -> None:
    """A private server for this test: stopped mid-session, then started again. (Under
    build/, which the unprivileged postgres user can reach; pytest's tmp dirs are 0700.)"""
    where = CLUSTER.parents[1] / "build" / f"pg-drop-{os.getpid()}"
    url = subprocess.run(
        [str(CLUSTER), "start", str(where)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        db = open_database(url)
        services = build_services(db, FixedClock(TODAY), secrets=InMemorySecretStore())
        services.customers.create({"name": "Acme", "logins": 10})
        subprocess.run([str(CLUSTER), "stop", str(where)], check=True)
        with pytest.raises(DatabaseUnreachableError, match="team database is unreachable"):
            services.customers.list_customers()
        assert not db.ping()
        subprocess.run([str(CLUSTER), "start", str(where)], check=True, capture_output=True)
        assert db.ping()  # the pool replaced its dead connections
        assert [c.name for c in services.customers.list_customers()] == ["Acme"]
        services.customers.create({"name": "Beta"})  # writes work again too
        db.close()
    finally:
        subprocess.run([str(CLUSTER), "stop", str(where)], check=False)
        shutil.rmtree(where, ignore_errors=True)


def test_migrate_to_copies_everything_in_one_transaction(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = tmp_path / "laptop.sqlite3"
    source = open_database(laptop)
    local = build_services(source, FixedClock(TODAY), secrets=InMemorySecretStore())
    local.customers.load_sample(40, 15)
    acme = local.customers.create({"name": "Acme", "logins": 3})
    local.records.add_note(acme.id, "renewal call went well")
    local.alerts.current()
    with source.session() as s:
        expected = {
            "customers": s.scalar(select(func.count()).select_from(Customer)),
            "score_snapshots": s.scalar(select(func.count()).select_from(ScoreSnapshot)),
            "notes": s.scalar(select(func.count()).select_from(Note)),
        }
    source.close()
    team_url = new_pg_database(server)
    try:
        monkeypatch.setenv("ADMIN_PW", "admin-password-1")
        monkeypatch.setenv("IQCADENCE_PASSWORD", "admin-password-1")
        assert (
            main(
                [
                    "--db",
                    team_url,
                    "team",
                    "init",
                    "--admin",
                    "a@t.io",
                    "--password-env",
                    "ADMIN_PW",
                ]
            )
            == 0
        )
        capsys.readouterr()
        args = ["--db", str(laptop), "--user", "a@t.io", "--json", "migrate-to", team_url]
        assert main([*args, "--client", "Laptop"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["client"] == "Laptop"
        for table, count in expected.items():
            assert report["copied"][table] == count, table
        team = open_database(team_url)
        services = build_services(team, FixedClock(TODAY), secrets=InMemorySecretStore())
        services.team.sign_in("a@t.io", "admin-password-1")
        services.team.focus("Laptop")
        moved = {c.name: c for c in services.customers.list_customers()}
        assert len(moved) == expected["customers"]
        assert [n.body for n in services.records.notes(moved["Acme"].id)] == [
            "renewal call went well"
        ]
        assert services.portfolio.daily(15)  # rollups rebuilt for the copied history
        team.close()
        # Again into the same client: refused, and nothing was written.
        assert main([*args, "--client", "Laptop"]) == 1
        assert "nothing was copied" in capsys.readouterr().err
    finally:
        drop_pg_database(server, team_url)
