"""The churn model service: history → model or prior, stored and audited, and the demo's
planted churn recovered in direction and rough size."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers import CustomerFilter
from iqcadence_desktop.services.customers.sample_churn import TIER_EFFECT, horizon_for
from iqcadence_desktop.services.model import MIN_CHURNED
from iqcadence_desktop.services.system.clock import FixedClock


def test_without_history_the_prior_is_used_and_says_why(services: Services) -> None:
    services.customers.create({"name": "Acme", "logins": 2, "tickets": 6, "nps": 3})
    version = services.churn_model.fit(90)
    assert version.method == "prior" and version.model is None
    assert "must cover 120 days" in version.reason
    (estimate,) = services.churn_model.estimates(services.customers.list_customers())
    assert estimate.method == "prior" and estimate.horizon_days == 90
    assert estimate.horizon_text == "chance of churning within 90 days"
    # The prior keeps the heuristic's ranking with half its effects: it reads lower.
    from iqcadence_desktop.services.model import churn_risk

    raw = churn_risk(services.customers.list_customers()[0])
    assert estimate.probability < raw.probability


def test_few_churned_accounts_fall_back_to_the_prior(services: Services, clock: FixedClock) -> None:
    services.customers.load_sample(customers=60, days=70, seed=3)
    version = services.churn_model.fit(30)
    assert version.churned < MIN_CHURNED
    assert version.method == "prior"
    assert f"at least {MIN_CHURNED}" in version.reason
    entry = services.audit.entries()[0]
    assert entry.action == "churn_model_fitted" and "prior" in entry.summary


def test_each_fit_is_a_new_audited_version(services: Services) -> None:
    services.customers.create({"name": "Acme", "logins": 20})
    first = services.churn_model.fit(90)
    second = services.churn_model.fit(60)
    assert second.id > first.id
    assert [v.horizon for v in services.churn_model.versions()] == [60, 90]
    assert services.churn_model.current() == second
    with pytest.raises(Exception, match="horizon"):
        services.churn_model.fit(3)


def test_imports_mark_the_model_due_for_a_refit(services: Services, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "a.csv"
    path.write_text("name,logins\nAcme,3\n", encoding="utf-8")
    assert not services.churn_model.refit_due
    services.importer.run(path)
    assert services.churn_model.refit_due
    assert services.churn_model.refit_if_due() is not None
    assert not services.churn_model.refit_due and services.churn_model.refit_if_due() is None


@pytest.mark.slow
def test_the_demos_planted_churn_is_recovered(services: Services) -> None:
    days = 100
    services.customers.load_sample(customers=500, days=days)
    horizon = horizon_for(days)
    version = services.churn_model.fit(horizon)
    assert version.method == "fitted", version.reason
    assert version.model is not None and version.quality is not None
    model = version.model.model
    shapes = dict(zip(model.names, model.shapes, strict=True))
    tier = model.bins[model.names.index("tier")]
    effect = {tier.label(i): float(v) for i, v in enumerate(shapes["tier"])}
    planted = TIER_EFFECT["smb"] - TIER_EFFECT["enterprise"]
    found = effect["smb"] - effect["enterprise"]
    assert effect["smb"] > effect["mid"] > effect["enterprise"]  # the direction
    assert 0.5 * planted <= found <= 1.5 * planted  # and the rough size
    logins = shapes["logins"]
    assert logins[0] - logins[model.bins[0].ordered - 1] > 0.3  # fewer logins, more risk
    fitted = version.quality.contender("model")
    assert fitted is not None and fitted.card.auc is not None
    assert fitted.card.auc > 0.6 and fitted.card.ece <= 0.06
    customers = [
        c for c in services.customers.list_customers(CustomerFilter()) if c.lifecycle != "churned"
    ]
    estimates = services.churn_model.estimates(customers)
    sample = estimates[0]
    assert sample.method == "fitted" and sample.horizon_days == horizon
    total = sample.base + sum(f.effect for f in sample.factors)
    import math

    assert 1 / (1 + math.exp(-total)) == pytest.approx(sample.probability, abs=1e-9)


def test_planted_churn_dates_come_from_the_rule(services: Services) -> None:
    services.customers.load_sample(customers=80, days=60)
    churned = [c for c in services.customers.list_customers() if c.lifecycle == "churned"]
    assert churned, "the rule should churn some of 80 accounts"
    horizon = horizon_for(60)
    first = dt.date(2026, 11, 26) - dt.timedelta(days=59)
    for c in churned:
        gone = c.updated_at.date()
        assert first + dt.timedelta(days=horizon) <= gone <= dt.date(2026, 11, 26)
