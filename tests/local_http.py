"""The HTTP edge the test model servers share: a quiet JSON handler and a serving thread.

Only the edge lives here; each server (scripted, by-stage, replay) decides what to answer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class JsonHandler(BaseHTTPRequestHandler):
    """Base handler: read a request body, send a JSON body, log nothing."""

    def read_body(self) -> bytes:
        """The request body, as long as Content-Length says."""
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def send_json(self, status: int, body: bytes) -> None:
        """Send ``body`` (already JSON-encoded) with ``status``."""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


def local_server(handler: type[BaseHTTPRequestHandler], port: int = 0) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 (a free port unless ``port`` is given) that does not block exit."""
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    httpd.daemon_threads = True
    return httpd


@contextmanager
def serving(httpd: ThreadingHTTPServer) -> Iterator[None]:
    """Serve ``httpd`` on a background thread; shut it down and close it afterwards."""
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
