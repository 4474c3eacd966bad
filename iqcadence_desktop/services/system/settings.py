"""Small settings kept with the data: the local user's identity, branding, and so on.

UI state (window geometry, last page) is not here: it lives in QSettings.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from iqcadence_desktop.errors import StaleEditError
from iqcadence_desktop.models import AppSetting
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.system.audit import AuditLog
from iqcadence_desktop.services.system.clock import Clock, when_text
from iqcadence_desktop.services.system.events import SETTINGS_CHANGED, DomainEvent, EventBus


@dataclass(frozen=True)
class LocalUser:
    """Who is using this copy of the app (written into the audit log)."""

    name: str
    email: str


class SettingsStore:
    """Reads the `app_settings` table, cached; knows who the local user is.

    Kept apart from SettingsService so the audit log can ask who is acting without
    depending on the service that itself writes audit entries.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[str, object] | None = None
        self._versions: dict[str, int] = {}

    def invalidate(self) -> None:
        """Forget cached settings (after a write, or a restore replaced the tables)."""
        self._cache = None

    def get(self, key: str, default: object = None) -> object:
        if self._cache is None:
            with self._db.session() as s:
                rows = list(s.scalars(select(AppSetting)))
                self._cache = {r.key: r.value for r in rows}
                self._versions = {r.key: r.version for r in rows}
        return self._cache.get(key, default)

    def version(self, key: str) -> int | None:
        """The version of a setting this copy last read (None: not read, or not stored)."""
        self.get("")
        return self._versions.get(key)

    def local_user(self) -> LocalUser:
        name = self.get("user.name") or _login_name()
        return LocalUser(str(name), str(self.get("user.email") or ""))

    def display_name(self) -> str | None:
        """How the app greets the user: the display name chosen in Settings, else None.

        Never the operating system's login name ("Good morning, root").
        """
        value = " ".join(str(self.get("user.display_name") or "").split())
        return value or None

    def actor(self) -> str:
        """The label the audit log records: 'Name <email>' or just the name."""
        user = self.local_user()
        return f"{user.name} <{user.email}>" if user.email else user.name


class SettingsService:
    """Typed access to the `app_settings` table: reads through the store, audited writes.

    `guard` refuses a change the signed-in role may not make (team mode)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        events: EventBus,
        store: SettingsStore,
        audit: AuditLog,
        guard: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._events = events
        self._store = store
        self._audit = audit
        self._guard = guard

    def invalidate(self) -> None:
        """Forget cached settings (after a restore replaced the tables)."""
        self._store.invalidate()

    def get(self, key: str, default: object = None) -> object:
        return self._store.get(key, default)

    def set_many(
        self, values: Mapping[str, object], summary: str = "", overwrite: bool = False
    ) -> None:
        """Store values in one unit of work, with an audit entry.

        A value someone else saved since this copy read it is not overwritten silently:
        StaleEditError says who and when, unless `overwrite` is given."""
        self._guard()
        read = {key: self._store.version(key) for key in values}
        try:
            self._write(values, summary, read, overwrite)
        except StaleDataError:  # saved by someone else between our check and our write
            raise StaleEditError("This setting", None, None, 0) from None
        finally:
            self._store.invalidate()
        self._events.publish(DomainEvent(SETTINGS_CHANGED, detail={"keys": sorted(values)}))

    def _write(
        self,
        values: Mapping[str, object],
        summary: str,
        read: Mapping[str, int | None],
        overwrite: bool,
    ) -> None:
        with self._db.session() as s:
            self._audit.record(
                s,
                "settings_changed",
                summary or "Changed " + ", ".join(sorted(values)),
                details={"keys": sorted(values)},
            )
            who = self._audit.user()
            for key, value in values.items():
                row = s.get(AppSetting, key)
                if row is None:
                    row = AppSetting(key=key, value=value, updated_at=self._clock.now())
                    s.add(row)
                elif not overwrite and row.version != (read[key] or row.version):
                    raise StaleEditError(
                        "This setting", row.updated_by, when_text(row.updated_at), row.version
                    )
                else:
                    row.value = value
                    row.updated_at = self._clock.now()
                row.updated_by = who

    def local_user(self) -> LocalUser:
        return self._store.local_user()

    def actor(self) -> str:
        return self._store.actor()

    def display_name(self) -> str | None:
        return self._store.display_name()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "local user"
