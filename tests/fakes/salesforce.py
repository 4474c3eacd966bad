"""A fake Salesforce org: the OAuth authorize/token endpoints (authorization code with
PKCE, refresh tokens, RFC 6749 errors), SOQL queries paged by nextRecordsUrl, Account
describe, session expiry (401 INVALID_SESSION_ID) and the org's request limit (403)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from tests.fakes.server import FakeServer, Reply, Seen, param

EXAMPLES = json.loads(
    (
        Path(__file__).parents[1] / "fixtures" / "integrations" / "salesforce_examples.json"
    ).read_text()
)
_QUERY = re.compile(
    r"^SELECT (?P<fields>.+?) FROM (?P<obj>\w+)(?: WHERE (?P<where>.+?))?"
    r"(?: ORDER BY (?P<order>[\w.]+))?(?: LIMIT (?P<limit>\d+))?$",
    re.IGNORECASE,
)
_COND = re.compile(r"^([\w.]+) (!=|>=|<=|=|>|<|IN) (.+)$", re.IGNORECASE)


def sf_datetime(day: dt.date) -> str:
    return f"{day.isoformat()}T09:00:00.000+0000"


class FakeSalesforce(FakeServer):
    """Objects are lists of flat records; `Owner` is a nested relationship."""

    def __init__(self, client_id: str = "3MVG9fake") -> None:
        super().__init__()
        self.client_id = client_id
        self.codes: dict[str, tuple[str, str]] = {}  # code -> (challenge, redirect)
        self.refresh_tokens: set[str] = set()
        self.access_tokens: set[str] = set()
        self.records: dict[str, list[dict[str, Any]]] = {
            "Account": [],
            "Opportunity": [],
            "OpportunityHistory": [],
            "AccountHistory": [],
        }
        self.batch = 2000
        self.limit_exceeded = False
        self.cursors: dict[str, list[dict[str, Any]]] = {}
        self.expire_after: int | None = None  # sessions end after this many data requests
        self.fields = {
            "Account": {
                "Id",
                "Name",
                "CreatedDate",
                "OwnerId",
                "Owner.Name",
                "LastModifiedDate",
                "AnnualRevenue",
                "Type",
                "Industry",
                "NumberOfEmployees",
            },
            "Opportunity": {
                "Id",
                "AccountId",
                "Name",
                "Amount",
                "CloseDate",
                "StageName",
                "IsClosed",
                "IsWon",
                "CreatedDate",
            },
            "OpportunityHistory": {
                "Id",
                "OpportunityId",
                "StageName",
                "Amount",
                "CloseDate",
                "CreatedDate",
            },
            "AccountHistory": {"Id", "AccountId", "Field", "OldValue", "NewValue", "CreatedDate"},
        }

    def grant_refresh_token(self) -> str:
        token = "5Aep861" + secrets.token_hex(8)
        self.refresh_tokens.add(token)
        return token

    def expire_sessions(self) -> None:
        self.access_tokens.clear()

    def add_account(self, aid: str, name: str, owner: str, created: dt.date, **fields: Any) -> None:
        self.records["Account"].append(
            {
                "Id": aid,
                "Name": name,
                "CreatedDate": sf_datetime(created),
                "Owner": {
                    "attributes": {
                        "type": "User",
                        "url": "/services/data/v62.0/sobjects/User/005x",
                    },
                    "Name": owner,
                },
                "OwnerId": "005D0000001AbcdIAC",
                "LastModifiedDate": sf_datetime(created),
                "AnnualRevenue": None,
                "Type": "Customer - Direct",
                "Industry": "Technology",
                **fields,
            }
        )

    def add_opportunity(
        self, oid: str, account: str, amount: float, close: dt.date, stage: str, created: dt.date
    ) -> None:
        won, closed = stage == "Closed Won", stage in ("Closed Won", "Closed Lost")
        self.records["Opportunity"].append(
            {
                "Id": oid,
                "AccountId": account,
                "Name": f"Opp {oid}",
                "Amount": amount,
                "CloseDate": close.isoformat(),
                "StageName": stage,
                "IsClosed": closed,
                "IsWon": won,
                "CreatedDate": sf_datetime(created),
            }
        )

    def add_opportunity_history(
        self, oid: str, when: dt.date, stage: str, amount: float, close: dt.date
    ) -> None:
        self.records["OpportunityHistory"].append(
            {
                "Id": f"008{len(self.records['OpportunityHistory']):012d}",
                "OpportunityId": oid,
                "StageName": stage,
                "Amount": amount,
                "CloseDate": close.isoformat(),
                "CreatedDate": sf_datetime(when),
            }
        )

    # -- routes ----------------------------------------------------------------------------
    def route(self, seen: Seen) -> Reply:
        if seen.path == "/services/oauth2/authorize":
            return self._authorize(seen)
        if seen.path == "/services/oauth2/token":
            return self._token(seen)
        if seen.headers.get("authorization", "").removeprefix("Bearer ") not in self.access_tokens:
            return 401, {}, EXAMPLES["error_401"]
        if self.expire_after is not None:
            if self.expire_after <= 0:
                self.expire_sessions()
                self.expire_after = None
                return 401, {}, EXAMPLES["error_401"]
            self.expire_after -= 1
        if self.limit_exceeded:
            return 403, {}, EXAMPLES["error_403_limit"]
        m = re.match(r"^/services/data/v\d+\.\d/(.*)$", seen.path)
        if not m:
            return (
                404,
                {},
                [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}],
            )
        rest = m.group(1)
        if rest == "query":
            return self._query(param(seen, "q") or "")
        if rest.startswith("query/"):
            return self._more(rest[6:])
        if rest == "sobjects/Account/describe":
            names = sorted({k for r in self.records["Account"] for k in r if k != "Owner"})
            return (
                200,
                {},
                {
                    "name": "Account",
                    "fields": [{"name": n, "label": n, "type": "string"} for n in names],
                },
            )
        return (
            404,
            {},
            [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}],
        )

    def _authorize(self, seen: Seen) -> Reply:
        redirect = param(seen, "redirect_uri") or ""
        if param(seen, "client_id") != self.client_id:
            return 400, {"Content-Type": "text/plain"}, b"error=invalid_client_id"
        code = "aPrx" + secrets.token_hex(8)
        self.codes[code] = (param(seen, "code_challenge") or "", redirect)
        query = urlencode({"code": code, "state": param(seen, "state") or ""})
        return 302, {"Location": f"{redirect}?{query}"}, b""

    def _token(self, seen: Seen) -> Reply:
        form = {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}
        if form.get("client_id") != self.client_id:
            return 400, {}, EXAMPLES["token_response_400"]
        if form.get("grant_type") == "authorization_code":
            challenge, redirect = self.codes.pop(form.get("code", ""), ("", ""))
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not challenge or expected != challenge or form.get("redirect_uri") != redirect:
                return (
                    400,
                    {},
                    {"error": "invalid_grant", "error_description": "authentication failure"},
                )
            return 200, {}, self._grant(self.grant_refresh_token())
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return (
                    400,
                    {},
                    {"error": "invalid_grant", "error_description": "expired access/refresh token"},
                )
            return 200, {}, self._grant(None)
        return (
            400,
            {},
            {"error": "unsupported_grant_type", "error_description": "grant type not supported"},
        )

    def _grant(self, refresh: str | None) -> dict[str, Any]:
        access = "00DS7000000oxzo!" + secrets.token_hex(12)
        self.access_tokens.add(access)
        body = {**EXAMPLES["token_response_200"], "access_token": access, "instance_url": self.url}
        if refresh:
            body["refresh_token"] = refresh
        return body

    def _query(self, soql: str) -> Reply:
        m = _QUERY.match(" ".join(soql.split()))
        if not m:
            return 400, {}, EXAMPLES["error_400_malformed"]
        obj = m.group("obj")
        rows = self.records.get(obj)
        if rows is None:
            return (
                400,
                {},
                [
                    {
                        "message": f"sObject type '{obj}' is not supported.",
                        "errorCode": "INVALID_TYPE",
                    }
                ],
            )
        fields = [f.strip() for f in m.group("fields").split(",")]
        known = self.fields[obj] | {k for r in rows for k in r}
        bad = [f for f in fields if f not in known]
        if bad:
            return (
                400,
                {},
                [
                    {
                        "message": f"No such column '{bad[0]}' on entity '{obj}'.",
                        "errorCode": "INVALID_FIELD",
                    }
                ],
            )
        try:
            chosen = [r for r in rows if self._where(r, m.group("where"))]
        except ValueError:
            return 400, {}, EXAMPLES["error_400_malformed"]
        if m.group("order"):
            chosen.sort(key=lambda r: str(r.get(m.group("order")) or ""))
        if m.group("limit"):
            chosen = chosen[: int(m.group("limit"))]
        shaped = [self._shape(obj, r, fields) for r in chosen]
        locator = "01g" + secrets.token_hex(6)
        self.cursors[locator] = shaped
        return self._slice(locator, 0)

    def _more(self, tail: str) -> Reply:
        locator, _, offset = tail.rpartition("-")
        if locator not in self.cursors:
            return (
                400,
                {},
                [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}],
            )
        return self._slice(locator, int(offset))

    def _slice(self, locator: str, offset: int) -> Reply:
        failed = self.page_fails(offset // self.batch)
        if failed:
            return failed
        rows = self.cursors[locator]
        part = rows[offset : offset + self.batch]
        done = offset + self.batch >= len(rows)
        body: dict[str, Any] = {"totalSize": len(rows), "done": done, "records": part}
        if not done:
            body["nextRecordsUrl"] = f"/services/data/v62.0/query/{locator}-{offset + self.batch}"
        return 200, {"Sforce-Limit-Info": "api-usage=18/15000"}, body

    def _shape(self, obj: str, record: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "attributes": {
                "type": obj,
                "url": f"/services/data/v62.0/sobjects/{obj}/{record.get('Id')}",
            }
        }
        for f in fields:
            if f == "Owner.Name":
                out["Owner"] = record.get("Owner")
            else:
                out[f] = record.get(f)
        return out

    def _where(self, record: dict[str, Any], where: str | None) -> bool:
        if not where:
            return True
        for cond in re.split(r" AND ", where, flags=re.IGNORECASE):
            m = _COND.match(cond.strip())
            if not m:
                raise ValueError(cond)
            field, op, raw = m.groups()
            value = record.get(field)
            if op.upper() == "IN":
                if value not in [v.strip().strip("'") for v in raw.strip("()").split(",")]:
                    return False
            elif raw.lower() == "null":
                if (value is None) == (op == "!="):
                    return False
            else:
                literal = raw.strip("'")
                text = str(value or "")[:10] if "T" in literal or len(literal) == 10 else str(value)
                literal = literal[:10] if "T" in literal else literal
                ok = {
                    "=": text == literal,
                    "!=": text != literal,
                    ">": text > literal,
                    ">=": text >= literal,
                    "<": text < literal,
                    "<=": text <= literal,
                }[op]
                if not ok:
                    return False
        return True
