"""The six actions of the inbound API contract, thin over the customer service.

Field names are the contract's own (`logins`, `adoption`, `tickets`, `days`, `growth`,
`since`, …). Signal changes rescore; the answer carries the new score and status; an
explicit `score` sets a manual score instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.api.query import (
    ListQuery,
    count_matching,
    filter_key,
    page_ids,
    parse_list_query,
)
from iqcadence_desktop.services.customers import (
    CustomerDTO,
    CustomerFilter,
    CustomerService,
)
from iqcadence_desktop.services.system import CUSTOMERS_CHANGED, Clock, EventBus
from iqcadence_desktop.services.team import Scope

ACTIONS = (
    "list_customers",
    "get_customer",
    "upsert_account",
    "update_health",
    "delete_customer",
    "score_customer",
)
SIGNALS = frozenset({"logins", "adoption", "tickets", "nps", "csat", "days", "growth"})
Body = dict[str, Any]
#: A count of matching customers is reused this long (other processes may write too).
TOTAL_SECONDS = 5.0


def contract(c: CustomerDTO) -> Body:
    """A customer in the contract's field names (inlined: 500 of these make a page)."""
    mrr, contact, renewal = c.mrr_cents, c.last_contact_date, c.renewal_date
    touch, since, created, updated = c.next_touch, c.customer_since, c.created_at, c.updated_at
    return {
        "id": c.id,
        "display_id": f"CUS-{c.id:06d}",
        "name": c.name,
        "manager": c.manager,
        "mrr": None if mrr is None else mrr / 100,
        "arr": None if mrr is None else mrr * 12 / 100,
        "logins": c.logins_30d,
        "adoption": c.feature_adoption_pct,
        "tickets": c.open_tickets,
        "nps": c.nps,
        "csat": c.csat,
        "days": c.days_since_contact,
        "last_contact": None if contact is None else contact.isoformat(),
        "growth": c.growth_signal,
        "tier": c.tier,
        "lifecycle": c.lifecycle,
        "tags": list(c.tags),
        "renewal_date": None if renewal is None else renewal.isoformat(),
        "next_touch": None if touch is None else touch.isoformat(),
        "since": None if since is None else since.isoformat(),
        "sentiment": c.sentiment,
        "note": c.note,
        "score": c.shown_score,
        "score_exact": c.score,
        "status": c.status,
        "coverage": round(c.coverage, 4),
        "manual_score": c.manual_score,
        "momentum": c.momentum,
        "created_at": created.isoformat(timespec="seconds") + "Z",
        "updated_at": updated.isoformat(timespec="seconds") + "Z",
    }


class ApiActions:
    """Runs one action with its parameters and returns (HTTP status, JSON body)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        customers: CustomerService,
        events: EventBus,
        scope: Scope,
    ) -> None:
        self._db = db
        self._scope = scope  # calls see what the user signed in on this copy sees
        self._clock = clock
        self._customers = customers
        self._fresh_day: int | None = None
        self._lock = threading.Lock()
        self._totals: dict[tuple[object, ...], tuple[int, float]] = {}
        events.subscribe(CUSTOMERS_CHANGED, self._forget_totals)
        self._table: dict[str, Callable[[Mapping[str, Any]], tuple[int, Body]]] = {
            "list_customers": self.list_customers,
            "get_customer": self.get_customer,
            "upsert_account": self.upsert_account,
            "update_health": self.update_health,
            "delete_customer": self.delete_customer,
            "score_customer": self.score_customer,
        }

    def run(self, action: str | None, params: Mapping[str, Any]) -> tuple[int, Body]:
        if not action:
            raise ValidationError(
                "action", "action: say what to do, one of " + ", ".join(ACTIONS) + "."
            )
        handler = self._table.get(action)
        if handler is None:
            raise ValidationError(
                "action", f"action: {action!r} is not known; use one of " + ", ".join(ACTIONS) + "."
            )
        return handler(params)

    def _fresh(self) -> None:
        """Stored scores are today's once a day (the daily refresh), then SQL can sort them."""
        today = self._clock.today().toordinal()
        with self._lock:
            if self._fresh_day != today:
                self._customers.ensure_daily_snapshots()
                self._fresh_day = today

    # -- reading ------------------------------------------------------------------------
    def list_customers(self, params: Mapping[str, Any]) -> tuple[int, Body]:
        query = parse_list_query(params)
        self._fresh()
        with self._db.session() as s:
            ids = page_ids(s, query, self._scope.customer_clause())
            total = self._total(s, query, len(ids))
        found = (
            {c.id: c for c in self._customers.list_customers(CustomerFilter(ids=tuple(ids)))}
            if ids
            else {}
        )
        rows = [contract(found[i]) for i in ids if i in found]
        after = query.offset + len(rows)
        return 200, {
            "data": rows,
            "total": total,
            "limit": query.limit,
            "offset": query.offset,
            "has_more": after < total,
            "next_offset": after if after < total else None,
        }

    def _total(self, s: Any, query: ListQuery, shown: int) -> int:
        """How many match: known from a short page, else counted (and kept a few seconds,
        so paging through a large result counts once)."""
        if shown < query.limit and (shown or not query.offset):
            return query.offset + shown
        key, now = (*filter_key(query), self._scope.client_ids()), time.monotonic()
        with self._lock:
            cached = self._totals.get(key)
        if cached is not None and now - cached[1] < TOTAL_SECONDS:
            return cached[0]
        total = count_matching(s, query, self._scope.customer_clause())
        with self._lock:
            self._totals[key] = (total, now)
        return total

    def _forget_totals(self, _event: object = None) -> None:
        with self._lock:
            self._totals.clear()

    def get_customer(self, params: Mapping[str, Any]) -> tuple[int, Body]:
        return 200, {"data": contract(self._customers.get(self._find(params)))}

    # -- writing ----------------------------------------------------------------------------
    def upsert_account(self, params: Mapping[str, Any]) -> tuple[int, Body]:
        data = {k: v for k, v in params.items() if k not in ("id", "display_id")}
        if params.get("id") is not None:
            customer, created = (
                self._customers.update(self._find({"id": params["id"]}), data),
                False,
            )
        else:
            if "name" not in data:
                raise ValidationError(
                    "name", "name: give the account's name (it finds or creates the account)."
                )
            customer, created = self._customers.save_by_name(data)
        return (201 if created else 200), self._written(customer, created, SIGNALS & set(data))

    def update_health(self, params: Mapping[str, Any]) -> tuple[int, Body]:
        field = params.get("field")
        if not isinstance(field, str) or not field or field in ("name", "id"):
            raise ValidationError(
                "field", "field: name the customer field to change (for example logins)."
            )
        if "value" not in params:
            raise ValidationError("value", "value: give the new value of the field.")
        cid = self._find(params)
        customer = self._customers.update(cid, {field: params["value"]})
        return 200, self._written(customer, False, SIGNALS & {field})

    def delete_customer(self, params: Mapping[str, Any]) -> tuple[int, Body]:
        cid = self._find(params)
        name = self._customers.get(cid).name
        moved = self._customers.trash([cid])
        return 200, {
            "data": {"id": cid, "name": name, "deleted": True, "recoverable": True},
            "changed": bool(moved),
        }

    def score_customer(self, params: Mapping[str, Any]) -> tuple[int, Body]:
        cid = self._customers.get(self._find(params)).id  # 404 before any write
        self._customers.rescore_selected([cid])
        customer = self._customers.get(cid)
        return 200, {
            "data": contract(customer),
            "score": customer.shown_score,
            "status": customer.status,
        }

    def _written(self, customer: CustomerDTO, created: bool, signals: frozenset[str]) -> Body:
        return {
            "data": contract(customer),
            "created": created,
            "rescored": bool(signals),
            "score": customer.shown_score,
            "status": customer.status,
        }

    def _find(self, params: Mapping[str, Any]) -> int:
        """A live customer by `id` (123 or CUS-000123) or by `name`."""
        raw_id, name = params.get("id"), params.get("name")
        if raw_id is not None and str(raw_id).strip():
            text = str(raw_id).strip().upper().removeprefix("CUS-")
            if not text.isdigit():
                raise ValidationError(
                    "id", f"id: {raw_id!r} is not a customer id such as 42 or CUS-000042."
                )
            return int(text)  # the service says so when no such customer exists
        if name is None or not str(name).strip():
            raise ValidationError("name", "name: give the customer's name or id.")
        cid_or_none = self._customers.find_id(str(name))
        if cid_or_none is None:
            raise NotFoundError(f'No customer is named "{name}".')
        return cid_or_none
