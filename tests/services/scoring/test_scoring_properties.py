"""Invariants of the scoring engine (S2), checked with hypothesis."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iqcadence_desktop.services.scoring.config import DEFAULT_WEIGHTS
from iqcadence_desktop.services.scoring.engine import (
    GROWTH_CODES,
    SIGNALS,
    BandThresholds,
    SignalValues,
    band_for,
    explain,
    score_arrays,
    shown_score,
    signal_points,
    with_override,
)

WEIGHTS = {**DEFAULT_WEIGHTS, "csat": 10.0, "logins": 15.0}  # CSAT on, total 100

values_st = st.builds(
    SignalValues,
    logins=st.none() | st.integers(0, 200),
    adoption=st.none() | st.floats(0, 100, allow_nan=False),
    tickets=st.none() | st.integers(0, 50),
    nps=st.none() | st.integers(0, 10),
    csat=st.none() | st.integers(1, 5),
    days=st.none() | st.integers(0, 800),
    growth=st.none() | st.sampled_from(["strong", "mild", "none", "na"]),
)
weights_st = st.fixed_dictionaries({s: st.integers(0, 100).map(float) for s in SIGNALS})

#: (signal, step up, direction): +1 means more of the signal never lowers the score.
DIRECTIONS = [
    ("logins", 1, 1),
    ("adoption", 1.0, 1),
    ("tickets", 1, -1),
    ("nps", 1, 1),
    ("csat", 1, 1),
    ("days", 1, -1),
]
LIMITS = {"logins": 200, "adoption": 100.0, "tickets": 50, "nps": 10, "csat": 5, "days": 800}


@given(values_st, weights_st)
def test_score_is_between_0_and_100_and_coverage_is_a_share(
    values: SignalValues, weights: dict[str, float]
) -> None:
    result = explain(values, weights)
    assert 0.0 <= result.coverage <= 1.0 + 1e-12
    if result.score is not None:
        assert -1e-9 <= result.score <= 100.0 + 1e-9
        assert 0 <= shown_score(result.score) <= 100  # type: ignore[operator]


@given(values_st, st.sampled_from(DIRECTIONS))
def test_score_is_monotone_in_each_signal(
    values: SignalValues, case: tuple[str, float, int]
) -> None:
    signal, step, direction = case
    current = values.get(signal)
    if current is None or current + step > LIMITS[signal]:  # type: ignore[operator]
        return
    higher = dataclasses.replace(values, **{signal: current + step})  # type: ignore[operator]
    before, after = explain(values, WEIGHTS).score, explain(higher, WEIGHTS).score
    assert before is not None and after is not None
    assert (after - before) * direction >= -1e-9


def test_growth_is_monotone() -> None:
    ranks = [signal_points("growth", g) for g in ("none", "mild", "strong")]
    assert ranks == sorted(ranks)


@given(values_st, st.sampled_from(SIGNALS))
def test_missing_signal_equals_renormalised_weights(values: SignalValues, signal: str) -> None:
    """Dropping a signal's value gives the same score as giving it weight 0."""
    missing = dataclasses.replace(values, **{signal: None})
    zero_weight = {**WEIGHTS, signal: 0.0}
    a, b = explain(missing, WEIGHTS), explain(values, zero_weight)
    if a.score is None:
        assert b.score is None
    else:
        assert b.score == pytest.approx(a.score, abs=1e-9)
        # effective weights of what is left add up to 1: the renormalisation
        assert sum(c.effective_weight for c in a.contributions) == pytest.approx(1.0)


@given(values_st, st.sampled_from(SIGNALS))
def test_weight_zero_means_excluded(values: SignalValues, signal: str) -> None:
    weights = {**WEIGHTS, signal: 0.0}
    result = explain(values, weights)
    part = next(c for c in result.contributions if c.signal == signal)
    assert part.effective_weight == 0.0 and part.contribution == 0.0
    changed = dataclasses.replace(values, **{signal: None})
    assert explain(changed, weights).score == result.score


def test_growth_na_is_excluded_like_a_missing_signal() -> None:
    base = SignalValues(logins=15, adoption=40.0, tickets=2, nps=8, days=30)
    na = explain(dataclasses.replace(base, growth="na"), DEFAULT_WEIGHTS)
    assert na.score == explain(base, DEFAULT_WEIGHTS).score
    assert na.coverage == pytest.approx(0.95)


@pytest.mark.parametrize(
    ("score", "shown", "band"),
    [
        (24.4999, 24, "critical"),
        (24.5, 25, "at_risk"),
        (25.0, 25, "at_risk"),
        (49.49, 49, "at_risk"),
        (49.5, 50, "watch"),
        (64.5, 65, "healthy"),
        (79.4999, 79, "healthy"),
        (79.5, 80, "expansion"),
        (100.0, 100, "expansion"),
        (0.0, 0, "critical"),
        (0.49, 0, "critical"),
        (None, None, "unscored"),
    ],
)
def test_exact_band_edges_round_half_up(score: float | None, shown: int | None, band: str) -> None:
    assert shown_score(score) == shown
    assert band_for(score) == band


def test_float_noise_at_an_edge_does_not_flip_the_band() -> None:
    noisy = 24.499999999999996  # what 24.5 can become after summing parts
    assert shown_score(noisy) == 25 and band_for(noisy) == "at_risk"


def test_custom_band_thresholds_apply_to_the_shown_score() -> None:
    bands = BandThresholds(at_risk=30, watch=55, healthy=70, expansion=90)
    assert band_for(29.5, bands) == "at_risk"
    assert band_for(89.49, bands) == "healthy"


def test_spec_points_for_each_signal() -> None:
    assert signal_points("logins", 15) == 50.0
    assert signal_points("logins", 90) == 100.0
    assert signal_points("tickets", 5) == 0.0 and signal_points("tickets", 1) == 80.0
    assert [signal_points("nps", n) for n in (6, 7, 8, 9, 10)] == [0, 50, 50, 100, 100]
    assert signal_points("csat", 1) == 0.0 and signal_points("csat", 5) == 100.0
    assert signal_points("days", 90) == 50.0 and signal_points("days", 400) == 0.0
    assert signal_points("growth", "na") is None


def test_unscored_without_any_signal() -> None:
    result = explain(SignalValues(), DEFAULT_WEIGHTS)
    assert result.score is None and result.coverage == 0.0


def test_override_replaces_score_but_keeps_explanation() -> None:
    result = explain(SignalValues(logins=30), DEFAULT_WEIGHTS)
    manual = with_override(result, 42.0)
    assert manual.score == 42.0 and manual.manual
    assert manual.contributions == result.contributions


def _columns(rows: list[SignalValues]) -> dict[str, np.ndarray]:
    def col(name: str) -> np.ndarray:
        return np.array(
            [math.nan if getattr(r, name) is None else getattr(r, name) for r in rows], dtype=float
        )

    cols = {s: col(s) for s in SIGNALS if s != "growth"}
    cols["growth"] = np.array([GROWTH_CODES.get(r.growth, math.nan) for r in rows], dtype=float)
    return cols


@settings(max_examples=60)
@given(st.lists(values_st, min_size=1, max_size=30), weights_st)
def test_explain_and_score_arrays_agree(
    rows: list[SignalValues], weights: dict[str, float]
) -> None:
    scores, coverage = score_arrays(_columns(rows), weights)
    for i, values in enumerate(rows):
        one = explain(values, weights)
        assert coverage[i] == pytest.approx(one.coverage)
        if one.score is None:
            assert math.isnan(scores[i])
        else:
            assert scores[i] == pytest.approx(one.score, abs=1e-9)
            assert shown_score(float(scores[i])) == one.shown_score
