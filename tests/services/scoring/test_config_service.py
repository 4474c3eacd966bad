"""Configuration versions, history and scoring profiles."""

from __future__ import annotations

import pytest

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.services.container import Services, build_services
from iqcadence_desktop.services.scoring import config as cfg
from iqcadence_desktop.services.scoring.engine import BandThresholds
from iqcadence_desktop.services.system.events import CONFIG_CHANGED, DomainEvent

ONLY_LOGINS = {
    "logins": 100,
    "adoption": 0,
    "tickets": 0,
    "nps": 0,
    "csat": 0,
    "days": 0,
    "growth": 0,
}


def test_save_keeps_every_version_with_its_diff(services: Services) -> None:
    seen: list[DomainEvent] = []
    services.events.subscribe(CONFIG_CHANGED, seen.append)
    services.config.save(cfg.ScoringConfig(bands=BandThresholds(watch=55)))
    services.config.save(cfg.ScoringConfig(bands=BandThresholds(watch=55), quiet_after_days=21))
    history = services.config.history("scoring")
    assert len(history) == 2 and len(seen) == 2
    assert history[0].changes == ("quiet_after_days: 30 → 21",)
    assert history[1].payload["bands"]["watch"] == 55
    assert services.audit.entries()[0].action == "config_changed"


def test_saving_the_same_config_is_a_no_op(services: Services) -> None:
    assert services.config.save(cfg.ScoringConfig()) == []
    assert services.config.history() == []


def test_invalid_config_is_refused_and_not_stored(services: Services) -> None:
    bad = cfg.ScoringConfig(weights={**cfg.DEFAULT_WEIGHTS, "logins": 22})
    with pytest.raises(ValidationError, match="weights total 97 %; they must total 100 %"):
        services.config.save(bad)
    assert services.config.history() == [] and services.config.current() == cfg.ScoringConfig()


def test_config_survives_a_restart(services: Services) -> None:
    services.config.save(cfg.ScoringConfig(expansion_percent=15.0))
    again = build_services(services.db, services.clock)
    assert again.config.current().expansion_percent == 15.0


def test_profiles_create_update_delete_and_history(services: Services) -> None:
    p = services.config.save_profile("  Enterprise   focus ", ONLY_LOGINS, "big accounts")
    assert p.name == "Enterprise focus"
    with pytest.raises(ValidationError, match="already exists"):
        services.config.save_profile("enterprise FOCUS", ONLY_LOGINS)
    with pytest.raises(ValidationError, match="total 90 %"):
        services.config.save_profile("Bad", {**ONLY_LOGINS, "logins": 90})
    with pytest.raises(ValidationError, match="needs a name"):
        services.config.save_profile("  ", ONLY_LOGINS)
    updated = services.config.save_profile(
        "Enterprise focus", {**ONLY_LOGINS, "logins": 50, "tickets": 50}, profile_id=p.id
    )
    assert services.config.weights_for(p.id)["tickets"] == 50
    assert services.config.profile_id_by_name("enterprise focus") == updated.id
    services.config.delete_profile(p.id)
    with pytest.raises(NotFoundError):
        services.config.delete_profile(p.id)
    with pytest.raises(ValidationError, match="no scoring profile named"):
        services.config.profile_id_by_name("Enterprise focus")
    kinds = [h.kind for h in services.config.history()]
    assert kinds == [f"profile:{p.id}"] * 3


def test_global_csat_switch_applies_to_profiles(services: Services) -> None:
    p = services.config.save_profile("With CSAT", {**ONLY_LOGINS, "csat": 10})
    assert services.config.weights_for(p.id)["csat"] == 0.0  # CSAT disabled globally


def test_the_first_version_shows_its_values_not_dashes(services: Services) -> None:
    services.config.save(cfg.ScoringConfig(bands=BandThresholds(watch=55)))
    services.config.save_profile("Enterprise", {**cfg.DEFAULT_WEIGHTS})
    for first in services.config.history():
        assert first.changes[0] == "First saved version; its values:"
        assert not any("—" in line for line in first.changes), first.changes
    scoring = services.config.history("scoring")[0]
    assert "bands.watch: 55" in scoring.changes and "weights.logins: 25" in scoring.changes
