"""Rules fire on transitions: a baseline first, then once per condition that starts to
hold; custom rules with OR groups; scopes, tokens, bursts, and the same transaction."""

from __future__ import annotations

import pytest

from iqcadence_desktop.services.automations import (
    AutomationService,
    ConnectionInput,
    RuleDraft,
    parse_when,
    trigger,
)
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.clock import FixedClock
from tests.fakes.webhook_receiver import WebhookReceiver

from .conftest import add_customer, health_rule, make_failing, webhook


def test_first_run_is_a_baseline_then_each_transition_fires_once(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    already = add_customer(services, "Already Bad")
    make_failing(services, already)
    fine = add_customer(services, "Fine Corp")
    health_rule(automations, webhook(automations, hook.url))
    first = automations.run_due()
    assert (first.events, first.sent) == (0, 0)  # what matched before the rule is not news

    make_failing(services, fine)
    second = automations.run_due()
    assert (second.events, second.sent, second.failed) == (1, 1, 0)
    body = hook.wait_for(1)[0].json
    assert body["type"] == "health_below"
    assert body["customer"]["name"] == "Fine Corp"
    assert set(body) == {"event_id", "type", "occurred_at", "customer", "rule"}
    assert automations.run_due().events == 0  # still failing: no new transition

    services.customers.update(fine, {"logins": 30, "adoption": 90, "tickets": 0, "nps": 9})
    assert automations.run_due().events == 0  # recovered
    make_failing(services, fine)
    assert automations.run_due().events == 1  # and failed again: a new transition
    assert len(hook.event_ids()) == 2 and len(set(hook.event_ids())) == 2


def test_custom_rule_with_two_or_groups(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    big = add_customer(services, "Big Enterprise", tier="enterprise", mrr=20000)
    unhappy = add_customer(services, "Unhappy Payer", tier="smb", mrr=2000)
    small = add_customer(services, "Small Failing", tier="smb", mrr=100)
    rule = RuleDraft(
        "Watch list",
        groups=parse_when("tier = enterprise and score < 40 or nps <= 6 and mrr >= 1000"),
        channel_ids=(webhook(automations, hook.url),),
    )
    automations.rules.create(rule)
    automations.run_due()  # baseline: nothing matches yet

    make_failing(services, big)  # group 1 (enterprise and score < 40)
    services.customers.update(unhappy, {"nps": 3})  # group 2 only: its score stays high
    make_failing(services, small)  # neither: not enterprise, and MRR under 1,000
    result = automations.run_due()

    assert (result.events, result.sent) == (2, 2)
    names = sorted(r.json["customer"]["name"] for r in hook.wait_for(2))
    assert names == ["Big Enterprise", "Unhappy Payer"]
    assert {r.json["type"] for r in hook.received} == {"custom"}
    assert all(r.signature_ok for r in hook.received)


def test_live_count_of_a_draft(services: Services, automations: AutomationService) -> None:
    for i in range(3):
        make_failing(services, add_customer(services, f"Failing {i}", tier="enterprise"))
    add_customer(services, "Healthy", tier="enterprise")
    matcher = automations.live_matcher()
    spec = automations_spec("tier = enterprise and score < 40")
    assert (matcher.count(spec), matcher.total) == (3, 4)


def automations_spec(text: str):  # type: ignore[no-untyped-def]
    from iqcadence_desktop.services.automations import RuleSpec

    return RuleSpec((), parse_when(text), None)


def test_became_at_risk_then_critical_fires_twice(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    cid = add_customer(services, "Sliding Co")
    draft = RuleDraft(
        "Bands", (trigger("became_at_risk"),), channel_ids=(webhook(automations, hook.url),)
    )
    automations.rules.create(draft)
    automations.run_due()
    services.customers.update(cid, {"logins": 10, "adoption": 40, "tickets": 2, "nps": 7})
    assert services.customers.get(cid).status == "at_risk"
    automations.run_due()
    make_failing(services, cid)
    automations.run_due()
    titles = [r.json["customer"]["status"] for r in hook.wait_for(2)]
    assert titles == ["at_risk", "critical"]


def test_manager_scope_and_churned_accounts(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    dana = add_customer(services, "Dana's", manager="Dana")
    other = add_customer(services, "Other's", manager="Sam")
    churned = add_customer(services, "Gone", manager="Dana")
    channel = webhook(automations, hook.url)
    draft = RuleDraft(
        "Dana low", (trigger("health_below", 50),), manager="dana", channel_ids=(channel,)
    )
    automations.rules.create(draft)
    automations.rules.create(
        RuleDraft("Churn", (trigger("lifecycle_change"),), channel_ids=(channel,))
    )
    automations.run_due()
    for cid in (dana, other):
        make_failing(services, cid)
    make_failing(services, churned, lifecycle="churned")
    automations.run_due()
    got = sorted((r.json["rule"]["name"], r.json["customer"]["name"]) for r in hook.wait_for(4))
    # Failing active accounts turn atrisk (a lifecycle change too); the churned one raises
    # only its churn, not low health, and Sam's account stays out of Dana's rule.
    assert got == [
        ("Churn", "Dana's"),
        ("Churn", "Gone"),
        ("Churn", "Other's"),
        ("Dana low", "Dana's"),
    ]
    churn = {r.json["customer"]["name"]: r.json["customer"]["lifecycle"] for r in hook.received}
    assert churn["Gone"] == "churned" and churn["Other's"] == "atrisk"


def test_nothing_is_evaluated_until_something_changes(
    services: Services, automations: AutomationService, clock: FixedClock
) -> None:
    add_customer(services, "Steady")
    channel = automations.connections.create(
        ConnectionInput("Hook", "webhook", url="https://example.invalid/h", secret="s")
    ).id
    health_rule(automations, channel)
    assert automations.due_work().rules == 1
    automations.prepare_due()
    assert not automations.due_work().any
    add_customer(services, "Newcomer")  # any audited change
    assert automations.due_work().rules == 1
    automations.prepare_due()
    clock.advance(1)  # a new day: scores decay, renewals come closer
    assert automations.due_work().rules == 1


def test_a_burst_is_one_chat_message_but_every_webhook_call(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    ids = [add_customer(services, f"Account {i:02d}") for i in range(25)]
    with WebhookReceiver() as slack:
        chat = automations.connections.create(ConnectionInput("Team", "slack", url=slack.url)).id
        draft = RuleDraft(
            "Low",
            (trigger("health_below", 50),),
            channel_ids=(chat, webhook(automations, hook.url)),
        )
        automations.rules.create(draft)
        automations.run_due()
        for cid in ids:
            make_failing(services, cid)
        result = automations.run_due()
        assert (result.events, result.sent) == (25, 26)
        message = slack.wait_for(1)[0].json
        assert "25 accounts just matched" in message["text"]
        assert len(hook.wait_for(25)) == 25


def test_events_and_outbox_are_written_together(
    services: Services,
    automations: AutomationService,
    hook: WebhookReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cid = add_customer(services, "Atomic")
    health_rule(automations, webhook(automations, hook.url))
    automations.run_due()
    make_failing(services, cid)

    def broken(*_args: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr("iqcadence_desktop.services.automations.engine.enqueue", broken)
    with pytest.raises(OSError):
        automations.prepare_due()
    assert automations.log.entries() == []
    monkeypatch.undo()
    result = automations.run_due()  # the transition was not lost with the failed write
    assert (result.events, result.sent) == (1, 1)


def test_edits_and_toggles_start_a_new_baseline(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    cid = add_customer(services, "Quiet")
    rule_id = health_rule(automations, webhook(automations, hook.url))
    automations.run_due()
    automations.rules.set_enabled(rule_id, False)
    make_failing(services, cid)
    automations.run_due()
    automations.rules.set_enabled(rule_id, True)
    assert automations.run_due().events == 0  # matched while off: part of the new baseline
    actions = [e.action for e in services.audit.entries()]
    assert "automation_rule_disabled" in actions and "automation_rule_enabled" in actions


def test_a_change_during_a_preload_is_seen_next_time(
    services: Services, automations: AutomationService, hook: WebhookReceiver
) -> None:
    cid = add_customer(services, "Moving")
    health_rule(automations, webhook(automations, hook.url))
    automations.run_due()
    make_failing(services, cid)
    preload = automations.preload()  # read ahead (the app does this off the write lane)
    assert preload is not None
    late = add_customer(services, "Late arrival")  # changes after the accounts were read
    make_failing(services, late)
    assert automations.prepare_due(preload).events == 1  # what the preload saw
    assert automations.due_work().rules == 1  # the later change is not lost
    assert automations.prepare_due().events == 1
    assert automations.prepare_due().events == 0  # a last look after its own audit entry
    assert automations.preload() is None  # all caught up
