"""Serving the API with waitress on 127.0.0.1 only: in the foreground for the CLI
(`serve`), or on a background thread for the desktop app's switch in Settings."""

from __future__ import annotations

import logging
import threading
from typing import Any

from iqcadence_desktop.errors import UserFacingError

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8787
THREADS = 6


class ApiServer:
    """One waitress server bound to 127.0.0.1:port."""

    def __init__(self, app: Any, port: int = DEFAULT_PORT, threads: int = THREADS) -> None:
        from waitress.server import create_server

        try:
            self._server = create_server(
                app,
                host=HOST,
                port=port,
                threads=threads,
                ident="iQcadence",
                # Our app answers 413 itself (as JSON) above 1 MiB; waitress stops anything
                # far larger before it is buffered.
                max_request_body_size=4 * 1024 * 1024,
                clear_untrusted_proxy_headers=True,
                expose_tracebacks=False,
                asyncore_loop_timeout=0.25,  # stop() is noticed within a quarter second
            )
        except OSError as exc:
            raise UserFacingError(
                f"Port {port} on 127.0.0.1 is in use ({exc.strerror}); choose another port "
                "for the API, or stop the program that uses it."
            ) from None
        self.port = int(self._server.effective_port)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/api-inbound"

    def serve_forever(self) -> None:
        """Block until stopped (Ctrl+C in the CLI)."""
        self._server.run()

    def start(self) -> None:
        """Serve on a daemon thread."""
        self._thread = threading.Thread(target=self._run, name="iqcadence-api", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._server.run()
        except (OSError, ValueError) as exc:  # the map was closed under the loop: stopped
            log.debug("API server loop ended: %s", exc)

    def stop(self) -> None:
        """Close every connection and the listening socket, then end the worker threads."""
        server = self._server
        while server._map:
            for channel in list(server._map.values()):
                channel.handle_close()
        server.task_dispatcher.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
