"""The headless CLI: demo, score, customers, rescore; exit codes, stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from iqcadence_desktop.cli import main

S1_KEYS = {
    "name",
    "manager",
    "mrr",
    "arr",
    "logins_30d",
    "feature_adoption_pct",
    "open_tickets",
    "nps",
    "csat",
    "days_since_contact",
    "last_contact_date",
    "renewal_date",
    "months_to_renewal",
    "growth_signal",
    "tier",
    "tags",
    "lifecycle",
    "customer_since",
    "next_touch",
    "scoring_profile",
    "note",
    "sentiment",
}


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(*args: str, today: str = "2026-11-26") -> tuple[int, str, str]:
        code = main(["--db", str(db_path), "--today", today, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_score_creates_then_updates_with_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(
        "--json",
        "score",
        "Acme Corp",
        "--logins",
        "30",
        "--adoption",
        "80",
        "--tickets",
        "1",
        "--nps",
        "9",
        "--last-contact",
        "2026-11-16",
        "--growth",
        "na",
        "--arr",
        "120000",
        "--tier",
        "Mid-Market",
        "--manager",
        "Sarah Chen",
        "--tags",
        "vip|beta",
        "--renewal-date",
        "2027-01-15",
        "--next-touch",
        "2026-12-01",
        "--since",
        "2024-03-01",
        "--lifecycle",
        "active",
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {"id", "name", "score", "shown_score", "status", "coverage", "contributions"} <= set(
        data
    )
    assert data["created"] is True and data["mrr"] == 10000.0 and data["tier"] == "mid"
    assert data["days_since_contact"] == 10 and data["growth_signal"] == "na"
    assert data["coverage"] == pytest.approx(0.95)
    by_signal = {c["signal"]: c for c in data["contributions"]}
    assert set(by_signal) == {"logins", "adoption", "tickets", "nps", "csat", "days", "growth"}
    for entry in by_signal.values():
        assert {"signal", "value", "points", "weight", "contribution"} <= set(entry)
    assert by_signal["logins"]["points"] == 100.0 and by_signal["growth"]["contribution"] == 0
    assert sum(c["contribution"] for c in by_signal.values()) == pytest.approx(data["score"])

    code, out, _ = cli("--json", "score", "acme  corp", "--days", "0", "--score", "33.5")
    data = json.loads(out)
    assert data["created"] is False and data["score"] == 33.5 and data["manual_score"]
    assert data["shown_score"] == 34 and data["status"] == "at_risk"


def test_score_prints_a_breakdown_for_people(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("score", "Acme", "--logins", "15", "--nps", "10")
    assert code == 0
    assert "Created Acme: score 69 (Healthy), coverage 40%" in out
    assert "Logins (30 d)" in out and "NPS" in out


def test_unscored_customer(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--json", "score", "Empty Co", "--manager", "Sarah")
    data = json.loads(out)
    assert code == 0 and data["score"] is None and data["status"] == "unscored"


@pytest.mark.parametrize(
    ("flag", "value", "words"),
    [
        ("--nps", "11", "NPS: '11' is not allowed; a whole number from 0 to 10."),
        ("--adoption", "140", "a number from 0 to 100"),
        ("--logins", "-1", "Logins: '-1'"),
        ("--csat", "0", "from 1 to 5"),
        ("--tier", "galactic", "one of enterprise"),
        ("--renewal-date", "2026-02-30", "a real calendar date written YYYY-MM-DD"),
        ("--growth", "huge", "strong, mild, none, na"),
        ("--profile", "Nope", "no scoring profile named"),
    ],
)
def test_bad_input_exits_1_with_message_on_stderr(
    cli,
    flag: str,
    value: str,  # type: ignore[no-untyped-def]
    words: str,
) -> None:
    code, out, err = cli("--json", "score", "Acme", flag, value)
    assert code == 1 and out == ""
    assert err.startswith("iqcadence-cli: ") and words in err
    assert json.loads(cli("--json", "customers")[1]) == []  # nothing written


def test_wrong_usage_exits_2(cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["--today", "2026-02-30", "customers"])
    assert info.value.code == 2
    assert "not a date" in capsys.readouterr().err
    code, _, err = cli("demo", "--customers", "0")
    assert code == 2 and "at least 1" in err


def test_demo_customers_and_rescore(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--json", "demo", "--customers", "40", "--days", "14")
    assert code == 0 and json.loads(out) == {"customers": 40, "days": 14}
    code, out, _ = cli("--json", "customers")
    rows = json.loads(out)
    assert len(rows) == 40
    assert all(S1_KEYS | {"id", "score", "shown_score", "status"} <= set(r) for r in rows)
    names = {r["name"] for r in rows}
    assert {"Müller GmbH", "株式会社サンプル"} <= names
    critical = json.loads(cli("--json", "customers", "--status", "critical")[1])
    assert all(r["status"] == "critical" for r in critical)
    code, out, _ = cli("--json", "rescore")
    assert code == 0 and json.loads(out)["customers"] == 40
    code, out, _ = cli("customers")
    assert code == 0 and "CUS-000001" in out


def test_today_moves_decay(cli) -> None:  # type: ignore[no-untyped-def]
    cli("score", "Acme", "--logins", "30", "--days", "0")
    now = json.loads(cli("--json", "customers")[1])[0]
    later = json.loads(cli("--json", "customers", today="2027-02-24")[1])[0]
    assert now["days_since_contact"] == 0 and later["days_since_contact"] == 90
    assert later["score"] < now["score"]


def test_db_from_environment_and_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env_db = tmp_path / "env.sqlite3"
    monkeypatch.setenv("IQCADENCE_DB", str(env_db))
    assert main(["score", "From Env", "--logins", "3"]) == 0
    assert env_db.exists()
    url_db = tmp_path / "url.sqlite3"
    assert main(["--db", f"sqlite:///{url_db}", "score", "From Url"]) == 0
    assert url_db.exists()
    capsys.readouterr()
    assert main(["--json", "--db", f"sqlite:///{url_db}", "customers"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == ["From Url"]


def test_bad_database_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("hello")
    assert main(["--db", str(junk), "customers"]) == 1
    err = capsys.readouterr().err
    assert "not an SQLite file" in err and "Traceback" not in err


def _run(*args: str, env_db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IQCADENCE_DB": str(env_db)}
    script = Path(sys.executable).with_name("iqcadence-cli")  # the installed entry point
    return subprocess.run(
        [str(script), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_as_a_real_process(db_path: Path) -> None:
    done = _run(
        "--json", "--today", "2026-11-26", "score", "Acme", "--logins", "30", env_db=db_path
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["shown_score"] == 100
    bad = _run("score", "Acme", "--nps", "11", env_db=db_path)
    assert bad.returncode == 1 and bad.stdout == "" and "0 to 10" in bad.stderr
    assert "Traceback" not in bad.stderr
    usage = _run("nonsense", env_db=db_path)
    assert usage.returncode == 2 and "invalid choice" in usage.stderr


def test_cli_start_up_imports_no_service() -> None:
    """`iqcadence-cli --help` must stay instant (≤ 0.3 s in bench/cli.py): building the
    parser imports no database, numeric or report library."""
    # services.automations_due is the one service module allowed: standard library only,
    # so `run-due` can say "nothing is due" without loading the rest.
    code = (
        "import sys; from iqcadence_desktop.cli import build_parser; build_parser(); "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'numpy', "
        "'reportlab', 'PySide6', 'alembic') or (m.startswith('iqcadence_desktop.services.') "
        "and m != 'iqcadence_desktop.services.automations_due')); print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_cli_lists_match_the_services() -> None:
    from iqcadence_desktop.cli.data import EXPORT_FORMATS
    from iqcadence_desktop.cli.report import KIND_IDS
    from iqcadence_desktop.services.csv_io import FORMATS
    from iqcadence_desktop.services.reports import REPORT_KINDS

    assert tuple(k.id for k in REPORT_KINDS) == KIND_IDS
    assert EXPORT_FORMATS == FORMATS
    from iqcadence_desktop.cli import api, churn_model, integrations
    from iqcadence_desktop.services import api as api_service
    from iqcadence_desktop.services import integrations as integration_service
    from iqcadence_desktop.services import model

    assert (api.DEFAULT_PORT, api.API_KEY_ENV) == (
        api_service.DEFAULT_PORT,
        api_service.API_KEY_ENV,
    )
    assert integrations.SYSTEMS == integration_service.SYSTEMS
    assert integrations.LOOKBACKS == integration_service.LOOKBACKS
    assert churn_model.DEFAULT_HORIZON == model.DEFAULT_HORIZON
    from iqcadence_desktop.cli import connections, rules, schedules
    from iqcadence_desktop.services import automations

    assert tuple(automations.CONNECTION_KINDS) == connections.CONNECTION_KINDS
    assert tuple(automations.EMAIL_SECURITY) == connections.EMAIL_SECURITY
    assert {k: v.label for k, v in automations.EVENT_TYPES.items()} == rules.EVENT_LABELS
    assert tuple(automations.FIELDS) == rules.FIELDS
    assert tuple(automations.TIMINGS) == rules.TIMINGS
    assert tuple(automations.EVERY) == schedules.EVERY
    from iqcadence_desktop.cli import team
    from iqcadence_desktop.services.team import Role

    assert tuple(r.value for r in Role) == team.ROLES


def test_score_override_with_reason_and_last_day(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(
        "--json", "score", "Acme", "--logins", "10", "--score", "88",
        "--score-reason", "Exec sponsor signed", "--score-until", "2026-12-31",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["manual_score"] and data["override_until"] == "2026-12-31"
    assert data["override_reason"] == "Exec sponsor signed"
    code, out, _ = cli("score", "Acme")
    assert "set by hand until 2026-12-31: Exec sponsor signed" in out
