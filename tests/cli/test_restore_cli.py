"""`backup` / `restore` from the command line: refusals, the safety copy, flags after the
command (issue: restore never destroys data it cannot replace)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from iqcadence_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--today", "2026-11-26", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    db = tmp_path / "live" / "data.sqlite3"
    db.parent.mkdir()
    assert run(capsys, "--db", str(db), "score", "Acme", "--mrr", "500", "--nps", "9")[0] == 0
    assert run(capsys, "--db", str(db), "score", "Beta", "--logins", "12")[0] == 0
    return db


def test_an_empty_tables_backup_is_refused_and_the_file_is_untouched(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "empty.json"
    good = tmp_path / "good.json"
    assert run(capsys, "--db", str(filled), "backup", str(good))[0] == 0
    data = json.loads(good.read_text())
    data["tables"] = {}
    bad.write_text(json.dumps(data))
    before = _digest(filled)
    code, _, err = run(capsys, "--db", str(filled), "restore", str(bad), "--yes")
    assert code == 1 and 'has no "' in err and "Nothing was changed" in err
    assert _digest(filled) == before
    assert sorted(p.name for p in filled.parent.iterdir() if "before-restore" in p.name) == []


def test_a_refused_row_names_table_row_and_field(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.json"
    run(capsys, "--db", str(filled), "backup", str(good))
    data = json.loads(good.read_text())
    body = data["tables"]["customers"]
    body["rows"][1][body["columns"].index("nps")] = 55
    good.write_text(json.dumps(data))
    before = _digest(filled)
    code, _, err = run(capsys, "--db", str(filled), "restore", str(good), "--yes")
    assert code == 1 and 'table "customers", row 2, field "nps"' in err
    assert "Traceback" not in err and _digest(filled) == before


def test_restore_keeps_its_safety_copy_beside_the_database(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.json"
    run(capsys, "--db", str(filled), "backup", str(good))
    run(capsys, "--db", str(filled), "score", "Gamma")
    # --db after the command, as people type it
    code, out, _ = run(capsys, "restore", str(good), "--yes", "--db", str(filled), "--json")
    assert code == 0
    safety = Path(json.loads(out)["safety_copy"])
    assert safety.parent == filled.parent and safety.exists()
    assert "Gamma" in safety.read_text()
    code, out, _ = run(capsys, "customers", "--db", str(filled), "--json")
    assert code == 0 and [c["name"] for c in json.loads(out)] == ["Acme", "Beta"]


def test_customers_json_works_as_a_subcommand_flag(
    capsys: pytest.CaptureFixture[str], filled: Path
) -> None:
    before = run(capsys, "--db", str(filled), "--json", "customers")
    after = run(capsys, "--db", str(filled), "customers", "--json")
    assert before[0] == after[0] == 0 and json.loads(after[1]) == json.loads(before[1])
    assert [c["name"] for c in json.loads(after[1])] == ["Acme", "Beta"]


def test_backup_and_restore_show_in_the_audit_log(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.json"
    run(capsys, "--db", str(filled), "backup", str(good))
    run(capsys, "--db", str(filled), "restore", str(good), "--yes")
    from iqcadence_desktop.models.db import open_database
    from iqcadence_desktop.services.container import build_services

    database = open_database(filled)
    try:
        actions = [e.action for e in build_services(database).audit.entries()]
    finally:
        database.close()
    assert "backup_restored" in actions and "backup_made" in actions


def test_backing_up_a_damaged_database_says_so_and_exits_1(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path
) -> None:
    from tests.services.system.test_restore_checks import _damage

    _damage(filled)
    code, _, err = run(capsys, "--db", str(filled), "backup", str(tmp_path / "b.json"))
    assert code == 1 and "The database is damaged" in err
    assert (tmp_path / "b.json").exists()
