"""Cross-cutting plumbing every capability uses: clock, events, audit, settings, secrets,
backup and restore, dialect-aware SQL helpers.
"""

from iqcadence_desktop.services.system.audit import AuditEntryDTO, AuditFilter, AuditLog
from iqcadence_desktop.services.system.backup import BackupService, BackupSummary, backup_name
from iqcadence_desktop.services.system.backup_check import BackupError
from iqcadence_desktop.services.system.bulk_sql import (
    delete_where_in,
    insert_columns,
    insert_returning_ids,
    insert_rows,
    is_sqlite,
    read_rows,
    roomy_page_cache,
    rows_where_in,
    update_rows,
    upsert_columns,
)
from iqcadence_desktop.services.system.clock import Clock, FixedClock, SystemClock, when_text
from iqcadence_desktop.services.system.events import (
    CONFIG_CHANGED,
    CUSTOMERS_CHANGED,
    SETTINGS_CHANGED,
    DomainEvent,
    EventBus,
)
from iqcadence_desktop.services.system.files import (
    FileWriteError,
    atomic_write,
    check_target,
    create_private,
    explain_write_error,
    write_bytes,
    write_text,
    write_via,
)
from iqcadence_desktop.services.system.memory import gc_paused
from iqcadence_desktop.services.system.pg_bulk import pg_insert, pg_update, pg_upsert
from iqcadence_desktop.services.system.secrets import KeyringSecretStore, KeyringStatus, SecretStore
from iqcadence_desktop.services.system.settings import SettingsService, SettingsStore
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
    "BackupError",
    "BackupService",
    "BackupSummary",
    "FileWriteError",
    "atomic_write",
    "check_target",
    "create_private",
    "explain_write_error",
    "write_bytes",
    "write_text",
    "write_via",
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
    "SettingsStore",
    "SystemClock",
    "backup_name",
    "delete_where_in",
    "gc_paused",
    "insert_columns",
    "insert_returning_ids",
    "insert_rows",
    "is_sqlite",
    "optional_write",
    "read_rows",
    "roomy_page_cache",
    "rows_where_in",
    "update_rows",
    "upsert",
    "upsert_columns",
    "pg_insert",
    "pg_update",
    "pg_upsert",
    "reserve_ids",
    "serialize",
    "when_text",
]
