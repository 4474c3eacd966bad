"""SecretStore: the keyring store over real keyring backends (no OS keyring is touched)."""

from __future__ import annotations

import logging

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.secrets import (
    NO_KEYRING_MESSAGE,
    InMemorySecretStore,
    KeyringSecretStore,
    SecretStoreError,
)


class DictKeyring(KeyringBackend):
    """A working backend kept in a dict (keyring's documented test pattern)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.values[(service, username)]


class LockedKeyring(DictKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the collection is locked")


def test_working_keyring_round_trips_under_the_app_service() -> None:
    backend = DictKeyring()
    store = KeyringSecretStore(service="svc", backend=backend)
    store.set("hubspot.token", "s3cret")
    assert backend.values[("svc", "hubspot.token")] == "s3cret"
    # The names of our secrets (never their values) are listed so backups can blank them.
    assert backend.values[("svc", "iqcadence.secret-names")] == '["hubspot.token"]'
    assert store.stored_values() == ["s3cret"]
    assert store.get("hubspot.token") == "s3cret"
    store.delete("hubspot.token")
    assert store.get("hubspot.token") is None
    store.delete("hubspot.token")  # deleting what is not there is not an error
    status = store.status()
    assert status.usable and not status.session_only
    assert status.backend.endswith("test_secrets.DictKeyring")


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_no_keyring_says_so_and_refuses_to_save(backend: KeyringBackend) -> None:
    store = KeyringSecretStore(backend=backend)
    status = store.status()
    assert not status.usable and not status.session_only
    assert status.message == NO_KEYRING_MESSAGE
    assert status.backend.startswith("keyring.backends.")
    with pytest.raises(SecretStoreError, match="session"):
        store.set("smtp.password", "pw")
    assert store.get("smtp.password") is None
    store.delete("smtp.password")


def test_session_memory_fallback_keeps_secrets_until_quit() -> None:
    store = KeyringSecretStore(backend=fail.Keyring())
    store.use_session_memory()
    store.set("api.key", "k1")
    assert store.get("api.key") == "k1"
    status = store.status()
    assert status.session_only and not status.usable
    assert "this session only" in status.message
    store.delete("api.key")
    assert store.get("api.key") is None


def test_keyring_errors_become_plain_messages_without_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = KeyringSecretStore(backend=LockedKeyring())
    with caplog.at_level(logging.WARNING), pytest.raises(SecretStoreError) as info:
        store.set("stripe.key", "sk_live_123")
    assert "Unlock your keyring" in str(info.value)
    assert "stripe.key" in str(info.value)
    assert "sk_live_123" not in str(info.value) + caplog.text
    caplog.clear()  # the warning was expected; do not let it fail the run


def test_default_backend_comes_from_keyring_discovery() -> None:
    # conftest forces PYTHON_KEYRING_BACKEND=null, so discovery can never reach a real keychain.
    store = KeyringSecretStore()
    assert store.backend_name == "keyring.backends.null.Keyring"


def test_in_memory_store() -> None:
    store = InMemorySecretStore()
    store.set("a", "1")
    assert store.get("a") == "1"
    store.delete("a")
    store.delete("a")
    assert store.get("a") is None
    assert store.status().session_only


def test_tests_get_the_in_memory_store(services: Services) -> None:
    assert isinstance(services.secrets, InMemorySecretStore)
