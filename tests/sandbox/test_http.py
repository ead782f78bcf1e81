"""The loopback HTTP front (hubprops.sandbox.http): keep-alive, concurrency, lost responses."""

from __future__ import annotations

import http.client
import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from hubprops.sandbox import Sandbox, SandboxResponse, serve
from tests.helpers.clock import FakeClock
from tests.sandbox.conftest import AUTH, make_sandbox, prop_body

URL = "/crm/v3/properties/contacts"


def test_serve_binds_a_free_loopback_port(sb: Sandbox) -> None:
    with serve(sb) as server:
        assert server.url == f"http://127.0.0.1:{server.port}"
        assert server.port > 0
        response = httpx.get(server.url + URL, headers=AUTH)
    assert response.status_code == 200
    assert "email" in {p["name"] for p in response.json()["results"]}


def test_keep_alive_serves_several_requests_on_one_connection(sb: Sandbox) -> None:
    with serve(sb) as server:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
        try:
            for i in range(3):
                body = json.dumps(prop_body(f"ka_{i}"))
                headers = {**AUTH, "Content-Type": "application/json"}
                conn.request("POST", URL, body=body, headers=headers)
                response = conn.getresponse()
                assert response.status == 201
                assert json.loads(response.read())["name"] == f"ka_{i}"
                assert response.getheader("Connection") != "close"
            conn.request("DELETE", f"{URL}/ka_0", headers=AUTH)
            response = conn.getresponse()
            assert response.status == 204 and response.read() == b""
            conn.request("GET", f"{URL}/ka_1", headers=AUTH)
            assert conn.getresponse().status == 200
        finally:
            conn.close()


def test_chunked_request_bodies_are_read(sb: Sandbox) -> None:
    with serve(sb) as server:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
        try:
            chunks = iter(
                [
                    b'{"name": "chunky", "label": "C", ',
                    b'"type": "string", "fieldType": "text", "groupName": "contactinformation"}',
                ]
            )
            conn.request("POST", URL, body=chunks, headers=AUTH, encode_chunked=True)
            assert conn.getresponse().status == 201
        finally:
            conn.close()


def test_percent_encoded_paths_and_query(sb: Sandbox) -> None:
    with serve(sb) as server:
        response = httpx.get(
            server.url + "/crm/v3/properties/contacts/%65mail?archived=false", headers=AUTH
        )
    assert response.status_code == 200 and response.json()["name"] == "email"


def test_concurrent_clients_over_http(sb: Sandbox) -> None:
    def worker(n: int) -> list[int]:
        with httpx.Client(base_url=server.url, headers=AUTH, verify=False) as client:
            codes = [client.post(URL, json=prop_body(f"w{n}_{i}")).status_code for i in range(5)]
            codes.append(client.get(URL).status_code)
            return codes

    with serve(sb) as server, ThreadPoolExecutor(6) as pool:
        results = list(pool.map(worker, range(6)))
    assert all(codes == [201] * 5 + [200] for codes in results)
    names = {p["name"] for p in sb.properties("contacts")}
    assert {f"w{n}_{i}" for n in range(6) for i in range(5)} <= names


def test_lost_response_over_http_closes_the_socket_after_commit(clock: FakeClock) -> None:
    sb = make_sandbox(clock, lost_response_rate=1.0)
    with serve(sb) as server, httpx.Client(base_url=server.url, headers=AUTH) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post(URL, json=prop_body("dropped"))
        assert client.get(f"{URL}/dropped").status_code == 200


def test_rate_limit_headers_over_http(clock: FakeClock) -> None:
    sb = make_sandbox(clock, rate_limit=(1, 10.0), daily_limit=50)
    with serve(sb) as server, httpx.Client(base_url=server.url, headers=AUTH) as client:
        ok = client.get(URL)
        limited = client.get(URL)
    assert ok.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert ok.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "49"
    assert limited.status_code == 429
    assert limited.json()["policyName"] == "TEN_SECONDLY_ROLLING"


class _Broken(Sandbox):
    def handle(self, *args: object, **kwargs: object) -> SandboxResponse:
        raise RuntimeError("boom")


def test_a_sandbox_bug_is_a_500_and_the_server_keeps_serving() -> None:
    with serve(_Broken()) as server, httpx.Client(base_url=server.url, headers=AUTH) as client:
        first = client.get(URL)
        second = client.get(URL)
    assert first.status_code == second.status_code == 500
    assert "RuntimeError" in first.text


def test_handle_is_the_front_independent_entry_point(sb: Sandbox) -> None:
    answer = sb.handle("get", "/crm/v3/properties/contacts/email", {}, AUTH, b"")
    assert answer.status == 200 and not answer.lost
    assert answer.headers["Content-Type"].startswith("application/json")
    assert json.loads(answer.body)["name"] == "email"
    deleted = sb.handle("DELETE", "/crm/v3/properties/contacts/email", {}, AUTH, b"")
    assert deleted.status == 400
