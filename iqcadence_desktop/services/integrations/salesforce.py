"""Salesforce: SOQL over the REST API for Account and Opportunity, paged by
`nextRecordsUrl`; an expired session is refreshed once and the request repeated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from typing import Any

import requests

from iqcadence_desktop.services.integrations.base import (
    AccountHistory,
    ExternalAccount,
    FieldInfo,
    Job,
    Pull,
    parse_day,
)
from iqcadence_desktop.services.integrations.http import (
    HttpClient,
    IntegrationError,
    TokenExpired,
    json_body,
)
from iqcadence_desktop.services.integrations.salesforce_oauth import LOGIN_URL, Tokens, refresh
from iqcadence_desktop.services.integrations.signals import (
    DealState,
    deals_mrr,
    decimal,
    next_renewal,
)

API_VERSION = "62.0"
COMPUTED = (
    FieldInfo("Owner.Name", "Account owner (name)", "manager"),
    FieldInfo("opps_mrr", "MRR from won opportunities", "mrr"),
    FieldInfo("opps_renewal", "Next renewal (open opportunity close date)", "renewal_date"),
)
DEFAULT_TARGETS = {"CreatedDate": "since"}
WON, LOST, OPEN = "won", "lost", "open"
#: Opportunity history older than the lookback by this much tells the state before it.
HISTORY_MARGIN_DAYS = 365


def explain(response: requests.Response) -> IntegrationError:
    """Salesforce's error list ([{message, errorCode}]) as one sentence."""
    body = json_body(response)
    first = body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else {}
    code, message = str(first.get("errorCode") or ""), str(first.get("message") or "").strip()
    status = response.status_code
    if status == 401 or code == "INVALID_SESSION_ID":
        return TokenExpired("Salesforce's session has expired.", status, code)
    if code == "REQUEST_LIMIT_EXCEEDED":
        return IntegrationError(
            "Your Salesforce org has used up its daily API requests; sync again tomorrow "
            "or ask your Salesforce admin to raise the limit.",
            status,
            code,
        )
    if code in ("MALFORMED_QUERY", "INVALID_FIELD", "INVALID_TYPE"):
        return IntegrationError(
            f"Salesforce refused the query ({code}): {message.splitlines()[0] if message else ''}"
            " Check the field mapping of the Salesforce integration.",
            status,
            code,
        )
    if status >= 500:
        return IntegrationError(
            f"Salesforce had a server error (HTTP {status}); nothing was changed. Try later.",
            status,
            code,
        )
    return IntegrationError(
        f"Salesforce refused the request (HTTP {status}{', ' + code if code else ''})"
        + (f": {message}" if message else "."),
        status,
        code,
    )


def soql_literal(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


class SalesforceConnector:
    """Reads accounts and opportunities; needs a refresh token (or a live access token)."""

    system = "salesforce"

    def __init__(
        self,
        refresh_token: str,
        options: dict[str, Any],
        client_secret: str | None = None,
        tokens: Tokens | None = None,
    ) -> None:
        self.options = options
        self._refresh_token = refresh_token
        self._client_secret = client_secret
        self.tokens = tokens
        self.version = str(options.get("api_version") or API_VERSION)
        self.http = HttpClient(
            "Salesforce",
            str(options.get("instance_url") or options.get("login_url") or LOGIN_URL),
            explain,
            headers={"Accept": "application/json"},
            backoff=float(options.get("backoff", 0.5)),
        )

    # -- the interface ------------------------------------------------------------------
    def test_connection(self) -> str:
        self._get(f"/services/data/v{self.version}/query", {"q": "SELECT Id FROM Account LIMIT 1"})
        assert self.tokens is not None
        return f"Salesforce at {self.tokens.instance_url.split('//')[-1]}"

    def list_fields(self) -> list[FieldInfo]:
        data = self._get(f"/services/data/v{self.version}/sobjects/Account/describe") or {}
        fields = [
            FieldInfo(
                str(f["name"]), str(f.get("label") or f["name"]), DEFAULT_TARGETS.get(f["name"])
            )
            for f in data.get("fields") or []
            if f.get("name") not in (None, "Id", "Name")
        ]
        return [*COMPUTED, *sorted(fields, key=lambda f: f.label.lower())]

    def pull_accounts(self, fields: Collection[str], today: dt.date, job: Job) -> Pull:
        plain = self._plain(fields)
        opps = self._opportunities(job) if {"opps_mrr", "opps_renewal"} & set(fields) else {}
        pull = Pull()
        columns = ", ".join(dict.fromkeys(["Id", "Name", "CreatedDate", *plain]))
        for rec in self.query(f"SELECT {columns} FROM Account ORDER BY Id", job):
            aid = str(rec["Id"])
            values: dict[str, object] = {k: _dotted(rec, k) for k in plain}
            deals = [state for state, _ in opps.get(aid, [])]
            if "opps_mrr" in fields:
                values["opps_mrr"] = deals_mrr(deals, today, [WON], self._annual())
            if "opps_renewal" in fields:
                values["opps_renewal"] = next_renewal(deals, today, [WON, LOST])
            pull.accounts.append(
                ExternalAccount(
                    aid, rec.get("Name"), values, created=parse_day(rec.get("CreatedDate"))
                )
            )
        return pull

    def pull_history(
        self, fields: Collection[str], days: Sequence[dt.date], job: Job
    ) -> list[AccountHistory]:
        """MRR on past days, replayed from OpportunityHistory (one row per change of
        stage, amount or close date); plain Account fields from AccountHistory."""
        plain = [f for f in self._plain(fields) if "." not in f]
        opps = self._opportunities(job)
        changes = self._opportunity_changes(days[0], job) if "opps_mrr" in fields else {}
        undo = self._account_changes(days[0], plain, job) if plain else {}
        columns = ", ".join(dict.fromkeys(["Id", "CreatedDate", *plain]))
        out = []
        for rec in self.query(f"SELECT {columns} FROM Account ORDER BY Id", job):
            aid = str(rec["Id"])
            by_day: dict[dt.date, dict[str, object]] = {}
            for day in days:
                values: dict[str, object] = {
                    k: _undo(rec.get(k), undo.get((aid, k), []), day) for k in plain
                }
                if "opps_mrr" in fields:
                    states = [
                        _opportunity_on(state, created, changes.get(oid, []), day)
                        for state, (oid, created) in opps.get(aid, [])
                    ]
                    live = [s for s in states if s is not None]
                    values["opps_mrr"] = deals_mrr(live, day, [WON], self._annual())
                by_day[day] = values
            out.append(AccountHistory(aid, parse_day(rec.get("CreatedDate")), by_day))
        return out

    def close(self) -> None:
        self.http.close()

    # -- requests -------------------------------------------------------------------------
    def _authorize(self) -> Tokens:
        self.tokens = refresh(
            str(self.options.get("login_url") or LOGIN_URL),
            str(self.options.get("client_id") or ""),
            self._refresh_token,
            self._client_secret,
        )
        return self.tokens

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        tokens = self.tokens or self._authorize()
        try:
            return self._send(tokens, path, params)
        except TokenExpired:
            return self._send(self._authorize(), path, params)  # refreshed once, then again

    def _send(self, tokens: Tokens, path: str, params: dict[str, Any] | None) -> Any:
        url = tokens.instance_url.rstrip("/") + path
        auth = {"Authorization": f"Bearer {tokens.access_token}"}
        return self.http.get(url, params=params, headers=auth)

    def query(self, soql: str, job: Job) -> Iterator[dict[str, Any]]:
        """Every record of a SOQL query, following nextRecordsUrl until done."""
        data = self._get(f"/services/data/v{self.version}/query", {"q": soql}) or {}
        done = 0
        while True:
            records = data.get("records") or []
            yield from records
            done += len(records)
            job.page(done, int(data.get("totalSize") or 0))
            next_url = data.get("nextRecordsUrl")
            if data.get("done", True) or not next_url:
                return
            data = self._get(str(next_url)) or {}

    def _opportunities(
        self, job: Job
    ) -> dict[str, list[tuple[DealState, tuple[str, dt.date | None]]]]:
        by_account: dict[str, list[tuple[DealState, tuple[str, dt.date | None]]]] = defaultdict(
            list
        )
        soql = (
            "SELECT Id, AccountId, Amount, CloseDate, IsClosed, IsWon, CreatedDate "
            "FROM Opportunity WHERE AccountId != null ORDER BY Id"
        )
        for rec in self.query(soql, job):
            stage = WON if rec.get("IsWon") else (LOST if rec.get("IsClosed") else OPEN)
            state = DealState(stage, decimal(rec.get("Amount")), parse_day(rec.get("CloseDate")))
            key = (str(rec["Id"]), parse_day(rec.get("CreatedDate")))
            by_account[str(rec["AccountId"])].append((state, key))
        return by_account

    def _opportunity_changes(
        self, first: dt.date, job: Job
    ) -> dict[str, list[tuple[dt.date, DealState]]]:
        since = soql_literal(first - dt.timedelta(days=HISTORY_MARGIN_DAYS))
        soql = (
            "SELECT OpportunityId, StageName, Amount, CloseDate, CreatedDate FROM "
            f"OpportunityHistory WHERE CreatedDate >= {since} ORDER BY CreatedDate"
        )
        won = [str(s) for s in self.options.get("won_stages") or ["Closed Won"]]
        lost = [str(s) for s in self.options.get("lost_stages") or ["Closed Lost"]]
        out: dict[str, list[tuple[dt.date, DealState]]] = defaultdict(list)
        for rec in self.query(soql, job):
            name = rec.get("StageName")
            stage = WON if name in won else (LOST if name in lost else OPEN)
            day = parse_day(rec.get("CreatedDate"))
            if day is not None:
                state = DealState(
                    stage, decimal(rec.get("Amount")), parse_day(rec.get("CloseDate"))
                )
                out[str(rec["OpportunityId"])].append((day, state))
        return out

    def _account_changes(
        self, first: dt.date, plain: list[str], job: Job
    ) -> dict[tuple[str, str], list[tuple[dt.date, object]]]:
        names = ", ".join(f"'{f}'" for f in plain)
        soql = (
            "SELECT AccountId, Field, OldValue, NewValue, CreatedDate FROM AccountHistory "
            f"WHERE CreatedDate >= {soql_literal(first)} AND Field IN ({names}) "
            "ORDER BY CreatedDate"
        )
        out: dict[tuple[str, str], list[tuple[dt.date, object]]] = defaultdict(list)
        for rec in self.query(soql, job):
            day = parse_day(rec.get("CreatedDate"))
            if day is not None:
                out[(str(rec["AccountId"]), str(rec["Field"]))].append((day, rec.get("OldValue")))
        return out

    def _plain(self, fields: Collection[str]) -> list[str]:
        computed = {"opps_mrr", "opps_renewal"}
        return sorted(f for f in fields if f not in computed and f not in ("Id", "Name"))

    def _annual(self) -> bool:
        return bool(self.options.get("deal_amounts", "annual") != "monthly")


def _dotted(record: dict[str, Any], key: str) -> object:
    """A field by name, following relationships ('Owner.Name')."""
    value: Any = record
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _undo(current: object, changes: list[tuple[dt.date, object]], day: dt.date) -> object:
    """The value on `day`: the current one with every later change undone."""
    value = current
    for when, old in reversed(changes):
        if when > day:
            value = old
    return value


def _opportunity_on(
    current: DealState,
    created: dt.date | None,
    changes: list[tuple[dt.date, DealState]],
    day: dt.date,
) -> DealState | None:
    """An opportunity as it stood on `day` (None if it did not exist yet)."""
    if created is not None and created > day:
        return None
    before = [state for when, state in changes if when <= day]
    return before[-1] if before else current
