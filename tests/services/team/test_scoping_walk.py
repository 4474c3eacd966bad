"""The scoping walk: every public entry point of every service, called as a CSM of Acme,
returns nothing of Globex (S13). A new public method fails this test until it is added
to WALK (called and checked) or to NOT_CUSTOMER_DATA (with the reason)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iqcadence_desktop.errors import NotFoundError, PermissionDeniedError, ValidationError
from iqcadence_desktop.services.analytics import TrendRequest
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers import CustomerFilter
from iqcadence_desktop.services.reports import ReportRequest
from iqcadence_desktop.services.scoring import ScoringConfig
from tests.conftest import TODAY
from tests.services.team.helpers import CSM, PASSWORD, make_team

Ids = dict[str, int]
Call = Callable[[Services, Ids, Path], Any]
REFUSED = (NotFoundError, PermissionDeniedError, ValidationError)

#: Reads: whatever comes back (text of files included) must not mention Globex.
#: Writes aimed at Globex's rows: refused, or touching nothing (0).
WALK: dict[str, Call] = {
    "customers.list_customers": lambda s, i, t: (
        [s.customers.list_customers(CustomerFilter(trash=x)) for x in (False, True, None)]
        + [s.customers.list_customers(first=10)]
    ),
    "customers.book": lambda s, i, t: s.customers.book(),
    "customers.get": lambda s, i, t: s.customers.get(i["Globex One"]),
    "customers.find_id": lambda s, i, t: s.customers.find_id("Globex One") or [],
    "customers.managers": lambda s, i, t: s.customers.managers(),
    "customers.explain": lambda s, i, t: s.customers.explain(i["Globex One"]),
    "customers.history": lambda s, i, t: s.customers.history(i["Globex One"]) or [],
    "customers.config": lambda s, i, t: s.customers.config(),
    "customers.preview": lambda s, i, t: s.customers.preview({"name": "x", "logins": 3}),
    "customers.create": lambda s, i, t: s.customers.create({"name": "Newco"}),
    "customers.update": lambda s, i, t: s.customers.update(i["Globex One"], {"logins": 1}),
    "customers.save_by_name": lambda s, i, t: s.customers.save_by_name({"name": "New Acme"}),
    "customers.rescore_all": lambda s, i, t: s.customers.rescore_all(),
    "customers.rescore_selected": lambda s, i, t: s.customers.rescore_selected([i["Globex One"]]),
    "customers.ensure_daily_snapshots": lambda s, i, t: s.customers.ensure_daily_snapshots(),
    "customers.load_sample": lambda s, i, t: s.customers.load_sample(3, 2),
    "customers.trash": lambda s, i, t: s.customers.trash([i["Globex One"]]),
    "customers.restore": lambda s, i, t: s.customers.restore([i["Globex One"]]),
    "customers.purge": lambda s, i, t: s.customers.purge([i["Globex One"]]),
    "customers.change_tags": lambda s, i, t: s.customers.change_tags([i["Globex One"]], ["x"]),
    "customers.set_lifecycle": lambda s, i, t: s.customers.set_lifecycle(
        [i["Globex One"]], "churned"
    ),
    "portfolio.daily": lambda s, i, t: s.portfolio.daily(30),
    "what_if.preview": lambda s, i, t: s.what_if.preview(ScoringConfig()),
    "managers.managers": lambda s, i, t: s.managers.managers(),
    "managers.rename": lambda s, i, t: s.managers.rename("Globex One CSM", "X"),
    "managers.merge": lambda s, i, t: s.managers.merge(["Globex One CSM"], "X"),
    "managers.reassign": lambda s, i, t: s.managers.reassign([i["Globex One"]], "X"),
    "data_health.findings": lambda s, i, t: s.data_health.findings(),
    "profile_assignment.assign": lambda s, i, t: s.profile_assignment.assign(None, tiers=["smb"]),
    "importer.preview": lambda s, i, t: s.importer.preview(_csv(t, "Acme One")),
    # The result echoes the file (which names "Globex One"): what it did is what counts.
    "importer.run": lambda s, i, t: (lambda r: (r.created, r.updated, r.unchanged))(
        s.importer.run(_csv(t))
    ),
    "exporter.rows": lambda s, i, t: s.exporter.rows(CustomerFilter()),
    "exporter.export": lambda s, i, t: (
        s.exporter.export(t / "out.csv") and (t / "out.csv").read_text(encoding="utf-8-sig")
    ),
    "backups.backup": lambda s, i, t: s.backups.backup(t / "b.json"),
    "backups.snapshot": lambda s, i, t: s.backups.snapshot(),
    "backups.restore": lambda s, i, t: s.backups.restore(t / "none.json", t),
    "alerts.current": lambda s, i, t: s.alerts.current(),
    "alerts.evaluate": lambda s, i, t: s.alerts.evaluate(),
    "alerts.board": lambda s, i, t: s.alerts.board(),
    "alerts.active_count": lambda s, i, t: s.alerts.active_count(s.alerts.current()),
    "alerts.hit_rates": lambda s, i, t: s.alerts.hit_rates(),
    "alerts.snooze": lambda s, i, t: s.alerts.snooze([f"{i['Globex One']}:health:x"], 7),
    "alerts.dismiss": lambda s, i, t: s.alerts.dismiss([f"{i['Globex One']}:health:x"]),
    "alerts.wake": lambda s, i, t: s.alerts.wake([f"{i['Globex One']}:health:x"]),
    "alerts.mark_outcome": lambda s, i, t: s.alerts.mark_outcome(
        f"{i['Globex One']}:health:x", "acted_on"
    ),
    "home.summary": lambda s, i, t: s.home.summary(),
    "reports.customer_id": lambda s, i, t: s.reports.customer_id("Globex One"),
    "reports.build": lambda s, i, t: [
        s.reports.build(ReportRequest(k.id, TODAY))
        for k in s.reports.kinds()
        if k.customer != "required"
    ],
    "reports.render": lambda s, i, t: (
        s.reports.render(ReportRequest("portfolio-summary", TODAY), t / "r.csv", "csv")
        and (t / "r.csv").read_text(encoding="utf-8-sig")
    ),
    "records.notes": lambda s, i, t: s.records.notes(i["Globex One"]),
    "records.contacts": lambda s, i, t: s.records.contacts(i["Globex One"]),
    "records.sentiment_log": lambda s, i, t: s.records.sentiment_log(i["Globex One"]),
    "records.add_note": lambda s, i, t: s.records.add_note(i["Globex One"], "hi"),
    "records.add_contact": lambda s, i, t: s.records.add_contact(i["Globex One"], {"name": "x"}),
    "records.log_sentiment": lambda s, i, t: s.records.log_sentiment(i["Globex One"], "negative"),
    "records.edit_note": lambda s, i, t: s.records.edit_note(i["globex_note"], "hijacked"),
    "records.delete_note": lambda s, i, t: s.records.delete_note(i["globex_note"]),
    "records.edit_contact": lambda s, i, t: s.records.edit_contact(
        i["globex_contact"], {"name": "hijacked"}
    ),
    "records.delete_contact": lambda s, i, t: s.records.delete_contact(i["globex_contact"]),
    "audit.entries": lambda s, i, t: s.audit.entries(),
    "audit.distinct": lambda s, i, t: s.audit.distinct("action") + s.audit.distinct("user"),
    "config.profiles": lambda s, i, t: s.config.profiles(),
    "team.clients": lambda s, i, t: s.team.clients(),
    "team.client_id": lambda s, i, t: s.team.client_id("Globex"),
    "team.focus": lambda s, i, t: s.team.focus("Globex"),
    "team.users": lambda s, i, t: s.team.users(),
    "alerts.active_for": lambda s, i, t: s.alerts.active_for(i["Globex One"]),
    "api.configure": lambda s, i, t: s.api.configure(True, 8899),
    "api.log": lambda s, i, t: s.api.log(),
    "automations.due_work": lambda s, i, t: s.automations.due_work(),
    "automations.preload": lambda s, i, t: s.automations.preload(),
    "automations.prepare_due": lambda s, i, t: s.automations.prepare_due(),
    "automations.deliver_due": lambda s, i, t: s.automations.deliver_due(),
    "automations.run_due": lambda s, i, t: s.automations.run_due(),
    "calendar.month": lambda s, i, t: s.calendar.month(TODAY.year, TODAY.month),
    "calendar.has_accounts": lambda s, i, t: s.calendar.has_accounts("Globex One CSM"),
    "calendar.export_ics": lambda s, i, t: (
        s.calendar.export_ics(s.calendar.month(TODAY.year, TODAY.month), t / "c.ics")
        and (t / "c.ics").read_text(encoding="utf-8")
    ),
    "churn_model.fit": lambda s, i, t: s.churn_model.fit(),
    "churn_model.apply_suggested": lambda s, i, t: s.churn_model.apply_suggested(),
    "churn_model.refit_if_due": lambda s, i, t: s.churn_model.refit_if_due(),
    "churn_model.portfolio": lambda s, i, t: s.churn_model.portfolio(),
    "custom_fields.create": lambda s, i, t: s.custom_fields.create("Plan", "text"),
    "custom_fields.update": lambda s, i, t: s.custom_fields.update(1, label="Hijacked"),
    "custom_fields.remove": lambda s, i, t: s.custom_fields.remove(1),
    "custom_fields.set_values": lambda s, i, t: s.custom_fields.set_values(
        i["Globex One"], {"Region": "x"}
    ),
    "custom_fields.values": lambda s, i, t: s.custom_fields.values([i["Globex One"]]),
    "customers.find_by_external_id": lambda s, i, t: s.customers.find_by_external_id("gx-1") or [],
    "customers.override_score": lambda s, i, t: s.customers.override_score(
        i["Globex One"], 99, "hijack"
    ),
    "customers.clear_override": lambda s, i, t: s.customers.clear_override(i["Globex One"]),
    "integrations.configure": lambda s, i, t: s.integrations.configure("hubspot", {}),
    "integrations.connect": lambda s, i, t: s.integrations.connect("hubspot", "token"),
    "integrations.connect_salesforce": lambda s, i, t: s.integrations.connect_salesforce(
        lambda _url: None, lambda: True
    ),
    "integrations.disconnect": lambda s, i, t: s.integrations.disconnect("hubspot"),
    "integrations.set_owner": lambda s, i, t: s.integrations.set_owner("mrr", "hubspot"),
    "integrations.status": lambda s, i, t: s.integrations.status(),
    "performance.leaderboard": lambda s, i, t: s.performance.leaderboard(),
    "performance.detail": lambda s, i, t: (  # the name asked for is echoed; nothing else
        lambda d: (d.accounts, d.focus, d.activity)
    )(s.performance.detail("Globex One CSM")),
    "performance.activity": lambda s, i, t: s.performance.activity(None),
    "portfolio.headlines": lambda s, i, t: s.portfolio.headlines(),
    "portfolio.band_counts": lambda s, i, t: s.portfolio.band_counts(),
    "portfolio.score_changes": lambda s, i, t: s.portfolio.score_changes(7),
    "profile_rules.save_rules": lambda s, i, t: s.profile_rules.save_rules([]),
    "segments.load": lambda s, i, t: s.segments.load(),
    "segments.segments": lambda s, i, t: s.segments.segments("manager"),
    "segments.trend": lambda s, i, t: s.segments.trend(),
    "segments.with_trend": lambda s, i, t: s.segments.with_trend(s.segments.load(trend=False)),
    # The segment asked for is echoed by name: it must hold no one and no values.
    "segments.compare": lambda s, i, t: (
        lambda c: ([(x.customers, x.values) for x in c.series], c.reference, c.analysis)
    )(
        s.segments.compare(
            s.segments.load(), "manager", ["Globex One CSM"], TODAY - dt.timedelta(days=30), TODAY
        )
    ),
    "trends.view": lambda s, i, t: s.trends.view(TrendRequest()),
    "trends.movers": lambda s, i, t: s.trends.movers(TrendRequest()),
    "trends.customers_matching": lambda s, i, t: s.trends.customers_matching("Globex"),
}

#: Public methods that hold no customer data, and why.
NOT_CUSTOMER_DATA = {
    "db": "the connection itself",
    "clock": "time",
    "events": "in-process notifications",
    "secrets": "the keyring (never rows)",
    "scope": "the scoping itself",
    "settings": "team-wide settings (guarded by role)",
    "mappings": "CSV header mappings",
    "alert_config": "team-wide alert thresholds (guarded by role)",
    "audit.record": "writes only",
    "audit.user": "who is acting",
    "config.current": "team-wide configuration",
    "config.save": "team-wide configuration (guarded)",
    "config.history": "configuration versions",
    "config.invalidate": "a cache",
    "config.profile_id_by_name": "profile names",
    "config.profile_weights": "profile weights",
    "config.weights_for": "profile weights",
    "config.save_profile": "profiles (guarded)",
    "config.delete_profile": "profiles (guarded)",
    "importer.date_order": "a setting",
    "backups.copy_database": "the SQLite file (single user only)",
    "reports.kinds": "the report catalogue",
    "reports.kind": "the report catalogue",
    "reports.brand": "branding",
    "team.scope": "the scope",
    "team.has_users": "whether sign-in is needed",
    "team.sign_in": "signing in",
    "team.change_password": "one's own password",
    "team.init_team": "the first admin",
    "team.add_client": "admin only (role matrix)",
    "team.add_user": "admin only (role matrix)",
    "team.set_clients": "admin only (role matrix)",
    "team.set_role": "admin only (role matrix)",
    "team.disable": "admin only (role matrix)",
    "team.enable": "admin only (role matrix)",
    "team.reset_password": "admin only (role matrix)",
    "help": "the help pages",
    "api.enabled": "a setting",
    "api.port": "a setting",
    "api.running_url": "the local server's address",
    "api.server": "the local server; its calls act through the scoped services (api.log)",
    "api.start": "the local server; its calls act through the scoped services",
    "api.start_if_enabled": "the local server; its calls act through the scoped services",
    "api.stop": "the local server",
    "automations.email_report": "sends a report built by the scoped report service",
    "automations.live_matcher": "matches rows the caller already holds",
    "automations.send_test": "a test message with no customer data",
    "automations.set_write_gate": "plumbing",
    "backups.check": "reads the file it is given, not the database",
    "churn_model.current": "the team's model: coefficients and aggregate quality only",
    "churn_model.versions": "the team's model: coefficients and aggregate quality only",
    "churn_model.horizon": "the team's model",
    "churn_model.invalidate": "a cache",
    "churn_model.suggested_config": "weights (team-wide configuration)",
    "churn_model.estimates": "for customer rows the caller already read through its scope",
    "churn_model.estimate": "for a customer row the caller already read through its scope",
    "churn_model.states": "for customer rows the caller already read through its scope",
    "custom_fields.fields": "field definitions (team-wide configuration)",
    "custom_fields.field": "field definitions (team-wide configuration)",
    "integrations.fields": "the other system's field list",
    "integrations.owners": "which integration writes which field",
    "integrations.test": "a connection check",
    "integrations.sync": "writes into the scope's one client (test_sync_writes_one_client)",
    "integrations.sync_all": "writes into the scope's one client (test_sync_writes_one_client)",
    "integrations.pull_history": "history of the scope's one client's linked customers",
    "profile_rules.rules": "team-wide rules (saving is guarded)",
    "reports.set_branding": "branding (a guarded setting)",
}


def _csv(tmp: Path, name: str = "Globex One") -> Path:
    """A file naming a customer of the other client: it must create a new one in ours."""
    path = tmp / "in.csv"
    path.write_text(f"name,logins\n{name},29\nBrand New,3\n", encoding="utf-8")
    return path


def _public_entry_points(services: Services) -> set[str]:
    names = set()
    for f in dataclasses.fields(services):
        for name, _ in inspect.getmembers(type(getattr(services, f.name))):
            if not name.startswith("_"):
                names.add(f"{f.name}.{name}")
    return names


def test_every_entry_point_is_walked_or_explained(services: Services) -> None:
    known = set(WALK) | {n for n in NOT_CUSTOMER_DATA if "." in n}
    whole = {k for k in NOT_CUSTOMER_DATA if "." not in k}
    missing = sorted(
        n for n in _public_entry_points(services) if n not in known and n.split(".")[0] not in whole
    )
    assert missing == [], f"add these to WALK or NOT_CUSTOMER_DATA: {missing}"


def _setup(services: Services) -> Ids:
    ids = make_team(services)
    services.scope.set_focus(ids["globex"])
    ids["globex_note"] = services.records.notes(ids["Globex One"])[0].id
    ids["globex_contact"] = services.records.contacts(ids["Globex One"])[0].id
    services.alerts.current()  # episodes for both clients
    services.custom_fields.create("Region", "text")
    services.custom_fields.set_values(ids["Globex One"], {"Region": "Globex land"})
    services.customers.update(ids["Globex One"], {"external_id": "gx-1"})
    services.scope.set_focus(None)
    services.team.sign_in(CSM, PASSWORD)
    return ids


def _globex_state(services: Services, ids: Ids) -> Any:
    with services.db.session() as s:
        from sqlalchemy import text

        return [
            tuple(r)
            for r in s.execute(
                text(
                    "SELECT id, name, manager, lifecycle, deleted_at, version, logins_30d "
                    "FROM customers WHERE client_id = :c ORDER BY id"
                ),
                {"c": ids["globex"]},
            )
        ] + [tuple(r) for r in s.execute(text("SELECT id, body FROM notes ORDER BY id"))]


@pytest.mark.parametrize("entry", sorted(WALK))
def test_a_csm_sees_and_touches_nothing_of_another_client(
    services: Services, tmp_path: Path, entry: str
) -> None:
    ids = _setup(services)
    before = _globex_state(services, ids)
    try:
        result = WALK[entry](services, ids, tmp_path)
    except REFUSED:
        result = None
    assert "Globex" not in repr(result)
    assert _globex_state(services, ids) == before
