"""Stripe: a secret or restricted key; customers and subscriptions, paged with
`starting_after` / `has_more`. MRR in cents from each item's price × quantity over its
billing interval, per currency; tiers from plan names. Stripe never creates accounts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from decimal import Decimal
from typing import Any

import requests

from iqcadence_desktop.services.integrations.base import (
    AccountHistory,
    ExternalAccount,
    FieldInfo,
    Job,
    Pull,
    cents,
    dollars,
    parse_day,
)
from iqcadence_desktop.services.integrations.http import (
    HttpClient,
    IntegrationError,
    TokenExpired,
    json_body,
)

BASE_URL = "https://api.stripe.com"
PAGE = 100
FIELDS = (
    FieldInfo("subscriptions_mrr", "MRR from active subscriptions", "mrr"),
    FieldInfo("plan_tier", "Tier from plan names", "tier"),
    FieldInfo("created", "Customer since (first seen in Stripe)", None),
)
#: Stripe's own MRR counts these subscription states (trials and unpaid do not).
COUNTED = ("active", "past_due")
MONTHS_PER = {
    "day": Decimal(12) / Decimal(365),
    "week": Decimal(12) / Decimal(52),
    "month": Decimal(1),
    "year": Decimal(12),
}
#: Words in a product or plan name → tier; the first listed tier found wins.
DEFAULT_PLAN_TIERS = {
    "enterprise": "enterprise",
    "business": "mid",
    "growth": "mid",
    "pro": "mid",
    "team": "mid",
    "starter": "smb",
    "basic": "smb",
    "essentials": "smb",
}
_TIER_ORDER = ("enterprise", "mid", "smb")
DAYS_PER_MONTH = Decimal("30.436875")


def explain(response: requests.Response) -> IntegrationError:
    """Stripe's {"error": {type, code, message, param}} as one sentence."""
    body = json_body(response)
    err = body.get("error") if isinstance(body, dict) else None
    err = err if isinstance(err, dict) else {}
    status, code = response.status_code, str(err.get("code") or err.get("type") or "")
    message = str(err.get("message") or "").strip()
    if status == 401:
        return TokenExpired(
            "Stripe refused the API key (it is wrong or was rolled): paste a current secret "
            "or restricted key and connect again.",
            status,
            code,
        )
    if status == 403:
        return IntegrationError(
            "Stripe says this restricted key may not read everything the sync needs"
            + (f" ({message})" if message else "")
            + ": give it read access to Customers, Subscriptions, Products and Invoices.",
            status,
            code,
        )
    if status == 429:
        return IntegrationError(
            "Stripe kept rate-limiting the requests; wait a minute and sync again.", status, code
        )
    if status >= 500:
        return IntegrationError(
            f"Stripe had a server error (HTTP {status}); nothing was changed. Try later.",
            status,
            code,
        )
    return IntegrationError(
        f"Stripe refused the request (HTTP {status}{', ' + code if code else ''})"
        + (f": {message}" if message else "."),
        status,
        code,
    )


class StripeConnector:
    """Reads customers, subscriptions, products and paid invoices."""

    system = "stripe"

    def __init__(self, key: str, options: dict[str, Any], base_url: str | None = None) -> None:
        self.options = options
        self.key = key
        self.http = HttpClient(
            "Stripe",
            base_url or str(options.get("base_url") or BASE_URL),
            explain,
            headers={"Authorization": f"Bearer {key}"},
            backoff=float(options.get("backoff", 0.5)),
        )

    def test_connection(self) -> str:
        self.http.get("/v1/customers", params={"limit": 1})
        mode = "test mode" if "_test_" in self.key else "live mode"
        kind = "restricted key" if self.key.startswith("rk_") else "secret key"
        return f"Stripe ({mode}, {kind})"

    def list_fields(self) -> list[FieldInfo]:
        return list(FIELDS)

    def pull_accounts(self, fields: Collection[str], today: dt.date, job: Job) -> Pull:
        pull = Pull()
        products = self._products(job) if "plan_tier" in fields else {}
        subs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if {"subscriptions_mrr", "plan_tier"} & set(fields):
            for sub in self.pages("/v1/subscriptions", {"status": "all"}, job):
                subs[_id(sub.get("customer"))].append(sub)
        for customer in self.pages("/v1/customers", {}, job):
            if customer.get("deleted"):
                continue
            cid = str(customer["id"])
            live = [s for s in subs.get(cid, []) if s.get("status") in COUNTED]
            values: dict[str, object] = {}
            currency = _currency(live) or customer.get("currency")
            if "subscriptions_mrr" in fields and subs.get(cid):
                values["subscriptions_mrr"] = dollars(self._mrr(live, currency, job))
            if "plan_tier" in fields:
                values["plan_tier"] = self._tier(live, products)
            created = parse_day(customer.get("created"))
            if "created" in fields and created is not None:
                values["created"] = created.isoformat()
            pull.accounts.append(
                ExternalAccount(
                    cid, customer.get("name"), values, customer.get("email"), currency, created
                )
            )
        return pull

    def pull_history(
        self, fields: Collection[str], days: Sequence[dt.date], job: Job
    ) -> list[AccountHistory]:
        """MRR on past days from paid invoices: each recurring line's amount spread over
        the service period it pays for."""
        if "subscriptions_mrr" not in fields:
            return []
        since = int(
            dt.datetime.combine(days[0] - dt.timedelta(days=366), dt.time(), dt.UTC).timestamp()
        )
        lines: dict[str, list[tuple[dt.date, dt.date, Decimal]]] = defaultdict(list)
        params = {"status": "paid", "created[gte]": since}
        for invoice in self.pages("/v1/invoices", params, job):
            for line in self._lines(invoice, job):
                period = line.get("period") or {}
                start, end = parse_day(period.get("start")), parse_day(period.get("end"))
                if _recurring_line(line) and start and end and end > start:
                    monthly = Decimal(int(line.get("amount") or 0)) / _months(start, end)
                    lines[_id(invoice.get("customer"))].append((start, end, monthly))
        return [
            AccountHistory(
                cid,
                None,
                {day: {"subscriptions_mrr": _mrr_on(spans, day)} for day in days},
            )
            for cid, spans in lines.items()
        ]

    def close(self) -> None:
        self.http.close()

    # -- reading --------------------------------------------------------------------------
    def pages(self, path: str, params: dict[str, Any], job: Job) -> Iterator[dict[str, Any]]:
        """Every object of a list endpoint, page after page (starting_after the last id)."""
        after: str | None = None
        done = 0
        while True:
            query = {**params, "limit": PAGE, **({"starting_after": after} if after else {})}
            data = self.http.get(path, params=query) or {}
            objects = data.get("data") or []
            yield from objects
            done += len(objects)
            job.page(done, 0)
            if not data.get("has_more") or not objects:
                return
            after = str(objects[-1]["id"])

    def _items(self, sub: dict[str, Any], job: Job) -> list[dict[str, Any]]:
        items = sub.get("items") or {}
        data = list(items.get("data") or [])
        if items.get("has_more") and data:
            params = {"subscription": sub["id"], "starting_after": data[-1]["id"]}
            data += list(self.pages("/v1/subscription_items", params, job))
        return data

    def _lines(self, invoice: dict[str, Any], job: Job) -> list[dict[str, Any]]:
        lines = invoice.get("lines") or {}
        data = list(lines.get("data") or [])
        if lines.get("has_more") and data:
            params = {"starting_after": data[-1]["id"]}
            data += list(self.pages(f"/v1/invoices/{invoice['id']}/lines", params, job))
        return data

    def _products(self, job: Job) -> dict[str, str]:
        return {str(p["id"]): str(p.get("name") or "") for p in self.pages("/v1/products", {}, job)}

    def _mrr(self, subs: list[dict[str, Any]], currency: str | None, job: Job) -> int:
        total = Decimal(0)
        for sub in subs:
            if currency and sub.get("currency") and sub["currency"] != currency:
                continue  # never add two currencies together
            gross = sum((item_mrr(i) for i in self._items(sub, job)), Decimal(0))
            total += max(Decimal(0), _discounted(gross, sub))
        return cents(total / 100)  # Stripe amounts are minor units already

    def _tier(self, subs: list[dict[str, Any]], products: dict[str, str]) -> str | None:
        words = {
            str(k).lower(): str(v)
            for k, v in (self.options.get("plan_tiers") or DEFAULT_PLAN_TIERS).items()
        }
        found = set()
        for sub in subs:
            for item in (sub.get("items") or {}).get("data") or []:
                price = item.get("price") or item.get("plan") or {}
                names = " ".join(
                    str(x or "")
                    for x in (
                        products.get(_id(price.get("product"))),
                        price.get("nickname"),
                        price.get("lookup_key"),
                    )
                ).lower()
                found |= {tier for word, tier in words.items() if word in names}
        return next((t for t in _TIER_ORDER if t in found), None)


def item_mrr(item: dict[str, Any]) -> Decimal:
    """One subscription item's monthly amount in minor units (metered and one-off: 0)."""
    price = item.get("price") or item.get("plan") or {}
    recurring = price.get("recurring") or (
        {
            "interval": price.get("interval"),
            "interval_count": price.get("interval_count"),
            "usage_type": price.get("usage_type"),
        }
        if price.get("object") == "plan"
        else None
    )
    if (
        not recurring
        or recurring.get("usage_type") == "metered"
        or recurring.get("interval") not in MONTHS_PER
    ):
        return Decimal(0)
    unit = (
        price.get("unit_amount_decimal")
        or price.get("unit_amount")
        or price.get("amount_decimal")
        or price.get("amount")
    )
    if unit is None:
        return Decimal(0)  # tiered prices need their tiers; left out rather than guessed
    quantity = Decimal(int(item.get("quantity") or 1))
    months = MONTHS_PER[str(recurring["interval"])] * int(recurring.get("interval_count") or 1)
    return Decimal(str(unit)) * quantity / months


def _discounted(gross: Decimal, sub: dict[str, Any]) -> Decimal:
    """Forever coupons lower MRR (Stripe's own rule); one-off and repeating ones do not."""
    discounts = [d for d in sub.get("discounts") or [] if isinstance(d, dict)]
    if isinstance(sub.get("discount"), dict):
        discounts.append(sub["discount"])
    for discount in discounts:
        coupon = discount.get("coupon") or (discount.get("source") or {}).get("coupon")
        if not isinstance(coupon, dict) or coupon.get("duration") != "forever":
            continue
        if coupon.get("percent_off"):
            gross *= 1 - Decimal(str(coupon["percent_off"])) / 100
        elif coupon.get("amount_off"):
            gross -= Decimal(int(coupon["amount_off"]))
    return gross


def _id(value: Any) -> str:
    return str(value.get("id") if isinstance(value, dict) else value)


def _currency(subs: list[dict[str, Any]]) -> str | None:
    return next((str(s["currency"]) for s in subs if s.get("currency")), None)


def _recurring_line(line: dict[str, Any]) -> bool:
    """A subscription charge (not a one-off invoice item), in old and new line shapes."""
    if line.get("type") == "subscription" or line.get("subscription"):
        return True
    parent = line.get("parent") or {}
    return parent.get("type") == "subscription_item_details" or bool(
        (line.get("price") or {}).get("recurring")
    )


def _months(start: dt.date, end: dt.date) -> Decimal:
    return max(Decimal(1), (Decimal((end - start).days) / DAYS_PER_MONTH).quantize(Decimal(1)))


def _mrr_on(spans: list[tuple[dt.date, dt.date, Decimal]], day: dt.date) -> str | None:
    """MRR as dollars text on `day`; None before the first paid period."""
    if not any(start <= day for start, _, _ in spans):
        return None
    total = sum((m for start, end, m in spans if start <= day < end), Decimal(0))
    return dollars(cents(total / 100))
