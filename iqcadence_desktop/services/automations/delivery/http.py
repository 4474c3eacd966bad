"""HTTP for the webhook channels: one `requests` session per sender lane.

`requests` does the HTTP; its `HTTPAdapter` with a `urllib3.Retry` reconnects once when
a pooled keep-alive connection turns out to be dead (nothing was sent yet, so this is
safe for a POST). Everything else, 429 and 5xx included, goes back to the outbox, which
owns backoff and never blocks a lane for minutes. `Retry.parse_retry_after` reads the
Retry-After header in both of its forms (seconds or an HTTP date).

Error texts name the host only: a Slack or Teams webhook address carries its token in
the path, and error texts end up in the event log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from iqcadence_desktop import __version__
from iqcadence_desktop.services.automations.delivery.base import SendResult, dead, retry

if TYPE_CHECKING:
    import requests

USER_AGENT = f"iQcadence/{__version__} (+automations)"
#: Seconds to connect, seconds to wait for the answer.
DEFAULT_TIMEOUT = (5.0, 20.0)
#: 4xx answers that are worth retrying; any other 4xx means the request itself is wrong.
TRANSIENT_4XX = (408, 425, 429)
MAX_RETRY_AFTER = 24 * 3600.0


def make_session() -> requests.Session:
    """A session whose adapter reconnects once on a dead pooled connection."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    adapter = HTTPAdapter(
        # Only a failed connect is retried here. Retry-After is left to the outbox:
        # urllib3 would otherwise wait it out (or give up) inside this one request.
        max_retries=Retry(
            total=1,
            connect=1,
            read=False,  # a timed-out read surfaces as ReadTimeout, and is never re-sent here
            status=0,
            other=0,
            redirect=0,
            allowed_methods=None,
            respect_retry_after_header=False,
        ),
        pool_connections=2,
        pool_maxsize=2,
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.hostname or "the server"


def post(
    session: requests.Session,
    url: str,
    data: bytes,
    headers: dict[str, str],
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> SendResult:
    """POST once and say what came of it."""
    import requests

    host = host_of(url)
    try:
        response = session.post(
            url, data=data, headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.exceptions.ConnectTimeout:
        return retry(f"Could not reach {host} within {timeout[0]:g} s (offline?).")
    except requests.exceptions.ReadTimeout:
        return retry(f"{host} did not answer within {timeout[1]:g} s.")
    except requests.exceptions.SSLError:
        return retry(f"The secure connection to {host} failed (certificate not trusted).")
    except requests.exceptions.ConnectionError:
        return retry(f"Could not connect to {host} (offline, or the address is wrong).")
    except requests.exceptions.RequestException as exc:
        return retry(f"Sending to {host} failed: {type(exc).__name__}.")
    with response:
        return classify(response, host)


def classify(response: requests.Response, host: str) -> SendResult:
    """2xx sent; 408/425/429/5xx retry (honouring Retry-After); other 3xx/4xx dead."""
    code = response.status_code
    if 200 <= code < 300:
        return SendResult("sent", code)
    detail = _detail(response)
    if 300 <= code < 400:
        return dead(f"{host} answered {code} (moved): update the connection's address.", code)
    if code in TRANSIENT_4XX or code >= 500:
        after = retry_after(response.headers.get("Retry-After"))
        return retry(f"{host} answered {code} {response.reason}{detail}", code, after)
    return dead(f"{host} refused the message: {code} {response.reason}{detail}", code)


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta seconds or HTTP date), or None."""
    if not value:
        return None
    from urllib3.exceptions import InvalidHeader
    from urllib3.util.retry import Retry

    try:
        seconds = Retry(total=0).parse_retry_after(value)
    except InvalidHeader:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _detail(response: requests.Response) -> str:
    text = " ".join(response.text[:200].split())
    return f" ({text})" if text else ""
