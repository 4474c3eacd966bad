"""Reading a customer's stored snapshots into plain tuples for the history-based reports."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from iqcadence_desktop.services.customers import CustomerService


class HistoryPoint(NamedTuple):
    """One stored day of a customer's score and signals."""

    day: dt.date
    score: float | None
    status: str
    coverage: float
    logins: int | None
    adoption: float | None
    tickets: int | None
    nps: int | None
    days_since_contact: int | None


def customer_history(
    svc: CustomerService, customer_id: int, as_of: dt.date, days: int
) -> list[HistoryPoint]:
    """Snapshots in the `days` days up to and including `as_of`, oldest first."""
    start, end = as_of.toordinal() - days, as_of.toordinal()
    return [
        HistoryPoint(
            dt.date.fromordinal(s.day),
            s.score,
            s.status,
            s.coverage,
            s.logins_30d,
            s.feature_adoption_pct,
            s.open_tickets,
            s.nps,
            s.days_since_contact,
        )
        for s in svc.history(customer_id)
        if start < s.day <= end
    ]
