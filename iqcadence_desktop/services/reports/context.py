"""What every report builder gets: the request, the customers as of the day, the
configuration in force, and the services for history and explanations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from iqcadence_desktop.services.customers import CustomerDTO, CustomerFilter, CustomerService
from iqcadence_desktop.services.model import (
    DEFAULT_HORIZON,
    ChurnEstimate,
    ChurnModelService,
    ModelVersion,
    prior_estimate,
)
from iqcadence_desktop.services.portfolio import (
    Headlines,
    PortfolioService,
    at_stake,
    in_portfolio,
    portfolio_headlines,
)
from iqcadence_desktop.services.reports.kinds.talking_points import AlertLike
from iqcadence_desktop.services.reports.model import Methodology, ReportRequest
from iqcadence_desktop.services.scoring import (
    BAND_LABELS,
    SIGNAL_LABELS,
    ConfigService,
    ProfileDTO,
    ScoringConfig,
)

#: Returns a customer's current alerts (wired by the composition root once alerts exist).
AlertsFor = Callable[[int], Sequence[AlertLike]]


class NoteLike(Protocol):
    """What a business review needs of a timestamped note (a NoteDTO fits)."""

    @property
    def body(self) -> str: ...

    @property
    def author(self) -> str | None: ...

    @property
    def created_at(self) -> dt.datetime: ...


#: Returns a customer's notes, newest first (wired by the composition root).
NotesFor = Callable[[int], Sequence[NoteLike]]


def local_day(stamp: dt.datetime) -> dt.date:
    """The local calendar day of a naive UTC timestamp."""
    return stamp.replace(tzinfo=dt.UTC).astimezone().date()


@dataclass(frozen=True)
class ReportContext:
    """Inputs gathered once per report so every section sees the same snapshot."""

    request: ReportRequest
    customers: tuple[CustomerDTO, ...]
    config: ScoringConfig
    profiles: tuple[ProfileDTO, ...]
    generated_at: dt.datetime
    customer_service: CustomerService
    portfolio_service: PortfolioService
    headlines: Headlines
    alerts_for: AlertsFor | None = None
    churn_model: ChurnModelService | None = None
    notes_for: NotesFor | None = None

    @classmethod
    def gather(
        cls,
        request: ReportRequest,
        customers: CustomerService,
        portfolio: PortfolioService,
        config: ConfigService,
        now: dt.datetime,
        alerts_for: AlertsFor | None = None,
        churn_model: ChurnModelService | None = None,
        notes_for: NotesFor | None = None,
    ) -> ReportContext:
        rows = customers.list_customers(CustomerFilter(manager=request.manager), request.as_of)
        current = config.current()
        return cls(
            request,
            tuple(rows),
            current,
            tuple(config.profiles()),
            now,
            customers,
            portfolio,
            portfolio_headlines(rows, current, request.as_of, request.manager),
            alerts_for,
            churn_model,
            notes_for,
        )

    def alerts(self, customer_id: int) -> tuple[AlertLike, ...]:
        """The customer's alerts for talking points; none until an alerts source is wired."""
        return () if self.alerts_for is None else tuple(self.alerts_for(customer_id))

    def churn_estimates(self, customers: Sequence[CustomerDTO]) -> list[ChurnEstimate]:
        """Each account's chance of churning within the model's horizon (the fitted model
        when one exists, else the prior), the same figures every report shows."""
        if self.churn_model is None:
            return [prior_estimate(c, None, DEFAULT_HORIZON) for c in customers]
        return self.churn_model.estimates(customers, self.as_of)

    def churn_version(self) -> ModelVersion | None:
        return None if self.churn_model is None else self.churn_model.current()

    def churn_note(self) -> str:
        """How the churn figures were made, in words (never a path into the code)."""
        version = self.churn_version()
        horizon = DEFAULT_HORIZON if version is None else version.horizon
        if version is not None and version.fitted:
            return (
                f"Churn figures are the chance of churning within {horizon} days from churn "
                f"model version {version.id}, fitted on this portfolio's own history on "
                f"{version.created_at:%Y-%m-%d} ({version.rows:,} account-windows, "
                f"{version.churned:,} churned); each figure adds up per-factor log-odds."
            )
        return (
            f"Churn figures are the chance of churning within {horizon} days from the "
            "documented prior: judgement weights (health score, momentum, renewal, tickets, "
            "NPS, sentiment, contact) halved and started from the portfolio's churn rate, "
            "because there is not enough churn history to fit a model."
        )

    def notes(self, customer_id: int) -> tuple[NoteLike, ...]:
        """The customer's notes written on or before the report's day, newest first.

        Notes are stamped in UTC; each is dated by the local calendar day it was written on,
        so a note added this evening is in today's review.
        """
        if self.notes_for is None:
            return ()
        return tuple(
            n for n in self.notes_for(customer_id) if local_day(n.created_at) <= self.as_of
        )

    @property
    def as_of(self) -> dt.date:
        return self.request.as_of

    def live(self) -> list[CustomerDTO]:
        """The portfolio, as the headlines define it (churned accounts left it)."""
        return [c for c in self.customers if in_portfolio(c)]

    def open_accounts(self) -> list[CustomerDTO]:
        """Accounts whose outcome is still open (neither churned nor won)."""
        return [c for c in self.customers if at_stake(c)]

    def filter_text(self, customer: str | None = None) -> str:
        who = f"Manager: {self.request.manager}" if self.request.manager else "All managers"
        return f"{who} · Customer: {customer}" if customer else who

    def methodology(self, *notes: str, definitions: bool = True) -> Methodology:
        """The appendix: settings and data used, the notes, and (for portfolio reports)
        the definition of every headline figure."""
        return Methodology(
            self._weights(),
            self._thresholds(),
            self._profiles(),
            self._freshness(),
            self._coverage(),
            notes,
            self.headlines.definitions() if definitions else (),
        )

    def _weights(self) -> tuple[tuple[str, str], ...]:
        weights = self.config.effective_weights()
        return tuple((SIGNAL_LABELS[s], f"{w:g} %") for s, w in weights.items() if w > 0)

    def _thresholds(self) -> str:
        b = self.config.bands
        return (
            f"{BAND_LABELS['critical']} 0–{b.at_risk - 1}, {BAND_LABELS['at_risk']} "
            f"{b.at_risk}–{b.watch - 1}, {BAND_LABELS['watch']} {b.watch}–{b.healthy - 1}, "
            f"{BAND_LABELS['healthy']} {b.healthy}–{b.expansion - 1}, "
            f"{BAND_LABELS['expansion']} {b.expansion}–100 (on the score rounded half up)"
        )

    def _profiles(self) -> tuple[str, ...]:
        return tuple(
            f"{p.name} ({p.customers:,} accounts: "
            + ", ".join(f"{SIGNAL_LABELS.get(k, k)} {v:g}" for k, v in p.weights.items() if v)
            + ")"
            for p in self.profiles
        )

    def _freshness(self) -> str:
        points = self.portfolio_service.daily(400, self.request.manager, self.as_of)
        last = points[-1].day.isoformat() if points else "none stored"
        return (
            f"scores computed live as of {self.as_of.isoformat()} from the stored signals; "
            f"newest daily snapshot {last}; {len(points)} days of history in the last "
            f"400 days; generated {self.generated_at:%Y-%m-%d %H:%M} UTC"
        )

    def _coverage(self) -> str:
        h = self.headlines
        scored = [c for c in self.live() if c.score is not None]
        avg = sum(c.coverage for c in scored) / len(scored) if scored else 0.0
        return (
            f"{h.scored:,} of {h.accounts:,} accounts scored ({h.unscored:,} unscored); "
            f"average coverage {avg:.0%} of the configured weight"
        )
