"""Cross-cutting plumbing every capability uses: clock, events, audit, settings, secrets,
backup and restore, dialect-aware SQL helpers.
"""

from iqcadence_desktop.services.system.audit import AuditEntryDTO, AuditFilter, AuditLog
from iqcadence_desktop.services.system.backup import BackupService, backup_name
from iqcadence_desktop.services.system.clock import Clock, FixedClock, SystemClock, when_text
from iqcadence_desktop.services.system.events import (
    CONFIG_CHANGED,
    CUSTOMERS_CHANGED,
    SETTINGS_CHANGED,
    DomainEvent,
    EventBus,
)
from iqcadence_desktop.services.system.pg_bulk import pg_insert, pg_update, pg_upsert
from iqcadence_desktop.services.system.secrets import KeyringSecretStore, KeyringStatus, SecretStore
from iqcadence_desktop.services.system.settings import SettingsService
from iqcadence_desktop.services.system.sql import (
    CHUNK,
    optional_write,
    reserve_ids,
    serialize,
    upsert,
)

__all__ = [
    "AuditEntryDTO",
    "AuditFilter",
    "AuditLog",
    "BackupService",
    "CHUNK",
    "CONFIG_CHANGED",
    "CUSTOMERS_CHANGED",
    "Clock",
    "DomainEvent",
    "EventBus",
    "FixedClock",
    "KeyringSecretStore",
    "KeyringStatus",
    "SETTINGS_CHANGED",
    "SecretStore",
    "SettingsService",
    "SystemClock",
    "backup_name",
    "optional_write",
    "pg_insert",
    "pg_update",
    "pg_upsert",
    "reserve_ids",
    "serialize",
    "upsert",
    "when_text",
]
