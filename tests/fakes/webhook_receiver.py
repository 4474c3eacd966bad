"""A webhook receiver on 127.0.0.1 that checks signatures and answers as a test tells it.

It speaks HTTP/1.1 with keep-alive like a real endpoint, records every request (headers,
raw body, whether the iQcadence signature checks out with the shared secret), and
answers from a queue of scripted replies: a status with headers (429 + Retry-After,
500, 410 ...), or a hold that keeps the request open until the test releases it (a
hanging endpoint, or a sender killed between sending and confirming).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer; `hold` keeps the request open until it is set."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    hold: threading.Event | None = None


@dataclass
class Received:
    """One request as the receiver saw it."""

    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool | None
    at: float

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def event_id(self) -> str:
        return self.headers.get("x-iqcadence-event-id", "")


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


class WebhookReceiver:
    """Start with `with WebhookReceiver(secret) as hook:`; post to `hook.url`."""

    def __init__(self, secret: str | None = None, port: int = 0) -> None:
        self.secret = secret
        self.received: list[Received] = []
        self._replies: deque[Reply] = deque()
        self._cond = threading.Condition()
        self._holds: list[threading.Event] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and free the port (also when it never started: 'offline')."""
        for hold in self._holds:
            hold.set()
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    # -- scripting -------------------------------------------------------------------
    def reply(self, *replies: Reply) -> None:
        """Answer the next requests with these, in order (then 200 again)."""
        with self._cond:
            self._replies.extend(replies)

    def hold_next(self, status: int = 200) -> threading.Event:
        """Keep the next request open until the returned event is set."""
        hold = threading.Event()
        self._holds.append(hold)
        self.reply(Reply(status=status, hold=hold))
        return hold

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """Block until at least `count` requests arrived; fail the test if they do not."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} webhook requests, got {len(self.received)}"
                    )
                self._cond.wait(left)
            return list(self.received)

    def event_ids(self) -> list[str]:
        with self._cond:
            return [r.event_id for r in self.received]

    # -- serving ---------------------------------------------------------------------
    def _record(self, handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        ok = None
        if self.secret is not None:
            stamp = headers.get("x-iqcadence-timestamp", "")
            given = headers.get("x-iqcadence-signature", "")
            ok = hmac.compare_digest(given, expected_signature(self.secret, stamp, body))
        with self._cond:
            self.received.append(Received(handler.path, headers, body, ok, time.time()))
            reply = self._replies.popleft() if self._replies else Reply()
            self._cond.notify_all()
        return reply

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Like a real server: the answer leaves in one packet, without Nagle's delay
            # (unbuffered writes would cost ~40 ms a request against delayed ACKs).
            wbufsize = 64 * 1024
            disable_nagle_algorithm = True

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                reply = receiver._record(self, body)
                if reply.hold is not None:
                    reply.hold.wait(60)
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the sender went away (timed out, or was killed): nothing to tell

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Quiet: tests read `received`, not a log."""

        return Handler


def main() -> None:
    """`python -m tests.fakes.webhook_receiver SECRET`: serve in its own process (the
    benchmarks use this, so the receiver does not share a GIL with the sender); prints
    the URL, stops when stdin closes."""
    import sys

    with WebhookReceiver(sys.argv[1] if len(sys.argv) > 1 else None) as receiver:
        print(receiver.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
