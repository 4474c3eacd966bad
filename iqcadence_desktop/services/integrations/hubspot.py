"""HubSpot: a private-app token; companies with their owner, deals (annual amounts ÷ 12
or already monthly), feedback submissions for NPS/CSAT. Pages by `after` cursors."""

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
    value_as_of,
)
from iqcadence_desktop.services.integrations.http import (
    HttpClient,
    IntegrationError,
    TokenExpired,
    json_body,
)
from iqcadence_desktop.services.integrations.signals import (
    DealState,
    SurveyAnswer,
    deals_mrr,
    decimal,
    next_renewal,
    survey_answer,
    survey_score,
)

BASE_URL = "https://api.hubapi.com"
PAGE = 100
HISTORY_PAGE = 50  # HubSpot serves fewer records per page with propertiesWithHistory
COMPUTED = (
    FieldInfo("owner", "Company owner (name)", "manager"),
    FieldInfo("deals_mrr", "MRR from closed-won deals", "mrr"),
    FieldInfo("deals_renewal", "Next renewal (open deal close date)", "renewal_date"),
    FieldInfo("feedback_nps", "NPS from feedback surveys", "nps"),
    FieldInfo("feedback_csat", "CSAT from feedback surveys", "csat"),
)
DEFAULT_TARGETS = {"notes_last_contacted": "last_contact", "createdate": "since"}
_DEAL_FIELDS = ("deals_mrr", "deals_renewal")
_SURVEY_FIELDS = ("feedback_nps", "feedback_csat")
_SURVEY_PROPS = "hs_survey_type,hs_value,hs_response_group,hs_submission_timestamp"


def explain(response: requests.Response) -> IntegrationError:
    """HubSpot's error body ({category, message, errors[].context}) as one sentence."""
    body = json_body(response)
    body = body if isinstance(body, dict) else {}
    status, category = response.status_code, str(body.get("category") or "")
    message = str(body.get("message") or "").strip()
    if status == 401:
        return TokenExpired(
            "HubSpot refused the token (it is wrong, revoked or expired): create a new "
            "private-app token and connect again.",
            status,
            category,
        )
    if status == 403 and category == "MISSING_SCOPES":
        scopes = _scopes(body) or "a required"
        return IntegrationError(
            f"HubSpot says the token lacks the {scopes} scope: add it to the private app "
            "in HubSpot, then connect again.",
            status,
            category,
        )
    if status == 429:
        daily = str(body.get("policyName") or "").upper() == "DAILY"
        return IntegrationError(
            "HubSpot's daily API limit is used up; sync again after midnight in the "
            "portal's time zone."
            if daily
            else "HubSpot kept rate-limiting the requests; wait a minute and sync again.",
            status,
            "RATE_LIMIT",
        )
    if status >= 500:
        return IntegrationError(
            f"HubSpot had a server error (HTTP {status}); nothing was changed. Try later.",
            status,
        )
    return IntegrationError(
        f"HubSpot refused the request (HTTP {status}{', ' + category if category else ''})"
        + (f": {message}" if message else "."),
        status,
        category,
    )


def _scopes(body: dict[str, Any]) -> str:
    found: list[str] = []
    for error in body.get("errors") or []:
        context = error.get("context") or {} if isinstance(error, dict) else {}
        for key in ("requiredGranularScopes", "requiredScopes"):
            found += [str(s) for s in context.get(key) or []]
    return " / ".join(dict.fromkeys(found))


class HubSpotConnector:
    """Reads companies, owners, deals and feedback submissions through the CRM v3 API."""

    system = "hubspot"

    def __init__(self, token: str, options: dict[str, Any], base_url: str | None = None) -> None:
        self.options = options
        self.http = HttpClient(
            "HubSpot",
            base_url or str(options.get("base_url") or BASE_URL),
            explain,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            backoff=float(options.get("backoff", 0.5)),
        )

    # -- the interface ------------------------------------------------------------------
    def test_connection(self) -> str:
        details = self.http.get("/account-info/v3/details") or {}
        self.http.get("/crm/v3/objects/companies", params={"limit": 1})
        portal = details.get("portalId")
        return f"HubSpot portal {portal}" if portal else "HubSpot"

    def list_fields(self) -> list[FieldInfo]:
        data = self.http.get("/crm/v3/properties/companies") or {}
        props = [
            FieldInfo(
                str(p["name"]), str(p.get("label") or p["name"]), DEFAULT_TARGETS.get(p["name"])
            )
            for p in data.get("results", [])
            if p.get("name") and p["name"] != "name"
        ]
        return [*COMPUTED, *sorted(props, key=lambda f: f.label.lower())]

    def pull_accounts(self, fields: Collection[str], today: dt.date, job: Job) -> Pull:
        pull = Pull()
        props = self._plain(fields)
        owners = self._owners(job) if "owner" in fields else {}
        deals = self._deals(job) if set(_DEAL_FIELDS) & set(fields) else {}
        answers = self._answers(job, pull.warnings) if set(_SURVEY_FIELDS) & set(fields) else {}
        extra = ["hubspot_owner_id"] if "owner" in fields else []
        for company in self._pages(
            "companies", {"properties": ",".join(["name", *props, *extra])}, job, PAGE
        ):
            cid, p = str(company["id"]), company.get("properties") or {}
            values: dict[str, object] = {k: p.get(k) for k in props}
            values.update(self._computed(cid, p, fields, owners, deals, answers, today))
            pull.accounts.append(
                ExternalAccount(cid, p.get("name"), values, created=parse_day(p.get("createdate")))
            )
        return pull

    def pull_history(
        self, fields: Collection[str], days: Sequence[dt.date], job: Job
    ) -> list[AccountHistory]:
        """Values on past days: company properties from propertiesWithHistory, MRR from
        the deals' stage/amount/close-date history, NPS/CSAT from answer dates."""
        props = self._plain(fields)
        deals = self._deal_history(job) if "deals_mrr" in fields else {}
        answers = self._answers(job, []) if set(_SURVEY_FIELDS) & set(fields) else {}
        params = {"properties": "name,createdate", "propertiesWithHistory": ",".join(props)}
        out = []
        for company in self._pages("companies", params, job, HISTORY_PAGE):
            cid, p = str(company["id"]), company.get("properties") or {}
            series = _series(company.get("propertiesWithHistory") or {})
            by_day: dict[dt.date, dict[str, object]] = {}
            for day in days:
                values = {k: value_as_of(series.get(k, []), day) for k in props}
                if "deals_mrr" in fields:
                    states = [_deal_on(d, day) for d in deals.get(cid, [])]
                    values["deals_mrr"] = deals_mrr(states, day, self._won(), self._annual())
                for key in _SURVEY_FIELDS:
                    if key in fields:
                        values[key] = survey_score(answers.get(cid, []), key[9:], day)
                by_day[day] = values
            out.append(AccountHistory(cid, parse_day(p.get("createdate")), by_day))
        return out

    def close(self) -> None:
        self.http.close()

    # -- reading ------------------------------------------------------------------------
    def _pages(
        self, obj: str, params: dict[str, Any], job: Job, size: int
    ) -> Iterator[dict[str, Any]]:
        after: str | None = None
        done = 0
        while True:
            query = {**params, "limit": size, **({"after": after} if after else {})}
            data = self.http.get(f"/crm/v3/objects/{obj}", params=query) or {}
            results = data.get("results") or []
            yield from results
            done += len(results)
            job.page(done, 0)
            after = ((data.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return

    def _owners(self, job: Job) -> dict[str, str]:
        owners: dict[str, str] = {}
        after: str | None = None
        while True:
            params = {"limit": PAGE, **({"after": after} if after else {})}
            data = self.http.get("/crm/v3/owners", params=params) or {}
            for o in data.get("results") or []:
                name = " ".join(filter(None, (o.get("firstName"), o.get("lastName"))))
                owners[str(o.get("id"))] = name or str(o.get("email") or o.get("id"))
            job.page()
            after = ((data.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return owners

    def _deals(self, job: Job) -> dict[str, list[DealState]]:
        by_company: dict[str, list[DealState]] = defaultdict(list)
        params = {"properties": "amount,dealstage,closedate", "associations": "companies"}
        for deal in self._pages("deals", params, job, PAGE):
            p = deal.get("properties") or {}
            state = DealState(
                p.get("dealstage"), decimal(p.get("amount")), parse_day(p.get("closedate"))
            )
            for company in _associated(deal, "companies"):
                by_company[company].append(state)
        return by_company

    def _deal_history(self, job: Job) -> dict[str, list[dict[str, list[tuple[dt.date, object]]]]]:
        by_company: dict[str, list[dict[str, list[tuple[dt.date, object]]]]] = defaultdict(list)
        params = {
            "properties": "amount,dealstage,closedate",
            "propertiesWithHistory": "amount,dealstage,closedate",
            "associations": "companies",
        }
        for deal in self._pages("deals", params, job, HISTORY_PAGE):
            series = _series(deal.get("propertiesWithHistory") or {})
            for company in _associated(deal, "companies"):
                by_company[company].append(series)
        return by_company

    def _answers(self, job: Job, warnings: list[str]) -> dict[str, list[SurveyAnswer]]:
        """Survey answers per company: submissions belong to contacts, so each is
        followed to its contact's companies."""
        by_contact: dict[str, list[SurveyAnswer]] = defaultdict(list)
        params = {"properties": _SURVEY_PROPS, "associations": "contacts"}
        try:
            for sub in self._pages("feedback_submissions", params, job, PAGE):
                p = sub.get("properties") or {}
                answer = survey_answer(
                    p.get("hs_survey_type"),
                    p.get("hs_value"),
                    p.get("hs_response_group"),
                    parse_day(p.get("hs_submission_timestamp") or p.get("hs_createdate")),
                )
                if answer is not None:
                    for contact in _associated(sub, "contacts"):
                        by_contact[contact].append(answer)
        except IntegrationError as exc:
            if exc.status != 403:
                raise
            warnings.append(f"NPS and CSAT were not read: {exc}")
            return {}
        return self._to_companies(by_contact, job)

    def _to_companies(
        self, by_contact: dict[str, list[SurveyAnswer]], job: Job
    ) -> dict[str, list[SurveyAnswer]]:
        by_company: dict[str, list[SurveyAnswer]] = defaultdict(list)
        contacts = list(by_contact)
        for start in range(0, len(contacts), 100):
            inputs = [{"id": c} for c in contacts[start : start + 100]]
            data = (
                self.http.post(
                    "/crm/v4/associations/contacts/companies/batch/read", json={"inputs": inputs}
                )
                or {}
            )
            for row in data.get("results") or []:
                answers = by_contact.get(str((row.get("from") or {}).get("id")), [])
                for to in row.get("to") or []:
                    by_company[str(to.get("toObjectId"))].extend(answers)
            job.page()
        return by_company

    # -- options --------------------------------------------------------------------------
    def _plain(self, fields: Collection[str]) -> list[str]:
        computed = {f.key for f in COMPUTED}
        return sorted(f for f in fields if f not in computed and f != "name")

    def _won(self) -> list[str]:
        return [str(s) for s in self.options.get("won_stages") or ["closedwon"]]

    def _closed(self) -> list[str]:
        return [*self._won(), *[str(s) for s in self.options.get("lost_stages") or ["closedlost"]]]

    def _annual(self) -> bool:
        return bool(self.options.get("deal_amounts", "annual") != "monthly")

    def _computed(
        self,
        cid: str,
        props: dict[str, Any],
        fields: Collection[str],
        owners: dict[str, str],
        deals: dict[str, list[DealState]],
        answers: dict[str, list[SurveyAnswer]],
        today: dt.date,
    ) -> dict[str, object]:
        out: dict[str, object] = {}
        if "owner" in fields:
            out["owner"] = owners.get(str(props.get("hubspot_owner_id")))
        if "deals_mrr" in fields:
            out["deals_mrr"] = deals_mrr(deals.get(cid, []), today, self._won(), self._annual())
        if "deals_renewal" in fields:
            out["deals_renewal"] = next_renewal(deals.get(cid, []), today, self._closed())
        for key in _SURVEY_FIELDS:
            if key in fields:
                out[key] = survey_score(answers.get(cid, []), key[9:], today)
        return out


def _associated(record: dict[str, Any], kind: str) -> list[str]:
    assoc = (record.get("associations") or {}).get(kind) or {}
    return [str(a.get("id")) for a in assoc.get("results") or []]


def _series(history: dict[str, Any]) -> dict[str, list[tuple[dt.date, object]]]:
    """propertiesWithHistory (newest first) as (day, value) changes, oldest first."""
    out: dict[str, list[tuple[dt.date, object]]] = {}
    for key, values in history.items():
        changes = [(parse_day(v.get("timestamp")), v.get("value")) for v in values or []]
        out[key] = sorted(((d, v) for d, v in changes if d is not None), key=lambda c: c[0])
    return out


def _deal_on(series: dict[str, list[tuple[dt.date, object]]], day: dt.date) -> DealState:
    stage = value_as_of(series.get("dealstage", []), day)
    return DealState(
        None if stage is None else str(stage),
        decimal(value_as_of(series.get("amount", []), day)),
        parse_day(value_as_of(series.get("closedate", []), day)),
    )
