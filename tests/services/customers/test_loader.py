"""The one customer read path: filters, the first screenful, and derived state that
agrees with the scalar rules in scoring.derived for every account."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers.query import CustomerFilter
from iqcadence_desktop.services.scoring import (
    band_for,
    cadence_status,
    days_until,
    expansion_estimate_cents,
    months_to_renewal,
    priority_score,
    renewal_window,
)


@pytest.mark.parametrize("days_later", [0, 240])
def test_every_derived_field_follows_the_scalar_rules(services: Services, days_later: int) -> None:
    services.customers.load_sample(150, 10)
    as_of = services.clock.today() + dt.timedelta(days=days_later)
    first = services.customers.list_customers()[0]
    services.customers.update(first.id, {"score": 12.5})  # a manual override
    cfg = services.config.current()
    dtos = services.customers.list_customers(CustomerFilter(trash=None), as_of)
    assert len(dtos) == 150
    for c in dtos:
        until = days_until(c.renewal_date, as_of)
        assert c.days_until_renewal == until
        assert c.months_to_renewal == months_to_renewal(c.renewal_date, as_of)
        assert c.renewal_window == renewal_window(until, cfg)
        missed = c.next_touch is not None and c.next_touch < as_of
        assert c.cadence_status == cadence_status(c.tier, c.days_since_contact, cfg, missed)
        assert c.status == band_for(c.score, cfg.bands)
        assert c.expansion_estimate_cents == expansion_estimate_cents(c.status, c.mrr_cents, cfg)
        assert c.priority == priority_score(c.score, c.mrr_cents, until, c.momentum, c.lifecycle)
    assert sum(c.manual_score for c in dtos) == 1
    # 10 days of history: today every account has a week-ago score, in 240 days none has.
    assert all((c.momentum is not None) == (days_later == 0) for c in dtos)


def test_trash_filter_live_only_trash_only_or_both(services: Services) -> None:
    services.customers.load_sample(20, 2)
    gone = services.customers.list_customers()[3].id
    services.customers.trash([gone])
    live = services.customers.list_customers()
    trashed = services.customers.list_customers(CustomerFilter(trash=True))
    both = services.customers.list_customers(CustomerFilter(trash=None))
    assert [c.id for c in trashed] == [gone] and trashed[0].deleted_at is not None
    assert gone not in {c.id for c in live}
    assert sorted(c.id for c in both) == sorted([*(c.id for c in live), gone])


def test_manager_and_tag_filters_and_sorted_tags(services: Services) -> None:
    services.customers.create({"name": "A", "manager": "Ana", "tags": "vip|beta"})
    services.customers.create({"name": "B", "manager": "Ben", "tags": "vip"})
    (row,) = services.customers.list_customers(CustomerFilter(manager="Ana"))
    assert (row.name, row.tags) == ("A", ("beta", "vip"))
    assert [c.name for c in services.customers.list_customers(CustomerFilter(tag="VIP"))] == [
        "A",
        "B",
    ]


def test_first_screenful_is_the_first_live_customers_by_name(services: Services) -> None:
    for name in ("Delta", "alpha", "Charlie", "bravo", "Echo"):
        services.customers.create({"name": name, "logins": 10, "manager": "Ana"})
    services.customers.trash([services.customers.find_id("alpha") or 0])
    everyone = CustomerFilter(trash=None)
    first = services.customers.list_customers(everyone, first=3)
    full = [c for c in services.customers.list_customers(everyone) if c.deleted_at is None]
    assert [c.name for c in first] == [c.name for c in full][:3]
    assert first == full[:3]  # the same rows, field for field
    nobody = CustomerFilter(manager="Nobody", trash=None)
    assert services.customers.list_customers(nobody, first=3) == []


def test_many_ids_are_filtered_beyond_the_sql_variable_limit(services: Services) -> None:
    services.customers.load_sample(30, 1)
    ids = tuple(c.id for c in services.customers.list_customers())
    wanted = (*ids[:5], *range(10_000, 16_000))  # more ids than one IN (...) may hold
    assert [c.id for c in services.customers.list_customers(CustomerFilter(ids=wanted))] == [
        c.id for c in services.customers.list_customers() if c.id in ids[:5]
    ]


def test_names_sort_naturally(services: Services) -> None:
    for name in ("Account 10", "account 9", "Account 100", "Beta", "Account 9b"):
        services.customers.create({"name": name})
    names = [c.name for c in services.customers.list_customers()]
    assert names == ["account 9", "Account 9b", "Account 10", "Account 100", "Beta"]
    first = services.customers.list_customers(CustomerFilter(trash=None), first=2)
    assert [c.name for c in first] == ["account 9", "Account 9b"]
