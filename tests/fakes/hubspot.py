"""A fake HubSpot CRM (v3 objects, v4 associations) built from the published shapes:
bearer tokens with scopes, `limit`/`after` cursor paging (`paging` absent on the last
page), string property values, propertiesWithHistory, and HubSpot's error bodies."""

from __future__ import annotations

import base64
import datetime as dt
import random
import uuid
from typing import Any

from tests.fakes.server import FakeServer, Reply, Seen, param

OBJECT_ALIASES = {
    "0-2": "companies",
    "0-3": "deals",
    "companies": "companies",
    "deals": "deals",
    "feedback_submissions": "feedback_submissions",
}
SCOPES = {
    "companies": "crm.objects.companies.read",
    "deals": "crm.objects.deals.read",
    "feedback_submissions": "crm.objects.feedback_submissions.read",
}
ALL_SCOPES = frozenset(SCOPES.values()) | {"crm.objects.owners.read", "crm.objects.contacts.read"}
DEFAULT_PROPS = {
    "companies": ("name", "domain"),
    "deals": ("dealname", "amount", "closedate", "dealstage"),
    "feedback_submissions": (),
}


def stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T10:00:00.000Z"


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{offset}\n".encode()).decode()


def _offset(cursor: str | None) -> int:
    return int(base64.urlsafe_b64decode(cursor.encode()).decode()) if cursor else 0


class FakeHubSpot(FakeServer):
    """Holds companies, owners, deals, contacts and feedback submissions in memory."""

    def __init__(self, token: str = "pat-na1-test", scopes: frozenset[str] = ALL_SCOPES) -> None:
        super().__init__()
        self.tokens: dict[str, frozenset[str]] = {token: scopes}
        self.objects: dict[str, list[dict[str, Any]]] = {k: [] for k in SCOPES}
        self.owners: list[dict[str, Any]] = []
        self.contact_companies: dict[str, list[str]] = {}
        self.history: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
        self.max_page = 100

    # -- data ------------------------------------------------------------------------------
    def add_owner(self, oid: str, first: str, last: str) -> None:
        self.owners.append(
            {
                "id": oid,
                "email": f"{first.lower()}@example.com",
                "firstName": first,
                "lastName": last,
                "userId": int(oid),
                "archived": False,
                "createdAt": "2024-01-01T00:00:00Z",
                "updatedAt": "2024-01-01T00:00:00Z",
            }
        )

    def add(
        self,
        kind: str,
        oid: str,
        props: dict[str, str | None],
        created: dt.date,
        associations: dict[str, list[str]] | None = None,
        history: dict[str, list[tuple[dt.date, str]]] | None = None,
    ) -> None:
        record = {
            "id": oid,
            "properties": {
                **props,
                "hs_object_id": oid,
                "createdate": stamp(created),
                "hs_lastmodifieddate": stamp(created),
            },
            "createdAt": stamp(created),
            "updatedAt": stamp(created),
            "archived": False,
            "_assoc": associations or {},
        }
        self.objects[kind].append(record)
        if history:
            self.history[(kind, oid)] = {
                key: [
                    {
                        "value": v,
                        "timestamp": stamp(d),
                        "sourceType": "CRM_UI",
                        "sourceId": "userId:1",
                    }
                    for d, v in sorted(changes, reverse=True)
                ]
                for key, changes in history.items()
            }

    def populate(self, companies: int, today: dt.date, seed: int = 3) -> None:
        """A portfolio: owners, companies with a won deal each, some NPS answers."""
        rng = random.Random(seed)
        for i, (first, last) in enumerate((("Sarah", "Lee"), ("Omar", "Diaz"), ("Ana", "Kim"))):
            self.add_owner(str(100 + i), first, last)
        for i in range(companies):
            cid = str(5000 + i)
            created = today - dt.timedelta(days=400 + i % 300)
            self.add(
                "companies",
                cid,
                {
                    "name": f"Company {i:05d}",
                    "domain": f"c{i}.example.com",
                    "hubspot_owner_id": str(100 + i % 3),
                    "notes_last_contacted": stamp(today - dt.timedelta(days=i % 40)),
                    "numberofemployees": str(10 + i % 500),
                },
                created,
            )
            amount = str(rng.randint(12, 240) * 1000)
            self.add(
                "deals",
                str(900000 + i),
                {
                    "dealname": f"Deal {i}",
                    "amount": amount,
                    "dealstage": "closedwon",
                    "closedate": stamp(today - dt.timedelta(days=30 + i % 200)),
                },
                created,
                {"companies": [cid]},
            )

    # -- routes ----------------------------------------------------------------------------
    def route(self, seen: Seen) -> Reply:
        scopes = self.tokens.get(seen.headers.get("authorization", "").removeprefix("Bearer "))
        if scopes is None:
            return (
                401,
                {},
                self.error(
                    "INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 "
                    "authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                ),
            )
        path = seen.path.rstrip("/")
        if path == "/account-info/v3/details":
            return (
                200,
                {},
                {"portalId": 62515, "timeZone": "US/Eastern", "uiDomain": "app.hubspot.com"},
            )
        if path == "/crm/v3/properties/companies":
            return (
                200,
                {},
                {
                    "results": [
                        {"name": n, "label": lbl, "type": t, "fieldType": "text"}
                        for n, lbl, t in (
                            ("name", "Name", "string"),
                            ("domain", "Company domain", "string"),
                            ("numberofemployees", "Number of employees", "number"),
                            ("notes_last_contacted", "Last contacted", "datetime"),
                            ("lifecyclestage", "Lifecycle stage", "enumeration"),
                        )
                    ]
                },
            )
        if path == "/crm/v3/owners":
            return self._page(seen, self.owners, "owners", lambda r: r)
        if path == "/crm/v4/associations/contacts/companies/batch/read" and seen.method == "POST":
            return self._batch(seen)
        parts = path.split("/")
        if (
            len(parts) == 5
            and parts[1:4] == ["crm", "v3", "objects"]
            and parts[4] in OBJECT_ALIASES
        ):
            kind = OBJECT_ALIASES[parts[4]]
            if SCOPES[kind] not in scopes:
                return (
                    403,
                    {},
                    self.error(
                        "MISSING_SCOPES",
                        "This app hasn't been granted all required scopes to make this call.",
                        errors=[
                            {
                                "message": "One or more of the following scopes are required.",
                                "context": {"requiredGranularScopes": [SCOPES[kind]]},
                            }
                        ],
                    ),
                )
            return self._page(seen, self.objects[kind], kind, lambda r: self._shape(seen, kind, r))
        return 404, {}, self.error("OBJECT_NOT_FOUND", f"Resource not found: {path}")

    def _page(self, seen: Seen, rows: list[dict[str, Any]], kind: str, shape: Any) -> Reply:
        with_history = bool(param(seen, "propertiesWithHistory"))
        cap = 50 if with_history else self.max_page
        limit = min(int(param(seen, "limit", "10") or 10), cap)
        start = _offset(param(seen, "after"))
        failed = self.page_fails(start // max(limit, 1)) if kind != "owners" else None
        if failed:
            return failed
        chunk = rows[start : start + limit]
        body: dict[str, Any] = {"results": [shape(r) for r in chunk]}
        if start + limit < len(rows):
            nxt = _cursor(start + limit)
            body["paging"] = {"next": {"after": nxt, "link": f"?after={nxt}"}}
        return (
            200,
            {
                "X-HubSpot-RateLimit-Max": "190",
                "X-HubSpot-RateLimit-Remaining": "189",
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
            },
            body,
        )

    def _shape(self, seen: Seen, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        wanted = (param(seen, "properties") or ",".join(DEFAULT_PROPS[kind])).split(",")
        props = {k: record["properties"].get(k) for k in wanted if k}  # unknown names: null
        for k in ("hs_object_id", "createdate", "hs_lastmodifieddate"):
            props[k] = record["properties"][k]
        out = {k: v for k, v in record.items() if not k.startswith("_")}
        out["properties"] = props
        history_keys = [k for k in (param(seen, "propertiesWithHistory") or "").split(",") if k]
        if history_keys:
            stored = self.history.get((kind, record["id"]), {})
            out["propertiesWithHistory"] = {
                k: stored.get(
                    k,
                    [
                        {
                            "value": record["properties"].get(k),
                            "timestamp": record["createdAt"],
                            "sourceType": "CRM_UI",
                        }
                    ]
                    if record["properties"].get(k) is not None
                    else [],
                )
                for k in history_keys
            }
        assoc = [a for a in (param(seen, "associations") or "").split(",") if a]
        if assoc:
            out["associations"] = {
                a: {
                    "results": [
                        {"id": i, "type": f"{kind[:-1]}_to_{a[:-1]}"}
                        for i in record["_assoc"].get(a, [])
                    ]
                }
                for a in assoc
                if record["_assoc"].get(a)
            }
        return out

    def _batch(self, seen: Seen) -> Reply:
        import json

        inputs = json.loads(seen.body or b"{}").get("inputs") or []
        results = [
            {
                "from": {"id": i["id"]},
                "to": [
                    {
                        "toObjectId": int(c),
                        "associationTypes": [
                            {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None}
                        ],
                    }
                    for c in self.contact_companies.get(str(i["id"]), [])
                ],
            }
            for i in inputs
        ]
        return (
            200,
            {},
            {
                "status": "COMPLETE",
                "results": results,
                "startedAt": "2026-01-01T00:00:00Z",
                "completedAt": "2026-01-01T00:00:01Z",
            },
        )

    def error(self, category: str, message: str, **extra: Any) -> dict[str, Any]:
        return {
            "status": "error",
            "message": message,
            "correlationId": str(uuid.uuid4()),
            "category": category,
            **extra,
        }

    def rate_body(self) -> Any:
        return {
            "status": "error",
            "message": "You have reached your ten_secondly_rolling limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": str(uuid.uuid4()),
            "policyName": "TEN_SECONDLY_ROLLING",
        }

    def server_error_body(self) -> Any:
        return self.error("INTERNAL_ERROR", "An internal error occurred.")
