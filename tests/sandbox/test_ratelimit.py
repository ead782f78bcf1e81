"""Rate limits: headers on every response, 429 bodies, rolling window, daily cap (fake clock)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.helpers.clock import FakeClock
from tests.sandbox.conftest import make_sandbox, prop_body

URL = "/crm/v3/properties/contacts"


def client_for(sb: Sandbox) -> httpx.Client:
    return httpx.Client(
        transport=sb.transport(), base_url=SANDBOX_BASE_URL, headers={"Authorization": "Bearer t"}
    )


def test_headers_on_every_response(client: httpx.Client) -> None:
    for response in (client.get(URL), client.get(f"{URL}/ghost"), client.post(URL, json={})):
        assert response.headers["X-HubSpot-RateLimit-Max"] == "100"
        assert response.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
        assert "X-HubSpot-RateLimit-Remaining" in response.headers
        assert "X-HubSpot-RateLimit-Daily" not in response.headers
    assert client.get(URL).headers["X-HubSpot-RateLimit-Remaining"] == "96"


def assert_429(response: httpx.Response, policy: str, message: str) -> dict[str, Any]:
    assert response.status_code == 429
    body: dict[str, Any] = response.json()
    assert body["status"] == "error"
    assert body["errorType"] == "RATE_LIMIT"
    assert body["policyName"] == policy
    assert body["message"] == message
    uuid.UUID(body["correlationId"])
    uuid.UUID(body["requestId"])
    return body


def test_rolling_window_429_and_recovery(clock: FakeClock) -> None:
    sb = make_sandbox(clock, rate_limit=(3, 10.0))
    with client_for(sb) as client:
        remaining = []
        for _ in range(3):
            remaining.append(client.get(URL).headers["X-HubSpot-RateLimit-Remaining"])
            clock.t += 1
        assert remaining == ["2", "1", "0"]
        rejected = client.get(URL)
        assert_429(
            rejected, "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit."
        )
        assert rejected.headers["X-HubSpot-RateLimit-Remaining"] == "0"
        assert "Retry-After" not in rejected.headers
        clock.t += 7.01  # the first request leaves the 10 s window
        assert client.get(URL).status_code == 200
        assert client.get(URL).status_code == 429


def test_rejected_requests_change_nothing_and_do_not_count(clock: FakeClock) -> None:
    sb = make_sandbox(clock, rate_limit=(1, 10.0))
    with client_for(sb) as client:
        assert client.get(URL).status_code == 200
        for _ in range(5):
            assert client.post(URL, json=prop_body("blocked")).status_code == 429
        clock.t += 10
        assert client.get(URL).headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert "blocked" not in {p["name"] for p in sb.properties("contacts")}
    assert [r.status for r in sb.requests] == [200, 429, 429, 429, 429, 429, 200]


def test_daily_limit(clock: FakeClock) -> None:
    sb = make_sandbox(clock, daily_limit=2)
    with client_for(sb) as client:
        first = client.get(URL)
        assert first.headers["X-HubSpot-RateLimit-Daily"] == "2"
        assert first.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "1"
        client.get(URL)
        assert_429(client.get(URL), "DAILY", "You have reached your daily limit.")
        clock.t += 86400
        assert client.get(URL).status_code == 200


def test_retry_after_only_when_asked(clock: FakeClock) -> None:
    sb = make_sandbox(clock, rate_limit=(1, 10.0), retry_after=True)
    with client_for(sb) as client:
        client.get(URL)
        clock.t += 2.5
        rejected = client.get(URL)
    assert rejected.status_code == 429
    assert rejected.headers["Retry-After"] == "8"


def test_401_does_not_spend_the_window(clock: FakeClock) -> None:
    sb = make_sandbox(clock, rate_limit=(1, 10.0))
    with httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL) as client:
        assert client.get(URL).status_code == 401
        assert client.get(URL, headers={"Authorization": "Bearer t"}).status_code == 200
