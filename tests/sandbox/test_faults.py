"""Fault injection: seeded 5xx with no state change, lost responses after commit."""

from __future__ import annotations

import contextlib

import httpx
import pytest

from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.helpers.clock import FakeClock
from tests.sandbox.conftest import make_sandbox, prop_body

URL = "/crm/v3/properties/contacts"


def client_for(sb: Sandbox) -> httpx.Client:
    return httpx.Client(
        transport=sb.transport(), base_url=SANDBOX_BASE_URL, headers={"Authorization": "Bearer t"}
    )


def statuses(sb: Sandbox, n: int) -> list[int]:
    with client_for(sb) as client:
        return [client.post(URL, json=prop_body(f"zf_{i}")).status_code for i in range(n)]


def test_fault_rate_gives_5xx_without_state_change(clock: FakeClock) -> None:
    sb = make_sandbox(clock, fault_rate=0.5, seed=7, rate_limit=(1000, 10.0))
    got = statuses(sb, 40)
    assert set(got) <= {201, 502, 503, 504}
    assert 5 < got.count(201) < 35
    assert {502, 503, 504} & set(got)
    created = {p["name"] for p in sb.properties("contacts")}
    assert created == {p for p in created if not p.startswith("zf_")} | {
        f"zf_{i}" for i, s in enumerate(got) if s == 201
    }


def test_faults_are_reproducible_with_the_same_seed(clock: FakeClock) -> None:
    one = statuses(make_sandbox(clock, fault_rate=0.3, seed=42), 30)
    two = statuses(make_sandbox(clock, fault_rate=0.3, seed=42), 30)
    three = statuses(make_sandbox(clock, fault_rate=0.3, seed=43), 30)
    assert one == two
    assert one != three


def test_gateway_faults_have_html_bodies(clock: FakeClock) -> None:
    sb = make_sandbox(clock, fault_rate=1.0, seed=1)
    with client_for(sb) as client:
        seen = {}
        for _ in range(30):
            response = client.get(URL)
            seen[response.status_code] = response.headers["content-type"]
    assert seen[503].startswith("application/json")
    assert seen[502] == seen[504] == "text/html"


def test_lost_response_commits_then_raises_remote_protocol_error(clock: FakeClock) -> None:
    sb = make_sandbox(clock, lost_response_rate=1.0)
    with client_for(sb) as client:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            client.post(URL, json=prop_body("ghost_write"))
        assert client.get(f"{URL}/ghost_write").status_code == 200  # reads are never lost
        with pytest.raises(httpx.RemoteProtocolError):
            client.patch(f"{URL}/ghost_write", json={"label": "Changed"})
        assert client.get(f"{URL}/ghost_write").json()["label"] == "Changed"
        with pytest.raises(httpx.RemoteProtocolError):
            client.delete(f"{URL}/ghost_write")
        with pytest.raises(httpx.RemoteProtocolError):
            client.post(f"{URL}/batch/create", json={"inputs": [prop_body("b1")]})
        with pytest.raises(httpx.RemoteProtocolError):
            client.post(f"{URL}/groups", json={"name": "g1", "label": "G"})
        body = {"archived": False, "dataSensitivity": "non_sensitive", "inputs": [{"name": "b1"}]}
        assert client.post(f"{URL}/batch/read", json=body).status_code == 200
        assert client.post(URL, json=prop_body("b1")).status_code == 409  # errors are not lost
    names = {p["name"] for p in sb.properties("contacts")}
    assert "b1" in names and "ghost_write" not in names
    assert [p["name"] for p in sb.properties("contacts", archived=True)] == ["ghost_write"]
    assert [r.lost for r in sb.requests] == [
        True,
        False,
        True,
        False,
        True,
        True,
        True,
        False,
        False,
    ]


def test_lost_response_rate_draws_are_seeded(clock: FakeClock) -> None:
    def lost(seed: int) -> list[bool]:
        sb = make_sandbox(clock, lost_response_rate=0.5, seed=seed)
        with client_for(sb) as client:
            for i in range(20):
                with contextlib.suppress(httpx.RemoteProtocolError):
                    client.post(URL, json=prop_body(f"zl_{i}"))
        assert len([p for p in sb.properties("contacts") if p["name"].startswith("zl_")]) == 20
        return [r.lost for r in sb.requests]

    assert lost(3) == lost(3)
    assert any(lost(3)) and not all(lost(3))


def test_rates_must_be_probabilities() -> None:
    with pytest.raises(ValueError, match="fault_rate"):
        Sandbox(fault_rate=1.5)
    with pytest.raises(ValueError, match="lost_response_rate"):
        Sandbox(lost_response_rate=-0.1)
