"""What-if, manager admin, data health and profile assignment on a real SQLite file."""

from __future__ import annotations

import dataclasses

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.portfolio.data_health import fold_name
from iqcadence_desktop.services.portfolio.service import DailyPoint


def _add(services: Services, name: str, **fields: object) -> int:
    return services.customers.create({"name": name, **fields}).id


@pytest.fixture
def book(services: Services) -> dict[str, int]:
    """Four accounts: logins-heavy and adoption-heavy ones react oppositely to weights."""
    return {
        "logins": _add(
            services, "Logins Ltd", manager="Ana", mrr=1000, logins=30, adoption=0, tier="smb"
        ),
        "adopt": _add(
            services, "Adopt Co", manager="Ana", mrr=2000, logins=0, adoption=100, tier="mid"
        ),
        "ben": _add(
            services, "Ben Works", manager="Ben", mrr=500, logins=15, adoption=50, tier="enterprise"
        ),
        "empty": _add(services, "Empty Inc"),
    }


def test_what_if_counts_band_moves_and_revenue_at_risk(
    services: Services, book: dict[str, int]
) -> None:
    current = services.config.current()
    weights = {
        **current.weights,
        "logins": 100,
        "adoption": 0,
        "tickets": 0,
        "nps": 0,
        "days": 0,
        "growth": 0,
    }
    result = services.what_if.preview(dataclasses.replace(current, weights=weights))
    # Before: both one-signal accounts score 50 (watch); after: 100 and 0.
    assert result.before_counts == {"watch": 3, "unscored": 1}
    assert result.moves == {("watch", "expansion"): 1, ("watch", "critical"): 1}
    assert result.band_changes == 2
    assert result.revenue_at_risk_before_cents == 0
    assert result.revenue_at_risk_after_cents == 200000
    assert services.audit.entries()[0].action == "customer_created"  # nothing written


def test_rename_manager_is_audited_and_refuses_existing_name(
    services: Services, book: dict[str, int]
) -> None:
    assert services.managers.rename("Ana", "  Ana   Lopez ") == 2
    assert [(m.name, m.accounts) for m in services.managers.managers()] == [
        ("Ana Lopez", 2),
        ("Ben", 1),
    ]
    entry = services.audit.entries()[0]
    assert (entry.action, entry.details) == ("manager_renamed", {"from": "Ana", "to": "Ana Lopez"})
    with pytest.raises(ValidationError, match="merge"):
        services.managers.rename("Ben", "Ana Lopez")


def test_merge_moves_books_and_rebuilds_rollup(services: Services, book: dict[str, int]) -> None:
    assert services.managers.merge(["Ben"], "Ana") == 1
    assert [(m.name, m.accounts) for m in services.managers.managers()] == [("Ana", 3)]
    assert services.audit.entries()[0].action == "managers_merged"
    daily: list[DailyPoint] = services.portfolio.daily(1, manager="Ana")
    assert daily[-1].customers == 3
    assert services.portfolio.daily(1, manager="Ben") == []


def test_reassign_writes_one_entry_per_account(services: Services, book: dict[str, int]) -> None:
    moved = services.managers.reassign([book["ben"], book["empty"]], "Cleo")
    assert moved == 2
    entries = [e for e in services.audit.entries() if e.action == "customer_reassigned"]
    assert sorted(e.customer_id for e in entries if e.customer_id) == sorted(
        [book["ben"], book["empty"]]
    )
    assert services.customers.get(book["ben"]).manager == "Cleo"
    with pytest.raises(ValidationError):
        services.managers.reassign([book["ben"]], "   ")


def test_data_health_findings(services: Services, book: dict[str, int]) -> None:
    _add(services, "ACME, Inc.", manager="Ana", last_contact="2026-01-02", logins=3)
    _add(services, "Acme", manager="Ana", renewal_date="2027-01-01", logins=3)
    found = {f.kind: f for f in services.data_health.findings()}
    assert found["unscored"].customer_ids == (book["empty"],)
    assert book["empty"] in found["no_manager"].customer_ids
    assert len(found["stale_contact"].customer_ids) == 1
    assert len(found["no_renewal"].customer_ids) == 5
    assert sorted(found["duplicate"].names) == ["ACME, Inc.", "Acme"]


def test_fold_name_drops_case_accents_punctuation_and_suffixes() -> None:
    assert fold_name("  Acmé  Corp. ") == fold_name("ACME") == "acme"


def test_assign_profile_by_tier_rescores_and_audits(
    services: Services, book: dict[str, int]
) -> None:
    weights = {
        "logins": 100,
        "adoption": 0,
        "tickets": 0,
        "nps": 0,
        "csat": 0,
        "days": 0,
        "growth": 0,
    }
    profile = services.config.save_profile("Usage only", weights)
    count = services.profile_assignment.assign(profile.id, tiers=["smb"])
    assert count == 1
    dto = services.customers.get(book["logins"])
    assert (dto.scoring_profile, dto.status) == ("Usage only", "expansion")
    assert services.audit.entries()[0].action == "profile_assigned"
    assert services.profile_assignment.assign(profile.id, tiers=["smb"]) == 0
    with pytest.raises(ValidationError):
        services.profile_assignment.assign(profile.id)


def test_near_duplicates_ignore_numbered_and_other_script_names(services: Services) -> None:
    for name in (
        "Wayne Health 202",
        "Wayne Health 210",
        "Ελληνική Λογιστική",
        "株式会社サンプル",
        "Initech Corp",
        "Initech Inc",
        "Initek",
    ):
        _add(services, name)
    groups = [sorted(f.names) for f in services.data_health.findings() if f.kind == "duplicate"]
    assert groups == [["Initech Corp", "Initech Inc"]]
