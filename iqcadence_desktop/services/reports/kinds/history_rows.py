"""A customer's stored snapshots for the history-based reports."""

from __future__ import annotations

import datetime as dt

from iqcadence_desktop.services.customers import CustomerService, SnapshotDTO


def customer_history(
    svc: CustomerService, customer_id: int, as_of: dt.date, days: int
) -> list[SnapshotDTO]:
    """Snapshots in the `days` days up to and including `as_of`, oldest first."""
    return svc.history(customer_id, days, as_of)
