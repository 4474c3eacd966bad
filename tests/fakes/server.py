"""A tiny threaded HTTP server on 127.0.0.1 for the fakes, with fault injection.

Each fake routes (method, path, query, headers, body) to a JSON answer. Tests can make
the next N requests answer 429 with Retry-After, make requests fail from some page on,
and read back every request that arrived (with its arrival time).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Reply = tuple[int, dict[str, str], Any]


@dataclass
class Seen:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Faults:
    """What the fake does wrong, on purpose."""

    rate_limited: int = 0  # answer this many requests with 429
    retry_after: str | None = "0"
    rate_body: Any = None
    rate_headers: dict[str, str] = field(default_factory=dict)
    fail_from_page: int | None = None  # list requests from this page on fail with 500
    fail_status: int = 500


class FakeServer:
    """Start with `with FakeX() as fake:`; `fake.url` is its base URL."""

    def __init__(self) -> None:
        self.faults = Faults()
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer and no Nagle delay: otherwise every keep-alive
            # request waits ~40 ms for a delayed ACK.
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def _serve(self) -> None:
                fake._handle(self)

            do_GET = do_POST = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- subclasses implement -------------------------------------------------------------
    def route(self, seen: Seen) -> Reply:
        raise NotImplementedError

    def rate_body(self) -> Any:
        return {"error": "rate limited"}

    # -- plumbing -------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        seen = Seen(
            handler.command,
            parts.path,
            parse_qs(parts.query, keep_blank_values=True),
            {k.lower(): v for k, v in handler.headers.items()},
            handler.rfile.read(length) if length else b"",
            time.monotonic(),
        )
        with self._lock:
            self.requests.append(seen)
            limited = self.faults.rate_limited > 0
            if limited:
                self.faults.rate_limited -= 1
        if limited:
            headers = dict(self.faults.rate_headers)
            if self.faults.retry_after is not None:
                headers["Retry-After"] = self.faults.retry_after
            status, extra, body = 429, headers, self.faults.rate_body or self.rate_body()
        else:
            status, extra, body = self.route(seen)
        self._reply(handler, status, extra, body)

    def _reply(
        self, handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: Any
    ) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        handler.send_response(status)
        if "Content-Type" not in headers:
            handler.send_header("Content-Type", "application/json;charset=utf-8")
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(raw)))
        handler.end_headers()
        handler.wfile.write(raw)

    def page_fails(self, page: int) -> Reply | None:
        """The injected mid-listing failure, for a list request of page `page` (0-based)."""
        start = self.faults.fail_from_page
        if start is not None and page >= start:
            return self.faults.fail_status, {}, self.server_error_body()
        return None

    def server_error_body(self) -> Any:
        return {"error": "internal"}

    def count(self, path_part: str) -> int:
        return sum(1 for r in self.requests if path_part in r.path)


def param(seen: Seen, name: str, default: str | None = None) -> str | None:
    values = seen.query.get(name)
    return values[0] if values else default
