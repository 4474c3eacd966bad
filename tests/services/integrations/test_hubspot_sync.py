"""HubSpot sync against the fake HubSpot over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from iqcadence_desktop.models import Customer, IntegrationLink, ScoreSnapshot
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.integrations import IntegrationError
from iqcadence_desktop.services.system import AuditFilter
from tests.fakes.hubspot import FakeHubSpot, stamp
from tests.services.integrations.conftest import TODAY, connect_hubspot


def _company(
    fake: FakeHubSpot, cid: str, name: str, amount: str = "120000", owner: str = "100"
) -> None:
    fake.add(
        "companies",
        cid,
        {
            "name": name,
            "hubspot_owner_id": owner,
            "notes_last_contacted": stamp(TODAY - dt.timedelta(days=5)),
        },
        TODAY - dt.timedelta(days=500),
    )
    fake.add(
        "deals",
        f"d{cid}",
        {
            "amount": amount,
            "dealstage": "closedwon",
            "closedate": stamp(TODAY - dt.timedelta(days=60)),
        },
        TODAY - dt.timedelta(days=70),
        {"companies": [cid]},
    )


@pytest.fixture
def portfolio(hubspot: FakeHubSpot) -> FakeHubSpot:
    hubspot.add_owner("100", "Sarah", "Lee")
    _company(hubspot, "1", "Acme Corp")
    _company(hubspot, "2", "Globex", amount="24000")
    return hubspot


def _customers(services: Services) -> dict[str, object]:
    return {c.name: c for c in services.customers.list_customers()}


def test_sync_creates_accounts_with_owner_mrr_and_default_tier(
    services: Services, portfolio: FakeHubSpot
) -> None:
    connect_hubspot(services, portfolio)
    result = services.integrations.sync("hubspot")
    assert (result.new, result.changed, result.unchanged) == (2, 0, 0)
    acme = services.customers.get(services.customers.find_id("Acme Corp") or 0)
    assert acme.manager == "Sarah Lee"
    assert acme.mrr_cents == 1_000_000  # 120,000 a year ÷ 12, in cents
    assert acme.tier == "smb"
    assert acme.last_contact_date == TODAY - dt.timedelta(days=5)
    assert acme.status != "unscored"  # rescored through the scoring package
    again = services.integrations.sync("hubspot")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    status = services.integrations.status("hubspot")[0]
    assert status.last_status == "ok" and status.last_sync_at is not None
    assert "2 unchanged" in str((status.last_result or {})["summary"])
    entries = services.audit.entries(AuditFilter(action="integration_sync"))
    assert len(entries) == 2 and "2 accounts read" in entries[-1].summary


def test_monthly_deal_amounts_are_taken_as_they_are(
    services: Services, portfolio: FakeHubSpot
) -> None:
    connect_hubspot(services, portfolio)
    services.integrations.configure("hubspot", {"deal_amounts": "monthly"})
    services.integrations.sync("hubspot")
    globex = services.customers.get(services.customers.find_id("Globex") or 0)
    assert globex.mrr_cents == 2_400_000


def test_dry_run_previews_and_writes_nothing(services: Services, portfolio: FakeHubSpot) -> None:
    connect_hubspot(services, portfolio)
    preview = services.integrations.sync("hubspot", dry_run=True)
    assert preview.dry_run and preview.new == 2
    assert preview.fields["mrr"] == 2 and preview.fields["manager"] == 2
    assert {a.name for a in preview.samples} == {"Acme Corp", "Globex"}
    assert "would add 2" in preview.summary()
    assert services.customers.list_customers() == []
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(IntegrationLink)) == 0


def test_matches_by_link_then_by_name_and_switch_off_creation(
    services: Services, portfolio: FakeHubSpot
) -> None:
    services.customers.create({"name": "ACME corp", "mrr": 10})
    connect_hubspot(services, portfolio)
    services.integrations.configure("hubspot", {"create_accounts": False})
    result = services.integrations.sync("hubspot")
    assert (result.new, result.changed, result.skipped) == (0, 1, 1)  # Globex not created
    assert [c.name for c in services.customers.list_customers()] == ["ACME corp"]
    # Renamed in HubSpot: the link still finds our customer.
    portfolio.objects["companies"][0]["properties"]["name"] = "Acme Corporation"
    portfolio.objects["deals"][0]["properties"]["amount"] = "240000"
    again = services.integrations.sync("hubspot")
    assert again.changed == 1 and again.samples[0].name == "ACME corp"
    assert services.customers.list_customers()[0].mrr_cents == 2_000_000


def test_ownership_ignores_another_integrations_metric(
    services: Services, portfolio: FakeHubSpot
) -> None:
    connect_hubspot(services, portfolio)
    services.integrations.set_owner("mrr", "stripe")
    result = services.integrations.sync("hubspot")
    assert result.ignored_owned == {"mrr": "stripe"}
    assert all(c.mrr_cents is None for c in services.customers.list_customers())
    assert services.integrations.owners() == {"mrr": "stripe"}


def test_a_failure_mid_listing_changes_nothing(services: Services, portfolio: FakeHubSpot) -> None:
    for i in range(250):
        _company(portfolio, str(100 + i), f"Extra {i:03d}")
    connect_hubspot(services, portfolio)
    services.integrations.sync("hubspot")
    before = [(c.name, c.mrr_cents) for c in services.customers.list_customers()]
    for deal in portfolio.objects["deals"]:
        deal["properties"]["amount"] = "999000"
    _company(portfolio, "9999", "Brand New")
    portfolio.faults.fail_from_page = 2  # the third page of companies answers 500, always
    with pytest.raises(IntegrationError, match="server error"):
        services.integrations.sync("hubspot")
    assert [(c.name, c.mrr_cents) for c in services.customers.list_customers()] == before
    assert services.integrations.status("hubspot")[0].last_status == "failed"


def test_429_with_retry_after_is_honoured(services: Services, portfolio: FakeHubSpot) -> None:
    connect_hubspot(services, portfolio)
    portfolio.faults.rate_limited, portfolio.faults.retry_after = 1, "1"
    portfolio.requests.clear()
    services.integrations.sync("hubspot", dry_run=True)
    first, second = portfolio.requests[0], portfolio.requests[1]
    assert first.path == second.path and first.query == second.query
    assert second.at - first.at >= 0.9


def test_rate_limit_that_never_ends_says_so(services: Services, portfolio: FakeHubSpot) -> None:
    connect_hubspot(services, portfolio)
    portfolio.faults.rate_limited, portfolio.faults.retry_after = 50, "0"
    with pytest.raises(IntegrationError, match="rate-limiting"):
        services.integrations.sync("hubspot", dry_run=True)
    portfolio.faults.rate_limited, portfolio.faults.retry_after = 1, "86400"
    portfolio.faults.rate_body = {
        "status": "error",
        "message": "You have reached your daily limit.",
        "errorType": "RATE_LIMIT",
        "policyName": "DAILY",
    }
    with pytest.raises(IntegrationError, match=r"wait [\d.]+ hours"):
        services.integrations.sync("hubspot", dry_run=True)


def test_wrong_token_is_refused_and_nothing_is_stored(
    services: Services, hubspot: FakeHubSpot
) -> None:
    with pytest.raises(IntegrationError, match="HubSpot refused the token"):
        services.integrations.connect(
            "hubspot", token="pat-wrong", options={"base_url": hubspot.url}
        )
    assert services.secrets.get("hubspot.token") is None
    assert not services.integrations.status("hubspot")[0].connected


def test_missing_scope_is_named(services: Services, hubspot: FakeHubSpot) -> None:
    hubspot.tokens["pat-na1-test"] = frozenset({"crm.objects.deals.read"})
    with pytest.raises(IntegrationError, match="lacks the crm.objects.companies.read scope"):
        connect_hubspot(services, hubspot)


def test_feedback_gives_nps_and_csat(services: Services, portfolio: FakeHubSpot) -> None:
    for n, (kind, value, group) in enumerate(
        (("NPS", "9", "PROMOTER"), ("NPS", "6", "DETRACTOR"), ("CSAT", "2", "PROMOTER"))
    ):
        portfolio.add(
            "feedback_submissions",
            f"f{n}",
            {
                "hs_survey_type": kind,
                "hs_value": value,
                "hs_response_group": group,
                "hs_submission_timestamp": stamp(TODAY - dt.timedelta(days=10)),
            },
            TODAY - dt.timedelta(days=10),
            {"contacts": ["c1"]},
        )
    portfolio.contact_companies["c1"] = ["1"]
    connect_hubspot(services, portfolio)
    services.integrations.sync("hubspot")
    acme = services.customers.get(services.customers.find_id("Acme Corp") or 0)
    assert (acme.nps, acme.csat) == (8, 5)  # mean of 9 and 6, rounded half up; PROMOTER → 5


def test_feedback_scope_missing_is_a_warning_not_a_failure(
    services: Services, portfolio: FakeHubSpot
) -> None:
    portfolio.tokens["pat-na1-test"] = frozenset(
        {"crm.objects.companies.read", "crm.objects.deals.read"}
    )
    connect_hubspot(services, portfolio)
    result = services.integrations.sync("hubspot")
    assert result.new == 2
    assert any("feedback_submissions.read" in w for w in result.warnings)


def test_signal_change_clears_a_manual_score(services: Services, portfolio: FakeHubSpot) -> None:
    cid = services.customers.create({"name": "Acme Corp", "logins": 3, "score": 90}).id
    assert services.customers.get(cid).manual_score
    connect_hubspot(services, portfolio)
    services.integrations.sync("hubspot")  # writes last contact, a signal
    assert not services.customers.get(cid).manual_score


def test_pull_history_writes_past_days_and_keeps_existing_ones(
    services: Services, hubspot: FakeHubSpot
) -> None:
    hubspot.add_owner("100", "Sarah", "Lee")
    hubspot.add(
        "companies",
        "1",
        {"name": "Acme Corp", "hubspot_owner_id": "100"},
        TODAY - dt.timedelta(days=400),
    )
    hubspot.add(
        "deals",
        "d1",
        {
            "amount": "120000",
            "dealstage": "closedwon",
            "closedate": stamp(TODAY - dt.timedelta(days=20)),
        },
        TODAY - dt.timedelta(days=100),
        {"companies": ["1"]},
        history={
            "dealstage": [
                (TODAY - dt.timedelta(days=100), "appointmentscheduled"),
                (TODAY - dt.timedelta(days=20), "closedwon"),
            ],
            "amount": [(TODAY - dt.timedelta(days=100), "120000")],
            "closedate": [(TODAY - dt.timedelta(days=100), stamp(TODAY - dt.timedelta(days=20)))],
        },
    )
    connect_hubspot(services, hubspot)
    services.integrations.sync("hubspot")
    cid = services.customers.find_id("Acme Corp") or 0
    kept_day = (TODAY - dt.timedelta(days=3)).toordinal()
    with services.db.session() as s:
        s.add(
            ScoreSnapshot(
                customer_id=cid, day=kept_day, score=11.0, status="critical", coverage=1.0
            )
        )
    result = services.integrations.pull_history("hubspot", 30)
    # Days before the deal was won have no value to replay: they are not written.
    assert result.kept == 1 and result.written == 19
    with services.db.session() as s:
        rows = dict(
            s.execute(
                select(ScoreSnapshot.day, ScoreSnapshot.mrr_cents).where(
                    ScoreSnapshot.customer_id == cid
                )
            ).all()
        )
        kept = s.get(ScoreSnapshot, (cid, kept_day))
        assert kept is not None and kept.score == 11.0
    assert (TODAY - dt.timedelta(days=25)).toordinal() not in rows  # not won yet
    assert rows[(TODAY - dt.timedelta(days=10)).toordinal()] == 1_000_000


def test_no_keyring_offers_the_environment_variable(
    services: Services, hubspot: FakeHubSpot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iqcadence_desktop.services.system import KeyringSecretStore

    store = KeyringSecretStore()  # the test home has keyring's null backend: no keyring
    monkeypatch.setattr(services.integrations, "_secrets", store)
    services.integrations.configure("hubspot", {"base_url": hubspot.url})
    with pytest.raises(IntegrationError, match="--token-env"):
        services.integrations.connect("hubspot", token="pat-na1-test")
    monkeypatch.setenv("HS_TOKEN", "pat-na1-test")
    status = services.integrations.connect("hubspot", token_env="HS_TOKEN")
    assert status.connected and status.token_source == "environment variable HS_TOKEN"
    monkeypatch.delenv("HS_TOKEN")
    with pytest.raises(IntegrationError, match="HS_TOKEN, which is not set"):
        services.integrations.sync("hubspot")


def test_customers_count_matches_links(services: Services, portfolio: FakeHubSpot) -> None:
    connect_hubspot(services, portfolio)
    services.integrations.sync("hubspot")
    with services.db.session() as s:
        links = s.scalar(select(func.count()).select_from(IntegrationLink))
        customers = s.scalar(select(func.count()).select_from(Customer))
    assert links == customers == 2


def test_sync_writes_one_client(services: Services, portfolio: FakeHubSpot) -> None:
    """Team mode: a sync matches and creates accounts in the client in focus only; an
    account of the same name in another client is neither matched nor changed."""
    from tests.services.team.helpers import CSM, PASSWORD, make_team

    ids = make_team(services)  # Acme One/Two and Globex One/Zeta, a CSM of Acme
    services.scope.set_focus(ids["globex"])
    services.customers.create({"name": "Acme Corp", "mrr": "5", "manager": "Globex person"})
    services.scope.set_focus(None)
    connect_hubspot(services, portfolio)
    services.team.sign_in(CSM, PASSWORD)
    result = services.integrations.sync("hubspot")
    assert (result.new, result.changed) == (2, 0)
    with services.db.session() as s:
        rows = s.execute(
            select(Customer.name, Customer.client_id, Customer.mrr_cents).where(
                Customer.name.in_(("Acme Corp", "Globex"))
            )
        ).all()
    assert sorted(rows) == [
        ("Acme Corp", ids["acme"], 1_000_000),
        ("Acme Corp", ids["globex"], 500),
        ("Globex", ids["acme"], 200_000),
    ]
    assert all(st.last_result is None for st in services.integrations.status())
