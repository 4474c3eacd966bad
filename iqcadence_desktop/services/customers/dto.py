"""Data transfer objects that cross from services to views, CLI and API.

Customer rows are NamedTuples: immutable, typed, and cheap enough to build 100k of.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from iqcadence_desktop.services.customers.custom_values import CustomValue, canonical
from iqcadence_desktop.services.scoring import ScoreResult, shown_score

#: The custom values of an account that has none (shared: 100k rows need no 100k dicts).
NO_CUSTOM: Mapping[str, CustomValue] = MappingProxyType({})


def display_id(customer_id: int) -> str:
    """A stable id that spreadsheets leave alone (never a bare number)."""
    return f"CUS-{customer_id:06d}"


def cents_to_amount(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


class CustomerDTO(NamedTuple):
    """A customer as of a day: stored fields, live score and derived state."""

    id: int
    name: str
    external_id: str | None
    manager: str | None
    mrr_cents: int | None
    logins_30d: int | None
    feature_adoption_pct: float | None
    open_tickets: int | None
    nps: int | None
    csat: int | None
    last_contact_date: dt.date | None
    days_since_contact: int | None
    renewal_date: dt.date | None
    days_until_renewal: int | None
    months_to_renewal: int | None
    growth_signal: str | None
    tier: str | None
    tags: tuple[str, ...]
    lifecycle: str
    customer_since: dt.date | None
    next_touch: dt.date | None
    scoring_profile_id: int | None
    scoring_profile: str | None
    note: str | None
    sentiment: str | None
    score: float | None
    shown_score: int | None
    status: str
    coverage: float
    manual_score: bool
    momentum: float | None
    cadence_status: str
    renewal_window: str
    expansion_estimate_cents: int
    priority: float
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    #: Why the score was set by hand, and its last day (None: until the next signal update).
    override_reason: str | None = None
    override_until: dt.date | None = None
    #: The scoring profile was chosen by hand (else it follows the profile rules).
    profile_manual: bool = False
    #: Custom field values by field key (custom_fields.py).
    custom: Mapping[str, CustomValue] = NO_CUSTOM
    # Team mode: the client the account belongs to, and the version a save must match.
    client_id: int = 1
    version: int = 1

    @property
    def arr_cents(self) -> int | None:
        return None if self.mrr_cents is None else self.mrr_cents * 12

    @property
    def display_id(self) -> str:
        return display_id(self.id)

    def to_json(self) -> dict[str, Any]:
        """The S1 field names plus id, score, shown_score and status (CLI/API)."""
        return {
            "id": self.id,
            "display_id": self.display_id,
            "name": self.name,
            "external_id": self.external_id,
            "manager": self.manager,
            "mrr": cents_to_amount(self.mrr_cents),
            "arr": cents_to_amount(self.arr_cents),
            "logins_30d": self.logins_30d,
            "feature_adoption_pct": self.feature_adoption_pct,
            "open_tickets": self.open_tickets,
            "nps": self.nps,
            "csat": self.csat,
            "days_since_contact": self.days_since_contact,
            "last_contact_date": _iso(self.last_contact_date),
            "renewal_date": _iso(self.renewal_date),
            "months_to_renewal": self.months_to_renewal,
            "growth_signal": self.growth_signal,
            "tier": self.tier,
            "tags": list(self.tags),
            "lifecycle": self.lifecycle,
            "customer_since": _iso(self.customer_since),
            "next_touch": _iso(self.next_touch),
            "scoring_profile": self.scoring_profile,
            "note": self.note,
            "sentiment": self.sentiment,
            "score": self.score,
            "shown_score": self.shown_score,
            "status": self.status,
            "coverage": self.coverage,
            "manual_score": self.manual_score,
            "override_reason": self.override_reason,
            "override_until": _iso(self.override_until),
            "scoring_profile_by_hand": self.profile_manual,
            "momentum": self.momentum,
            "cadence_status": self.cadence_status,
            "renewal_window": self.renewal_window,
            "days_until_renewal": self.days_until_renewal,
            "expansion_estimate": cents_to_amount(self.expansion_estimate_cents),
            "priority_score": self.priority,
            "deleted": self.deleted_at is not None,
            "custom": {k: canonical(v) for k, v in self.custom.items()},
            "client_id": self.client_id,
            "version": self.version,
        }


class SignalChange(NamedTuple):
    """How much one signal moved a score since the previous snapshot."""

    signal: str
    delta: float


class Explanation(NamedTuple):
    """A customer's score taken apart, and what changed since the previous snapshot."""

    customer: CustomerDTO
    result: ScoreResult
    previous_day: dt.date | None
    previous_score: float | None
    changes: tuple[SignalChange, ...]

    def change_text(self) -> str:
        """'−14: logins −9, tickets −5' (empty without a previous snapshot)."""
        if self.previous_score is None or self.result.score is None:
            return ""
        # The total is the change in the shown (rounded) score, so it matches what the
        # user sees; parts are rounded half away from zero.
        total = (shown_score(self.result.score) or 0) - (shown_score(self.previous_score) or 0)
        parts = [
            f"{c.signal} {_signed(_round_half_away(c.delta))}"
            for c in self.changes
            if _round_half_away(c.delta) != 0
        ]
        head = _signed(total)
        return f"{head}: {', '.join(parts)}" if parts else head


def _round_half_away(x: float) -> int:
    magnitude = int(math.floor(abs(x) + 0.5))
    return magnitude if x >= 0 else -magnitude


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else ("0" if n == 0 else f"−{abs(n)}")


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


class SnapshotDTO(NamedTuple):
    """A customer's score and signals at the end of one day."""

    day: dt.date
    score: float | None
    status: str
    coverage: float
    logins_30d: int | None
    feature_adoption_pct: float | None
    open_tickets: int | None
    nps: int | None
    days_since_contact: int | None
    growth_signal: str | None
    mrr_cents: int | None
