"""A small portfolio with known figures, and a sample one with history."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.services.container import Services
from tests.conftest import TODAY

GOOD = {"logins": 30, "adoption": 90, "tickets": 0, "nps": 10, "growth": "strong"}
BAD = {"logins": 1, "adoption": 10, "tickets": 6, "nps": 2, "growth": "none"}


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def known(services: Services) -> Services:
    """Five accounts: Ann has two enterprise accounts (one at risk), Ben two SMB accounts
    and one churned mid-market account; tags overlap."""
    add = services.customers.create
    add(
        {
            "name": "A1",
            "manager": "Ann",
            "tier": "enterprise",
            "mrr": "1000",
            "tags": "vip|emea",
            "renewal_date": day(3),
            "last_contact": day(-1),
            **GOOD,
        }
    )
    add(
        {
            "name": "A2",
            "manager": "Ann",
            "tier": "enterprise",
            "mrr": "3000",
            "tags": "vip",
            "next_touch": day(2),
            "last_contact": day(-40),
            **BAD,
        }
    )
    add(
        {
            "name": "B1",
            "manager": "Ben",
            "tier": "smb",
            "mrr": "200",
            "tags": "emea",
            "last_contact": day(-3),
            **GOOD,
        }
    )
    add(
        {
            "name": "B2",
            "manager": "Ben",
            "tier": "smb",
            "mrr": "100",
            "last_contact": day(-2),
            **BAD,
        }
    )
    add(
        {
            "name": "B3",
            "manager": "Ben",
            "tier": "mid",
            "mrr": "500",
            "lifecycle": "churned",
            "last_contact": day(-1),
            **GOOD,
        }
    )
    return services


@pytest.fixture
def sample(services: Services) -> Services:
    services.customers.load_sample(60, 45, seed=3)
    return services
