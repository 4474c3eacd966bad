"""Stripe: MRR from items × quantity over the interval, in cents; never creates accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.integrations import IntegrationError, item_mrr
from tests.fakes.stripe import FakeStripe
from tests.services.integrations.conftest import TODAY, connect_stripe


def test_item_mrr_normalises_intervals() -> None:
    def item(
        unit: int, interval: str, count: int = 1, qty: int = 1, usage: str = "licensed"
    ) -> dict[str, object]:
        return {
            "quantity": qty,
            "price": {
                "unit_amount_decimal": str(unit),
                "recurring": {"interval": interval, "interval_count": count, "usage_type": usage},
            },
        }

    assert item_mrr(item(2000, "month", qty=3)) == Decimal(6000)
    assert item_mrr(item(120000, "year")) == Decimal(10000)
    assert item_mrr(item(30000, "month", count=3)) == Decimal(10000)
    assert round(item_mrr(item(1200, "week")), 6) == round(Decimal(1200) * 52 / 12, 6)
    assert item_mrr(item(500, "month", usage="metered")) == 0


@pytest.fixture
def billing(stripe: FakeStripe) -> FakeStripe:
    stripe.add_product("prod_ent", "Enterprise Plan")
    stripe.add_product("prod_pro", "Pro (monthly)")
    stripe.add_product("prod_seat", "Extra seats")
    for i in range(230):
        stripe.add_customer(
            f"cus_{i:04d}",
            f"Customer {i:04d}",
            f"billing{i}@example.com",
            TODAY - dt.timedelta(days=300 + i),
        )
    stripe.add_subscription(
        "sub_a",
        "cus_0000",
        [("prod_ent", 1_200_000, "year", 1, 1), ("prod_seat", 1500, "month", 1, 10)],
    )
    stripe.add_subscription(
        "sub_b", "cus_0001", [("prod_pro", 4900, "month", 1, 2)], status="trialing"
    )
    stripe.add_subscription(
        "sub_c", "cus_0002", [("prod_pro", 9900, "month", 1, 1)], currency="eur"
    )
    stripe.add_subscription(
        "sub_d", "cus_0003", [("prod_pro", 9900, "month", 1, 1)], status="canceled"
    )
    return stripe


def test_never_creates_accounts_and_matches_by_name_or_email(
    services: Services, billing: FakeStripe
) -> None:
    a = services.customers.create({"name": "Customer 0000"}).id
    b = services.customers.create({"name": "Beta Inc"}).id
    services.records.add_contact(b, {"name": "Ann", "email": "BILLING1@example.com"})
    connect_stripe(services, billing)
    result = services.integrations.sync("stripe")
    assert result.new == 0 and result.skipped >= 228
    customer = services.customers.get(a)
    assert customer.mrr_cents == 115_000  # 12,000.00 a year ÷ 12 + 10 seats × 15.00
    assert customer.tier == "enterprise"
    assert services.customers.get(b).mrr_cents == 0  # matched by its contact's email; trialing
    assert len(services.customers.list_customers()) == 2
    assert billing.count("/v1/customers") == 1 + 3  # the connect check, then 230 at 100 a page


def test_other_currency_and_non_paying_states(services: Services, billing: FakeStripe) -> None:
    for name in ("Customer 0001", "Customer 0002", "Customer 0003"):
        services.customers.create({"name": name, "mrr": 1})
    connect_stripe(services, billing)
    result = services.integrations.sync("stripe")
    by_name = {c.name: c.mrr_cents for c in services.customers.list_customers()}
    assert by_name["Customer 0001"] == 0  # trialing: no MRR yet (Stripe's own rule)
    assert by_name["Customer 0002"] == 100  # billed in EUR: left as it is
    assert by_name["Customer 0003"] == 0  # canceled
    assert any("EUR" in issue for issue in result.issues)


def test_wrong_key_is_explained(services: Services, stripe: FakeStripe) -> None:
    with pytest.raises(IntegrationError, match="Stripe refused the API key"):
        services.integrations.connect(
            "stripe", token="sk_test_wrong", options={"base_url": stripe.url}
        )


def test_5xx_is_retried_then_succeeds(services: Services, billing: FakeStripe) -> None:
    services.customers.create({"name": "Customer 0000"})
    connect_stripe(services, billing)
    billing.faults.rate_limited, billing.faults.retry_after = 2, None  # Stripe sends no Retry-After
    assert services.integrations.sync("stripe").changed == 1


def test_history_from_paid_invoices(services: Services, stripe: FakeStripe) -> None:
    stripe.add_customer("cus_1", "Acme", None, TODAY - dt.timedelta(days=400))
    stripe.add_subscription("sub_1", "cus_1", [("prod_x", 10000, "month", 1, 1)])
    start = TODAY - dt.timedelta(days=20)
    stripe.add_invoice("in_1", "cus_1", start, start + dt.timedelta(days=365), 1_200_000)
    services.customers.create({"name": "Acme"})
    connect_stripe(services, stripe)
    services.integrations.sync("stripe")
    result = services.integrations.pull_history("stripe", 30)
    assert result.written == 20
    history = {
        s.day: s.mrr_cents
        for s in services.customers.history(services.customers.find_id("Acme") or 0)
    }
    assert history[TODAY - dt.timedelta(days=5)] == 100_000  # a year's invoice ÷ 12
