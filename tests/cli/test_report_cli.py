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
    assert data["pages"] >= 2 and data["as_of"] == "2026-11-26"
    assert data["audience"] == "customer"  # `customer-health --qbr` still works: customer copy
    text = pdf_text(out)
    assert "Business Review: Müller GmbH" in text and "Prepared for Müller GmbH" in text
    assert "INTERNAL" not in text


def test_report_qbr_for_either_audience(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", str(db_file), "--today", "2026-11-26", "--json", "report", "qbr"]
    out = tmp_path / "internal.pdf"
    args = [*base, "--customer", "Müller GmbH", "--audience", "internal", "--out", str(out)]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["kind"], data["audience"]) == ("customer-health", "internal")
    text = pdf_text(out)
    assert "INTERNAL" in text and "Internal: not for the customer" in text
    assert "Talking points" in text and data["pages"] >= 3
    with pytest.raises(SystemExit) as usage:
        main([*base, "--customer", "Müller GmbH", "--audience", "all", "--out", str(out)])
    assert usage.value.code == 2


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


def test_branding_sets_and_shows_headlessly(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", str(db_file), "--json", "branding"]
    assert main(base) == 0
    assert json.loads(capsys.readouterr().out)["changed"] is False
    logo = Path(__file__).resolve().parents[2] / "iqcadence_desktop/resources/brand/logo.png"
    args = ["--company", "Acme  CS", "--logo", str(logo), "--primary", "#ffb300"]
    assert main([*base, *args, "--confidential"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["company"], data["primary_color"], data["confidential"]) == (
        "Acme CS",
        "#ffb300",
        True,
    )
    assert main([*base, "--primary", "orange"]) == 1
    assert "not a colour" in capsys.readouterr().err
    assert main([*base, "--logo", str(tmp_path / "none.png")]) == 1
    assert "not a PNG or JPEG" in capsys.readouterr().err
    out = tmp_path / "summary.pdf"
    assert main(["--db", str(db_file), "report", "portfolio-summary", "--out", str(out)]) == 0
    text = pdf_text(out)
    assert "Acme CS" in text and "Confidential" in text


def test_summary_prints_headlines_and_definitions(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_file), "--today", "2026-11-26", "--json", "summary"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"accounts", "average_score", "total_mrr", "mrr_at_risk", "renewals_due"} <= set(
        data["headlines"]
    )
    assert "Accounts at risk" in data["definitions"]
