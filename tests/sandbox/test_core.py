"""hubprops.sandbox.core: auth, the request log, latency, direct helpers, thread safety."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.helpers.clock import FakeClock
from tests.sandbox.conftest import make_sandbox, prop_body

URL = "/crm/v3/properties/contacts"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"}, {"Authorization": "x"}],
)
def test_missing_or_malformed_bearer_is_401(sb: Sandbox, headers: dict[str, str]) -> None:
    with httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL) as client:
        response = client.get(URL, headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == "error" and body["category"] == "INVALID_AUTHENTICATION"
    assert body["correlationId"]


def test_configured_token_must_match_and_is_never_echoed(clock: FakeClock) -> None:
    sb = make_sandbox(clock, token="pat-na1-secret")
    with httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL) as client:
        wrong = client.get(URL, headers={"Authorization": "Bearer pat-na1-wrong"})
        right = client.get(URL, headers={"Authorization": "Bearer pat-na1-secret"})
        created = client.post(
            URL, json=prop_body("x"), headers={"Authorization": "Bearer pat-na1-secret"}
        )
    assert wrong.status_code == 401 and right.status_code == 200
    for response in (wrong, right, created):
        assert "pat-na1" not in response.text
        assert "pat-na1" not in str(response.headers)


def test_unauthorised_requests_change_nothing(sb: Sandbox) -> None:
    with httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL) as client:
        assert client.post(URL, json=prop_body("sneaky")).status_code == 401
    assert "sneaky" not in {p["name"] for p in sb.properties("contacts")}


def test_request_log_records_everything(
    client: httpx.Client, sb: Sandbox, clock: FakeClock
) -> None:
    client.get(URL, params={"archived": "true"})
    clock.t += 1
    client.post(URL, json=prop_body("logged"))
    client.get(URL, headers={"Authorization": ""})
    log = sb.requests
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", URL, 200),
        ("POST", URL, 201),
        ("GET", URL, 401),
    ]
    assert log[0].query == {"archived": "true"}
    assert log[1].time == log[0].time + 1
    sb.clear_requests()
    assert sb.requests == []


def test_latency_is_slept_per_request(clock: FakeClock) -> None:
    sb = make_sandbox(clock, latency_ms=250)
    with httpx.Client(
        transport=sb.transport(), base_url=SANDBOX_BASE_URL, headers={"Authorization": "Bearer t"}
    ) as client:
        client.get(URL)
        client.get(URL)
    assert clock.slept == [0.25, 0.25]


def test_latency_overlaps_across_threads() -> None:
    """Latency is slept outside the lock: 8 concurrent requests finish in about one delay."""
    active = 0
    peak = 0
    lock = threading.Lock()
    gate = threading.Barrier(4, timeout=5)

    def sleep(seconds: float) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        gate.wait()
        with lock:
            active -= 1

    sb = Sandbox(latency_ms=10, sleep=sleep)
    with (
        httpx.Client(
            transport=sb.transport(),
            base_url=SANDBOX_BASE_URL,
            headers={"Authorization": "Bearer t"},
        ) as client,
        ThreadPoolExecutor(4) as pool,
    ):
        statuses = list(pool.map(lambda _: client.get(URL).status_code, range(8)))
    assert statuses == [200] * 8
    assert peak == 4


def test_concurrent_creates_are_all_kept(sb: Sandbox) -> None:
    with (
        httpx.Client(
            transport=sb.transport(),
            base_url=SANDBOX_BASE_URL,
            headers={"Authorization": "Bearer t"},
        ) as client,
        ThreadPoolExecutor(8) as pool,
    ):
        bodies = [prop_body(f"c{i}") for i in range(60)] + [prop_body("c0")] * 5
        statuses = list(pool.map(lambda b: client.post(URL, json=b).status_code, bodies))
    assert statuses.count(201) == 60 and statuses.count(409) == 5
    names = {p["name"] for p in sb.properties("contacts")}
    assert {f"c{i}" for i in range(60)} <= names


def test_put_property_simulates_an_edit_in_the_ui(client: httpx.Client, sb: Sandbox) -> None:
    created = client.post(URL, json=prop_body("edited")).json()
    sb.put_property("contacts", {"name": "edited", "label": "Changed by hand"})
    read = client.get(f"{URL}/edited").json()
    assert read["label"] == "Changed by hand"
    assert read["type"] == "string"
    assert read["updatedAt"] > created["updatedAt"]


def test_put_property_adds_hubspot_defined_ones(client: httpx.Client, sb: Sandbox) -> None:
    sb.put_property(
        "0-136",
        {
            "name": "hs_custom_seeded",
            "label": "Seeded",
            "type": "string",
            "fieldType": "text",
            "groupName": "leadinformation",
            "hubspotDefined": True,
            "modificationMetadata": {
                "archivable": False,
                "readOnlyDefinition": True,
                "readOnlyValue": False,
            },
        },
    )
    read = client.get("/crm/v3/properties/leads/hs_custom_seeded").json()
    assert read["hubspotDefined"] is True
    assert read["description"] == ""
    assert (
        client.patch(
            "/crm/v3/properties/leads/hs_custom_seeded", json={"type": "number"}
        ).status_code
        == 400
    )


def test_delete_property_purges_active_and_archived(client: httpx.Client, sb: Sandbox) -> None:
    client.post(URL, json=prop_body("purged"))
    client.delete(f"{URL}/purged")
    client.post(URL, json=prop_body("purged"))
    sb.delete_property("contacts", "purged")
    assert "purged" not in {p["name"] for p in sb.properties("contacts")}
    assert sb.properties("contacts", archived=True) == []


def test_group_helpers(client: httpx.Client, sb: Sandbox) -> None:
    sb.put_group("contacts", {"name": "by_hand", "label": "By hand"})
    assert client.get(f"{URL}/groups/by_hand").json()["displayOrder"] == -1
    assert "by_hand" in {g["name"] for g in sb.groups("contacts")}
    sb.delete_group("contacts", "by_hand")
    assert client.get(f"{URL}/groups/by_hand").status_code == 404


def test_direct_reads_are_copies(sb: Sandbox) -> None:
    sb.properties("contacts")[0]["label"] = "mutated"
    assert "mutated" not in {p["label"] for p in sb.properties("contacts")}


def test_no_seed_data(clock: FakeClock) -> None:
    sb = make_sandbox(clock, seed_data=False)
    assert sb.properties("contacts") == [] and sb.groups("contacts") == []


def test_error_bodies_share_the_correlation_id_header(client: httpx.Client) -> None:
    response = client.get(f"{URL}/ghost")
    assert response.json()["correlationId"] == response.headers["X-HubSpot-Correlation-Id"]
