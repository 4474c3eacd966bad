"""`iqcadence-cli import / export / backup / restore` (S15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iqcadence_desktop.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "csv"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--today", "2026-11-26", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_json_and_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite3"
    code, out, _ = run(capsys, db, "--json", "import", str(FIXTURES / "crm_export.csv"))
    data = json.loads(out)
    assert code == 0 and (data["created"], data["updated"], data["unchanged"]) == (3, 0, 0)
    assert data["skipped"] == 1 and data["errors"][0]["row"] == 6
    assert data["mapping"]["Account Name"] == "name" and "CityTier" in data["ignored"]
    code, out, _ = run(capsys, db, "--json", "import", str(FIXTURES / "crm_export.csv"))
    assert code == 0 and json.loads(out)["unchanged"] == 3


def test_import_with_no_name_column_lists_the_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, tmp_path / "t.sqlite3", "import", str(FIXTURES / "no_name.csv"))
    assert code == 1 and '"Manager", "MRR", "PreferredLoginDevice"' in err


def test_map_ignore_dry_run_all_or_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "t.sqlite3"
    code, out, err = run(
        capsys,
        db,
        "--json",
        "import",
        str(FIXTURES / "no_name.csv"),
        "--map",
        "Manager=name",
        "--ignore",
        "MRR",
        "--dry-run",
    )
    data = json.loads(out)
    assert code == 0 and data["dry_run"] and data["created"] == 1
    assert data["mapping"] == {"Manager": "name"} and "MRR" in data["ignored"]
    code, out, err = run(
        capsys, db, "import", str(FIXTURES / "malformed_values.csv"), "--all-or-nothing"
    )
    assert code == 1 and "row 3, mrr:" in err and out.startswith("Imported nothing")
    code, out, _ = run(capsys, db, "--json", "customers")
    assert json.loads(out) == []


def test_encoding_delimiter_and_date_order_flags(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "t.sqlite3"
    code, out, _ = run(
        capsys,
        db,
        "--json",
        "import",
        str(FIXTURES / "european_cp1252.csv"),
        "--encoding",
        "cp1252",
        "--delimiter",
        "semicolon",
        "--date-order",
        "dmy",
    )
    assert code == 0 and json.loads(out)["created"] == 2
    code, _, err = run(
        capsys, db, "import", str(FIXTURES / "european_cp1252.csv"), "--encoding", "klingon"
    )
    assert code == 2 and "not a known encoding" in err


def test_export_backup_restore(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite3"
    run(capsys, db, "import", str(FIXTURES / "tab_utf8_bom.csv"))
    code, _, _ = run(capsys, db, "export", str(tmp_path / "b.csv"), "--format", "bulksheet")
    assert code == 0 and (tmp_path / "b.csv").read_bytes().startswith(
        b"\xef\xbb\xbfid,external_id,name"
    )
    code, out, _ = run(capsys, db, "--json", "import", str(tmp_path / "b.csv"))
    assert json.loads(out)["unchanged"] == 1
    code, _, _ = run(capsys, db, "export", str(tmp_path / "e.csv"), "--manager", "Émile")
    assert len((tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()) == 2
    assert run(capsys, db, "backup", str(tmp_path / "k.json"))[0] == 0
    assert run(capsys, db, "backup", str(tmp_path / "k.sqlite3"))[0] == 0
    run(capsys, db, "import", str(FIXTURES / "blank_names.csv"))
    code, _, err = run(capsys, db, "restore", str(tmp_path / "k.json"))
    assert code == 1 and "--yes" in err
    code, out, _ = run(capsys, db, "--json", "restore", str(tmp_path / "k.json"), "--yes")
    assert code == 0 and json.loads(out)["rows"]["customers"] == 1
    code, _, err = run(capsys, db, "restore", str(FIXTURES / "crm_export.csv"), "--yes")
    assert code == 1 and "not valid JSON" in err
