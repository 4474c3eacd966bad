"""Suggested QBR agenda and talking points, derived from an account's state.

`talking_points` takes optional alert-like items (anything with `severity` and `message`)
so that, once the alerts service exists, its alerts for the customer can be passed in and
lead the list; until then the points come from the score, its changes and derived state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from iqcadence_desktop.services.customers import Explanation
from iqcadence_desktop.services.model import ChurnEstimate
from iqcadence_desktop.services.reports.render.format import money
from iqcadence_desktop.services.scoring import BAND_LABELS, SIGNAL_LABELS

SEVERITY_ORDER = ("critical", "warning", "attention", "opportunity")


class AlertLike(Protocol):
    """The two things a talking point needs from an alert."""

    @property
    def severity(self) -> str: ...

    @property
    def message(self) -> str: ...


def talking_points(
    ex: Explanation, churn: ChurnEstimate, alerts: Sequence[AlertLike] = ()
) -> tuple[str, ...]:
    """Points to raise, most pressing first."""
    ordered = sorted(
        alerts,
        key=lambda a: (
            SEVERITY_ORDER.index(a.severity)
            if a.severity in SEVERITY_ORDER
            else len(SEVERITY_ORDER)
        ),
    )
    points = [a.message for a in ordered]
    points += _score_points(ex) + _state_points(ex, churn)
    return tuple(points) or ("The account is steady: confirm goals for the next quarter.",)


def _score_points(ex: Explanation) -> list[str]:
    out = []
    weak = [
        c
        for c in ex.result.contributions
        if c.points is not None and c.weight > 0 and c.points < 40
    ]
    for c in sorted(weak, key=lambda c: c.points or 0.0)[:3]:
        out.append(
            f"{SIGNAL_LABELS[c.signal]} is weak ({c.value}, {c.points:.0f} of 100 "
            "points): agree one concrete step to lift it."
        )
    falls = [ch for ch in ex.changes if ch.delta <= -2]
    for ch in sorted(falls, key=lambda ch: ch.delta)[:2]:
        out.append(
            f"{SIGNAL_LABELS[ch.signal]} cost {abs(ch.delta):.0f} points since the "
            "last snapshot: ask what changed."
        )
    return out


def _state_points(ex: Explanation, churn: ChurnEstimate) -> list[str]:
    c = ex.customer
    out = []
    if c.days_until_renewal is not None and 0 <= c.days_until_renewal <= 90:
        out.append(f"Renewal on {c.renewal_date}: confirm the decision makers and timeline.")
    if churn.probability >= 0.5:
        out.append(
            f"The chance of churning within {churn.horizon_days} days is "
            f"{churn.probability:.0%} ({churn.top_reasons()}): "
            "prepare a recovery plan before the meeting."
        )
    if c.status == "expansion":
        out.append(
            f"Healthy enough to grow: an upsell worth about "
            f"{money(c.expansion_estimate_cents)} a month is worth discussing."
        )
    if c.cadence_status == "overdue":
        out.append(f"No contact for {c.days_since_contact} days: set a regular check-in.")
    return out


def agenda(ex: Explanation) -> tuple[str, ...]:
    """A running order for the business review."""
    c = ex.customer
    items = [
        "Goals and outcomes since the last review",
        f"Health review: score {c.shown_score if c.shown_score is not None else '—'} "
        f"({BAND_LABELS[c.status]}) and what moved it",
        "Product usage and adoption: what is working, what is not",
        "Support: open tickets and how they are being resolved",
    ]
    if c.days_until_renewal is not None and c.days_until_renewal <= 120:
        items.append("Renewal: timeline, stakeholders and commercial terms")
    if c.status in ("healthy", "expansion"):
        items.append("Growth: teams or use cases that could benefit next")
    items.append("Agreed next steps, owners and dates")
    return tuple(items)
