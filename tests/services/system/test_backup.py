"""JSON backup and restore, and the binary copy."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from iqcadence_desktop.models import Base
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.csv_io import ImportOptions
from iqcadence_desktop.services.system.backup import FORMAT, BackupError
from tests.services.csv_io.test_csv_import import FIXTURES, state


def _fill(services: Services, tmp_path: Path) -> None:
    services.customers.create({"name": "Acme", "mrr": "100", "logins": "5", "tags": ["x"]})
    services.settings.set_many({"branding.company": "Us", "hubspot.token": "s3cr3t"})
    services.config.save_profile(
        "P",
        {"logins": 100, "adoption": 0, "tickets": 0, "nps": 0, "days": 0, "growth": 0, "csat": 0},
    )
    path = tmp_path / "m.csv"
    path.write_text("Org\nBeta\n")
    services.importer.run(path, ImportOptions(mapping={"Org": "name"}))


def test_backup_covers_every_table_and_no_secret(services: Services, tmp_path: Path) -> None:
    _fill(services, tmp_path)
    out = tmp_path / "b.json"
    summary = services.backups.backup(out)
    data = json.loads(out.read_text())
    assert data["format"] == FORMAT and data["version"] == 1
    # Team members and their password hashes never leave the team database.
    assert set(data["tables"]) == {t.name for t in Base.metadata.sorted_tables} - {"users"}
    assert summary.customers == 2 and summary.rows["saved_mappings"] == 1
    assert summary.rows["score_snapshots"] >= 2 and summary.rows["audit_entries"] >= 4
    assert "s3cr3t" not in out.read_text()


def test_restore_replaces_everything_after_a_safety_backup(
    services: Services, tmp_path: Path
) -> None:
    _fill(services, tmp_path)
    out = tmp_path / "b.json"
    services.backups.backup(out)
    saved = state(services)
    services.customers.create({"name": "Added later"})
    summary = services.backups.restore(out, tmp_path / "safety")
    assert summary.safety_copy is not None and summary.safety_copy.exists()
    assert "Added later" in summary.safety_copy.read_text()
    after = state(services)
    restored_audit = after.pop("audit_entries")
    saved_audit = saved.pop("audit_entries")
    saved["app_settings"] = [r for r in saved["app_settings"] if r[0] != "hubspot.token"]
    assert after == saved
    assert restored_audit[: len(saved_audit)] == saved_audit
    assert [c.name for c in services.customers.list_customers()] == ["Acme", "Beta"]
    assert services.settings.get("branding.company") == "Us"


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d.update(format="other"), "not an iQcadence backup"),
        (lambda d: d.update(version=99), "format version 99"),
        (lambda d: d["tables"].update(aliens={"columns": [], "rows": []}), 'table "aliens"'),
        (
            lambda d: d["tables"]["customers"]["rows"][0].__setitem__(
                d["tables"]["customers"]["columns"].index("name"), None
            ),
            'field "name": may not be empty',
        ),
        (lambda d: d["tables"]["customers"]["rows"][-1].pop(), "expected"),
        (
            lambda d: d["tables"]["score_snapshots"]["rows"][0].__setitem__(1, "soon"),
            'table "score_snapshots", row 1, field "day": \'soon\' is not a valid whole number',
        ),
    ],
)
def test_a_bad_backup_is_refused_before_anything_changes(
    services: Services, tmp_path: Path, mutate: object, words: str
) -> None:
    _fill(services, tmp_path)
    out = tmp_path / "b.json"
    services.backups.backup(out)
    data = json.loads(out.read_text())
    mutate(data)  # type: ignore[operator]
    out.write_text(json.dumps(data))
    before = state(services)
    with pytest.raises(BackupError, match=words.replace("(", r"\(")):
        services.backups.restore(out, tmp_path / "safety")
    assert state(services) == before and not (tmp_path / "safety").exists()


def test_not_json_is_refused(services: Services, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="not valid JSON"):
        services.backups.restore(FIXTURES / "binary.csv", tmp_path / "safety")


@pytest.mark.sqlite_only
def test_binary_copy(services: Services, tmp_path: Path) -> None:
    services.customers.create({"name": "Acme"})
    dest = services.backups.copy_database(tmp_path / "copy.sqlite3").path
    with sqlite3.connect(dest) as con:
        assert con.execute("select name from customers").fetchall() == [("Acme",)]
