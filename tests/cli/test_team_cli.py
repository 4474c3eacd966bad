"""Team commands: clients on any database; users, sign-in and roles on a team database."""

from __future__ import annotations

import json

import pytest

from iqcadence_desktop.cli import main
from tests.conftest import drop_pg_database, new_pg_database


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.sqlite_only  # the single-user file case
def test_clients_and_client_option_on_a_single_user_file(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "--db", db_url, "client", "add", "Acme")[0] == 0
    code, out, _ = _run(
        capsys, "--db", db_url, "--json", "score", "Foo", "--logins", "9", "--client", "acme"
    )
    assert code == 0 and json.loads(out)["client_id"] == 2
    code, out, _ = _run(capsys, "--db", db_url, "--json", "client", "list")
    assert {c["name"]: c["customers"] for c in json.loads(out)} == {"Acme": 1, "Default": 0}
    code, _, err = _run(capsys, "--db", db_url, "user", "list")
    assert code == 1 and "Users exist only on a team database" in err
    code, _, err = _run(capsys, "--db", db_url, "score", "Bar", "--client", "Nope")
    assert code == 1 and 'There is no client "Nope"' in err


def test_every_command_on_a_team_database_runs_as_a_signed_in_user(
    pg_server: str | None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if pg_server is None:
        pytest.skip("needs PostgreSQL (make test-postgres)")
    url = new_pg_database(pg_server)
    try:
        monkeypatch.setenv("ADMIN_PW", "admin-pass-1")
        monkeypatch.setenv("CSM_PW", "csm-pass-12")
        code, _, err = _run(capsys, "--db", url, "customers")
        assert code == 1 and "no users yet" in err and "team init" in err
        assert (
            _run(
                capsys,
                "--db",
                url,
                "team",
                "init",
                "--admin",
                "a@t.io",
                "--password-env",
                "ADMIN_PW",
            )[0]
            == 0
        )
        code, _, err = _run(capsys, "--db", url, "customers")
        assert code == 1 and "--user EMAIL" in err
        monkeypatch.setenv("IQCADENCE_PASSWORD", "admin-pass-1")
        admin = ("--db", url, "--user", "a@t.io")
        for args in (
            ("client", "add", "Acme"),
            ("client", "add", "Globex"),
            (
                "user",
                "add",
                "c@t.io",
                "--role",
                "csm",
                "--clients",
                "Acme",
                "--password-env",
                "CSM_PW",
            ),
            ("demo", "--customers", "5", "--days", "2", "--client", "Globex"),
            ("score", "Mine", "--logins", "3", "--client", "Acme"),
        ):
            assert _run(capsys, *admin, *args)[0] == 0, args
        monkeypatch.setenv("IQCADENCE_PASSWORD", "csm-pass-12")
        csm = ("--db", url, "--user", "c@t.io", "--json")
        code, out, _ = _run(capsys, *csm, "customers")
        assert code == 0 and [c["name"] for c in json.loads(out)] == ["Mine"]
        code, _, err = _run(capsys, *csm, "user", "list")
        assert code == 1 and "Your role (csm) cannot manage users" in err
        monkeypatch.setenv("IQCADENCE_PASSWORD", "wrong")
        code, _, err = _run(capsys, *csm, "customers")
        assert code == 1 and "password is wrong" in err
    finally:
        drop_pg_database(pg_server, url)
