"""A fake Stripe API (v1 list endpoints) built from Stripe's own fixtures: bearer keys,
form-encoded params with brackets, list envelopes paged by `starting_after`/`has_more`,
subscriptions without `status=all` excluding canceled ones, Stripe's error envelope."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from tests.fakes.server import FakeServer, Reply, Seen, param

FIXTURES = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "integrations" / "stripe_fixtures.json").read_text()
)["resources"]


def epoch(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(12), dt.UTC).timestamp())


class FakeStripe(FakeServer):
    """Customers, products, subscriptions and invoices, newest first."""

    def __init__(self, key: str = "sk_test_fake") -> None:
        super().__init__()
        self.keys = {key}
        self.data: dict[str, list[dict[str, Any]]] = {
            "customers": [],
            "products": [],
            "subscriptions": [],
            "invoices": [],
        }

    def add_customer(self, cid: str, name: str | None, email: str | None, created: dt.date) -> None:
        obj = copy.deepcopy(FIXTURES["customer"])
        obj.update(
            id=cid, name=name, email=email, created=epoch(created), discount=None, currency="usd"
        )
        self.data["customers"].append(obj)

    def add_product(self, pid: str, name: str) -> None:
        obj = copy.deepcopy(FIXTURES["product"])
        obj.update(id=pid, name=name)
        self.data["products"].append(obj)

    def add_subscription(
        self,
        sid: str,
        customer: str,
        items: list[tuple[str, int, str, int, int]],
        status: str = "active",
        currency: str = "usd",
        created: dt.date | None = None,
    ) -> None:
        """items: (product id, unit amount in minor units, interval, interval_count, quantity)."""
        sub = copy.deepcopy(FIXTURES["subscription"])
        data = []
        for n, (product, unit, interval, count, qty) in enumerate(items):
            item = copy.deepcopy(FIXTURES["subscription_item"])
            item["price"].update(
                id=f"price_{sid}_{n}",
                product=product,
                unit_amount=unit,
                unit_amount_decimal=str(unit),
                currency=currency,
                transform_quantity=None,
                recurring={
                    **item["price"]["recurring"],
                    "interval": interval,
                    "interval_count": count,
                },
            )
            item.pop("plan", None)
            item.update(id=f"si_{sid}_{n}", quantity=qty, subscription=sid)
            data.append(item)
        sub.update(
            id=sid,
            customer=customer,
            status=status,
            currency=currency,
            discounts=[],
            created=epoch(created or dt.date(2025, 1, 1)),
            cancel_at=None,
            canceled_at=None,
            ended_at=None,
        )
        sub["items"] = {
            "object": "list",
            "data": data,
            "has_more": False,
            "url": f"/v1/subscription_items?subscription={sid}",
        }
        self.data["subscriptions"].append(sub)

    def add_invoice(
        self, iid: str, customer: str, start: dt.date, end: dt.date, amount: int
    ) -> None:
        inv = copy.deepcopy(FIXTURES["invoice"])
        line = copy.deepcopy(FIXTURES["line_item"])
        line.update(
            id=f"il_{iid}",
            amount=amount,
            invoice=iid,
            period={"start": epoch(start), "end": epoch(end)},
        )
        line["parent"]["type"] = "subscription_item_details"
        inv.update(id=iid, customer=customer, status="paid", created=epoch(start))
        inv["lines"] = {
            "object": "list",
            "data": [line],
            "has_more": False,
            "url": f"/v1/invoices/{iid}/lines",
        }
        self.data["invoices"].append(inv)

    def route(self, seen: Seen) -> Reply:
        if seen.headers.get("authorization", "").removeprefix("Bearer ") not in self.keys:
            return (
                401,
                {},
                {
                    "error": {
                        "message": "Invalid API Key provided: sk_test_****",
                        "type": "invalid_request_error",
                    }
                },
            )
        kind = seen.path.removeprefix("/v1/").strip("/")
        if kind not in self.data:
            return (
                404,
                {},
                {
                    "error": {
                        "code": "resource_missing",
                        "message": f"Unrecognized request URL (GET: {seen.path}).",
                        "type": "invalid_request_error",
                    }
                },
            )
        rows = sorted(self.data[kind], key=lambda r: (-int(r.get("created") or 0), r["id"]))
        if kind == "subscriptions" and param(seen, "status", "") != "all":
            rows = [r for r in rows if r["status"] != "canceled"]
        if kind == "invoices" and param(seen, "status"):
            rows = [r for r in rows if r["status"] == param(seen, "status")]
        if param(seen, "created[gte]"):
            rows = [r for r in rows if int(r["created"]) >= int(param(seen, "created[gte]") or 0)]
        return self._list(seen, kind, rows)

    def _list(self, seen: Seen, kind: str, rows: list[dict[str, Any]]) -> Reply:
        limit = int(param(seen, "limit", "10") or 10)
        if not 1 <= limit <= 100:
            return (
                400,
                {},
                {
                    "error": {
                        "code": "parameter_invalid_integer",
                        "param": "limit",
                        "message": "Invalid integer: limit must be between 1 and 100",
                        "type": "invalid_request_error",
                    }
                },
            )
        after = param(seen, "starting_after")
        start = 0
        if after:
            ids = [r["id"] for r in rows]
            if after not in ids:
                return (
                    404,
                    {},
                    {
                        "error": {
                            "code": "resource_missing",
                            "param": "starting_after",
                            "message": f"No such object: '{after}'",
                            "type": "invalid_request_error",
                        }
                    },
                )
            start = ids.index(after) + 1
        failed = self.page_fails(start // limit)
        if failed:
            return failed
        part = rows[start : start + limit]
        return (
            200,
            {"Request-Id": "req_fake"},
            {
                "object": "list",
                "data": part,
                "has_more": start + limit < len(rows),
                "url": f"/v1/{kind}",
            },
        )

    def rate_body(self) -> Any:
        return {
            "error": {
                "message": "Request rate limit exceeded.",
                "type": "invalid_request_error",
                "code": "rate_limit",
            }
        }

    def server_error_body(self) -> Any:
        return {"error": {"message": "An unknown error occurred", "type": "api_error"}}
