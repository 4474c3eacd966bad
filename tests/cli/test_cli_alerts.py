"""`iqcadence-cli alerts`: listing as JSON and acting on ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iqcadence_desktop.cli import main
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.system.clock import FixedClock
from tests.conftest import TODAY

KEYS = {
    "customer",
    "customer_id",
    "category",
    "severity",
    "rule",
    "message",
    "values",
    "state",
    "since",
}


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    path = tmp_path / "cli.sqlite3"
    db = open_database(path)
    build_services(db, FixedClock(TODAY)).customers.create(
        {"name": "Acme", "tickets": 6, "logins": 25, "adoption": 70, "nps": 9, "days": 1}
    )
    db.close()
    return str(path)


def run(capsys: pytest.CaptureFixture[str], db_file: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", db_file, "--today", TODAY.isoformat(), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_alerts_with_the_documented_keys(
    capsys: pytest.CaptureFixture[str], db_file: str
) -> None:
    code, out, _ = run(capsys, db_file, "--json", "alerts")
    data = json.loads(out)
    assert code == 0 and [a["id"] for a in data] == ["1:tickets:open_tickets"]
    assert set(data[0]) >= KEYS and data[0]["values"] == {"open_tickets": 6, "threshold": 5}
    assert data[0]["since"] == TODAY.isoformat() and data[0]["state"] == "active"


def test_snooze_then_wake(capsys: pytest.CaptureFixture[str], db_file: str) -> None:
    code, out, _ = run(
        capsys, db_file, "alerts", "snooze", "1:tickets:open_tickets", "--days", "30"
    )
    assert code == 0 and "Snoozed 1 alert for 30 days" in out
    assert "No alerts need attention" in run(capsys, db_file, "alerts")[1]
    assert "[snoozed]" in run(capsys, db_file, "alerts", "--all")[1]
    assert run(capsys, db_file, "alerts", "wake", "1:tickets:open_tickets")[0] == 0
    assert "6 support tickets are open" in run(capsys, db_file, "alerts")[1]


def test_bad_ids_and_usage(capsys: pytest.CaptureFixture[str], db_file: str) -> None:
    code, _, err = run(capsys, db_file, "alerts", "dismiss", "1:tickets:low_logins")
    assert code == 1 and "not an alert id" in err
    code, _, err = run(capsys, db_file, "alerts", "snooze")
    assert code == 2 and "Which alerts" in err


def test_today_and_json_after_the_command(capsys: pytest.CaptureFixture[str], db_file: str) -> None:
    code = main(["--db", db_file, "alerts", "--today", "2026-11-20", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data[0]["since"] == "2026-11-20"
