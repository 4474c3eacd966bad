"""Re-scoring the selected customers (a Customers page bulk action)."""

from __future__ import annotations

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.scoring import config as cfg


def test_rescore_selected_skips_trashed_and_audits(services: Services) -> None:
    services.customers.load_sample(20, 3)
    assert services.customers.rescore_all().customers == 20
    ids = [c.id for c in services.customers.list_customers()[:5]]
    services.customers.trash(ids[:1])
    summary = services.customers.rescore_selected(ids)
    assert summary.customers == 4  # the trashed one is left alone
    assert services.audit.entries()[0].action == "bulk_rescore"


def test_rescore_selected_changes_only_the_selection(services: Services) -> None:
    a = services.customers.create({"name": "A", "logins": 30, "tickets": 5}).id
    b = services.customers.create({"name": "B", "logins": 30, "tickets": 5}).id
    services.config.save(
        cfg.ScoringConfig(weights={**cfg.DEFAULT_WEIGHTS, "logins": 5, "tickets": 40})
    )
    services.customers.rescore_selected([a])
    history_a = services.customers.history(a)
    history_b = services.customers.history(b)
    assert history_a[-1].status == "critical"
    assert history_b[-1].status == "watch"  # stored state of B untouched until rescored


def test_rescore_selected_reads_large_selections_in_chunks(services: Services) -> None:
    services.customers.load_sample(40, 1)
    ids = [c.id for c in services.customers.list_customers()] + list(range(10_000, 45_000))
    assert services.customers.rescore_selected(ids).customers == 40
