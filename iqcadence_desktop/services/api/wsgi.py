"""The WSGI application of the local REST API: guards first, then one action.

Order of checks: path, Host (DNS-rebinding guard), Origin (no CORS for other sites),
method, body size, API key, JSON; then the action. Every call, refused or not, is
written to the audit log (action, key id, status) and so to the API Log.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from iqcadence_desktop.errors import (
    DatabaseError,
    DuplicateNameError,
    NotFoundError,
    UserFacingError,
    ValidationError,
)
from iqcadence_desktop.services.api.actions import ApiActions
from iqcadence_desktop.services.api.keys import ApiKeyService
from iqcadence_desktop.services.api.log_writer import CallLog

log = logging.getLogger(__name__)

PATHS = ("/api-inbound", "/functions/v1/api-inbound")
MAX_BODY = 1024 * 1024
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
StartResponse = Callable[..., Any]
Environ = dict[str, Any]
_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class ApiError(Exception):
    """A refusal with its HTTP status, a sentence and (for 400) the field at fault."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def host_of(value: str) -> str:
    """'localhost:8787' → 'localhost'; '[::1]:80' → '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class ApiApp:
    """Callable as a WSGI application."""

    def __init__(self, actions: ApiActions, keys: ApiKeyService, calls: CallLog) -> None:
        self._actions = actions
        self._keys = keys
        self.calls = calls

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        call = {"action": None, "key_id": None, "method": environ.get("REQUEST_METHOD", "GET")}
        headers: list[tuple[str, str]] = []
        try:
            status, body = self._handle(environ, call, headers)
        except ApiError as exc:
            status, body = exc.status, _error(exc.status, exc.message, exc.field)
        except Exception:  # a bug: logged with its traceback, the caller gets JSON
            log.exception("The local API failed on %s", environ.get("PATH_INFO"))
            status, body = 500, _error(500, "The app hit an unexpected error; it was logged.")
        self._record(call, status, started)
        raw = (
            b""
            if status == 204
            else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        )
        headers += [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(raw))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        start_response(f"{status} {_REASONS.get(status, 'Error')}", headers)
        return [raw]

    def _handle(
        self, environ: Environ, call: dict[str, Any], headers: list[tuple[str, str]]
    ) -> tuple[int, Any]:
        if environ.get("PATH_INFO", "") not in PATHS:
            raise ApiError(
                404, "Not found: the API answers at /api-inbound (or /functions/v1/api-inbound)."
            )
        if host_of(environ.get("HTTP_HOST", "")) not in LOCAL_HOSTS:
            raise ApiError(
                403,
                "Refused: the API answers only to requests addressed to localhost or 127.0.0.1.",
            )
        origin = environ.get("HTTP_ORIGIN")
        if origin and host_of(urlsplit(origin).netloc) not in LOCAL_HOSTS:
            raise ApiError(403, "Refused: web pages from other sites may not call this API.")
        if origin:
            headers += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        method = call["method"]
        if method == "OPTIONS" and origin:
            headers += [
                ("Access-Control-Allow-Methods", "GET, POST"),
                ("Access-Control-Allow-Headers", "x-api-key, content-type"),
            ]
            return 204, None
        if method not in ("GET", "POST"):
            raise ApiError(405, f"Method {method} is not allowed; use GET or POST.")
        body = self._body(environ) if method == "POST" else None
        call["key_id"] = self._keys.verify(environ.get("HTTP_X_API_KEY"))
        query = {
            k: v[-1]
            for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()
        }
        action, params = self._request(query, body)
        call["action"] = action
        if call["key_id"] is None:
            missing = not environ.get("HTTP_X_API_KEY")
            raise ApiError(
                401,
                "An API key is required in the x-api-key header; make one in Settings → API."
                if missing
                else "The API key in x-api-key is not valid (wrong or revoked).",
            )
        return self._run(action, params)

    def _body(self, environ: Environ) -> Any:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise ApiError(400, "The Content-Length header is not a number.", "body") from None
        if length > MAX_BODY:
            raise ApiError(
                413, "The request body is larger than 1 MiB; send fewer accounts per call."
            )
        raw = (
            environ["wsgi.input"].read(length)
            if length
            else environ["wsgi.input"].read(MAX_BODY + 1)
        )
        if len(raw) > MAX_BODY:
            raise ApiError(
                413, "The request body is larger than 1 MiB; send fewer accounts per call."
            )
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"The body is not valid JSON ({exc}).", "body") from None

    def _request(self, query: dict[str, str], body: Any) -> tuple[str | None, dict[str, Any]]:
        if body is None:
            params: dict[str, Any] = {k: v for k, v in query.items() if k != "action"}
            return query.get("action"), params
        if not isinstance(body, dict):
            raise ApiError(
                400, 'The body must be a JSON object: {"action": …, "data": {…}}.', "body"
            )
        data = body.get("data", {})
        if not isinstance(data, dict):
            raise ApiError(400, "data: must be a JSON object with the customer's fields.", "data")
        action = body.get("action", query.get("action"))
        return (None if action is None else str(action)), data

    def _run(self, action: str | None, params: dict[str, Any]) -> tuple[int, Any]:
        try:
            return self._actions.run(action, params)
        except ValidationError as exc:
            raise ApiError(400, str(exc), exc.field) from None
        except NotFoundError as exc:
            raise ApiError(404, str(exc)) from None
        except DuplicateNameError as exc:
            raise ApiError(409, str(exc), "name") from None
        except DatabaseError as exc:
            raise ApiError(503, str(exc)) from None
        except UserFacingError as exc:
            raise ApiError(400, str(exc)) from None

    def _record(self, call: dict[str, Any], status: int, started: float) -> None:
        ms = round((time.perf_counter() - started) * 1000, 1)
        details = {**call, "status": status, "ms": ms}
        summary = (
            f"{call['method']} {call['action'] or '—'} → {status} (key {call['key_id'] or 'none'})"
        )
        self.calls.record(summary, details)


def _error(status: int, message: str, field: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status, "message": message}
    if field:
        error["field"] = field
    return {"error": error}
