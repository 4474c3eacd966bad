"""HTTP plumbing shared by the connectors: one `requests` session per connector with
timeouts and urllib3 retries (429 and 5xx, honouring Retry-After), and every failure
turned into one sentence a user can act on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from iqcadence_desktop.errors import UserFacingError

log = logging.getLogger(__name__)

#: (connect, read) seconds: a CRM that does not answer in time is reported, not waited on.
TIMEOUT = (5.0, 30.0)
RETRY_STATUSES = (429, 500, 502, 503, 504)
#: A Retry-After longer than this (a daily limit) is reported instead of slept through.
MAX_RETRY_AFTER = 60.0


class IntegrationError(UserFacingError):
    """A connected system refused or failed a request; the message says what to do."""

    def __init__(self, message: str, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class TokenExpired(IntegrationError):
    """The access token is no longer accepted (a refresh may help)."""


class _WaitTooLong(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class PoliteRetry(Retry):
    """urllib3's Retry, but a Retry-After beyond MAX_RETRY_AFTER ends the attempt."""

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        seconds = super().get_retry_after(response)
        if seconds is not None and seconds > MAX_RETRY_AFTER:
            raise _WaitTooLong(seconds)
        return seconds


def make_session(retries: int = 4, backoff: float = 0.5) -> requests.Session:
    """A session that retries 429/5xx and dropped connections with backoff."""
    retry = PoliteRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,  # the POSTs we send (reads, token grants) are safe to repeat
        backoff_factor=backoff,
        backoff_max=20,
        respect_retry_after_header=True,
        raise_on_status=False,  # hand back the last answer so its error body can be read
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=4)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


Explain = Callable[[requests.Response], IntegrationError]


class HttpClient:
    """Sends requests to one system and returns parsed JSON, or raises IntegrationError."""

    def __init__(
        self,
        label: str,
        base_url: str,
        explain: Explain,
        headers: Mapping[str, str] | None = None,
        session: requests.Session | None = None,
        retries: int = 4,
        backoff: float = 0.5,
    ) -> None:
        self.label = label
        self.base_url = base_url.rstrip("/") + "/"
        self.explain = explain
        self.headers = dict(headers or {})
        self.session = session or make_session(retries, backoff)

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path.lstrip("/")) if "://" not in path else path

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        url = self.url(path)
        headers = {**self.headers, **kwargs.pop("headers", {})}
        try:
            response = self.session.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
        except _WaitTooLong as exc:
            raise IntegrationError(
                f"{self.label} asks us to wait {_duration(exc.seconds)} before the next "
                "request (its rate limit is used up). Try the sync again later.",
                429,
            ) from None
        except requests.exceptions.RetryError as exc:
            raise self._gave_up(exc) from None
        except requests.exceptions.Timeout:
            raise IntegrationError(
                f"{self.label} did not answer within {TIMEOUT[1]:.0f} seconds. "
                "Try again in a few minutes."
            ) from None
        except requests.exceptions.ConnectionError as exc:
            raise IntegrationError(
                f"Cannot reach {self.label} at {urlsplit(url).netloc}: check the network "
                f"connection and try again ({_reason(exc)})."
            ) from None
        if response.status_code >= 400:
            raise self.explain(response)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise IntegrationError(
                f"{self.label} sent an answer that is not JSON (HTTP "
                f"{response.status_code}); check the address in the integration's settings."
            ) from None

    def get(self, path: str, params: Any = None, **kwargs: Any) -> Any:
        return self.request("GET", path, params=params, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def _gave_up(self, exc: Exception) -> IntegrationError:
        text = str(exc)
        if "429" in text or "too many" in text.lower():
            return IntegrationError(
                f"{self.label} kept answering 'too many requests' after several retries. "
                "Wait a few minutes and sync again.",
                429,
            )
        return IntegrationError(
            f"{self.label} kept failing with a server error after several retries; "
            "nothing was changed. Try again later.",
            503,
        )

    def close(self) -> None:
        self.session.close()


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker.lower() in text.lower():
            return marker.lower()
    return "the connection failed"


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds"


def json_body(response: requests.Response) -> Any:
    """The response's JSON, or None when it has none."""
    try:
        return response.json()
    except ValueError:
        return None
