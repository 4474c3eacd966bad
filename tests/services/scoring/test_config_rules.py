"""Validation of the scoring configuration: refused with a message naming the problem."""

from __future__ import annotations

import dataclasses

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.scoring import config as cfg
from iqcadence_desktop.services.scoring.engine import BandThresholds, SignalParams


def _refused(config: cfg.ScoringConfig) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        cfg.validate(config)
    return info.value


def test_defaults_are_valid_and_match_the_spec() -> None:
    config = cfg.ScoringConfig()
    cfg.validate(config)
    assert config.effective_weights()["csat"] == 0.0
    assert sum(config.effective_weights().values()) == 100.0
    assert config.cadence_for("enterprise") == cfg.Cadence(14, 21)
    assert config.cadence_for(None) == cfg.Cadence(21, 30)


def test_weights_not_totalling_100_are_refused_with_the_total() -> None:
    weights = {**cfg.DEFAULT_WEIGHTS, "logins": 22}
    error = _refused(cfg.ScoringConfig(weights=weights))
    assert str(error) == "weights total 97 %; they must total 100 %."
    assert error.field == "weights"


def test_csat_weight_counts_only_when_enabled() -> None:
    weights = {**cfg.DEFAULT_WEIGHTS, "csat": 10, "logins": 15}
    cfg.validate(cfg.ScoringConfig(weights=weights, csat_enabled=True))
    assert "total 90 %" in str(_refused(cfg.ScoringConfig(weights=weights)))


@pytest.mark.parametrize(
    ("weights", "words"),
    [
        ({**cfg.DEFAULT_WEIGHTS, "logins": -5, "adoption": 55}, "between 0 and 100"),
        ({**cfg.DEFAULT_WEIGHTS, "happiness": 0}, '"happiness" is not a signal'),
    ],
)
def test_bad_weight_entries(weights: dict[str, float], words: str) -> None:
    assert words in str(_refused(cfg.ScoringConfig(weights=weights)))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"bands": BandThresholds(at_risk=50, watch=50)}, "bands", "Watch band starts at 50"),
        ({"bands": BandThresholds(expansion=101)}, "bands", "at most 100"),
        ({"params": SignalParams(login_saturation=0)}, "login_saturation", "at least 1"),
        ({"params": SignalParams(nps_passive=120)}, "nps_passive", "between 0 and 100"),
        ({"cadence": {**cfg.DEFAULT_CADENCE, "smb": cfg.Cadence(45, 30)}}, "cadence", "SMB"),
        ({"renewal": cfg.RenewalWindows(critical=60, warning=30)}, "renewal", "must grow"),
        ({"expansion_method": "guess"}, "expansion_method", '"percent" or "flat"'),
        ({"expansion_flat_cents": -1}, "expansion_flat_cents", "negative"),
        ({"quiet_after_days": 0}, "quiet_after_days", "at least 1 day"),
        ({"momentum_points": 0}, "momentum_points", "more than 0"),
    ],
)
def test_each_bad_setting_is_named(change: dict[str, object], field: str, words: str) -> None:
    error = _refused(dataclasses.replace(cfg.ScoringConfig(), **change))  # type: ignore[arg-type]
    assert error.field == field
    assert words in str(error)


def test_missing_tier_cadence_is_refused() -> None:
    cadence = {k: v for k, v in cfg.DEFAULT_CADENCE.items() if k != "mid"}
    assert "Mid-Market" in str(_refused(cfg.ScoringConfig(cadence=cadence)))


def test_payload_round_trip_and_new_keys_get_defaults() -> None:
    config = cfg.ScoringConfig(
        csat_enabled=True,
        weights={**cfg.DEFAULT_WEIGHTS, "csat": 10, "logins": 15},
        bands=BandThresholds(at_risk=30),
        expansion_percent=15.0,
    )
    assert cfg.from_payload(cfg.to_payload(config)) == config
    old = cfg.to_payload(cfg.ScoringConfig())
    del old["quiet_after_days"], old["renewal"]
    assert cfg.from_payload(old) == cfg.ScoringConfig()


def test_diff_names_each_changed_key() -> None:
    old = cfg.to_payload(cfg.ScoringConfig())
    new = cfg.to_payload(cfg.ScoringConfig(bands=BandThresholds(watch=55)))
    assert cfg.diff_payloads(old, new) == ["bands.watch: 50 → 55"]
