"""Builds the service graph for one database (used by the GUI, the CLI and tests)."""

from __future__ import annotations

from dataclasses import dataclass

from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.alerts import RULES, AlertConfigService, AlertService
from iqcadence_desktop.services.analytics import (
    CalendarService,
    HelpService,
    PerformanceService,
    SegmentService,
    TrendService,
)
from iqcadence_desktop.services.api import ApiService
from iqcadence_desktop.services.automations import AutomationService
from iqcadence_desktop.services.csv_io import ExportService, ImportService, MappingService
from iqcadence_desktop.services.customers import (
    CUSTOMER_ROW_CHECKS,
    CustomerRecordsService,
    CustomerService,
    CustomFieldService,
    ManagerService,
)
from iqcadence_desktop.services.integrations import IntegrationService
from iqcadence_desktop.services.model import ChurnModelService
from iqcadence_desktop.services.portfolio import (
    DataHealthService,
    HomeSummaryService,
    PortfolioService,
)
from iqcadence_desktop.services.reports import ReportService
from iqcadence_desktop.services.scoring import (
    SCORING_ROW_CHECKS,
    ConfigService,
    ProfileAssignmentService,
    ProfileRuleService,
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
    SettingsStore,
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
    profile_rules: ProfileRuleService
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
    integrations: IntegrationService
    api: ApiService
    segments: SegmentService
    trends: TrendService
    performance: PerformanceService
    calendar: CalendarService
    help: HelpService
    custom_fields: CustomFieldService
    churn_model: ChurnModelService
    automations: AutomationService
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
    store = SettingsStore(db)
    audit = AuditLog(
        db,
        clock,
        lambda: scope.identity.label if scope.signed_in else store.actor(),
        scope.audit_clause,
    )
    settings = SettingsService(
        db, clock, events, store, audit, lambda: scope.require(Permission.EDIT_SETTINGS)
    )
    config = ConfigService(db, clock, audit, events, scope)
    customers = CustomerService(db, clock, config, audit, events, scope)
    portfolio = PortfolioService(db, clock, customers, scope)
    mappings = MappingService(db, clock, audit)
    secrets = secrets if secrets is not None else KeyringSecretStore()
    alert_config = AlertConfigService(db, clock, audit, events, tuple(RULES), scope)
    alerts = AlertService(db, clock, customers, config, alert_config, audit, events, scope)
    custom_fields = CustomFieldService(db, clock, audit, events, scope)
    churn_model = ChurnModelService(
        db, clock, audit, events, customers, custom_fields, config, scope
    )
    records = CustomerRecordsService(db, clock, audit, events, customers, scope)
    reports = ReportService(
        customers,
        portfolio,
        config,
        settings,
        clock,
        alerts.active_for,
        churn_model,
        records.notes,
    )
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
        profile_rules=ProfileRuleService(db, clock, config, audit, events, scope),
        mappings=mappings,
        importer=ImportService(db, clock, config, audit, events, settings, mappings, scope),
        exporter=ExportService(customers, custom_fields.fields),
        backups=BackupService(
            db,
            clock,
            audit,
            events,
            (
                config.invalidate,
                settings.invalidate,
                churn_model.invalidate,
                alert_config.invalidate,
            ),
            secrets,
            {**CUSTOMER_ROW_CHECKS, **SCORING_ROW_CHECKS},
            lambda: scope.require(Permission.BACKUP_RESTORE),
        ),
        secrets=secrets,
        alert_config=alert_config,
        alerts=alerts,
        home=HomeSummaryService(clock, customers, config, alerts),
        reports=reports,
        records=records,
        integrations=IntegrationService(
            db, clock, secrets, config, customers, audit, events, scope
        ),
        api=ApiService(db, clock, customers, audit, settings, events, scope),
        segments=SegmentService(db, clock, config, scope),
        trends=TrendService(db, clock, scope),
        performance=PerformanceService(db, clock, config, alerts, scope),
        calendar=CalendarService(db, clock, config, scope),
        help=HelpService(config),
        custom_fields=custom_fields,
        churn_model=churn_model,
        automations=AutomationService(db, clock, customers, reports, audit, events, secrets, scope),
        scope=scope,
        team=TeamService(db, clock, scope, audit, events),
    )
