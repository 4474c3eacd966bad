"""Salesforce sign-in: OAuth 2.0 authorization code with PKCE through the system
browser and a one-shot loopback listener on 127.0.0.1, then refresh tokens.

The listener answers exactly one `/callback` request (the browser's redirect) and is
closed; it never serves anything else.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from iqcadence_desktop.services.integrations.http import HttpClient, IntegrationError, json_body
from iqcadence_desktop.services.scoring import Cancelled

LOGIN_URL = "https://login.salesforce.com"
WAIT_SECONDS = 300


@dataclass(frozen=True)
class Tokens:
    """What the token endpoint granted."""

    access_token: str
    instance_url: str
    refresh_token: str | None


def explain_token(response: requests.Response) -> IntegrationError:
    """RFC 6749 errors ({error, error_description}) as one sentence."""
    body = json_body(response)
    body = body if isinstance(body, dict) else {}
    code = str(body.get("error") or f"HTTP {response.status_code}")
    detail = str(body.get("error_description") or "").strip()
    if code == "invalid_grant":
        text = (
            "Salesforce no longer accepts the saved sign-in"
            + (f" ({detail})" if detail else "")
            + ": connect Salesforce again."
        )
    elif code == "invalid_client" or code == "invalid_client_id":
        text = (
            "Salesforce does not know this app (invalid client"
            + (f": {detail}" if detail else "")
            + "). Check the consumer key in the Salesforce settings."
        )
    else:
        text = f"Salesforce refused the sign-in ({code}{': ' + detail if detail else ''})."
    return IntegrationError(text, response.status_code, code)


def pkce_pair() -> tuple[str, str]:
    """(code verifier, S256 code challenge)."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(
    login_url: str, client_id: str, redirect_uri: str, challenge: str, state: str
) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": state,
            "scope": "api refresh_token",
        }
    )
    return f"{login_url.rstrip('/')}/services/oauth2/authorize?{query}"


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        parts = urlsplit(self.path)
        if parts.path != "/callback":
            self.send_error(404)
            return
        self.server.params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        ok = "code" in self.server.params
        text = (
            "Signed in. You can close this tab and return to iQcadence."
            if ok
            else "Salesforce did not sign you in. Return to iQcadence for details."
        )
        body = f"<!doctype html><title>iQcadence</title><p>{html.escape(text)}</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the query string holds the authorization code."""


class _Receiver(HTTPServer):
    params: dict[str, str] | None = None


class LoopbackReceiver:
    """Listens on 127.0.0.1:port (0 = any free port) for the one redirect."""

    def __init__(self, port: int = 0) -> None:
        try:
            self._server = _Receiver(("127.0.0.1", port), _Handler)
        except OSError as exc:
            raise IntegrationError(
                f"Port {port} on this computer is in use, so the Salesforce sign-in cannot "
                f"listen for the browser ({exc.strerror}). Close what uses it, or choose "
                "another callback port (and add it to the Salesforce app)."
            ) from None
        self._server.timeout = 0.2
        self.port = int(self._server.server_address[1])

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}/callback"

    def wait(self, cancelled: Callable[[], bool], timeout: float = WAIT_SECONDS) -> dict[str, str]:
        end = time.monotonic() + timeout
        while self._server.params is None:
            if cancelled():
                raise Cancelled("Salesforce sign-in cancelled; nothing was changed.")
            if time.monotonic() > end:
                raise IntegrationError(
                    "The browser did not come back from Salesforce within "
                    f"{timeout / 60:.0f} minutes; start the sign-in again."
                )
            self._server.handle_request()
        return self._server.params

    def __enter__(self) -> LoopbackReceiver:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.server_close()


def sign_in(
    login_url: str,
    client_id: str,
    open_browser: Callable[[str], object],
    cancelled: Callable[[], bool],
    port: int = 0,
    client_secret: str | None = None,
    timeout: float = WAIT_SECONDS,
) -> Tokens:
    """Run the whole browser sign-in and return the tokens."""
    if not client_id:
        raise IntegrationError(
            "Enter the consumer key of your Salesforce connected app before signing in."
        )
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    with LoopbackReceiver(port) as receiver:
        open_browser(authorize_url(login_url, client_id, receiver.redirect_uri, challenge, state))
        params = receiver.wait(cancelled, timeout)
        redirect = receiver.redirect_uri
    if params.get("state") != state:
        raise IntegrationError("The browser's answer did not match this sign-in; try again.")
    if "code" not in params:
        reason = params.get("error_description") or params.get("error") or "no code was given"
        raise IntegrationError(f"Salesforce did not sign you in: {reason}.")
    form = {
        "grant_type": "authorization_code",
        "code": params["code"],
        "client_id": client_id,
        "redirect_uri": redirect,
        "code_verifier": verifier,
        **({"client_secret": client_secret} if client_secret else {}),
    }
    return _grant(login_url, form)


def refresh(
    login_url: str, client_id: str, refresh_token: str, client_secret: str | None = None
) -> Tokens:
    """A new access token from the refresh token."""
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": client_id,
        **({"client_secret": client_secret} if client_secret else {}),
    }
    tokens = _grant(login_url, form)
    return Tokens(tokens.access_token, tokens.instance_url, tokens.refresh_token or refresh_token)


def _grant(login_url: str, form: dict[str, str]) -> Tokens:
    http = HttpClient("Salesforce", login_url, explain_token, retries=2)
    try:
        data = http.post("/services/oauth2/token", data=form) or {}
    finally:
        http.close()
    if not data.get("access_token") or not data.get("instance_url"):
        raise IntegrationError("Salesforce's sign-in answer had no access token; try again.")
    return Tokens(str(data["access_token"]), str(data["instance_url"]), data.get("refresh_token"))
