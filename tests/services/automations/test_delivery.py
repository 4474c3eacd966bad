"""Delivering the outbox over real HTTP to a local receiver: offline then online, 429 with
Retry-After, backoff, permanent refusals and re-sending, one slow endpoint among others."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from email.utils import formatdate

from iqcadence_desktop.services.automations import AutomationService, ConnectionInput
from iqcadence_desktop.services.automations.outbox import retry_delay
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.clock import FixedClock
from tests.fakes.webhook_receiver import Reply, WebhookReceiver

from .conftest import SECRET, add_customer, health_rule, later, make_failing, webhook


def _one_event(services: Services, automations: AutomationService, url: str, n: int = 1) -> None:
    ids = [add_customer(services, f"Customer {i}") for i in range(n)]
    health_rule(automations, webhook(automations, url))
    automations.run_due()  # baseline
    for cid in ids:
        make_failing(services, cid)
    automations.prepare_due()


def _entry(automations: AutomationService, index: int = -1):  # type: ignore[no-untyped-def]
    return sorted(automations.log.entries(), key=lambda e: e.id)[index]


def test_offline_then_online_nothing_lost(
    services: Services, automations: AutomationService, clock: FixedClock
) -> None:
    receiver = WebhookReceiver(SECRET)
    port, url = receiver.port, receiver.url
    receiver.stop()  # nothing listens there now: we are "offline"
    _one_event(services, automations, url)

    offline = automations.deliver_due()
    assert (offline.sent, offline.failed, offline.pending) == (0, 1, 1)
    entry = _entry(automations)
    assert entry.status == "pending" and "Could not connect to 127.0.0.1" in (
        entry.last_error or ""
    )
    wait = (entry.next_attempt_at - clock.now()).total_seconds()
    assert 15 <= wait <= 30  # the first retry comes within 30 s
    assert automations.deliver_due().failed == 0  # not due yet: no attempt, nothing dropped

    with WebhookReceiver(SECRET, port=port) as back:
        later(clock, 31)
        online = automations.deliver_due()
        assert (online.sent, online.pending) == (1, 0)
        got = back.wait_for(1)[0]
    assert got.event_id == entry.event_id and got.signature_ok


def test_429_retry_after_seconds_defers_the_whole_connection(
    services: Services, automations: AutomationService, clock: FixedClock, hook: WebhookReceiver
) -> None:
    hook.reply(Reply(429, {"Retry-After": "120"}, b"slow down"))
    _one_event(services, automations, hook.url, n=2)
    first = automations.deliver_due()
    assert (first.sent, first.failed, first.pending) == (0, 1, 2)
    assert len(hook.received) == 1  # the second message was not thrown at a 429 too
    for e in automations.log.entries():
        assert e.next_attempt_at == clock.now() + dt.timedelta(seconds=120)
    later(clock, 60)
    assert automations.deliver_due().sent == 0
    later(clock, 61)
    assert automations.deliver_due().sent == 2
    attempts = automations.log.attempts()
    assert [a.status_code for a in attempts if a.outcome == "retry"] == [429]


def test_429_retry_after_http_date(
    services: Services, automations: AutomationService, clock: FixedClock, hook: WebhookReceiver
) -> None:
    hook.reply(Reply(429, {"Retry-After": formatdate(time.time() + 600, usegmt=True)}))
    _one_event(services, automations, hook.url)
    automations.deliver_due()
    wait = (_entry(automations).next_attempt_at - clock.now()).total_seconds()
    assert 590 <= wait <= 601


def test_server_errors_back_off_doubling(
    services: Services, automations: AutomationService, clock: FixedClock, hook: WebhookReceiver
) -> None:
    hook.reply(*(Reply(500) for _ in range(3)))
    _one_event(services, automations, hook.url)
    waits = []
    for _ in range(3):
        automations.deliver_due()
        entry = _entry(automations)
        waits.append((entry.next_attempt_at - clock.now()).total_seconds())
        clock.at = entry.next_attempt_at
    assert 15 <= waits[0] <= 30 and 30 <= waits[1] <= 60 and 60 <= waits[2] <= 120
    assert automations.deliver_due().sent == 1


def test_backoff_is_capped_at_an_hour_and_jittered() -> None:
    rng = random.Random(3)
    late = [retry_delay(n, rng) for n in range(10, 30)]
    assert all(1800 <= d <= 3600 for d in late) and len(set(late)) == len(late)


def test_permanent_refusal_is_dead_until_resent(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    hook.reply(Reply(410, body=b"gone"))
    _one_event(services, automations, hook.url)
    result = automations.deliver_due()
    assert (result.failed, result.pending) == (1, 0)
    dead = _entry(automations)
    assert dead.status == "dead" and "410" in (dead.last_error or "")
    assert automations.deliver_due().failed == 0  # dead entries are not retried by themselves
    attempt = automations.log.attempts()[0]
    assert attempt.resendable and attempt.status_code == 410

    automations.log.resend(dead.id)
    assert automations.deliver_due().sent == 1
    assert hook.event_ids() == [dead.event_id, dead.event_id]  # the same event, twice
    assert "automation_resent" in [e.action for e in services.audit.entries()]


def test_one_slow_endpoint_never_blocks_the_others(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    with WebhookReceiver(SECRET) as slow:
        release = slow.hold_next()
        cid = add_customer(services, "Shared")
        for url, name in ((slow.url, "Slow"), (hook.url, "Fast")):
            health_rule(automations, webhook(automations, url, name), name=f"Rule {name}")
        automations.run_due()
        make_failing(services, cid)
        automations.prepare_due()
        done: list[object] = []
        runner = threading.Thread(target=lambda: done.append(automations.deliver_due()))
        runner.start()
        slow.wait_for(1)
        hook.wait_for(1, timeout=1.5)  # arrives while the slow one still hangs (2 s timeout)
        assert not release.is_set() and runner.is_alive()
        runner.join(10)
        release.set()
    result = done[0]
    assert (result.sent, result.failed) == (1, 1)  # type: ignore[attr-defined]
    slow_entry = [e for e in automations.log.entries() if e.connection == "Slow"][0]
    assert slow_entry.status == "pending" and "did not answer" in (slow_entry.last_error or "")


def test_slack_and_teams_messages(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    slack = automations.connections.create(ConnectionInput("Chat", "slack", url=hook.url))
    teams = automations.connections.create(ConnectionInput("Room", "teams", url=hook.url))
    assert automations.send_test(slack.id).ok and automations.send_test(teams.id).ok
    block_kit, envelope = (r.json for r in hook.wait_for(2))
    assert block_kit["blocks"][0]["type"] == "header" and "Test message" in block_kit["text"]
    card = envelope["attachments"][0]
    assert envelope["type"] == "message"
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard" and card["content"]["body"]


def test_messages_of_a_removed_connection_fail_with_a_reason(
    services: Services, automations: AutomationService
) -> None:
    _one_event(services, automations, "https://hooks.example.com/never", n=1)
    [rule] = automations.rules.all()
    automations.rules.delete(rule.id)
    automations.connections.remove(rule.channels[0].id)
    result = automations.deliver_due()
    assert (result.sent, result.pending) == (0, 0)
    [entry] = automations.log.entries()
    assert entry.status == "dead" and "connection was removed" in (entry.last_error or "")
