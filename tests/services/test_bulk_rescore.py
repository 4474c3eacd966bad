"""Bulk writes that go through executemany UPDATEs (sample portfolio, rescoring)."""

from __future__ import annotations

from iqcadence_desktop.services.container import Services


def test_sample_portfolio_loads_with_history(services: Services) -> None:
    assert services.customers.load_sample(30, 10) == 30
    rows = services.customers.list_customers()
    assert len(rows) == 30
    assert len(services.customers.history(rows[0].id)) == 10


def test_rescore_all_and_selected(services: Services) -> None:
    services.customers.load_sample(20, 3)
    assert services.customers.rescore_all().customers == 20
    ids = [c.id for c in services.customers.list_customers()[:5]]
    services.customers.trash(ids[:1])
    summary = services.customers.rescore_selected(ids)
    assert summary.customers == 4  # the trashed one is left alone
    assert services.audit.entries()[0].action == "bulk_rescore"
