"""Plain-language readings of the quality figures, shared by the page and the report."""

from __future__ import annotations

from iqcadence_desktop.services.model.quality import Contender, Quality
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS

FEW_CHURNED = 30


def auc_reading(c: Contender) -> str:
    if c.card.auc is None:
        return f"{c.label}: no ranking can be judged without both churned and retained accounts."
    share = c.card.auc
    grade = (
        "no better than a coin toss"
        if share < 0.55
        else "weak"
        if share < 0.65
        else "useful"
        if share < 0.75
        else "good"
        if share < 0.85
        else "strong"
    )
    return (
        f"{c.label}: picks the account that churned over one that stayed "
        f"{share:.0%} of the time (AUC {share:.2f}; 0.50 is a coin toss) — {grade}."
    )


def calibration_reading(c: Contender, base_rate: float) -> str:
    guess = base_rate * (1 - base_rate)
    better = "better than" if c.card.brier < guess else "no better than"
    return (
        f"{c.label}: its figures are off by {c.card.ece * 100:.1f} points on average "
        f"(calibration error {c.card.ece:.3f}); Brier score {c.card.brier:.3f}, {better} "
        f"always guessing the base rate ({guess:.3f})."
    )


def lift_reading(c: Contender) -> str:
    if c.card.lift is None:
        return f"{c.label}: too few accounts for a top-decile lift."
    return (
        f"{c.label}: the 10 % of accounts it rates riskiest churned {c.card.lift:.1f}× as "
        "often as accounts in general."
    )


def band_reading(q: Quality) -> str:
    """Do worse bands churn more? Names the first pair out of order."""
    rates = [(b.band, b.rate) for b in q.bands if b.band in BANDS and b.rate is not None]
    if len(rates) < 2:
        return "Too few bands have accounts to compare their churn."
    worst, best = rates[0], rates[-1]
    text = (
        f"{BAND_LABELS[worst[0]]} accounts churned at {worst[1]:.0%} within {q.horizon} days, "
        f"{BAND_LABELS[best[0]]} at {best[1]:.0%}."
    )
    for (a, ra), (b, rb) in zip(rates, rates[1:], strict=False):
        if rb > ra:  # a healthier band churned more
            return text + (
                f" Out of order: {BAND_LABELS[b]} churned more than {BAND_LABELS[a]} "
                f"({rb:.0%} against {ra:.0%})."
            )
    return text + " Every worse band churned at least as often as the better one."


def readings(q: Quality) -> list[str]:
    """The readings in the order the page and the report print them."""
    base = q.positives / q.rows if q.rows else 0.0
    out = [
        f"History: {q.rows:,} account-windows of {q.horizon} days, {q.positives:,} of them "
        f"ending in churn ({base:.1%})."
    ]
    if q.positives < FEW_CHURNED:
        out.append(f"Only {q.positives} churned: treat every figure below as a rough first look.")
    for c in q.contenders:
        out.append(auc_reading(c))
    for c in q.contenders:
        out.append(calibration_reading(c, base))
    for c in q.contenders:
        out.append(lift_reading(c))
    out.append(band_reading(q))
    return out


def verdict(q: Quality) -> str:
    """One sentence: does the health score predict churn, and does the model do better?"""
    health, model = q.contender("health"), q.contender("model")
    if health is None or health.card.auc is None:
        return "There is not enough churn in the history yet to judge the health score."
    head = f"The health score predicts churn within {q.horizon} days {_grade(health.card.auc)}"
    if model is None or model.card.auc is None:
        return head + "."
    gap = model.card.auc - health.card.auc
    if gap > 0.02:
        return (
            head + f"; the fitted model does better (AUC {model.card.auc:.2f} against "
            f"{health.card.auc:.2f})."
        )
    return head + f"; the fitted model does about as well (AUC {model.card.auc:.2f})."


def _grade(auc: float) -> str:
    if auc < 0.55:
        return "no better than chance"
    if auc < 0.65:
        return "weakly"
    return "usefully" if auc < 0.75 else "well"
