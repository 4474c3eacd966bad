"""Suggested next actions for one customer, derived from its current state.

Pure functions over a CustomerDTO and the scoring configuration: no database, no clock.
Each rule looks at one fact (cadence, renewal window, a weak signal, the band...) and,
when it applies, says what to do and why, with the numbers that triggered it. The list
comes back most urgent first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from iqcadence_desktop.services.customers.dto import CustomerDTO
from iqcadence_desktop.services.scoring import ScoringConfig

URGENCY = ("now", "soon", "opportunity")
LOW_LOGINS = 10
LOW_ADOPTION = 40.0
MANY_TICKETS = 3


@dataclass(frozen=True)
class PlaybookAction:
    """One suggestion: how urgent, what kind, what to do and why."""

    urgency: str  # one of URGENCY
    kind: str
    title: str
    reason: str


Rule = Callable[[CustomerDTO, ScoringConfig], PlaybookAction | None]


def _cadence(c: CustomerDTO, config: ScoringConfig) -> PlaybookAction | None:
    rule = config.cadence_for(c.tier)
    if c.cadence_status == "overdue":
        return PlaybookAction(
            "now",
            "cadence",
            "Get in touch this week",
            f"Last contact was {c.days_since_contact} days ago; this tier "
            f"expects a touch at least every {rule.overdue} days.",
        )
    if c.cadence_status == "due_soon":
        return PlaybookAction(
            "soon",
            "cadence",
            "Plan the next check-in",
            f"{c.days_since_contact} days since the last contact; a touch is "
            f"due before day {rule.overdue}.",
        )
    if c.cadence_status == "unknown":
        return PlaybookAction(
            "soon",
            "cadence",
            "Record when you last spoke",
            "No contact date is on file, so cadence cannot be tracked.",
        )
    return None


def _renewal(c: CustomerDTO, _config: ScoringConfig) -> PlaybookAction | None:
    days = c.days_until_renewal
    if c.renewal_window == "lapsed" and days is not None:
        return PlaybookAction(
            "now",
            "renewal",
            "Confirm the renewal outcome",
            f"The renewal date passed {-days} days ago; update the date or the lifecycle.",
        )
    if c.renewal_window == "critical":
        return PlaybookAction(
            "now",
            "renewal",
            "Close out the renewal",
            f"Renewal in {days} days: confirm terms and the signer.",
        )
    if c.renewal_window == "warning":
        return PlaybookAction(
            "soon",
            "renewal",
            "Start the renewal conversation",
            f"Renewal in {days} days: share a value recap and surface blockers.",
        )
    if c.renewal_window == "upcoming":
        return PlaybookAction(
            "soon",
            "renewal",
            "Prepare a business review",
            f"Renewal in {days} days: a review now leaves time to fix gaps.",
        )
    return None


def _logins(c: CustomerDTO, _config: ScoringConfig) -> PlaybookAction | None:
    if c.logins_30d is None or c.logins_30d >= LOW_LOGINS:
        return None
    return PlaybookAction(
        "now" if c.logins_30d == 0 else "soon",
        "engagement",
        "Find out why usage is low",
        f"Only {c.logins_30d} logins in the last 30 days; ask who should be "
        "using the product and what is in the way.",
    )


def _adoption(c: CustomerDTO, _config: ScoringConfig) -> PlaybookAction | None:
    if c.feature_adoption_pct is None or c.feature_adoption_pct >= LOW_ADOPTION:
        return None
    return PlaybookAction(
        "soon",
        "adoption",
        "Offer a feature walkthrough",
        f"Feature adoption is {c.feature_adoption_pct:.0f} %; show the team "
        "the features that match their goals.",
    )


def _tickets(c: CustomerDTO, _config: ScoringConfig) -> PlaybookAction | None:
    if c.open_tickets is None or c.open_tickets < MANY_TICKETS:
        return None
    return PlaybookAction(
        "now",
        "support",
        "Review the open tickets with support",
        f"{c.open_tickets} tickets are open; agree an owner and a date for "
        "each and tell the customer.",
    )


def _nps(c: CustomerDTO, _config: ScoringConfig) -> PlaybookAction | None:
    if c.nps is None or c.nps >= 7:
        return None
    return PlaybookAction(
        "now",
        "nps",
        "Follow up on the low NPS",
        f"They answered {c.nps} of 10 (a detractor); call to hear the reason in their own words.",
    )


def _sentiment(c: CustomerDTO, _config: ScoringConfig) -> PlaybookAction | None:
    if c.sentiment != "negative":
        return None
    return PlaybookAction(
        "now",
        "sentiment",
        "Address the negative mood",
        "The latest sentiment reading is negative; bring a concrete plan to the next conversation.",
    )


def _health(c: CustomerDTO, _config: ScoringConfig) -> PlaybookAction | None:
    if c.status == "critical":
        return PlaybookAction(
            "now",
            "health",
            "Open a save plan",
            f"Health is {c.shown_score} (Critical); agree recovery steps "
            "with an executive sponsor.",
        )
    if c.status == "unscored":
        return PlaybookAction(
            "soon",
            "health",
            "Collect signals to score this account",
            "No scorable signal is on file yet.",
        )
    if c.momentum is not None and c.momentum <= -10:
        return PlaybookAction(
            "soon",
            "momentum",
            "Look into the recent drop",
            f"The score fell {abs(round(c.momentum))} points in 7 days.",
        )
    return None


def _expansion(c: CustomerDTO, _config: ScoringConfig) -> PlaybookAction | None:
    if c.status != "expansion" or c.lifecycle == "churned":
        return None
    estimate = c.expansion_estimate_cents // 100
    return PlaybookAction(
        "opportunity",
        "expansion",
        "Explore an upsell",
        f"Health is {c.shown_score} and stable; estimated expansion ${estimate:,} per month.",
    )


RULES: tuple[Rule, ...] = (
    _health,
    _tickets,
    _nps,
    _sentiment,
    _renewal,
    _cadence,
    _logins,
    _adoption,
    _expansion,
)


def suggest(customer: CustomerDTO, config: ScoringConfig) -> list[PlaybookAction]:
    """Every action that applies, most urgent first (ties keep rule order)."""
    if customer.lifecycle == "churned":
        return [
            PlaybookAction(
                "soon",
                "churned",
                "Hold a win-back review",
                "This account has churned; record why, and plan a check-in in a few months.",
            )
        ]
    found = [a for a in (rule(customer, config) for rule in RULES) if a is not None]
    return sorted(found, key=lambda a: URGENCY.index(a.urgency))
