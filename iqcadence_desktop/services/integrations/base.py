"""The small interface every connector implements, and the shapes it hands back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from iqcadence_desktop.services.scoring import Cancelled

SYSTEMS: tuple[str, ...] = ("hubspot", "salesforce", "stripe")
SYSTEM_LABELS: dict[str, str] = {
    "hubspot": "HubSpot",
    "salesforce": "Salesforce",
    "stripe": "Stripe",
}


@dataclass(frozen=True)
class FieldInfo:
    """A field a system offers: its key there, a label, and the customer field it feeds
    by default (None: not mapped unless the user says so)."""

    key: str
    label: str
    default_target: str | None = None


@dataclass(frozen=True)
class ExternalAccount:
    """One account as another system has it. `values` are keyed by that system's field
    keys and hold text, numbers or ISO dates, parsed later by the customer field rules."""

    external_id: str
    name: str | None
    values: dict[str, object]
    email: str | None = None
    currency: str | None = None
    created: dt.date | None = None


@dataclass(frozen=True)
class AccountHistory:
    """An account's values as they were on past days: {day: {field key: value}}."""

    external_id: str
    created: dt.date | None
    days: dict[dt.date, dict[str, object]]


@dataclass
class Pull:
    """What a pull brought back, and the warnings worth showing (a missing scope...)."""

    accounts: list[ExternalAccount] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Job:
    """Progress and cancellation for long pulls; connectors call `page()` after each page."""

    def __init__(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self.pages = 0

    def page(self, done: int = 0, total: int = 0) -> None:
        """One more page arrived; stop here if the user cancelled."""
        self.pages += 1
        if self._cancelled is not None and self._cancelled():
            raise Cancelled("Cancelled; nothing was changed.")
        if self._progress is not None:
            self._progress(done, total)


class Connector(Protocol):
    """Test the connection, list the fields, pull accounts, pull history."""

    system: str

    def test_connection(self) -> str:
        """A short description of what we are connected to; raises IntegrationError."""
        ...

    def list_fields(self) -> list[FieldInfo]: ...

    def pull_accounts(self, fields: Collection[str], today: dt.date, job: Job) -> Pull: ...

    def pull_history(
        self, fields: Collection[str], days: Sequence[dt.date], job: Job
    ) -> list[AccountHistory]: ...

    def close(self) -> None: ...


def cents(amount: Decimal) -> int:
    """A Decimal amount of currency units as integer cents, half up."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def dollars(cents_value: int) -> str:
    """Cents as the text the customer field rules read ('1234.50')."""
    whole, part = divmod(cents_value, 100)
    return f"{whole}.{part:02d}"


def parse_day(value: object) -> dt.date | None:
    """A date from ISO text ('2025-03-04', '2025-03-04T17:22:10.000Z', '…+0000'),
    epoch milliseconds as text, or epoch seconds as a number."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(float(value), dt.UTC).date()
    text = str(value).strip()
    if text.isdigit():
        return dt.datetime.fromtimestamp(int(text) / 1000, dt.UTC).date()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def value_as_of(changes: Sequence[tuple[dt.date, object]], day: dt.date) -> object:
    """The value in force on `day` from (day, value) changes sorted oldest first."""
    found: object = None
    for when, value in changes:
        if when > day:
            break
        found = value
    return found


def history_days(today: dt.date, lookback: int) -> list[dt.date]:
    """The past days a pull of `lookback` days writes: every day up to 90 days back,
    weekly beyond (same weekday as yesterday), oldest first, today excluded."""
    step = 1 if lookback <= 90 else 7
    return sorted(today - dt.timedelta(days=d) for d in range(1, lookback + 1, step))
