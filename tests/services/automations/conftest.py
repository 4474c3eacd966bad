"""An automation service with short timeouts, UTC schedules and a seeded random source,
over the test database; helpers to make healthy and failing customers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest

from iqcadence_desktop.services.automations import (
    AutomationService,
    ConnectionInput,
    DeliverySettings,
    RuleDraft,
    trigger,
)
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.clock import FixedClock
from tests.fakes.smtp_server import client_ssl_context
from tests.fakes.webhook_receiver import WebhookReceiver

SECRET = "whsec-test-1234"
HEALTHY = {"logins": 30, "adoption": 90, "tickets": 0, "nps": 9}
FAILING = {"logins": 0, "adoption": 5, "tickets": 6, "nps": 2}


@pytest.fixture
def environ() -> dict[str, str]:
    """The environment the service reads `--secret-env` variables from."""
    return {}


@pytest.fixture
def automations(
    services: Services, clock: FixedClock, environ: dict[str, str]
) -> AutomationService:
    settings = DeliverySettings(
        http_timeout=(2.0, 2.0), smtp_timeout=5.0, ssl_context=client_ssl_context
    )
    return AutomationService(
        services.db,
        clock,
        services.customers,
        services.reports,
        services.audit,
        services.events,
        services.secrets,
        services.scope,
        settings=settings,
        tz=dt.UTC,
        rng=random.Random(16),
        environ=environ,
    )


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(SECRET) as receiver:
        yield receiver


def add_customer(services: Services, name: str, **fields: object) -> int:
    return services.customers.create({"name": name, **HEALTHY, **fields}).id


def make_failing(services: Services, customer_id: int, **fields: object) -> None:
    services.customers.update(customer_id, {**FAILING, **fields})


def webhook(automations: AutomationService, url: str, name: str = "Hook") -> int:
    return automations.connections.create(
        ConnectionInput(name, "webhook", url=url, secret=SECRET)
    ).id


def health_rule(
    automations: AutomationService,
    channel: int,
    timing: str = "realtime",
    name: str = "Low health",
    threshold: float = 50,
) -> int:
    draft = RuleDraft(
        name, (trigger("health_below", threshold),), timing=timing, channel_ids=(channel,)
    )
    return automations.rules.create(draft).id


def later(clock: FixedClock, seconds: float) -> None:
    """Move the clock forward within the day (retries, Retry-After)."""
    clock.at += dt.timedelta(seconds=seconds)
