"""Data health: accounts whose data is missing, stale or probably duplicated.

Each finding carries the ids of the accounts it is about, so the GUI can open the
Customers page on exactly those rows.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from iqcadence_desktop.services.customers import CustomerDTO, CustomerFilter, CustomerService

STALE_CONTACT_DAYS = 90
#: Similarity above which two folded names are reported as probably the same account.
NEAR_DUPLICATE_RATIO = 0.92
_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "bv",
    "plc",
    "pty",
    "the",
}


@dataclass(frozen=True)
class Finding:
    """One data-health problem and the accounts it concerns."""

    kind: str  # unscored, no_contact, stale_contact, no_manager, no_renewal, duplicate
    title: str
    detail: str
    customer_ids: tuple[int, ...]
    names: tuple[str, ...] = ()


def fold_name(name: str) -> str:
    """Name without accents, punctuation, case or legal suffixes ('Acmé, Inc.' -> 'acme')."""
    # Drop accents but keep every script's letters (Greek or Japanese names stay distinct).
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    ).casefold()
    words = re.sub(r"[\W_]+", " ", plain).split()
    return " ".join(w for w in words if w not in _SUFFIXES) or " ".join(words)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _simple_checks(rows: Sequence[CustomerDTO]) -> list[Finding]:
    checks: tuple[tuple[str, str, str, Callable[[CustomerDTO], bool]], ...] = (
        (
            "unscored",
            "Unscored accounts",
            "No signal to score them with yet.",
            lambda c: c.status == "unscored",
        ),
        (
            "no_contact",
            "No last-contact date",
            "Days since contact cannot be scored.",
            lambda c: c.last_contact_date is None,
        ),
        (
            "stale_contact",
            f"No contact for over {STALE_CONTACT_DAYS} days",
            "The contact signal is stale; log a touch or check the date.",
            lambda c: (c.days_since_contact or 0) > STALE_CONTACT_DAYS,
        ),
        ("no_manager", "No manager", "Nobody owns these accounts.", lambda c: not c.manager),
        (
            "no_renewal",
            "No renewal date",
            "Renewal windows and forecasts skip them.",
            lambda c: c.renewal_date is None,
        ),
    )
    out = []
    for kind, title, detail, test in checks:
        ids = tuple(c.id for c in rows if test(c))
        if ids:
            out.append(Finding(kind, title, detail, ids))
    return out


def near_duplicates(rows: Sequence[CustomerDTO]) -> list[Finding]:
    """Groups of names equal once folded, plus neighbours in folded order that look alike."""
    groups: dict[str, list[CustomerDTO]] = defaultdict(list)
    for c in rows:
        groups[fold_name(c.name)].append(c)
    keys = sorted(groups)
    parent = {k: k for k in keys}
    for a, b in zip(keys, keys[1:], strict=False):
        # Comparing sorted neighbours only keeps this linear at 100k accounts.
        # Names that differ in their numbers ("Store 12" / "Store 14") are different accounts.
        if (
            min(len(a), len(b)) >= 5
            and _digits(a) == _digits(b)
            and (difflib.SequenceMatcher(None, a, b).ratio() >= NEAR_DUPLICATE_RATIO)
        ):
            parent[b] = parent[a]
    merged: dict[str, list[CustomerDTO]] = defaultdict(list)
    for k in keys:
        merged[parent[k]].extend(groups[k])
    return [
        Finding(
            "duplicate",
            "Possible duplicates: " + " / ".join(c.name for c in g[:3]),
            "These names differ only in case, spacing, punctuation or a legal suffix.",
            tuple(c.id for c in g),
            tuple(c.name for c in g),
        )
        for g in merged.values()
        if len(g) > 1
    ]


class DataHealthService:
    """Runs the data-health checks over live accounts (optionally one manager's)."""

    def __init__(self, customers: CustomerService) -> None:
        self._customers = customers

    def findings(self, manager: str | None = None) -> list[Finding]:
        rows = self._customers.list_customers(CustomerFilter(manager=manager))
        return _simple_checks(rows) + near_duplicates(rows)
