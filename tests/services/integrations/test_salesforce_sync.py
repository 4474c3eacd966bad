"""Salesforce: PKCE sign-in through a loopback redirect, SOQL paging, session expiry."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
import requests

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.integrations import IntegrationError
from tests.fakes.salesforce import FakeSalesforce
from tests.services.integrations.conftest import TODAY, connect_salesforce


@pytest.fixture
def org(salesforce: FakeSalesforce) -> FakeSalesforce:
    for i in range(450):
        aid = f"001{i:012d}"
        salesforce.add_account(aid, f"Account {i:03d}", "Sarah Lee", TODAY - dt.timedelta(days=800))
        salesforce.add_opportunity(
            f"006{i:012d}",
            aid,
            60000.0,
            TODAY - dt.timedelta(days=40),
            "Closed Won",
            TODAY - dt.timedelta(days=90),
        )
    salesforce.add_opportunity(
        "006renewal",
        "001000000000000",
        70000.0,
        TODAY + dt.timedelta(days=45),
        "Negotiation/Review",
        TODAY - dt.timedelta(days=5),
    )
    salesforce.batch = 200  # three pages of accounts
    return salesforce


def _browser(url: str) -> None:
    """Stands in for the system browser: follows the authorize redirect to our listener."""
    threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 10}, daemon=True).start()


def test_browser_sign_in_with_pkce_keeps_the_refresh_token(
    services: Services, org: FakeSalesforce
) -> None:
    services.integrations.configure(
        "salesforce",
        {"login_url": org.url, "client_id": org.client_id, "callback_port": 0, "backoff": 0.01},
    )
    status = services.integrations.connect_salesforce(_browser, lambda: False, timeout=20)
    assert status.connected and status.token_source == "keyring"
    assert services.secrets.get("salesforce.token") in org.refresh_tokens
    token_call = next(r for r in org.requests if r.path == "/services/oauth2/token")
    assert (
        b"code_verifier=" in token_call.body and b"grant_type=authorization_code" in token_call.body
    )
    assert services.integrations.sync("salesforce").new == 450


def test_sync_pages_by_next_records_url_with_default_tier(
    services: Services, org: FakeSalesforce
) -> None:
    connect_salesforce(services, org)
    result = services.integrations.sync("salesforce")
    assert result.new == 450
    assert org.count("/query/") == 2 + 2  # 450 accounts and 451 opportunities, 200 a page
    first = services.customers.get(services.customers.find_id("Account 000") or 0)
    assert (first.tier, first.manager, first.mrr_cents) == ("mid", "Sarah Lee", 500_000)
    assert first.renewal_date == TODAY + dt.timedelta(days=45)


def test_expired_session_is_refreshed_once(services: Services, org: FakeSalesforce) -> None:
    connect_salesforce(services, org)
    org.requests.clear()
    org.expire_after = 2  # the session ends after two answered queries
    assert services.integrations.sync("salesforce", dry_run=True).new == 450
    paths = [r.path.split("/query/")[0] for r in org.requests]
    grants = [i for i, p in enumerate(paths) if p == "/services/oauth2/token"]
    assert len(grants) == 2  # the first grant, then one refresh after the 401
    assert paths[grants[1] - 1] == paths[grants[1] + 1]  # the refused page, asked again


def test_org_request_limit_is_explained(services: Services, org: FakeSalesforce) -> None:
    connect_salesforce(services, org)
    org.limit_exceeded = True
    with pytest.raises(IntegrationError, match="used up its daily API requests"):
        services.integrations.sync("salesforce")


def test_unknown_field_in_the_mapping_is_explained(services: Services, org: FakeSalesforce) -> None:
    connect_salesforce(services, org)
    services.integrations.configure("salesforce", {"mapping": {"Logins__c": "logins"}})
    with pytest.raises(IntegrationError, match=r"INVALID_FIELD.*Logins__c.*field mapping"):
        services.integrations.sync("salesforce", dry_run=True)


def test_revoked_refresh_token_says_connect_again(services: Services, org: FakeSalesforce) -> None:
    connect_salesforce(services, org)
    org.refresh_tokens.clear()
    org.expire_sessions()
    with pytest.raises(IntegrationError, match="connect Salesforce again"):
        services.integrations.sync("salesforce")


def test_history_replays_opportunity_history(
    services: Services, salesforce: FakeSalesforce
) -> None:
    salesforce.add_account("001A", "Acme", "Sarah Lee", TODAY - dt.timedelta(days=800))
    salesforce.add_opportunity(
        "006A",
        "001A",
        120000.0,
        TODAY - dt.timedelta(days=15),
        "Closed Won",
        TODAY - dt.timedelta(days=60),
    )
    salesforce.add_opportunity_history(
        "006A", TODAY - dt.timedelta(days=60), "Prospecting", 90000.0, TODAY - dt.timedelta(days=10)
    )
    salesforce.add_opportunity_history(
        "006A", TODAY - dt.timedelta(days=15), "Closed Won", 120000.0, TODAY - dt.timedelta(days=15)
    )
    connect_salesforce(services, salesforce)
    services.integrations.sync("salesforce")
    result = services.integrations.pull_history("salesforce", 30)
    assert result.written == 15  # the days since the opportunity was won
    history = {
        s.day: s.mrr_cents
        for s in services.customers.history(services.customers.find_id("Acme") or 0)
    }
    assert history[TODAY - dt.timedelta(days=14)] == int(Decimal(120000) / 12 * 100)
    assert TODAY - dt.timedelta(days=20) not in history
