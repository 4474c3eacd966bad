"""The churn-risk heuristic: bounded, monotone in health, and explained by its factors."""

from __future__ import annotations

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.model.churn import BASE_LOG_ODDS, churn_risk


def test_weak_account_scores_higher_than_strong_one(services: Services) -> None:
    weak = services.customers.create(
        {
            "name": "Weak",
            "logins": 1,
            "adoption": 5,
            "tickets": 7,
            "nps": 2,
            "sentiment": "negative",
            "mrr": 100,
        }
    )
    strong = services.customers.create(
        {"name": "Strong", "logins": 30, "adoption": 95, "tickets": 0, "nps": 10, "mrr": 100}
    )
    w, s = churn_risk(weak), churn_risk(strong)
    assert 0.0 < s.probability < w.probability < 1.0
    assert w.probability > 0.9 and s.probability < 0.05
    names = [f.name for f in w.factors]
    assert {"Health score", "Open tickets", "Detractor NPS", "Negative sentiment"} <= set(names)
    assert [f.effect for f in w.factors] == sorted((f.effect for f in w.factors), reverse=True)
    assert "Health score" in w.top_reasons()


def test_factors_add_up_to_the_probability(services: Services) -> None:
    import math

    dto = services.customers.create({"name": "Mid", "logins": 12, "adoption": 40, "nps": 8})
    est = churn_risk(dto)
    log_odds = BASE_LOG_ODDS + sum(f.effect for f in est.factors)
    assert math.isclose(est.probability, 1 / (1 + math.exp(-log_odds)))
