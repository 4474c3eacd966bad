"""One sync: match pulled accounts to customers (link, then name), work out what would
change, and (unless it is a dry run) write it all in the caller's one transaction.

Writes are set-based (executemany): new customers, grouped column updates, the link
rows; then the changed accounts are rescored through the scoring package, which also
snapshots them and refreshes today's portfolio rollup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import DEFAULT_CLIENT_ID, Contact, Customer, IntegrationLink
from iqcadence_desktop.services.customers import CUSTOMER_FIELD_COLUMNS, name_key, parse_value
from iqcadence_desktop.services.integrations.base import SYSTEM_LABELS, ExternalAccount
from iqcadence_desktop.services.integrations.mapping import (
    SIGNAL_TARGETS,
    TARGET_LABELS,
    parse_target,
)
from iqcadence_desktop.services.system import CHUNK, upsert

_CUSTOMERS = cast(Table, Customer.__table__)
MAX_SAMPLES = 200
MAX_ISSUES = 200


@dataclass(frozen=True)
class FieldChange:
    """One field of one account: what we have and what the other system says."""

    field: str
    old: object
    new: object


@dataclass(frozen=True)
class AccountChange:
    """An account a sync adds or changes."""

    external_id: str
    customer_id: int | None
    name: str
    kind: str  # "new" or "changed"
    changes: tuple[FieldChange, ...]


@dataclass
class SyncResult:
    """What a sync found (dry run) or did."""

    system: str
    dry_run: bool
    at: dt.datetime
    pulled: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    fields: dict[str, int] = field(default_factory=dict)
    samples: list[AccountChange] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored_owned: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        label = SYSTEM_LABELS[self.system]
        verb = "would add" if self.dry_run else "added"
        fields = ", ".join(
            f"{TARGET_LABELS.get(k, k)} {n:,}" for k, n in sorted(self.fields.items())
        )
        text = (
            f"{label}: {self.pulled:,} accounts read; {verb} {self.new:,}, "
            f"{'would change' if self.dry_run else 'changed'} {self.changed:,}"
            + (f" ({fields})" if fields else "")
            + f", {self.unchanged:,} unchanged"
        )
        if self.skipped:
            text += f", {self.skipped:,} not matched to a customer"
        return text + "."

    def to_json(self, samples: int = MAX_SAMPLES) -> dict[str, Any]:
        return {
            "system": self.system,
            "dry_run": self.dry_run,
            "at": self.at.isoformat(),
            "pulled": self.pulled,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "fields": dict(sorted(self.fields.items())),
            "changes": [
                {
                    "external_id": a.external_id,
                    "customer_id": a.customer_id,
                    "name": a.name,
                    "kind": a.kind,
                    "fields": {
                        c.field: {"old": _plain(c.old), "new": _plain(c.new)} for c in a.changes
                    },
                }
                for a in self.samples[:samples]
            ],
            "issues": self.issues,
            "warnings": self.warnings,
            "ignored_owned": self.ignored_owned,
            "summary": self.summary(),
        }


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass
class _Plan:
    new: list[tuple[ExternalAccount, str, dict[str, Any]]] = field(default_factory=list)
    changed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    links: dict[str, tuple[int | None, ExternalAccount]] = field(default_factory=dict)
    clear_override: set[int] = field(default_factory=set)


class SyncRun:
    """Plans and applies one sync inside the caller's session."""

    def __init__(
        self,
        session: Session,
        system: str,
        targets: Mapping[str, str],
        options: Mapping[str, Any],
        now: dt.datetime,
        dry_run: bool,
        client_id: int = DEFAULT_CLIENT_ID,
    ) -> None:
        self.s = session
        # Team mode: accounts match, and new customers go to, this client only.
        self.client_id = client_id
        self.system = system
        self.targets = dict(targets)  # their field -> our field, after ownership
        self.options = options
        self.now = now
        self.result = SyncResult(system, dry_run, now)
        self.plan = _Plan()
        self._columns = [CUSTOMER_FIELD_COLUMNS[t] for t in self.targets.values()]

    # -- planning --------------------------------------------------------------------------
    def prepare(self, accounts: Sequence[ExternalAccount]) -> SyncResult:
        self.result.pulled = len(accounts)
        links = dict(
            self.s.execute(
                select(IntegrationLink.external_id, IntegrationLink.customer_id).where(
                    IntegrationLink.integration == self.system
                )
            ).all()
        )
        stored, by_name = self._customers()
        trashed = set(by_name.values()) - set(stored)
        emails = self._emails() if self.system == "stripe" else {}
        claimed: set[str] = set()
        for account in accounts:
            cid = links.get(account.external_id)
            if cid is None and account.name:
                cid = by_name.get(name_key(account.name))
            if cid is None and account.email:
                cid = emails.get(account.email.strip().lower())
            values = self._values(account)
            if cid is not None and cid in stored:
                self._compare(account, cid, stored[cid], values)
            elif cid is not None and cid in trashed:
                self._issue(f'"{account.name}" is in the trash; restore it to sync it.')
                self.result.skipped += 1
            elif cid is not None:
                self._issue(f'"{account.name}" is linked to a customer of another client.')
                self.result.skipped += 1
            else:
                self._add(account, values, claimed)
        return self.result

    def _customers(self) -> tuple[dict[int, dict[str, Any]], dict[str, int]]:
        cols = [
            _CUSTOMERS.c[c]
            for c in dict.fromkeys(
                ["id", "name", "name_key", "deleted_at", "score_override", *self._columns]
            )
        ]
        stored: dict[int, dict[str, Any]] = {}
        by_name: dict[str, int] = {}
        mine = select(*cols).where(_CUSTOMERS.c.client_id == self.client_id)
        for row in self.s.execute(mine).mappings():
            by_name[row["name_key"]] = row["id"]
            if row["deleted_at"] is None:
                stored[row["id"]] = dict(row)
        return stored, by_name

    def _emails(self) -> dict[str, int]:
        rows = self.s.execute(
            select(func.lower(Contact.email), Contact.customer_id)
            .join(Customer, Customer.id == Contact.customer_id)
            .where(Contact.email.is_not(None), Customer.client_id == self.client_id)
        ).all()
        return {email: cid for email, cid in rows}

    def _values(self, account: ExternalAccount) -> dict[str, Any]:
        """Their values as our stored values; blanks are left out (they never clear ours)."""
        out: dict[str, Any] = {}
        for source, target in self.targets.items():
            raw = account.values.get(source)
            if target == "mrr" and raw is not None and not self._home_currency(account):
                continue
            try:
                value = parse_target(target, raw)
            except ValidationError as exc:
                self._issue(
                    f"{SYSTEM_LABELS[self.system]} account "
                    f'"{account.name or account.external_id}": {exc}'
                )
                continue
            if value is not None:
                out[target] = value
        return out

    def _home_currency(self, account: ExternalAccount) -> bool:
        home = str(self.options.get("currency") or "").lower()
        if not home or not account.currency or account.currency.lower() == home:
            return True
        self._issue(
            f'"{account.name or account.external_id}" is billed in {account.currency.upper()}, '
            f"not {home.upper()}; its MRR was left as it is."
        )
        return False

    def _compare(
        self, account: ExternalAccount, cid: int, row: dict[str, Any], values: dict[str, Any]
    ) -> None:
        self.plan.links[account.external_id] = (cid, account)
        diffs = {t: v for t, v in values.items() if row[CUSTOMER_FIELD_COLUMNS[t]] != v}
        if not diffs:
            self.result.unchanged += 1
            return
        if row["score_override"] is not None and SIGNAL_TARGETS & set(diffs):
            self.plan.clear_override.add(cid)
        self.plan.changed.append((cid, diffs))
        self.result.changed += 1
        self._sample(
            account,
            cid,
            row["name"],
            "changed",
            {t: (row[CUSTOMER_FIELD_COLUMNS[t]], v) for t, v in diffs.items()},
        )

    def _add(self, account: ExternalAccount, values: dict[str, Any], claimed: set[str]) -> None:
        if not self.options.get("create_accounts") or not account.name:
            self.result.skipped += 1
            return
        try:
            name = parse_value("name", account.name)
        except ValidationError as exc:
            self._issue(f"{SYSTEM_LABELS[self.system]} account {account.external_id}: {exc}")
            self.result.skipped += 1
            return
        key = name_key(name)
        if key in claimed:
            self._issue(
                f"Two {SYSTEM_LABELS[self.system]} accounts are named "
                f'"{name}"; only the first was added.'
            )
            self.result.skipped += 1
            return
        claimed.add(key)
        values.setdefault("tier", self.options.get("default_tier"))
        values = {k: v for k, v in values.items() if v is not None}
        self.plan.new.append((account, name, values))
        self.plan.links[account.external_id] = (None, account)
        self.result.new += 1
        self._sample(account, None, name, "new", {t: (None, v) for t, v in values.items()})

    def _sample(
        self,
        account: ExternalAccount,
        cid: int | None,
        name: str,
        kind: str,
        diffs: dict[str, tuple[Any, Any]],
    ) -> None:
        for target in diffs:
            self.result.fields[target] = self.result.fields.get(target, 0) + 1
        if len(self.result.samples) < MAX_SAMPLES:
            changes = tuple(FieldChange(t, old, new) for t, (old, new) in diffs.items())
            self.result.samples.append(AccountChange(account.external_id, cid, name, kind, changes))

    def _issue(self, text: str) -> None:
        if len(self.result.issues) < MAX_ISSUES:
            self.result.issues.append(text)

    # -- writing ---------------------------------------------------------------------------
    def apply(self) -> list[int]:
        """Write the plan; returns the ids of new and changed customers (to rescore)."""
        new_ids = self._insert()
        self._update()
        self._link(new_ids)
        return [*new_ids.values(), *(cid for cid, _ in self.plan.changed)]

    def _insert(self) -> dict[str, int]:
        if not self.plan.new:
            return {}
        rows = []
        for _account, name, values in self.plan.new:
            row = {CUSTOMER_FIELD_COLUMNS[t]: v for t, v in values.items()}
            row.update(
                name=name,
                name_key=name_key(name),
                lifecycle=row.get("lifecycle") or "active",
                status="unscored",
                coverage=0.0,
                created_at=self.now,
                updated_at=self.now,
                client_id=self.client_id,
            )
            rows.append(row)
        for shape in _by_shape(rows):
            self.s.execute(insert(_CUSTOMERS), shape)
        keys = [name_key(name) for _, name, _ in self.plan.new]
        ids: dict[str, int] = {}
        for start in range(0, len(keys), CHUNK):
            part = keys[start : start + CHUNK]
            ids.update(
                self.s.execute(
                    select(Customer.name_key, Customer.id).where(
                        Customer.name_key.in_(part), Customer.client_id == self.client_id
                    )
                ).all()
            )
        return {account.external_id: ids[name_key(name)] for account, name, _ in self.plan.new}

    def _update(self) -> None:
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for cid, diffs in self.plan.changed:
            values = {CUSTOMER_FIELD_COLUMNS[t]: v for t, v in diffs.items()}
            if cid in self.plan.clear_override:
                values["score_override"] = None  # a manual score ends on new signals (S2)
            values["updated_at"] = self.now
            groups.setdefault(tuple(sorted(values)), []).append(
                {"_id": cid, **{f"_v_{k}": v for k, v in values.items()}}
            )
        for columns, rows in groups.items():
            stmt = (
                update(_CUSTOMERS)
                .where(_CUSTOMERS.c.id == bindparam("_id"))
                .values({c: bindparam(f"_v_{c}") for c in columns})
            )
            self.s.connection().execute(stmt, rows)

    def _link(self, new_ids: dict[str, int]) -> None:
        rows = []
        for external_id, (cid, account) in self.plan.links.items():
            rows.append(
                {
                    "integration": self.system,
                    "external_id": external_id,
                    "customer_id": cid if cid is not None else new_ids[external_id],
                    "external_name": (account.name or "")[:200] or None,
                    "currency": (account.currency or "")[:3].lower() or None,
                    "synced_at": self.now,
                }
            )
        upsert(self.s, cast(Table, IntegrationLink.__table__), rows, ("integration", "external_id"))


def _by_shape(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows grouped by their keys: one executemany needs one statement shape."""
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        shapes.setdefault(tuple(sorted(row)), []).append(row)
    return list(shapes.values())
