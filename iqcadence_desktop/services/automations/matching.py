"""Evaluating rules over the whole portfolio at once, and finding the transitions.

Customers become numpy columns (built once per field, only for the fields some rule
uses); each trigger or condition is one vectorised comparison. A rule's matches are
encoded as sorted int64 keys `customer_id << 8 | trigger << 4 | token` (the token tells
apart "became At Risk" from "became Critical"), so "which matches are new since last
time" is one `setdiff1d` against the previous keys, stored packed in the rule's row.

A missing value (no NPS, no renewal date, ...) never matches a test on it. Churned
accounts never raise S9 events other than the lifecycle change that churned them.
"""

from __future__ import annotations

import base64
import operator
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from iqcadence_desktop.services.automations.conditions import Condition, Groups
from iqcadence_desktop.services.automations.events import Trigger
from iqcadence_desktop.services.customers import CustomerDTO

Keys = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
EMPTY: Keys = np.zeros(0, dtype=np.int64)

_NUMBERS: dict[str, Callable[[CustomerDTO], Any]] = {
    "score": lambda c: c.shown_score,
    "logins": lambda c: c.logins_30d,
    "adoption": lambda c: c.feature_adoption_pct,
    "tickets": lambda c: c.open_tickets,
    "nps": lambda c: c.nps,
    "csat": lambda c: c.csat,
    "mrr": lambda c: None if c.mrr_cents is None else c.mrr_cents / 100,
    "days_since_contact": lambda c: c.days_since_contact,
    "momentum": lambda c: c.momentum,
    "score_drop_7d": lambda c: None if c.momentum is None else -c.momentum,
    "renewal_days": lambda c: c.days_until_renewal,
}
_CHOICES: dict[str, Callable[[CustomerDTO], Any]] = {
    "status": lambda c: c.status,
    "tier": lambda c: c.tier,
    "lifecycle": lambda c: c.lifecycle,
    "growth": lambda c: c.growth_signal,
    "cadence": lambda c: c.cadence_status,
    "manager": lambda c: None if c.manager is None else c.manager.casefold(),
}


class Columns:
    """Column views of a list of customers, built lazily and kept for reuse."""

    def __init__(self, customers: Sequence[CustomerDTO]) -> None:
        self.customers = customers
        self.n = len(customers)
        self.ids: Keys = np.fromiter((c.id for c in customers), np.int64, self.n)
        self._numbers: dict[str, Floats] = {}
        self._codes: dict[str, tuple[npt.NDArray[np.int32], dict[Any, int]]] = {}
        self._tags: dict[str, list[int]] | None = None
        self._order: Keys | None = None

    def number(self, name: str) -> Floats:
        if name not in self._numbers:
            get = _NUMBERS[name]
            values = (get(c) for c in self.customers)
            self._numbers[name] = np.fromiter(
                (np.nan if v is None else v for v in values), np.float64, self.n
            )
        return self._numbers[name]

    def equals(self, name: str, value: Any) -> Mask:
        """Rows whose choice/text field equals `value` (text compared case-insensitively)."""
        if name not in self._codes:
            get = _CHOICES[name]
            lookup: dict[Any, int] = {}
            codes = np.fromiter(
                (lookup.setdefault(get(c), len(lookup)) for c in self.customers), np.int32, self.n
            )
            self._codes[name] = (codes, lookup)
        codes, lookup = self._codes[name]
        key = value.casefold() if name == "manager" and isinstance(value, str) else value
        code = lookup.get(key)
        return np.zeros(self.n, bool) if code is None else codes == code

    def present(self, name: str) -> Mask:
        """Rows where a choice/text field has a value."""
        return ~self.equals(name, None)

    def tagged(self, tag: str) -> Mask:
        if self._tags is None:
            self._tags = defaultdict(list)
            for i, c in enumerate(self.customers):
                for t in c.tags:
                    self._tags[t.casefold()].append(i)
        mask = np.zeros(self.n, bool)
        mask[self._tags.get(tag.casefold(), [])] = True
        return mask

    def rows_for(self, keys: Keys) -> npt.NDArray[np.intp]:
        """Row index of each key's customer."""
        if self._order is None:
            self._order = np.argsort(self.ids, kind="stable").astype(np.int64)
        order = self._order
        found: npt.NDArray[np.intp] = order[np.searchsorted(self.ids[order], keys >> 8)]
        return found


# -- one trigger, one condition ------------------------------------------------------------
def _trigger_mask(t: Trigger, cols: Columns) -> tuple[Mask, npt.NDArray[np.int64]]:
    """(matching rows, token per row) for one S9 trigger."""
    zero = np.zeros(cols.n, np.int64)
    v = t.threshold if t.threshold is not None else 0.0
    if t.event == "lifecycle_change":
        at_risk, churned = cols.equals("lifecycle", "atrisk"), cols.equals("lifecycle", "churned")
        return at_risk | churned, np.where(churned, 2, 1).astype(np.int64)
    live = ~cols.equals("lifecycle", "churned")
    if t.event == "became_at_risk":
        at_risk, critical = cols.equals("status", "at_risk"), cols.equals("status", "critical")
        return live & (at_risk | critical), np.where(critical, 2, 1).astype(np.int64)
    with np.errstate(invalid="ignore"):
        if t.event == "health_below":
            mask = cols.number("score") < v
        elif t.event == "renewal_within":
            days = cols.number("renewal_days")
            mask = (days >= 0) & (days <= v)
        elif t.event == "no_contact":
            mask = cols.number("days_since_contact") >= v
        elif t.event == "nps_detractor":
            mask = cols.number("nps") <= 6
        else:  # score_drop
            mask = cols.number("score_drop_7d") >= v
    return live & mask, zero


def condition_mask(c: Condition, cols: Columns) -> Mask:
    if c.field == "tags":
        has = cols.tagged(str(c.value))
        return has if c.op == "has" else ~has
    if c.field in _CHOICES:
        same = cols.equals(c.field, c.value)
        return same if c.op == "=" else cols.present(c.field) & ~same
    col = cols.number(c.field)
    value = float(c.value)
    with np.errstate(invalid="ignore"):
        if c.op == "!=":
            differs: Mask = ~np.isnan(col) & (col != value)  # NaN != v holds: exclude missing
            return differs
        out: Mask = _COMPARE[c.op](col, value)
    return out


_COMPARE: dict[str, Callable[[Floats, float], Mask]] = {
    "=": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def groups_mask(groups: Groups, cols: Columns) -> Mask:
    """OR over groups of AND over each group's conditions."""
    any_group = np.zeros(cols.n, bool)
    for group in groups:
        every = np.ones(cols.n, bool)
        for c in group:
            every &= condition_mask(c, cols)
        any_group |= every
    return any_group


# -- a whole rule --------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleSpec:
    """What matching needs of a rule."""

    triggers: tuple[Trigger, ...]
    groups: Groups
    manager: str | None


def match_keys(rule: RuleSpec, cols: Columns) -> Keys:
    """Sorted keys of every (customer, trigger, token) the rule matches now."""
    scope = cols.equals("manager", rule.manager) if rule.manager else None
    parts = []
    if rule.groups:
        mask = groups_mask(rule.groups, cols)
        parts.append(cols.ids[mask if scope is None else mask & scope] << 8)
    for index, t in enumerate(rule.triggers[:16]):
        mask, tokens = _trigger_mask(t, cols)
        if scope is not None:
            mask &= scope
        parts.append((cols.ids[mask] << 8) | (index << 4) | tokens[mask])
    if not parts:
        return EMPTY
    return np.sort(np.concatenate(parts))


def matching_customers(rule: RuleSpec, cols: Columns) -> int:
    """How many distinct accounts the rule matches now (the builder's live count)."""
    keys = match_keys(rule, cols)
    return int(np.unique(keys >> 8).size)


@dataclass(frozen=True)
class Transition:
    """A (customer, trigger, token) that matches now and did not at the last evaluation."""

    customer: CustomerDTO
    trigger: int
    token: int


def transitions(current: Keys, previous: Keys, cols: Columns) -> list[Transition]:
    new = np.setdiff1d(current, previous, assume_unique=True)
    if new.size == 0:
        return []
    rows = cols.rows_for(new)
    return [
        Transition(cols.customers[int(r)], int((k >> 4) & 15), int(k & 15))
        for r, k in zip(rows, new, strict=True)
    ]


def token_name(event: str, token: int) -> str | None:
    """What a token means for its event ("critical" for became_at_risk token 2)."""
    if event == "became_at_risk":
        return {1: "at_risk", 2: "critical"}.get(token)
    if event == "lifecycle_change":
        return {1: "atrisk", 2: "churned"}.get(token)
    return None


# -- stored state --------------------------------------------------------------------------
def pack(keys: Keys) -> str:
    """Sorted keys as text: deltas (mostly tiny) compress to a few bytes per match."""
    if keys.size == 0:
        return ""
    deltas = np.diff(keys, prepend=np.int64(0)).astype("<i8")
    return base64.b64encode(zlib.compress(deltas.tobytes(), 6)).decode("ascii")


def unpack(text: str | None) -> Keys:
    if not text:
        return EMPTY
    deltas = np.frombuffer(zlib.decompress(base64.b64decode(text)), dtype="<i8")
    return np.cumsum(deltas).astype(np.int64)
