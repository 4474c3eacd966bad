"""What every report builder gets: the request, the customers as of the day, the
configuration in force, and the services for history and explanations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from iqcadence_desktop.services.customers import CustomerDTO, CustomerFilter, CustomerService
from iqcadence_desktop.services.portfolio import PortfolioService
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

#: Lifecycles a report treats as no longer at stake (nothing left to save or lose).
CLOSED_LIFECYCLES = ("churned", "won")


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
    alerts_for: AlertsFor | None = None
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
        notes_for: NotesFor | None = None,
    ) -> ReportContext:
        rows = customers.list_customers(CustomerFilter(manager=request.manager), request.as_of)
        return cls(
            request,
            tuple(rows),
            config.current(),
            tuple(config.profiles()),
            now,
            customers,
            portfolio,
            alerts_for,
            notes_for,
        )

    def alerts(self, customer_id: int) -> tuple[AlertLike, ...]:
        """The customer's alerts for talking points; none until an alerts source is wired."""
        return () if self.alerts_for is None else tuple(self.alerts_for(customer_id))

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
        """Accounts still in the portfolio (churned ones left it)."""
        return [c for c in self.customers if c.lifecycle != "churned"]

    def open_accounts(self) -> list[CustomerDTO]:
        """Accounts whose outcome is still open (neither churned nor won)."""
        return [c for c in self.customers if c.lifecycle not in CLOSED_LIFECYCLES]

    def filter_text(self, customer: str | None = None) -> str:
        who = f"Manager: {self.request.manager}" if self.request.manager else "All managers"
        return f"{who} · Customer: {customer}" if customer else who

    def methodology(self, *notes: str) -> Methodology:
        return Methodology(
            self._weights(),
            self._thresholds(),
            self._profiles(),
            self._freshness(),
            self._coverage(),
            notes,
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
        live = self.live()
        scored = [c for c in live if c.score is not None]
        avg = sum(c.coverage for c in scored) / len(scored) if scored else 0.0
        return (
            f"{len(scored):,} of {len(live):,} live accounts scored "
            f"({len(live) - len(scored)} unscored); average coverage {avg:.0%} of the "
            "configured weight"
        )
