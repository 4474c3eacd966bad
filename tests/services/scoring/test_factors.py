"""The signal model's factors: each rule, its bounds, its switch and its explanation."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers import CustomerFilter
from iqcadence_desktop.services.scoring import FACTOR_BOUNDS, FACTORS, MAX_TOTAL, ScoringConfig
from iqcadence_desktop.services.scoring.factors import (
    FactorInputs,
    FactorSettings,
    adjusted,
    effects_for_row,
    factor_points,
)
from iqcadence_desktop.services.system.clock import FixedClock

NAN = float("nan")


def inputs(**values: float) -> FactorInputs:
    """One account's factor inputs; everything unknown unless given."""
    fields = {name: np.array([values.get(name, NAN)]) for name in FactorInputs.__dataclass_fields__}
    return FactorInputs(**fields)


def points(factor: str, **values: float) -> float:
    return float(factor_points(inputs(**values), (factor,), FactorSettings())[0, 0])


def test_engagement_depth_reads_logins_and_adoption_together() -> None:
    assert points("engagement_depth", base=60, logins=25, adoption=72) == 3
    assert points("engagement_depth", base=60, logins=25, adoption=18) == -4
    assert points("engagement_depth", base=60, logins=3, adoption=80) == -2
    assert points("engagement_depth", base=60, logins=10, adoption=50) == 0
    assert points("engagement_depth", base=60, logins=25) == 0  # adoption unknown


def test_silent_churn_needs_falling_logins_no_tickets_and_no_contact() -> None:
    quiet = {"base": 60.0, "logins": 12.0, "logins_then": 20.0, "tickets": 0.0, "days_quiet": 45.0}
    assert points("silent_churn", **quiet) == -6  # 2 + 10 × 40 %
    assert points("silent_churn", **{**quiet, "tickets": 1.0}) == 0
    assert points("silent_churn", **{**quiet, "days_quiet": 10.0}) == 0
    assert points("silent_churn", **{**quiet, "logins": 17.0}) == 0  # 15 % is not a fall
    assert points("silent_churn", **{**quiet, "logins": 0.0}) == -8  # bounded


def test_renewal_gravity_only_lifts_healthy_steady_accounts() -> None:
    near = {"base": 80.0, "base_week_ago": 78.0, "renewal_days": 30.0}
    assert points("renewal_gravity", **near) == 3
    assert points("renewal_gravity", **{**near, "base": 50.0}) == 0
    assert points("renewal_gravity", **{**near, "base_week_ago": 85.0}) == 0
    assert points("renewal_gravity", **{**near, "renewal_days": 200.0}) == 0
    assert points("renewal_gravity", **{**near, "renewal_days": -5.0}) == 0


def test_sentiment_trajectory_follows_the_last_two_readings() -> None:
    assert points("sentiment_trajectory", base=50, sentiment_before=1, sentiment_last=-1) == -5
    assert points("sentiment_trajectory", base=50, sentiment_before=0, sentiment_last=-1) == -3
    assert points("sentiment_trajectory", base=50, sentiment_before=-1, sentiment_last=-1) == -2
    assert points("sentiment_trajectory", base=50, sentiment_before=-1, sentiment_last=1) == 3
    assert points("sentiment_trajectory", base=50, sentiment_last=1) == 0  # one reading only


def test_momentum_and_ticket_trend() -> None:
    assert points("momentum", base=50, base_week_ago=65) == -4.5
    assert points("momentum", base=50, base_week_ago=55) == 0  # under the threshold
    assert points("momentum", base=90, base_week_ago=40) == 5  # bounded
    assert points("ticket_trend", base=50, tickets=4, tickets_then=1) == -4
    assert points("ticket_trend", base=50, tickets=1, tickets_then=5) == 2
    assert points("ticket_trend", base=50, tickets=9, tickets_then=0) == -5


def test_unscored_accounts_get_no_factor() -> None:
    assert points("engagement_depth", logins=25, adoption=72) == 0


finite = st.floats(min_value=-50, max_value=500, allow_nan=False)
maybe = st.one_of(st.just(NAN), finite)
sentiment = st.sampled_from([NAN, -1.0, 0.0, 1.0])


@settings(max_examples=300, deadline=None)
@given(
    base=st.one_of(st.just(NAN), st.floats(min_value=0, max_value=100)),
    values=st.tuples(*[maybe] * 8),
    moods=st.tuples(sentiment, sentiment),
)
def test_factors_keep_the_score_within_0_100_and_their_bounds(
    base: float, values: tuple[float, ...], moods: tuple[float, float]
) -> None:
    names = ("logins", "adoption", "tickets", "days_quiet", "base_week_ago", "logins_then")
    names += ("tickets_then", "renewal_days")
    given_values = dict(zip(names, values, strict=True))
    x = inputs(base=base, sentiment_before=moods[0], sentiment_last=moods[1], **given_values)
    pts = factor_points(x, FACTORS, FactorSettings())
    for i, name in enumerate(FACTORS):
        low, high = FACTOR_BOUNDS[name]
        assert low <= pts[0, i] <= high
    final = adjusted(x.base, pts)[0]
    if np.isnan(base):
        assert np.isnan(final)
    else:
        assert 0 <= final <= 100
        assert abs(final - base) <= MAX_TOTAL + 1e-9


def test_explanation_text_names_the_values() -> None:
    x = inputs(base=60, logins=12, logins_then=20, tickets=0, days_quiet=45)
    (effect,) = effects_for_row(x, 0, FACTORS, FactorSettings())
    assert effect.text() == (
        "Silent churn −6: logins down 40 % in 30 days, no open ticket, no contact in 45 days"
    )


# -- through the services -----------------------------------------------------------
def _quiet_account(services: Services, clock: FixedClock) -> int:
    """Logins fall from 20 to 12 over 30 days with no ticket and no contact for 45 days."""
    clock.advance(-30)
    last_contact = (clock.today() - dt.timedelta(days=15)).isoformat()
    dto = services.customers.create(
        {"name": "Quiet Co", "logins": 20, "adoption": 50, "tickets": 0, "nps": 8},
    )
    services.customers.update(dto.id, {"last_contact": last_contact})
    clock.advance(30)
    services.customers.update(dto.id, {"logins": 12})
    return dto.id


def _switch(services: Services, **on: bool) -> None:
    current = services.config.current()
    services.config.save(dataclasses.replace(current, factors={**current.factors, **on}))


def test_switched_off_factor_changes_nothing(services: Services, clock: FixedClock) -> None:
    cid = _quiet_account(services, clock)
    plain = services.customers.get(cid)
    assert services.config.current().factors == dict.fromkeys(FACTORS, False)
    assert services.customers.explain(cid).result.factors == ()

    _switch(services, silent_churn=True)
    on = services.customers.explain(cid)
    assert [e.text() for e in on.result.factors] == [
        "Silent churn −6: logins down 40 % in 30 days, no open ticket, no contact in 45 days"
    ]
    assert on.customer.score == pytest.approx(plain.score - 6)
    # The explanation adds up to the score the list shows.
    assert on.result.score == pytest.approx(on.customer.score, abs=1e-9)

    _switch(services, silent_churn=False, ticket_trend=True)  # a factor that does not apply
    off = services.customers.explain(cid)
    assert off.result.factors == ()
    assert off.customer.score == plain.score
    assert services.customers.list_customers(CustomerFilter())[0].score == plain.score


def test_bulk_rescore_and_reads_agree_with_factors_on(
    services: Services, clock: FixedClock
) -> None:
    services.customers.load_sample(customers=60, days=40)
    _switch(services, **dict.fromkeys(FACTORS, True))
    services.customers.rescore_all()
    listed = {c.id: c for c in services.customers.list_customers(CustomerFilter())}
    book = services.customers.book()
    assert sorted(b.score for b in book if b.score is not None) == sorted(
        c.score for c in listed.values() if c.score is not None
    )
    moved = 0
    for cid, dto in list(listed.items())[:25]:
        ex = services.customers.explain(cid)
        assert ex.result.score == pytest.approx(dto.score, abs=1e-9)
        moved += bool(ex.result.factors)
    assert moved > 0, "the sample should give some factor something to say"


def test_factor_switches_are_versioned_and_validated(services: Services) -> None:
    _switch(services, momentum=True)
    assert services.config.history("scoring")[0].payload["factors"]["momentum"] is True
    assert "factors.momentum: False → True" in services.audit.entries()[0].summary
    bad = ScoringConfig(factors={"telepathy": True})
    try:
        services.config.save(bad)
    except Exception as exc:  # noqa: BLE001
        assert "telepathy" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown factor was accepted")
