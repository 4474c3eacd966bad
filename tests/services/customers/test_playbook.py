"""Playbook rules: each fact of a customer's state suggests the right next action."""

from __future__ import annotations

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers.playbook import suggest
from iqcadence_desktop.services.scoring.config import ScoringConfig

HEALTHY = {
    "logins": 30,
    "adoption": 90,
    "tickets": 0,
    "nps": 9,
    "days": 2,
    "tier": "smb",
    "growth": "mild",
}


def _kinds(services: Services, **fields: object) -> list[str]:
    dto = services.customers.create({"name": "Acme", **HEALTHY, **fields})
    return [a.kind for a in suggest(dto, ScoringConfig())]


def test_a_healthy_recent_account_needs_nothing_urgent(services: Services) -> None:
    dto = services.customers.create({"name": "Fine", **HEALTHY, "growth": "none"})
    assert [a for a in suggest(dto, ScoringConfig()) if a.urgency == "now"] == []


def test_overdue_cadence_comes_first_with_numbers(services: Services) -> None:
    dto = services.customers.create({"name": "Quiet", **HEALTHY, "days": 60})
    first = suggest(dto, ScoringConfig())[0]
    assert first.kind == "cadence" and first.urgency == "now"
    assert "60 days" in first.reason and "45 days" in first.reason


def test_each_weak_signal_has_its_action(services: Services) -> None:
    kinds = _kinds(services, logins=2, adoption=10, tickets=4, nps=3, sentiment="negative")
    for kind in ("engagement", "adoption", "support", "nps", "sentiment"):
        assert kind in kinds


def test_renewal_window_and_expansion(
    services: Services,
) -> None:
    kinds = _kinds(services, renewal_date="2026-12-10", growth="strong", mrr=1000)
    assert "renewal" in kinds and "expansion" in kinds
    assert kinds.index("renewal") < kinds.index("expansion")  # urgent before opportunity


def test_churned_accounts_get_a_win_back_review_only(services: Services) -> None:
    dto = services.customers.create({"name": "Gone", "lifecycle": "churned", "nps": 0})
    assert [a.kind for a in suggest(dto, ScoringConfig())] == ["churned"]
