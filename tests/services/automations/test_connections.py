"""Connections: checked when saved; secrets only in the secret store (or named env vars)."""

from __future__ import annotations

import json

import keyring.backends.null
import pytest

from iqcadence_desktop.errors import UserFacingError, ValidationError
from iqcadence_desktop.services.automations import (
    RETIRED_MESSAGE,
    AutomationService,
    ConnectionInput,
    sign,
)
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system import KeyringSecretStore
from tests.fakes.webhook_receiver import WebhookReceiver, expected_signature

from .conftest import SECRET, add_customer, health_rule, make_failing, webhook


@pytest.mark.parametrize(
    "url",
    [
        "https://contoso.webhook.office.com/webhookb2/1234@abcd/IncomingWebhook/xyz/9876",
        "https://outlook.office.com/webhook/1234@abcd/IncomingWebhook/xyz/9876",
    ],
)
def test_retired_teams_connector_urls_are_refused_plainly(
    automations: AutomationService, url: str
) -> None:
    with pytest.raises(ValidationError) as err:
        automations.connections.create(ConnectionInput("Teams", "teams", url=url))
    assert str(err.value) == RETIRED_MESSAGE
    assert "Post to a channel when a webhook request is received" in RETIRED_MESSAGE


def test_workflow_urls_and_https_rules(automations: AutomationService) -> None:
    workflow = (
        "https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/"
        "invoke?api-version=2016-06-01&sig=secret"
    )
    saved = automations.connections.create(ConnectionInput("Room", "teams", url=workflow))
    assert saved.destination() == "https://prod-01.westeurope.logic.azure.com:443/workflows/…"
    with pytest.raises(ValidationError, match="https://"):
        automations.connections.create(
            ConnectionInput("Plain", "slack", url="http://hooks.example.com/x")
        )


def test_webhook_needs_a_secret_or_a_variable(automations: AutomationService) -> None:
    with pytest.raises(ValidationError, match="signing secret"):
        automations.connections.create(ConnectionInput("Hook", "webhook", url="https://a.b/c"))
    saved = automations.connections.create(
        ConnectionInput("Hook", "webhook", url="https://a.b/c", secret_env="HOOK_SECRET")
    )
    assert saved.secret_state == "missing"


def test_secret_from_the_environment_at_send_time(
    services: Services,
    automations: AutomationService,
    hook: WebhookReceiver,
    environ: dict[str, str],
) -> None:
    cid = add_customer(services, "Headless")
    channel = automations.connections.create(
        ConnectionInput("Hook", "webhook", url=hook.url, secret_env="HOOK_SECRET")
    )
    health_rule(automations, channel.id)
    automations.run_due()
    make_failing(services, cid)
    first = automations.run_due()
    assert (first.sent, first.pending) == (0, 1)
    error = automations.log.entries()[0].last_error or ""
    assert "no signing secret" in error and "HOOK_SECRET is not set" in error
    assert hook.received == []

    environ["HOOK_SECRET"] = SECRET  # the scheduler's environment now has it
    entry = automations.log.entries()[0]
    assert entry.status == "pending"
    services.clock.at = entry.next_attempt_at  # type: ignore[attr-defined]
    assert automations.deliver_due().sent == 1
    assert hook.wait_for(1)[0].signature_ok


def test_no_keyring_and_no_variable_says_what_to_do(services: Services) -> None:
    store = KeyringSecretStore(backend=keyring.backends.null.Keyring())
    automations = AutomationService(
        services.db,
        services.clock,
        services.customers,
        services.reports,
        services.audit,
        services.events,
        store,
        services.scope,
    )
    with pytest.raises(UserFacingError) as err:
        automations.connections.create(
            ConnectionInput("Hook", "webhook", url="https://a.b/c", secret="s")
        )
    text = str(err.value)
    assert "No system keyring" in text and "--secret-env" in text
    assert automations.connections.all() == []  # nothing half-written


def test_secrets_never_reach_the_database_backups_or_the_log(
    services: Services, automations: AutomationService, hook: WebhookReceiver, tmp_path: object
) -> None:
    password = "smtp-pass-Zq8"
    automations.connections.create(
        ConnectionInput(
            "Mail",
            "email",
            host="127.0.0.1",
            port=1,
            user="bot",
            sender="bot@example.com",
            to=("ops@example.com",),
            secret=password,
        )
    )
    mail = automations.connections.find("Mail")
    cid = add_customer(services, "Secretive")
    health_rule(automations, webhook(automations, hook.url))
    automations.send_test(mail.id)  # fails: nothing listens on port 1
    automations.run_due()
    make_failing(services, cid)
    automations.run_due()
    assert hook.wait_for(1)[0].signature_ok

    raw = _stored_bytes(services)
    backup = json.dumps(services.backups.snapshot())
    log = json.dumps([a.error for a in automations.log.attempts()])
    for secret in (SECRET, password):
        assert secret.encode() not in raw
        assert secret not in backup and secret not in log


def test_connections_in_use_are_kept(services: Services, automations: AutomationService) -> None:
    channel = webhook(automations, "https://a.b/c")
    rule = health_rule(automations, channel)
    with pytest.raises(ValidationError, match="used by rule “Low health”"):
        automations.connections.remove(channel)
    automations.rules.delete(rule)
    assert automations.connections.remove(channel) == "Hook"
    assert services.secrets.get(f"automations.connection.{channel}") is None


def test_signature_is_hmac_of_timestamp_dot_body() -> None:
    body = b'{"event_id":"evt_1","type":"test"}'
    assert sign("s3cret", 1764158400, body) == expected_signature("s3cret", "1764158400", body)
    assert sign("s3cret", 1764158400, body) != sign("s3cret", 1764158401, body)


def _stored_bytes(services: Services) -> bytes:
    """Everything the database holds: the SQLite file (the WAL checkpointed into it), or
    on PostgreSQL a dump of every table."""
    if services.db.path is not None:
        services.db.close()
        return services.db.path.read_bytes()
    from iqcadence_desktop.models import Base

    with services.db.session() as s:
        rows = [repr(tuple(r)) for t in Base.metadata.sorted_tables for r in s.execute(t.select())]
    return "\n".join(rows).encode()
