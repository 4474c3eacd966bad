"""The keyring status widget states the backend and offers the session-only fallback."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.backends import fail
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.system.secrets import NO_KEYRING_MESSAGE, KeyringSecretStore
from iqcadence_desktop.views.pages.settings.keyring_status import KeyringStatusWidget


class WorkingKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        pass


def test_without_keyring_the_widget_says_so_and_offers_session_memory(qtbot: QtBot) -> None:
    store = KeyringSecretStore(backend=fail.Keyring())
    widget = KeyringStatusWidget(store)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.message.text() == NO_KEYRING_MESSAGE
    assert "keyring.backends.fail.Keyring" in widget.backend.text()
    assert widget.session_button.isVisible()
    with qtbot.waitSignal(widget.session_memory_enabled):
        widget.session_button.click()
    assert "this session only" in widget.message.text()
    assert not widget.session_button.isVisible()
    store.set("hubspot.token", "t")  # now accepted, in memory
    assert store.get("hubspot.token") == "t"


def test_with_a_keyring_the_widget_names_it_and_offers_nothing_else(qtbot: QtBot) -> None:
    widget = KeyringStatusWidget(KeyringSecretStore(backend=WorkingKeyring()))
    qtbot.addWidget(widget)
    widget.show()
    assert "saved in the system keyring" in widget.message.text()
    assert "WorkingKeyring" in widget.backend.text()
    assert not widget.session_button.isVisible()


def test_without_a_keyring_the_note_is_plain_not_an_error(qtbot: QtBot) -> None:
    from iqcadence_desktop.views.theme import Color

    widget = KeyringStatusWidget(KeyringSecretStore(backend=fail.Keyring()))
    qtbot.addWidget(widget)
    assert Color.DANGER not in widget.message.styleSheet()
    assert "Everything else works" in widget.message.text()
