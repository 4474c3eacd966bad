"""`iqcadence-cli report`: writes the file, explains bad input, exits 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iqcadence_desktop.cli import main
from iqcadence_desktop.services.container import Services
from tests.services.reports.helpers import pdf_text


@pytest.fixture
def db_file(services: Services, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    if services.db.is_team:  # every command on a team database signs in
        services.team.init_team("admin@example.com", "admin-password-1")
        monkeypatch.setenv("IQCADENCE_USER", "admin@example.com")
        monkeypatch.setenv("IQCADENCE_PASSWORD", "admin-password-1")
    services.customers.load_sample(customers=20, days=10, seed=5)
    services.customers.save_by_name(
        {"name": "Müller GmbH", "logins": 2, "nps": 1, "manager": "Ana Ruiz"}
    )
    return db_url  # a file on SQLite, a URL on PostgreSQL


def test_report_writes_pdf_with_customer_and_today(
    db_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "qbr.pdf"
    code = main(
        [
            "--db",
            str(db_file),
            "--json",
            "report",
            "customer-health",
            "--customer",
            "MÜLLER gmbh",
            "--qbr",
            "--today",
            "2026-11-26",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pages"] >= 3 and data["as_of"] == "2026-11-26"
    assert "Business Review: Müller GmbH" in pdf_text(out)


def test_report_csv_from_suffix_and_manager(db_file: str, tmp_path: Path) -> None:
    out = tmp_path / "risk.csv"
    assert (
        main(
            [
                "--db",
                str(db_file),
                "report",
                "churn-risk",
                "--manager",
                "Ana Ruiz",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text = out.read_text(encoding="utf-8-sig")
    assert "Manager: Ana Ruiz" in text and "Müller GmbH" in text


def test_report_bad_input_explains_and_fails(
    db_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["--db", str(db_file), "report", "customer-health", "--out", str(out)]) == 1
    assert "choose the customer" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                str(db_file),
                "report",
                "score-history",
                "--customer",
                "Nobody",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert 'No customer is named "Nobody"' in capsys.readouterr().err
    assert not out.exists()
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db_file), "report", "nope", "--out", str(out)])
    assert exc.value.code == 2
