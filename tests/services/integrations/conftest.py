"""Fixtures: the fake HubSpot, Salesforce and Stripe servers, and connected services."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from iqcadence_desktop.services.container import Services
from tests.conftest import TODAY
from tests.fakes.hubspot import FakeHubSpot
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.stripe import FakeStripe

#: Retries back off this little in tests (Retry-After is still honoured).
FAST = {"backoff": 0.01}


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    with FakeHubSpot() as fake:
        yield fake


@pytest.fixture
def salesforce() -> Iterator[FakeSalesforce]:
    with FakeSalesforce() as fake:
        yield fake


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    with FakeStripe() as fake:
        yield fake


def connect_hubspot(services: Services, fake: FakeHubSpot) -> None:
    services.integrations.connect(
        "hubspot", token="pat-na1-test", options={"base_url": fake.url, **FAST}
    )


def connect_stripe(services: Services, fake: FakeStripe) -> None:
    services.integrations.connect(
        "stripe", token="sk_test_fake", options={"base_url": fake.url, **FAST}
    )


def connect_salesforce(services: Services, fake: FakeSalesforce) -> None:
    """Headless route: a refresh token in the keyring (the browser flow has its own test)."""
    services.integrations.configure(
        "salesforce", {"login_url": fake.url, "client_id": fake.client_id, **FAST}
    )
    services.integrations.connect("salesforce", token=fake.grant_refresh_token())


__all__ = ["TODAY", "connect_hubspot", "connect_salesforce", "connect_stripe"]
