"""`integration`, `sync`, `pull-history`, `api-key` and `serve` from the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from iqcadence_desktop.cli import main
from tests.fakes.hubspot import FakeHubSpot

TODAY = "2026-11-26"


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), "--today", TODAY, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    with FakeHubSpot() as fake:
        fake.populate(30, dt.date.fromisoformat(TODAY))
        yield fake


def test_connect_without_keyring_points_to_the_environment_variable(
    cli,
    hubspot: FakeHubSpot,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("pat-na1-test\n"))
    code, _, err = cli("integration", "connect", "hubspot", "--base-url", hubspot.url)
    assert code == 1 and "--token-env" in err and "No system keyring" in err


def test_connect_sync_status_and_history(
    cli, hubspot: FakeHubSpot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HUBSPOT_TOKEN", "pat-na1-test")
    code, out, _ = cli(
        "--json",
        "integration",
        "connect",
        "hubspot",
        "--token-env",
        "HUBSPOT_TOKEN",
        "--base-url",
        hubspot.url,
    )
    assert code == 0 and json.loads(out)["token_source"] == "environment variable HUBSPOT_TOKEN"
    code, out, _ = cli("--json", "sync", "hubspot", "--dry-run")
    preview = json.loads(out)
    assert code == 0 and preview["dry_run"] and preview["new"] == 30 and preview["changes"]
    code, out, _ = cli("sync", "all")
    assert code == 0 and "added 30" in out
    code, out, _ = cli("integration", "status")
    assert "HubSpot" in out and "environment variable HUBSPOT_TOKEN" in out and "last sync" in out
    code, out, _ = cli("--json", "pull-history", "hubspot", "--days", "30d")
    assert code == 0 and json.loads(out)["written"] > 0
    code, _, err = cli("pull-history", "stripe", "--days", "30")
    assert code == 1 and "Stripe is not connected" in err


def test_api_keys_and_serve(db_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--json", "api-key", "new", "--label", "Zapier")
    made = json.loads(out)
    assert code == 0 and made["key"].startswith("iqc_") and "shown once" in err
    code, out, _ = cli("api-key", "list")
    assert made["key_id"] in out and "Zapier" in out and made["key"] not in out
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from iqcadence_desktop.cli import main; sys.exit(main())",
            "--db",
            str(db_path),
            "serve",
            "--port",
            "0",
        ],
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        url = line.split(" on ")[1].split(" ")[0]
        r = requests.get(
            url, params={"action": "list_customers"}, headers={"x-api-key": made["key"]}, timeout=20
        )
        assert r.status_code == 200 and r.json()["total"] == 0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stderr is not None:
            proc.stderr.close()
    code, out, _ = cli("api-key", "revoke", made["key_id"])
    assert code == 0 and "Revoked 1 key" in out
    code, _, err = cli("api-key", "revoke", "nope")
    assert code == 1 and "no active API key" in err
