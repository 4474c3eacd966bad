"""Builds the service graph for one database (used by the GUI, the CLI and tests)."""

from __future__ import annotations

from dataclasses import dataclass

from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.alerts import RULES, AlertConfigService, AlertService
from iqcadence_desktop.services.csv_io import ExportService, ImportService, MappingService
from iqcadence_desktop.services.customers import (
    CustomerRecordsService,
    CustomerService,
    ManagerService,
)
from iqcadence_desktop.services.portfolio import (
    DataHealthService,
    HomeSummaryService,
    PortfolioService,
)
from iqcadence_desktop.services.reports import ReportService
from iqcadence_desktop.services.scoring import (
    ConfigService,
    ProfileAssignmentService,
    WhatIfService,
)
from iqcadence_desktop.services.system import (
    AuditLog,
    BackupService,
    Clock,
    EventBus,
    KeyringSecretStore,
    SecretStore,
    SettingsService,
    SystemClock,
)
from iqcadence_desktop.services.team import Permission, Scope, TeamService


@dataclass(frozen=True)
class Services:
    """Every service, wired to one database, clock and event bus."""

    db: Database
    clock: Clock
    events: EventBus
    settings: SettingsService
    audit: AuditLog
    config: ConfigService
    customers: CustomerService
    portfolio: PortfolioService
    what_if: WhatIfService
    managers: ManagerService
    data_health: DataHealthService
    profile_assignment: ProfileAssignmentService
    mappings: MappingService
    importer: ImportService
    exporter: ExportService
    backups: BackupService
    secrets: SecretStore
    alert_config: AlertConfigService
    alerts: AlertService
    home: HomeSummaryService
    reports: ReportService
    records: CustomerRecordsService
    scope: Scope
    team: TeamService


def build_services(
    db: Database,
    clock: Clock | None = None,
    events: EventBus | None = None,
    secrets: SecretStore | None = None,
    scope: Scope | None = None,
) -> Services:
    """The service graph. `scope` (who is signed in, which clients they see) is consulted
    by every service that reads or writes customer data; one per graph."""
    clock = clock or SystemClock()
    events = events or EventBus()
    scope = scope or Scope()
    settings = SettingsService(db, clock, events)
    audit = AuditLog(
        db,
        clock,
        lambda: scope.identity.label if scope.signed_in else settings.actor(),
        scope.audit_clause,
    )
    settings.audit = audit
    settings.guard = lambda: scope.require(Permission.EDIT_SETTINGS)
    config = ConfigService(db, clock, audit, events, scope)
    customers = CustomerService(db, clock, config, audit, events, scope)
    portfolio = PortfolioService(db, clock, customers, scope)
    mappings = MappingService(db, clock, audit)
    secrets = secrets if secrets is not None else KeyringSecretStore()
    alert_config = AlertConfigService(db, clock, audit, events, tuple(RULES), scope)
    alerts = AlertService(db, clock, customers, config, alert_config, audit, events, scope)
    backups = BackupService(
        db, clock, audit, events, (config.invalidate, settings.invalidate, alert_config.invalidate)
    )
    backups.guard = lambda: scope.require(Permission.BACKUP_RESTORE)
    return Services(
        db=db,
        clock=clock,
        events=events,
        settings=settings,
        audit=audit,
        config=config,
        customers=customers,
        portfolio=portfolio,
        what_if=WhatIfService(db, clock, config, scope),
        managers=ManagerService(db, clock, audit, events, scope),
        data_health=DataHealthService(customers),
        profile_assignment=ProfileAssignmentService(db, clock, config, audit, events, scope),
        mappings=mappings,
        importer=ImportService(db, clock, config, audit, events, settings, mappings, scope),
        exporter=ExportService(customers),
        backups=backups,
        secrets=secrets,
        alert_config=alert_config,
        alerts=alerts,
        home=HomeSummaryService(clock, customers, config, alerts),
        reports=_reports(customers, portfolio, config, settings, clock, alerts),
        records=CustomerRecordsService(db, clock, audit, events, customers, scope),
        scope=scope,
        team=TeamService(db, clock, scope, audit, events),
    )


def _reports(
    customers: CustomerService,
    portfolio: PortfolioService,
    config: ConfigService,
    settings: SettingsService,
    clock: Clock,
    alerts: AlertService,
) -> ReportService:
    """The report service, with a customer's active alerts feeding QBR talking points."""
    reports = ReportService(customers, portfolio, config, settings, clock)
    reports.alerts_for = lambda customer_id: [
        a for a in alerts.current(customer_id=customer_id, record=False) if a.state == "active"
    ]
    return reports
