"""A restore checks the WHOLE backup before it touches anything (issue: restore safety).

Every refused backup leaves the database exactly as it was and names the first problem
by table, row and field; a backup of a damaged database says so when it is made; secrets
are blanked by value wherever they sit; backups are audited and private.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.container import Services, build_services
from iqcadence_desktop.services.system import BackupError
from iqcadence_desktop.services.system.clock import FixedClock
from iqcadence_desktop.services.system.secrets import InMemorySecretStore
from tests.conftest import TODAY

Data = dict[str, Any]


def _fill(services: Services) -> None:
    services.customers.create({"name": "Acme", "mrr": "100", "nps": "9", "tags": ["x"]})
    services.customers.create({"name": "Beta", "mrr": "200", "logins": "4"})
    services.records.add_contact(
        services.customers.find_id("Acme") or 0, {"name": "Ann", "email": "ann@acme.test"}
    )


def _backup(services: Services, tmp_path: Path) -> tuple[Path, Data]:
    _fill(services)
    out = tmp_path / "b.json"
    services.backups.backup(out)
    return out, json.loads(out.read_text())


def _row(data: Data, table: str, index: int = 0) -> dict[str, Any]:
    body = data["tables"][table]
    return dict(zip(body["columns"], body["rows"][index], strict=True))


def _set(data: Data, table: str, index: int, column: str, value: object) -> None:
    body = data["tables"][table]
    body["rows"][index][body["columns"].index(column)] = value


def _dup_row(data: Data, table: str) -> None:
    body = data["tables"][table]
    body["rows"].append(list(body["rows"][0]))


def _second_name(value: str) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        _set(data, "customers", 1, "name", value)

    return mutate


CASES: list[tuple[str, Callable[[Data], None], str]] = [
    ("no tables at all", lambda d: d.update(tables={}), 'has no "'),
    ("a table missing", lambda d: d["tables"].pop("contacts"), 'has no "contacts" table'),
    (
        "NPS 55",
        lambda d: _set(d, "customers", 0, "nps", 55),
        'table "customers", row 1, field "nps": NPS: 55 is not allowed',
    ),
    (
        "MRR -5",
        lambda d: _set(d, "customers", 1, "mrr_cents", -500),
        'table "customers", row 2, field "mrr_cents"',
    ),
    ("a duplicate id", lambda d: _dup_row(d, "contacts"), 'table "contacts", row 2, field "id"'),
    (
        "one customer twice",
        _second_name("  ACME "),
        'table "customers", row 2, field "name": \'  ACME \' repeats row 1',
    ),
    (
        "an unknown lifecycle",
        lambda d: _set(d, "customers", 0, "lifecycle", "zombie"),
        'field "lifecycle"',
    ),
    (
        "a control character in a name",
        _second_name("Be\x07ta"),
        'row 2, field "name": Name: holds a control character (U+0007)',
    ),
    (
        "a dangling reference",
        lambda d: _set(d, "contacts", 0, "customer_id", 999),
        'table "contacts", row 1, field "customer_id": 999 points at a row of "customers"',
    ),
    (
        "an unknown schema",
        lambda d: d.update(schema="9999"),
        "schema '9999', which this version",
    ),
    (
        "bad weights in a profile",
        lambda d: d["tables"]["scoring_profiles"]["rows"].append(
            [7, "Bad", {"logins": 150}, "", "2026-01-01T00:00:00", "2026-01-01T00:00:00"]
        ),
        'table "scoring_profiles", row 1, field "weights"',
    ),
    (
        "a too long text",
        lambda d: _set(d, "customers", 0, "manager", "x" * 500),
        'field "manager": longer than 120 characters',
    ),
]


@pytest.mark.parametrize(("label", "mutate", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_backup_is_refused_and_nothing_changes(
    services: Services,
    db_path: Path,
    tmp_path: Path,
    label: str,
    mutate: Callable[[Data], None],
    words: str,
) -> None:
    out, data = _backup(services, tmp_path)
    mutate(data)
    out.write_text(json.dumps(data))
    before = services.backups.snapshot()["tables"]
    with pytest.raises(BackupError) as caught:
        services.backups.restore(out, tmp_path / "safety")
    assert words in str(caught.value), str(caught.value)
    assert str(caught.value).endswith("Nothing was changed.")
    assert services.backups.snapshot()["tables"] == before
    assert not (tmp_path / "safety").exists()


def test_a_backup_from_an_older_schema_restores(services: Services, tmp_path: Path) -> None:
    out, data = _backup(services, tmp_path)
    for newer in ("alert_states", "alert_outcomes"):  # tables revision 0003 added
        data["tables"].pop(newer)
    for table in list(data["tables"]):
        if table not in {
            "customers",
            "customer_tags",
            "contacts",
            "notes",
            "sentiment_entries",
            "score_snapshots",
            "portfolio_daily",
            "config_versions",
            "scoring_profiles",
            "app_settings",
            "audit_entries",
            "saved_mappings",
        }:
            data["tables"].pop(table)  # tables added after 0002 by other features
    data["schema"] = "0002"
    out.write_text(json.dumps(data))
    summary = services.backups.restore(out, tmp_path / "safety")
    assert summary.customers == 2
    assert [c.name for c in services.customers.list_customers()] == ["Acme", "Beta"]


def test_an_older_backup_still_needs_the_tables_it_had(services: Services, tmp_path: Path) -> None:
    out, data = _backup(services, tmp_path)
    data["schema"] = "0002"
    data["tables"].pop("saved_mappings")
    out.write_text(json.dumps(data))
    with pytest.raises(BackupError, match='has no "saved_mappings" table'):
        services.backups.check(out)


def _damage(path: Path) -> None:
    """Overwrite the first page of an index, as a failing disk might: reads still work."""
    with sqlite3.connect(path) as con:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        root = con.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_audit_entries_at'"
        ).fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d" + b"\xff" * (page_size - 1))


def test_a_backup_of_a_damaged_database_says_so(db_path: Path, tmp_path: Path) -> None:
    from iqcadence_desktop.models.db import open_database

    database = open_database(db_path)
    services = build_services(database, FixedClock(TODAY), secrets=InMemorySecretStore())
    _fill(services)
    database.close()
    _damage(db_path)
    database = open_database(db_path)
    try:
        services = build_services(database, FixedClock(TODAY), secrets=InMemorySecretStore())
        summary = services.backups.backup(tmp_path / "b.json")
        assert summary.damage and "damaged" in summary.damage_text()
        assert (tmp_path / "b.json").exists()  # what could be read is kept all the same
    finally:
        database.close()


@pytest.mark.sqlite_only  # the integrity check and the binary copy are SQLite's
def test_a_sound_database_reports_no_damage(services: Services, tmp_path: Path) -> None:
    _fill(services)
    assert services.backups.backup(tmp_path / "b.json").damage == ()
    assert services.backups.copy_database(tmp_path / "c.sqlite3").damage == ()


def test_secrets_are_blanked_by_value_wherever_they_sit(db: Database, tmp_path: Path) -> None:
    secrets = InMemorySecretStore()
    services = build_services(db, FixedClock(TODAY), secrets=secrets)
    secrets.set("crm.token", "tok-4f9a8b")
    secrets.set("smtp.password", "hunter2hunter2")
    services.settings.set_many(
        {
            "integrations": {"crm": {"auth": {"bearer": "tok-4f9a8b"}}, "url": "https://x.test"},
            "mail": ["smtp.test", {"login": "me", "pass": "hunter2hunter2"}],
        }
    )
    services.customers.create({"name": "Acme", "note": "pasted tok-4f9a8b by mistake"})
    out = tmp_path / "b.json"
    services.backups.backup(out)
    text = out.read_text()
    assert "tok-4f9a8b" not in text and "hunter2hunter2" not in text
    assert "https://x.test" in text and "pasted [secret removed] by mistake" in text


def test_backups_and_restores_are_audited(services: Services, tmp_path: Path) -> None:
    out, _ = _backup(services, tmp_path)
    if services.db.is_sqlite:  # a binary copy is of the SQLite file
        services.backups.copy_database(tmp_path / "c.sqlite3")
    services.backups.restore(out, tmp_path / "safety")
    actions = [e.action for e in services.audit.entries()]
    assert "backup_restored" in actions and "backup_made" in actions
    # The backup carries its own audit entry; the restore adds one on top.
    restored = [e for e in services.audit.entries() if e.action == "backup_made"]
    assert any("b.json" in e.summary for e in restored)
