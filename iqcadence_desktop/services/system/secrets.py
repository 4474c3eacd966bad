"""Secrets (CRM tokens, SMTP password, webhook secrets, the API key) behind one interface.

Production keeps them in the OS keyring; tests use `InMemorySecretStore`. A secret is never
written to the database, a log, an export or a backup: this module logs key names only.

Headless Linux often has no keyring at all (keyring picks `fail.Keyring`). The store then
says so plainly and, once the user agrees, keeps secrets in memory for this session only, so
everything that needs a secret still works until the app quits.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from iqcadence_desktop import APP_ID
from iqcadence_desktop.errors import UserFacingError

log = logging.getLogger(__name__)

NO_KEYRING_MESSAGE = (
    "No system keyring was found, so passwords for integrations would be kept in memory "
    "for one session at most. Everything else works and is saved as usual."
)
SESSION_ONLY_MESSAGE = (
    "No keyring is available: secrets are kept in memory for this "
    "session only and are forgotten when the app quits."
)


# keyring's stand-ins that store nothing: "fail" raises on every call, "null" drops values.
# Old keyrings raised a bare RuntimeError; NoKeyringError is both; KeyringLocked only the latter.
def _errors() -> tuple[type[Exception], ...]:
    # keyring is imported when a secret is first touched: importing it costs start-up
    # time every command would otherwise pay.
    from keyring.errors import KeyringError

    return (RuntimeError, KeyringError)


INDEX_KEY = "iqcadence.secret-names"


_UNUSABLE_BACKENDS = ("keyring.backends.fail.Keyring", "keyring.backends.null.Keyring")


class SecretStoreError(UserFacingError):
    """A secret could not be read, saved or removed."""


class SecretStore(Protocol):
    """Where secrets live. Keys are short names such as "hubspot.token"."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def status(self) -> KeyringStatus: ...

    def use_session_memory(self) -> None: ...

    def stored_values(self) -> list[str]:
        """Every secret value held now (so backups can blank them wherever they appear)."""
        ...


@dataclass(frozen=True)
class KeyringStatus:
    """What the Settings page shows about the secret storage."""

    backend: str  # fully qualified class name, e.g. "keyring.backends.SecretService.Keyring"
    usable: bool  # the backend can really keep a secret across restarts
    session_only: bool  # secrets are held in memory until the app quits
    message: str


class InMemorySecretStore:
    """A dict; for tests and for the session-only fallback."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        self._values[key] = value

    def delete(self, key: str) -> None:
        self._values.pop(key, None)

    def status(self) -> KeyringStatus:
        return KeyringStatus("memory", True, True, "Secrets are kept in memory (test store).")

    def use_session_memory(self) -> None:
        """Already in memory."""

    def stored_values(self) -> list[str]:
        return list(self._values.values())


def _class_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


class KeyringSecretStore:
    """The OS keyring (macOS Keychain, Windows Credential Locker, Secret Service, KWallet)."""

    def __init__(self, service: str = APP_ID, backend: Any | None = None) -> None:
        self._service = service
        self._backend = backend
        self._session: InMemorySecretStore | None = None

    def _keyring(self) -> Any:
        if self._backend is None:
            import keyring  # deferred: backend discovery probes D-Bus and takes a moment

            self._backend = keyring.get_keyring()
        return self._backend

    @property
    def backend_name(self) -> str:
        return _class_name(self._keyring())

    @property
    def usable(self) -> bool:
        return self.backend_name not in _UNUSABLE_BACKENDS

    def status(self) -> KeyringStatus:
        name = self.backend_name
        if self.usable:
            return KeyringStatus(name, True, False, "Secrets are saved in the system keyring.")
        if self._session is not None:
            return KeyringStatus(name, False, True, SESSION_ONLY_MESSAGE)
        return KeyringStatus(name, False, False, NO_KEYRING_MESSAGE)

    def use_session_memory(self) -> None:
        """The user agreed to keep secrets in memory until the app quits."""
        if self._session is None:
            self._session = InMemorySecretStore()
            log.info(
                "No usable keyring (%s): keeping secrets for this session only", self.backend_name
            )

    def get(self, key: str) -> str | None:
        if self._session is not None:
            return self._session.get(key)
        if not self.usable:
            return None
        try:
            value: str | None = self._keyring().get_password(self._service, key)
        except _errors() as exc:
            raise self._error("read", key, exc) from exc
        return value

    def set(self, key: str, value: str) -> None:
        if self._session is not None:
            self._session.set(key, value)
            return
        if not self.usable:
            raise SecretStoreError(
                f"{NO_KEYRING_MESSAGE} To use {key!r} now, choose "
                "'Keep secrets for this session' in Settings."
            )
        try:
            self._keyring().set_password(self._service, key, value)
        except _errors() as exc:
            raise self._error("save", key, exc) from exc
        self._index_update(add=key)

    def delete(self, key: str) -> None:
        if self._session is not None:
            self._session.delete(key)
            return
        if not self.usable or self.get(key) is None:
            return  # nothing stored: deleting is already done
        try:
            self._keyring().delete_password(self._service, key)
        except _errors() as exc:
            raise self._error("remove", key, exc) from exc
        self._index_update(remove=key)

    # A keyring cannot list what it holds, so the names of our keys are kept in one more
    # entry (names only, never values): that is how a backup knows what to blank.
    def _index(self) -> list[str]:
        try:
            raw = self._keyring().get_password(self._service, INDEX_KEY)
        except _errors():
            return []
        try:
            names = json.loads(raw) if raw else []
        except ValueError:
            return []
        return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []

    def _index_update(self, add: str | None = None, remove: str | None = None) -> None:
        names = [n for n in self._index() if n != remove]
        if add is not None and add not in names:
            names.append(add)
        try:
            self._keyring().set_password(self._service, INDEX_KEY, json.dumps(sorted(names)))
        except _errors() as exc:
            log.warning("Keyring could not update the list of secret names: %s", exc)

    def stored_values(self) -> list[str]:
        if self._session is not None:
            return self._session.stored_values()
        if not self.usable:
            return []
        values = (self.get(name) for name in self._index())
        return [v for v in values if v]

    def _error(self, verb: str, key: str, exc: Exception) -> SecretStoreError:
        # The exception text never contains the secret; the value is not logged.
        log.warning("Keyring could not %s %r: %s", verb, key, exc)
        return SecretStoreError(
            f"The system keyring ({self.backend_name}) could not {verb} {key!r}: {exc}. "
            "Unlock your keyring (or sign in again) and try once more."
        )
