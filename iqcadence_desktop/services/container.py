"""Builds the service graph for one database (used by the GUI, the CLI and tests)."""

from __future__ import annotations

from dataclasses import dataclass

from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.audit import AuditLog
from iqcadence_desktop.services.clock import Clock, SystemClock
from iqcadence_desktop.services.config_service import ConfigService
from iqcadence_desktop.services.customer_records import CustomerRecordsService
from iqcadence_desktop.services.customer_rows import CustomerRowsService
from iqcadence_desktop.services.customers import CustomerService
from iqcadence_desktop.services.events import EventBus
from iqcadence_desktop.services.portfolio import PortfolioService
from iqcadence_desktop.services.settings import SettingsService


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
    records: CustomerRecordsService
    customer_rows: CustomerRowsService


def build_services(db: Database, clock: Clock | None = None,
                   events: EventBus | None = None) -> Services:
    clock = clock or SystemClock()
    events = events or EventBus()
    settings = SettingsService(db, clock, events)
    audit = AuditLog(db, clock, settings.actor)
    settings.audit = audit
    config = ConfigService(db, clock, audit, events)
    customers = CustomerService(db, clock, config, audit, events)
    portfolio = PortfolioService(db, clock, customers)
    records = CustomerRecordsService(db, clock, audit, events, customers)
    rows = CustomerRowsService(db, clock, config)
    return Services(db, clock, events, settings, audit, config, customers, portfolio, records,
                    rows)
