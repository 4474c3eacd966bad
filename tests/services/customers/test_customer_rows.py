"""The lean table rows agree with the full DTOs on every shared field."""

from __future__ import annotations

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers.query import CustomerFilter
from iqcadence_desktop.services.customers.rows import CustomerRow

SHARED = [f for f in CustomerRow._fields if f not in ("renewal_date", "deleted_at")]


def test_rows_match_dtos_for_a_sample_portfolio(services: Services) -> None:
    services.customers.load_sample(150, 10)
    first = services.customers.list_customers()[0]
    services.customers.update(first.id, {"score": 12.5})  # a manual override
    services.customers.trash([services.customers.list_customers()[1].id])
    dtos = services.customers.list_customers() + services.customers.list_customers(
        CustomerFilter(trash=True)
    )
    by_id = {d.id: d for d in dtos}
    rows = services.customer_rows.rows()
    assert len(rows) == len(dtos) == 150
    for row in rows:
        dto = by_id[row.id]
        assert {f: getattr(row, f) for f in SHARED} == {f: getattr(dto, f) for f in SHARED}
        assert row.renewal_date == (dto.renewal_date.isoformat() if dto.renewal_date else None)
        assert (row.deleted_at is None) == (dto.deleted_at is None)
    assert sum(r.manual_score for r in rows) == 1
    assert all(r.momentum is not None for r in rows)  # 10 days of history: all have one


def test_rows_honour_the_manager_filter(services: Services) -> None:
    services.customers.create({"name": "A", "manager": "Ana", "tags": "vip|beta"})
    services.customers.create({"name": "B", "manager": "Ben"})
    (row,) = services.customer_rows.rows(manager="Ana")
    assert (row.name, row.tags) == ("A", ("beta", "vip"))


def test_first_screenful_is_the_first_live_customers_by_name(services: Services) -> None:
    for name in ("Delta", "alpha", "Charlie", "bravo", "Echo"):
        services.customers.create({"name": name, "logins": 10, "manager": "Ana"})
    services.customers.trash([services.customers.find_id("alpha") or 0])
    first = services.customer_rows.rows(first=3)
    full = [r for r in services.customer_rows.rows() if r.deleted_at is None]
    assert [r.name for r in first] == [r.name for r in full][:3]
    assert all(r.deleted_at is None for r in first)
    assert first == full[:3]  # the same rows, field for field
    assert services.customer_rows.rows(manager="Nobody", first=3) == []
