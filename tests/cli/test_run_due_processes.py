"""`run-due` as real processes: killed with SIGKILL between sending and confirming, and
two started at once. A message is sent at least once, never again after a confirmed
success, and two runners never send the same entry."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from iqcadence_desktop.services.automations import ConnectionInput, RuleDraft, trigger
from iqcadence_desktop.services.container import Services
from tests.fakes.webhook_receiver import WebhookReceiver

SECRET = "process-secret"
HEALTHY = {"logins": 30, "adoption": 90, "tickets": 0, "nps": 9}
FAILING = {"logins": 0, "adoption": 5, "tickets": 6, "nps": 2}
CLI = "import sys; from iqcadence_desktop.cli import main; sys.exit(main())"

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
    # The processes open the same SQLite file the test filled (the lease and the outbox
    # rows are the same SQL on PostgreSQL; there a run-due also signs in as a team user).
    pytest.mark.sqlite_only,
]


def _queue(services: Services, url: str, n: int) -> list[str]:
    """n webhook messages waiting in the outbox; the rule is then switched off so the
    runners under test only deliver."""
    automations = services.automations
    ids = [services.customers.create({"name": f"P{i}", **HEALTHY}).id for i in range(n)]
    channel = automations.connections.create(
        ConnectionInput("Hook", "webhook", url=url, secret_env="HOOK_SECRET")
    )
    rule = automations.rules.create(
        RuleDraft("Low", (trigger("health_below", 50),), channel_ids=(channel.id,))
    )
    automations.prepare_due()
    for cid in ids:
        services.customers.update(cid, FAILING)
    assert automations.prepare_due().events == n
    automations.rules.set_enabled(rule.id, False)
    return [e.event_id for e in automations.log.entries()]


def _start(db_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "HOOK_SECRET": SECRET}
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "--db", str(db_path), "--json", "run-due"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _finish(proc: subprocess.Popen[str]) -> dict[str, object]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    result: dict[str, object] = json.loads(out)
    return result


def test_kill_9_between_send_and_confirm(services: Services, db_path: Path) -> None:
    with WebhookReceiver(SECRET) as hook:
        [event_id] = _queue(services, hook.url, 1)
        release = hook.hold_next()  # the receiver has the message but has not answered
        victim = _start(db_path)
        hook.wait_for(1)
        os.kill(victim.pid, signal.SIGKILL)
        victim.communicate(timeout=30)
        assert victim.returncode == -signal.SIGKILL
        release.set()
        entry = services.automations.log.entries()[0]
        assert entry.status == "sending"  # sent, never confirmed

        again = _finish(_start(db_path))  # the dead runner's claim is taken over at once
        assert (again["sent"], again["pending"]) == (1, 0)
        assert hook.event_ids() == [event_id, event_id]  # at least once; same id to dedupe
        assert all(r.signature_ok for r in hook.received)

        after = _finish(_start(db_path))  # confirmed: never sent again
        assert after == {"events": 0, "sent": 0, "failed": 0, "pending": 0, "reports": 0}
        assert len(hook.received) == 2
    assert services.automations.log.entries()[0].status == "sent"


def test_two_run_due_at_once_never_double_send(services: Services, db_path: Path) -> None:
    with WebhookReceiver(SECRET) as hook:
        queued = _queue(services, hook.url, 5)
        release = hook.hold_next()  # keeps the first runner busy mid-delivery
        first = _start(db_path)
        hook.wait_for(1)
        second = _finish(_start(db_path))  # finds the lease taken and steps aside
        assert second["busy"] is True and second["sent"] == 0
        release.set()
        done = _finish(first)
        assert (done["sent"], done["pending"]) == (5, 0)
        assert sorted(hook.event_ids()) == sorted(queued)  # each exactly once
