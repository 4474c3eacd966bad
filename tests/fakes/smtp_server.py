"""A real SMTP server on 127.0.0.1 (aiosmtpd) with STARTTLS or implicit TLS and a login.

It uses the self-signed certificate next to this file; clients trust it through
`client_ssl_context()`. Every accepted message is parsed and kept in `messages`.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HERE = Path(__file__).parent
CERT, KEY = HERE / "localhost-cert.pem", HERE / "localhost-key.pem"


def client_ssl_context() -> ssl.SSLContext:
    """A client context that trusts the test certificate (and nothing else)."""
    return ssl.create_default_context(cafile=str(CERT))


def _server_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(CERT), str(KEY))
    return ctx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Handler:
    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.owner.lock:
            self.owner.messages.append(parsed)
            self.owner.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class SmtpServer:
    """`with SmtpServer("starttls", user="bot", password="pw") as smtp:` …

    Modes: "starttls" (STARTTLS required), "ssl" (implicit TLS), "plain" (a local relay).
    """

    def __init__(
        self, mode: str = "starttls", user: str | None = None, password: str | None = None
    ):
        self.mode, self.user, self.password = mode, user, password
        self.port = _free_port()
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.lock = threading.Lock()
        kwargs: dict[str, Any] = {}
        if mode == "starttls":
            kwargs.update(tls_context=_server_context(), require_starttls=True)
        elif mode == "ssl":
            # Implicit TLS: aiosmtpd only knows STARTTLS as "TLS" when deciding whether to
            # offer AUTH, so say so; the whole connection is encrypted here.
            kwargs.update(ssl_context=_server_context(), auth_require_tls=False)
        if user is not None:
            kwargs.update(authenticator=self._authenticate, auth_required=True)
        self._controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, **kwargs
        )

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == self.user
            and data.password.decode() == self.password
        )
        return AuthResult(success=ok, handled=False)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()
