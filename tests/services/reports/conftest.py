"""A small portfolio with two weeks of history, including accented and CJK names."""

from __future__ import annotations

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.clock import FixedClock

UNICODE_NAMES = ("Müller GmbH", "株式会社サンプル")


@pytest.fixture
def portfolio(services: Services, clock: FixedClock) -> Services:
    """40 sample accounts with 14 days of history, plus edge cases we control exactly."""
    services.customers.load_sample(customers=40, days=14, seed=3)
    c = services.customers
    c.save_by_name(
        {
            "name": "Müller GmbH",
            "logins": 2,
            "nps": 3,
            "tickets": 6,
            "mrr": 1500,
            "manager": "Ana Ruiz",
            "lifecycle": "active",
        }
    )
    c.save_by_name(
        {
            "name": "株式会社サンプル",
            "logins": 30,
            "adoption": 90,
            "nps": 10,
            "tickets": 0,
            "mrr": 900,
            "manager": "Ana Ruiz",
        }
    )
    c.save_by_name(
        {
            "name": "Gone Ltd",
            "logins": 0,
            "adoption": 1,
            "tickets": 9,
            "nps": 0,
            "mrr": 5000,
            "manager": "Ana Ruiz",
            "lifecycle": "churned",
        }
    )
    c.save_by_name(
        {
            "name": "Won Back Co",
            "logins": 0,
            "adoption": 2,
            "tickets": 9,
            "nps": 0,
            "mrr": 700,
            "manager": "Ana Ruiz",
            "lifecycle": "won",
        }
    )
    return services
