"""`iqcadence-cli churn-model evaluate / fit / show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iqcadence_desktop.cli import main

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--today", "2026-11-26", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_evaluate_on_a_public_dataset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys,
        tmp_path / "t.sqlite3",
        "churn-model",
        "evaluate",
        str(DATA / "gym_churn_us.csv"),
        "--label",
        "Churn",
        "--folds",
        "3",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert {"rows", "positives", "auc", "brier", "ece", "features", "top_factors"} <= set(data)
    assert data["rows"] == 4000 and data["positives"] == 1061
    assert data["auc"] > 0.9 and data["ece"] < 0.06
    top = data["top_factors"][0]
    assert set(top) == {"factor", "mean_abs_log_odds"} and top["mean_abs_log_odds"] > 0
    assert not (tmp_path / "t.sqlite3").exists()  # evaluating a file never opens the app's data


def test_evaluate_reads_what_the_importer_reads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = ["Kunden-ID;Nutzung;Tarif;Gekündigt"]
    for i in range(60):
        churned = i % 3 == 0
        usage = f"{(5 if churned else 40) + i % 7},5"
        rows.append(f"K{i:03d};{usage};{'Basis' if i % 2 else 'Pro'};{'ja' if churned else 'nein'}")
    path = tmp_path / "kunden.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("cp1252"))
    code, out, _ = run(
        capsys,
        tmp_path / "t.sqlite3",
        "--json",
        "churn-model",
        "evaluate",
        str(path),
        "--label",
        "Gekündigt",
        "--positive",
        "ja",
    )
    data = json.loads(out)
    assert code == 0 and data["rows"] == 60 and data["positives"] == 20
    assert data["features"] == ["Nutzung", "Tarif"]  # the id column is dropped
    assert data["dropped"][0]["column"] == "Kunden-ID"
    assert data["auc"] > 0.9


def test_evaluate_explains_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,score,outcome\n1,3,a\n2,4,b\n3,5,c\n", encoding="utf-8")
    code, _, err = run(
        capsys, tmp_path / "t.sqlite3", "churn-model", "evaluate", str(path), "--label", "outcome"
    )
    assert code == 1 and "--positive" in err
    code, _, err = run(
        capsys, tmp_path / "t.sqlite3", "churn-model", "evaluate", str(path), "--label", "nope"
    )
    assert code == 1 and 'no column "nope"' in err
    with pytest.raises(SystemExit) as usage:
        main(["churn-model", "evaluate", str(path)])
    assert usage.value.code == 2


def test_fit_and_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite3"
    code, out, _ = run(capsys, db, "churn-model", "show")
    assert code == 0 and "No churn model has been fitted yet" in out
    run(capsys, db, "demo", "--customers", "40", "--days", "40")
    code, out, _ = run(capsys, db, "churn-model", "fit", "--horizon", "30")
    assert code == 0 and "chance of churning within 30 days" in out
    code, out, _ = run(capsys, db, "--json", "churn-model", "show")
    data = json.loads(out)
    assert data["horizon_days"] == 30 and data["method"] in ("fitted", "prior")
    assert data["version"] == 1


def test_import_keeps_columns_as_custom_fields(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("name,Seats,Plan\nAcme,12,Gold\nGlobex,30,Silver\n", encoding="utf-8")
    db = tmp_path / "t.sqlite3"
    code, out, _ = run(
        capsys, db, "--json", "import", str(path), "--keep", "Seats", "--keep", "Plan=text"
    )
    data = json.loads(out)
    assert code == 0 and data["custom_values"] == 4
    assert sorted(data["custom_fields_created"]) == ["Plan", "Seats"]
    code, out, _ = run(capsys, db, "--json", "customers")
    by_name = {c["name"]: c["custom"] for c in json.loads(out)}
    assert by_name["Acme"] == {"seats": "12", "plan": "Gold"}
