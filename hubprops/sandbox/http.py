"""The HTTP front: the sandbox served on loopback with the stdlib's ThreadingHTTPServer.

HTTP/1.1 with Content-Length and keep-alive; one thread per connection, so concurrent clients
are served concurrently (latency overlaps; the store itself is behind the sandbox lock). A lost
response closes the socket without writing anything, after the change was committed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

if TYPE_CHECKING:
    from hubprops.sandbox.core import Sandbox


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One buffered write per response and no Nagle: otherwise headers and body leave in two
    # segments and delayed ACKs add ~40 ms to every request.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    timeout = 120  # seconds an idle keep-alive connection may hold its thread
    server: SandboxHTTPServer

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        query = dict(reversed(parse_qsl(parts.query, keep_blank_values=True)))
        try:
            body = self._read_body()
        except ValueError:
            self.send_error(400, "Bad request body framing")
            return
        try:
            answer = self.server.sandbox.handle(
                self.command, unquote(parts.path), query, dict(self.headers.items()), body
            )
        except Exception as exc:  # a sandbox bug: answer 500 and keep serving
            self.send_error(500, f"hubprops sandbox internal error: {type(exc).__name__}")
            return
        if answer.lost:
            self.close_connection = True
            return
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if answer.body:
            self.wfile.write(answer.body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the sandbox keeps its own request log."""


class SandboxHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer bound to one sandbox."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, sandbox: Sandbox, host: str, port: int) -> None:
        self.sandbox = sandbox
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        """``http://host:port`` of the listening socket."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@dataclass(frozen=True)
class RunningServer:
    """A server running in a background thread (what ``serve`` yields)."""

    server: SandboxHTTPServer
    url: str
    host: str
    port: int


@contextmanager
def serve(sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0) -> Iterator[RunningServer]:
    """Serve ``sandbox`` over HTTP in a background thread; port 0 picks a free port."""
    server = SandboxHTTPServer(sandbox, host, port)
    thread = threading.Thread(
        target=server.serve_forever, args=(0.01,), name="hubprops-sandbox", daemon=True
    )
    thread.start()
    try:
        bound_host, bound_port = server.server_address[:2]
        yield RunningServer(server, server.url, str(bound_host), int(bound_port))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
