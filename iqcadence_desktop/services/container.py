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


def build_services(
    db: Database,
    clock: Clock | None = None,
    events: EventBus | None = None,
    secrets: SecretStore | None = None,
) -> Services:
    clock = clock or SystemClock()
    events = events or EventBus()
    store = SettingsStore(db)
    audit = AuditLog(db, clock, store.actor)
    settings = SettingsService(db, clock, events, store, audit)
    config = ConfigService(db, clock, audit, events)
    customers = CustomerService(db, clock, config, audit, events)
    portfolio = PortfolioService(db, clock, customers)
    mappings = MappingService(db, clock, audit)
    secrets = secrets if secrets is not None else KeyringSecretStore()
    alert_config = AlertConfigService(db, clock, audit, events, tuple(RULES))
    alerts = AlertService(db, clock, customers, config, alert_config, audit, events)
    custom_fields = CustomFieldService(db, clock, audit, events)
    churn_model = ChurnModelService(db, clock, audit, events, customers, custom_fields, config)
    records = CustomerRecordsService(db, clock, audit, events, customers)
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
        what_if=WhatIfService(db, clock, config),
        managers=ManagerService(db, clock, audit, events),
        data_health=DataHealthService(customers),
        profile_assignment=ProfileAssignmentService(db, clock, config, audit, events),
        profile_rules=ProfileRuleService(db, clock, config, audit, events),
        mappings=mappings,
        importer=ImportService(db, clock, config, audit, events, settings, mappings),
        exporter=ExportService(customers, custom_fields.fields),
        backups=BackupService(
            db,
            clock,
            audit,
            events,
            (config.invalidate, settings.invalidate, churn_model.invalidate),
            secrets,
            {**CUSTOMER_ROW_CHECKS, **SCORING_ROW_CHECKS},
        ),
        secrets=secrets,
        alert_config=alert_config,
        alerts=alerts,
        home=HomeSummaryService(clock, customers, config, alerts),
        reports=reports,
        records=records,
        integrations=IntegrationService(db, clock, secrets, config, customers, audit, events),
        api=ApiService(db, clock, customers, audit, settings, events),
        segments=SegmentService(db, clock, config),
        trends=TrendService(db, clock),
        performance=PerformanceService(db, clock, config, alerts),
        calendar=CalendarService(db, clock, config),
        help=HelpService(config),
        custom_fields=custom_fields,
        churn_model=churn_model,
        automations=AutomationService(db, clock, customers, reports, audit, events, secrets),
    )
