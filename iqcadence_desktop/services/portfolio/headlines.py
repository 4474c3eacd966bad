"""The portfolio's headline numbers, each defined once (S8).

Every report, the Home page, the CLI and the CSVs take these figures from `portfolio_headlines()`,
so two of them never disagree about one portfolio on one day. The definitions are data
too (`DEFINITIONS`): the methodology appendix prints them word for word.

Populations:
- the portfolio: live accounts (not in the trash) whose lifecycle is not Churned;
- accounts still at stake: the portfolio without Won accounts (their outcome is decided).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.scoring import ScoringConfig, is_at_risk, shown_score

#: Lifecycles outside the portfolio, and outside what is still at stake.
LEFT_PORTFOLIO = ("churned",)
DECIDED = ("churned", "won")
HeadlineFormat = Literal["int", "money", "score"]


@dataclass(frozen=True)
class Headline:
    """One headline: its key, label, value, how it is shown and what it means."""

    key: str
    label: str
    value: int | float | None
    fmt: HeadlineFormat


@dataclass(frozen=True)
class Headlines:
    """The headline numbers of a portfolio (or one manager's book) as of a day."""

    as_of: dt.date
    manager: str | None
    accounts: int
    scored: int
    average_score: float | None
    total_mrr_cents: int
    at_risk_accounts: int
    critical_accounts: int
    mrr_at_risk_cents: int
    renewals_due: int
    renewals_due_mrr_cents: int
    renewals_next_30: int
    renewals_past_due: int
    renewals_past_due_mrr_cents: int
    expansion_accounts: int
    expansion_estimate_cents: int
    overdue_contacts: int
    renewal_days: int
    soon_days: int
    #: Accounts per band (and "unscored") over the portfolio.
    band_counts: dict[str, int]

    @property
    def unscored(self) -> int:
        return self.accounts - self.scored

    @property
    def shown_average(self) -> int | None:
        return shown_score(self.average_score)

    @property
    def total_arr_cents(self) -> int:
        return self.total_mrr_cents * 12

    @property
    def arr_at_risk_cents(self) -> int:
        return self.mrr_at_risk_cents * 12

    def get(self, key: str) -> Headline:
        """A headline by key (see HEADLINE_KEYS)."""
        label, fmt = _LABELS[key]
        value = getattr(self, key)
        return Headline(key, label.format(days=self.renewal_days, soon=self.soon_days), value, fmt)

    def definitions(self) -> tuple[tuple[str, str], ...]:
        """(name, definition) of every headline, as the methodology prints them."""
        return tuple(
            (name, text.format(days=self.renewal_days, soon=self.soon_days, as_of=self.as_of))
            for name, text in DEFINITIONS
        )


_LABELS: dict[str, tuple[str, HeadlineFormat]] = {
    "accounts": ("Accounts", "int"),
    "scored": ("Scored accounts", "int"),
    "average_score": ("Average score", "score"),
    "total_mrr_cents": ("Total MRR", "money"),
    "at_risk_accounts": ("Accounts at risk", "int"),
    "critical_accounts": ("Critical accounts", "int"),
    "mrr_at_risk_cents": ("MRR at risk", "money"),
    "renewals_due": ("Renewals due in {days} days", "int"),
    "renewals_due_mrr_cents": ("MRR renewing in {days} days", "money"),
    "renewals_next_30": ("Renewals in {soon} days", "int"),
    "renewals_past_due": ("Past-due renewals", "int"),
    "renewals_past_due_mrr_cents": ("MRR past due for renewal", "money"),
    "expansion_accounts": ("Accounts in Expansion", "int"),
    "expansion_estimate_cents": ("Expansion estimate", "money"),
    "overdue_contacts": ("Overdue contacts", "int"),
}
HEADLINE_KEYS: tuple[str, ...] = tuple(_LABELS)

DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "As of",
        "every figure is computed on {as_of} from the stored signals, so contact decay up "
        "to that day is included.",
    ),
    (
        "Accounts",
        "live accounts (not in the trash) whose lifecycle is not Churned; Won accounts "
        "count. This is the portfolio every other figure is taken from.",
    ),
    (
        "Average score",
        "the mean of the unrounded health scores of the scored accounts, manual scores "
        "included, shown rounded half up. Unscored accounts are left out of it.",
    ),
    ("Total MRR", "the monthly recurring revenue of all accounts; ARR is 12 × MRR."),
    (
        "Accounts at risk",
        "accounts in the At Risk or Critical band (manual scores included, unscored "
        "accounts never) whose lifecycle is not Won: their outcome is still open.",
    ),
    ("MRR at risk", "the MRR of the accounts at risk; ARR at risk is 12 × that."),
    (
        "Renewals due",
        "accounts at stake (not Won) whose renewal date falls in the next {days} days, the "
        "as-of day included; “renewals in {soon} days” counts the first {soon} days of "
        "that window. Past-due renewals (a renewal date before the as-of day) are "
        "counted apart.",
    ),
    (
        "Expansion estimate",
        "for accounts in the Expansion band, the monthly amount the expansion setting "
        "estimates (a share of MRR or a flat amount).",
    ),
    (
        "Overdue contacts",
        "accounts whose days since the last contact are past their tier's overdue "
        "threshold (the contact cadence setting).",
    ),
)


def in_portfolio(c: CustomerDTO) -> bool:
    """Whether an account counts in the portfolio (see the module docstring)."""
    return c.deleted_at is None and c.lifecycle not in LEFT_PORTFOLIO


def at_stake(c: CustomerDTO) -> bool:
    """Whether an account's outcome is still open (in the portfolio, not Won)."""
    return c.deleted_at is None and c.lifecycle not in DECIDED


def at_risk(c: CustomerDTO) -> bool:
    """The accounts-at-risk rule, for lists that must match the headline."""
    return at_stake(c) and is_at_risk(c.status)


def renewal_due(c: CustomerDTO, days: int) -> bool:
    return at_stake(c) and c.days_until_renewal is not None and 0 <= c.days_until_renewal <= days


def renewal_past_due(c: CustomerDTO) -> bool:
    return at_stake(c) and c.days_until_renewal is not None and c.days_until_renewal < 0


def overdue_contact(c: CustomerDTO) -> bool:
    """In the portfolio and past its tier's contact cadence (S3)."""
    return in_portfolio(c) and c.cadence_status == "overdue"


def portfolio_headlines(
    customers: Iterable[CustomerDTO],
    config: ScoringConfig,
    as_of: dt.date,
    manager: str | None = None,
) -> Headlines:
    """The headlines of these customers (read as of `as_of`), by the definitions above."""
    book = [c for c in customers if in_portfolio(c) and (manager is None or c.manager == manager)]
    scores = [c.score for c in book if c.score is not None]
    risky = [c for c in book if at_risk(c)]
    days, soon = config.renewal.upcoming, config.renewal.critical
    due = [c for c in book if renewal_due(c, days)]
    late = [c for c in book if renewal_past_due(c)]
    grow = [c for c in book if c.expansion_estimate_cents > 0]
    return Headlines(
        as_of=as_of,
        manager=manager,
        accounts=len(book),
        scored=len(scores),
        average_score=sum(scores) / len(scores) if scores else None,
        total_mrr_cents=_mrr(book),
        at_risk_accounts=len(risky),
        critical_accounts=sum(1 for c in risky if c.status == "critical"),
        mrr_at_risk_cents=_mrr(risky),
        renewals_due=len(due),
        renewals_due_mrr_cents=_mrr(due),
        renewals_next_30=sum(1 for c in due if (c.days_until_renewal or 0) <= soon),
        renewals_past_due=len(late),
        renewals_past_due_mrr_cents=_mrr(late),
        expansion_accounts=len(grow),
        expansion_estimate_cents=sum(c.expansion_estimate_cents for c in grow),
        overdue_contacts=sum(1 for c in book if overdue_contact(c)),
        renewal_days=days,
        soon_days=soon,
        band_counts=dict(Counter(c.status for c in book)),
    )


def _mrr(customers: Sequence[CustomerDTO]) -> int:
    return sum(c.mrr_cents or 0 for c in customers)
