"""The HTTP front under hostile framing, many clients, IPv6 and public hosts (all on loopback)."""

from __future__ import annotations

import json
import selectors
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from hubprops.sandbox import Sandbox, SandboxHTTPServer, serve
from hubprops.sandbox.http import exposure_problem, is_loopback
from tests.sandbox.conftest import AUTH

URL = "/crm/v3/properties/contacts"


def _exchange(port: int, raw: bytes, *, shut: bool = False) -> bytes:
    """Send ``raw`` to 127.0.0.1:``port`` and read the answer until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(raw)
        if shut:
            conn.shutdown(socket.SHUT_WR)
        data = b""
        while b"\r\n\r\n" not in data or not _complete(data):
            piece = conn.recv(65536)
            if not piece:
                break
            data += piece
        return data


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def _hubspot_error(data: bytes, status: int) -> dict[str, object]:
    """The answer's HubSpot error body, after checking the status line and that it is JSON."""
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} ".encode()), data[:200]
    assert b"application/json" in head.lower()
    assert b"Traceback" not in data
    parsed = json.loads(body)
    assert parsed["status"] == "error" and isinstance(parsed["correlationId"], str)
    assert isinstance(parsed["message"], str) and parsed["category"]
    return dict(parsed)


@pytest.fixture
def port(sb: Sandbox) -> Iterator[int]:
    with serve(sb) as server:
        yield server.port


def _post(head: str) -> bytes:
    return (
        f"POST {URL} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n"
        f"Content-Type: application/json\r\n{head}\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("head", "rest", "shut"),
    [
        ("Transfer-Encoding: chunked\r\n", b"7fffffffffffffff\r\nabc\r\n", False),
        ("Transfer-Encoding: chunked\r\n", b"-1\r\nabc\r\n0\r\n\r\n", False),
        ("Transfer-Encoding: chunked\r\n", b"zz\r\n", False),
        ("Transfer-Encoding: chunked\r\n", b"10\r\nshort", True),
        ("Content-Length: 99999999999999999999\r\n", b"", False),
        ("Content-Length: abc\r\n", b"", False),
        ("Content-Length: -5\r\n", b"", False),
        ("Content-Length: 100\r\n", b'{"name":', True),
    ],
    ids=[
        "chunk-7fff",
        "chunk-negative",
        "chunk-not-hex",
        "chunk-short",
        "length-huge",
        "length-nan",
        "length-negative",
        "length-short",
    ],
)
def test_bad_body_framing_is_a_clean_400(port: int, head: str, rest: bytes, shut: bool) -> None:
    answer = _exchange(port, _post(head) + rest, shut=shut)
    body = _hubspot_error(answer, 400)
    assert body["category"] == "VALIDATION_ERROR" and "framing" in str(body["message"])


def test_the_server_keeps_serving_after_bad_framing(sb: Sandbox, port: int) -> None:
    _exchange(port, _post("Transfer-Encoding: chunked\r\n") + b"7fffffffffffffff\r\n")
    response = httpx.get(f"http://127.0.0.1:{port}{URL}/email", headers=AUTH, timeout=5)
    assert response.status_code == 200 and response.json()["name"] == "email"


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (f"OPTIONS {URL} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), 501),
        (b"GET http://[bad/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n", 400),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
    ids=["bad-request-line", "unsupported-method", "bad-target", "uri-too-long"],
)
def test_every_error_is_hubspot_json_never_html(port: int, raw: bytes, status: int) -> None:
    _hubspot_error(_exchange(port, raw), status)


def test_a_sandbox_bug_answers_json_without_a_traceback() -> None:
    class Broken(Sandbox):
        def handle(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            raise RuntimeError("secret detail")

    with serve(Broken()) as server:
        body = _hubspot_error(_exchange(server.port, f"GET {URL} HTTP/1.1\r\n\r\n".encode()), 500)
    assert "RuntimeError" in str(body["message"]) and "secret detail" not in str(body)


def test_200_connections_queued_while_the_server_is_busy_all_get_answers() -> None:
    """The stdlib's listen backlog of 5 refused all but ~6 of these (clients then time out)."""
    count = 200
    sb = Sandbox(rate_limit=(10_000, 10.0))
    server = SandboxHTTPServer(sb, "127.0.0.1", 0)
    port = server.server_address[1]
    clients = [socket.socket() for _ in range(count)]
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    try:
        # Not accepting yet (a busy server): every connection must wait in the kernel's queue.
        with selectors.DefaultSelector() as sel:
            for conn in clients:
                conn.setblocking(False)
                conn.connect_ex(("127.0.0.1", port))
                sel.register(conn, selectors.EVENT_WRITE)
            connected = 0
            deadline = time.monotonic() + 3
            while connected < count and time.monotonic() < deadline:
                for key, _ in sel.select(timeout=0.2):
                    sel.unregister(key.fileobj)
                    connected += key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0  # type: ignore[union-attr]
        assert connected == count
        thread.start()
        request = f"GET {URL}/email HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n"
        request += "Connection: close\r\n\r\n"
        for conn in clients:
            conn.setblocking(True)
            conn.settimeout(10)
            conn.sendall(request.encode())
        answers = [conn.recv(12) for conn in clients]
        assert answers == [b"HTTP/1.1 200"] * count
    finally:
        for conn in clients:
            conn.close()
        server.shutdown() if thread.is_alive() else None
        server.server_close()


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_ipv6_loopback_is_served(sb: Sandbox) -> None:
    with serve(sb, host="::1") as server:
        assert server.url == f"http://[::1]:{server.port}"
        response = httpx.get(server.url + URL + "/email", headers=AUTH, timeout=5)
    assert response.status_code == 200 and response.json()["name"] == "email"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("fe80::1", False),
        ("sandbox.example.com", False),  # a name is never resolved: treated as public
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_public_hosts_need_a_token() -> None:
    assert exposure_problem("127.0.0.1", None) is None
    assert exposure_problem("::1", None) is None
    assert exposure_problem("0.0.0.0", "t0ken") is None
    for host in ("0.0.0.0", "::", "10.0.0.7"):
        for token in (None, ""):
            problem = exposure_problem(host, token)
            assert problem is not None and "--token" in problem and host in problem
