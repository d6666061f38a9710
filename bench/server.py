"""A small static server for the benchmark and the hosting tests.

It behaves like ``python -m http.server`` (same handler, same MIME map), plus:

* ``gzip``: when on, a request whose ``Accept-Encoding`` allows gzip is answered with
  the precompressed ``name.gz`` written by the build (``Content-Encoding: gzip``), the way
  nginx ``gzip_static on`` does;
* ``bytes_sent``: every byte written to the network (status line, headers, bodies), so
  a benchmark can measure what a visit really transferred;
* ``requests``: the paths asked for, in order.
"""

from __future__ import annotations

import email.utils
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO


class _CountingWriter:
    """Wraps the socket writer and adds what goes through to the server's counter."""

    def __init__(self, raw: BinaryIO, server: StaticServer) -> None:
        self._raw = raw
        self._server = server

    def write(self, data: bytes) -> int:
        n = self._raw.write(data)
        self._server.count(len(data))
        return n

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """``http.server``'s handler with optional gzip_static and byte counting."""

    server: StaticServer

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self.server)  # type: ignore[assignment]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self) -> Any:
        self.server.note(self.path)
        if self.server.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            path = self.translate_path(self.path)
            gz = path + ".gz"
            if os.path.isfile(path) and os.path.isfile(gz):
                return self._send_gzip(path, gz)
        return super().send_head()

    def _send_gzip(self, path: str, gz: str) -> Any:
        stat = os.stat(gz)
        since = self.headers.get("If-Modified-Since")
        if since and "If-None-Match" not in self.headers:
            try:
                when = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError, IndexError, OverflowError):
                when = None
            if when is not None and int(stat.st_mtime) <= when.timestamp():
                self.send_response(304)
                self.end_headers()
                return None
        f = open(gz, "rb")  # noqa: SIM115 - copyfile() reads it, send_head's contract
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return f


class StaticServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: Any) -> None:
        super().__init__(address, handler)
        self.gzip = False
        self.bytes_sent = 0
        self.requests: list[str] = []
        self._lock = threading.Lock()

    def count(self, n: int) -> None:
        with self._lock:
            self.bytes_sent += n

    def note(self, path: str) -> None:
        with self._lock:
            self.requests.append(path)

    def reset(self) -> None:
        with self._lock:
            self.bytes_sent = 0
            self.requests = []


@contextmanager
def serve(root: Path, port: int, handler: type[StaticHandler] = StaticHandler) -> Iterator[StaticServer]:
    """Serve ``root`` on 127.0.0.1:``port`` in a thread; yields the server (``.gzip``, ``.bytes_sent``)."""
    server = StaticServer(("127.0.0.1", port), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
