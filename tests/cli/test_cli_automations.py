"""`connection`, `rule`, `schedule`, `outbox` and `run-due` from the command line."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from iqcadence_desktop.cli import main
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.system import AuditFilter, AuditLog, FixedClock
from tests.fakes.smtp_server import SmtpServer
from tests.fakes.webhook_receiver import Reply, WebhookReceiver

SECRET = "cli-secret-42"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str, today: str = "2026-11-26") -> tuple[int, str, str]:
        code = main(["--db", str(db_path), "--today", today, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    with WebhookReceiver(SECRET) as receiver:
        yield receiver


def _json(result: tuple[int, str, str]) -> object:
    code, out, err = result
    assert code == 0, err
    return json.loads(out)


def _actions(db_path: Path) -> list[str]:
    db = open_database(db_path)
    try:
        audit = AuditLog(db, FixedClock(dt.date(2026, 11, 26)), lambda: "t")
        return [e.action for e in audit.entries(AuditFilter())]
    finally:
        db.close()


def test_connection_and_rules_end_to_end(cli: Run, hook: WebhookReceiver, db_path: Path) -> None:
    added = _json(
        cli(
            "--json",
            "connection",
            "add",
            "Ops hook",
            "--kind",
            "webhook",
            "--url",
            hook.url,
            "--secret-env",
            "HOOK_SECRET",
        )
    )
    assert added["secret"] == "env" and added["secret_env"] == "HOOK_SECRET"  # type: ignore[index]
    assert [c["name"] for c in _json(cli("connection", "list", "--json"))] == ["Ops hook"]  # type: ignore[union-attr]
    tested = _json(cli("connection", "test", "Ops hook", "--json"))
    assert tested["ok"] is True and hook.wait_for(1)[0].signature_ok  # type: ignore[index]

    for name in ("Alpha", "Beta"):
        cli(
            "score",
            name,
            "--logins",
            "30",
            "--adoption",
            "90",
            "--tickets",
            "0",
            "--nps",
            "9",
            "--tier",
            "enterprise",
        )
    rule = _json(
        cli(
            "rule",
            "add",
            "Low health",
            "--event",
            "health_below",
            "--threshold",
            "45",
            "--channel",
            "Ops hook",
            "--json",
        )
    )
    assert rule["description"] == "Health score below 45" and rule["matches_today"] == 0  # type: ignore[index]
    custom = _json(
        cli(
            "rule",
            "add-custom",
            "Enterprise drops",
            "--when",
            "tier = enterprise and score < 40 or nps <= 6",
            "--channel",
            "Ops hook",
            "--timing",
            "daily",
            "--json",
        )
    )
    assert custom["description"] == (  # type: ignore[index]
        "Enterprise accounts with a health score below 40, or accounts with NPS 6 or lower"
    )
    first = _json(cli("--json", "run-due"))
    assert first == {"events": 0, "sent": 0, "failed": 0, "pending": 0, "reports": 0}

    cli("score", "Alpha", "--logins", "0", "--adoption", "5", "--tickets", "6", "--nps", "2")
    second = _json(cli("--json", "run-due"))
    assert second == {"events": 2, "sent": 1, "failed": 0, "pending": 0, "reports": 0}
    assert hook.wait_for(2)[1].json["type"] == "health_below"
    outbox = _json(cli("outbox", "--json"))
    assert [e["status"] for e in outbox] == ["sent", "sent"]  # type: ignore[union-attr]

    assert _json(cli("rule", "disable", "Low health", "--json"))["enabled"] is False  # type: ignore[index]
    listed = _json(cli("rule", "list", "--json"))
    assert [(r["name"], r["enabled"]) for r in listed] == [  # type: ignore[union-attr]
        ("Enterprise drops", True),
        ("Low health", False),
    ]
    assert _json(cli("rule", "remove", "Low health", "--json")) == {"removed": "Low health"}
    actions = _actions(db_path)
    for action in (
        "automation_connection_added",
        "automation_rule_added",
        "automation_rule_disabled",
        "automation_rule_removed",
        "automations_run",
    ):
        assert action in actions


def test_plain_messages_for_mistakes(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = cli("connection", "add", "H", "--kind", "webhook", "--url", "https://x.y/z")
    assert code == 1 and "--secret-env VAR" in err
    code, _, err = cli(
        "connection",
        "add",
        "T",
        "--kind",
        "teams",
        "--url",
        "https://acme.webhook.office.com/webhookb2/abc",
    )
    assert code == 1 and "retired" in err
    code, _, err = cli("rule", "add", "R", "--event", "no_contact", "--channel", "Nowhere")
    assert code == 1 and 'No connection is named "Nowhere"' in err
    monkeypatch.setenv("S", "x")
    cli(
        "connection", "add", "H", "--kind", "webhook", "--url", "https://x.y/z", "--secret-env", "S"
    )
    code, _, err = cli("rule", "add-custom", "R", "--when", "tier = gold", "--channel", "H")
    assert code == 1 and '"gold" is not one of' in err
    code, _, err = cli(
        "rule", "add", "R", "--event", "score_drop", "--threshold", "500", "--channel", "H"
    )
    assert code == 1 and "from 1 to 100 points" in err
    with pytest.raises(SystemExit) as usage:
        cli("rule", "add", "R", "--event", "score_drop")
    assert usage.value.code == 2
    code, _, err = cli("schedule", "add", "at-risk", "--every", "daily", "--to", "a@b.co")
    assert code == 1 and "Add an email connection first" in err


def test_schedule_outbox_and_resend(cli: Run, hook: WebhookReceiver) -> None:
    with SmtpServer("plain") as smtp:  # a local relay: no TLS to set up for the CLI
        cli(
            "connection",
            "add",
            "Mail",
            "--kind",
            "email",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(smtp.port),
            "--security",
            "none",
            "--from",
            "r@example.com",
            "--to",
            "team@example.com",
        )
        saved = _json(
            cli(
                "schedule",
                "add",
                "at-risk",
                "--every",
                "weekly",
                "--day",
                "friday",
                "--at",
                "08:00",
                "--to",
                "boss@example.com, cfo@example.com",
                "--format",
                "csv",
                "--json",
            )
        )
        assert saved["to"] == ["boss@example.com", "cfo@example.com"]  # type: ignore[index]
        assert saved["via"] == "Mail"  # type: ignore[index]
        # A week later the Friday run is due, whatever this machine's time zone.
        ran = _json(cli("--json", "run-due", today="2026-12-03"))
        assert ran == {"events": 0, "sent": 1, "failed": 0, "pending": 0, "reports": 1}
        [attachment] = list(smtp.messages[0].iter_attachments())
        assert attachment.get_filename() == "at-risk-2026-11-27.csv"

    hook.reply(Reply(404))
    cli(
        "connection",
        "add",
        "Ops",
        "--kind",
        "webhook",
        "--url",
        hook.url,
        "--secret-env",
        "HOOK_SECRET",
    )
    assert cli("connection", "test", "Ops")[0] == 1
    dead = _json(cli("outbox", "--status", "dead", "--json"))
    assert len(dead) == 1 and "404" in dead[0]["last_error"]  # type: ignore[index, arg-type]
    again = _json(cli("outbox", "resend", str(dead[0]["id"]), "--json"))  # type: ignore[index]
    assert again[0]["status"] == "pending"  # type: ignore[index]
    assert _json(cli("--json", "run-due"))["sent"] == 1  # type: ignore[index]


def test_idle_run_due_never_loads_the_app(db_path: Path) -> None:
    assert main(["--db", str(db_path), "demo", "--customers", "5", "--days", "2"]) == 0
    code = (
        "import contextlib, io, json, sys\n"
        "from iqcadence_desktop.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    main(['--db', {str(db_path)!r}, '--json', 'run-due'])\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'numpy', 'requests') if m in sys.modules)\n"
        "print(json.dumps({'result': json.loads(out.getvalue()), 'loaded': heavy}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    assert report["result"] == {"events": 0, "sent": 0, "failed": 0, "pending": 0, "reports": 0}
    assert report["loaded"] == []
