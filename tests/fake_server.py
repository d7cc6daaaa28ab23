"""The part every provider's fake shares: a real HTTP server on 127.0.0.1, served from a daemon
thread, whose request handler reaches the fake as ``self.server.fake``."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer:
    """Base of a fake provider: ``_serve(handler)`` starts it; ``base_url``; ``close()``."""

    def _serve(self, handler: type[BaseHTTPRequestHandler], *, poll_interval: float = 0.5) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
