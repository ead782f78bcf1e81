"""The HTTP front: the sandbox served on loopback with the stdlib's ThreadingHTTPServer.

HTTP/1.1 with Content-Length and keep-alive; one thread per connection, so concurrent clients
are served concurrently (latency overlaps; the store itself is behind the sandbox lock). A lost
response closes the socket without writing anything, after the change was committed.
"""

from __future__ import annotations

import io
import ipaddress
import json
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

from hubprops.sandbox.errors import ApiError

if TYPE_CHECKING:
    from hubprops.sandbox.core import Sandbox

#: The largest request body the sandbox reads (HubSpot's own limit is far lower).
MAX_BODY_BYTES = 32 * 1024 * 1024
#: Connections the kernel queues before the server accepts them (the stdlib's default is 5,
#: which drops connections under a few hundred concurrent clients).
LISTEN_BACKLOG = 1024
_MAX_LINE = 8192
_MAX_TRAILERS = 100


def _dump(body: object) -> bytes:
    return json.dumps(body).encode("utf-8")


def _chunk_size(line: bytes) -> int:
    """A chunk-size line's size; ValueError when it is not a small hex number."""
    if not line.endswith(b"\n"):
        raise ValueError("truncated chunk-size line")
    digits = line.split(b";")[0].strip()
    if not digits or len(digits) > 8 or any(c not in b"0123456789abcdefABCDEF" for c in digits):
        raise ValueError(f"bad chunk size {digits[:20]!r}")
    return int(digits, 16)


def _read_exactly(stream: io.BufferedIOBase, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise ValueError(f"body ended after {len(data)} of {size} bytes")
    return data


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One buffered write per response and no Nagle: otherwise headers and body leave in two
    # segments and delayed ACKs add ~40 ms to every request.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    timeout = 120  # seconds an idle keep-alive connection may hold its thread
    server: SandboxHTTPServer

    def _read_body(self) -> bytes:
        """The request body; ValueError for framing that cannot be trusted (the connection is
        then closed, as the next request's start is unknown)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                line = self.rfile.readline(_MAX_LINE + 1)
                size = _chunk_size(line)
                if size == 0:
                    for _ in range(_MAX_TRAILERS):
                        if not self.rfile.readline(_MAX_LINE + 1).strip():
                            return b"".join(chunks)
                    raise ValueError("too many trailer lines")
                total += size
                if total > MAX_BODY_BYTES:
                    raise ValueError(f"body larger than {MAX_BODY_BYTES} bytes")
                chunks.append(_read_exactly(self.rfile, size))
                if self.rfile.readline(_MAX_LINE + 1).strip():
                    raise ValueError("chunk data longer than its size")
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        if not raw.strip().isdigit():
            raise ValueError(f"Content-Length {raw!r} is not a number")
        length = int(raw)
        if length > MAX_BODY_BYTES:
            raise ValueError(f"body larger than {MAX_BODY_BYTES} bytes")
        return _read_exactly(self.rfile, length) if length else b""

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every error, the stdlib's own included (bad request line, 501...), in HubSpot's
        error shape: JSON, never an HTML page or a traceback."""
        reason = message or self.responses.get(code, ("error",))[0]
        category = "VALIDATION_ERROR" if 400 <= code < 500 else "INTERNAL_ERROR"
        self.close_connection = True  # as the stdlib does: the stream may be out of step
        if self.request_version == "HTTP/0.9":  # an unparseable request line: answer HTTP/1.1
            self.request_version = "HTTP/1.1"
        body = _dump(ApiError(code, reason, category=category).body())
        self._answer(code, {"Content-Type": "application/json;charset=utf-8"}, body)

    def _serve(self) -> None:
        try:
            parts = urlsplit(self.path)
            query = dict(reversed(parse_qsl(parts.query, keep_blank_values=True)))
            path = unquote(parts.path)
        except ValueError:
            self.send_error(400, "Bad request target")
            return
        try:
            body = self._read_body()
        except ValueError as exc:
            self.close_connection = True
            self.send_error(400, f"Bad request body framing: {exc}")
            return
        try:
            answer = self.server.sandbox.handle(
                self.command, path, query, dict(self.headers.items()), body
            )
        except Exception as exc:  # a sandbox bug: answer 500 and keep serving
            self.send_error(500, f"hubprops sandbox internal error: {type(exc).__name__}")
            return
        if answer.lost:
            self.close_connection = True
            return
        self._answer(answer.status, answer.headers, answer.body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the sandbox keeps its own request log."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is reachable only from this machine.
    Any other name counts as public: it is not resolved here."""
    name = host.strip().strip("[]")
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def exposure_problem(host: str, token: str | None) -> str | None:
    """Why the sandbox must not listen on ``host`` with ``token``, or None.

    Off loopback (``0.0.0.0``, ``::``, a LAN address) anyone who reaches the machine could use
    it, so it then needs a token of its own that every request must present."""
    if is_loopback(host) or token:
        return None
    return (
        f"--host {host} is not a loopback address: anyone who can reach this machine could "
        "use the sandbox; give --token T (requests must then send 'Authorization: Bearer T'), "
        "or listen on 127.0.0.1 or ::1"
    )


class SandboxHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer bound to one sandbox (IPv6 when the host holds a ``:``)."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, sandbox: Sandbox, host: str, port: int) -> None:
        self.sandbox = sandbox
        host = host.strip().strip("[]")
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)

    def server_bind(self) -> None:
        """Bind without the stdlib's reverse DNS lookup of the host (``getfqdn``)."""
        if self.address_family == socket.AF_INET6:
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    @property
    def url(self) -> str:
        """``http://host:port`` of the listening socket (``[host]`` for IPv6)."""
        host, port = self.server_address[:2]
        shown = f"[{host!s}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}"


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
