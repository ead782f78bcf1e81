"""hubprops/hubspot/records.py: object-API paths per version, the 5-per-second search window
(on a fake clock), retries of the search "secondly limit" 429, batch updates."""

from __future__ import annotations

import json

import httpx
import pytest

from hubprops.errors import RemoteError
from hubprops.hubspot.records import Records, any_of, has_property, objects_path
from tests.hubspot.conftest import ClientFactory, FakeClock

SECONDLY = {
    "status": "error",
    "message": "You have reached your secondly limit.",
    "errorType": "RATE_LIMIT",
    "policyName": "SECONDLY",
}


def test_paths_per_api_version() -> None:
    assert objects_path("contacts", "search") == "/crm/v3/objects/contacts/search"
    assert objects_path("contacts", "batch/update", api_version="2026-03") == (
        "/crm/objects/2026-03/contacts/batch/update"
    )


def test_filters() -> None:
    assert has_property("a") == {"propertyName": "a", "operator": "HAS_PROPERTY"}
    assert any_of("a", ["x"])["operator"] == "EQ"
    assert any_of("a", ["x", "y"]) == {"propertyName": "a", "operator": "IN", "values": ["x", "y"]}


def test_searches_go_at_most_5_per_second(mock_client: ClientFactory, clock: FakeClock) -> None:
    sent: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(clock())
        return httpx.Response(200, json={"total": 3, "results": []})

    records = Records(mock_client(handler))
    assert [records.count("contacts", [has_property("a")]) for _ in range(16)] == [3] * 16
    for i in range(len(sent) - 5):
        assert sent[i + 5] - sent[i] >= 1.0


def test_secondly_429_is_retried_then_counted(mock_client: ClientFactory) -> None:
    answers = [httpx.Response(429, json=SECONDLY)] * 2 + [
        httpx.Response(200, json={"total": 1234, "results": [{"id": "1"}]})
    ]
    bodies: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return answers[len(bodies) - 1]

    client = mock_client(handler)
    assert Records(client).count("contacts", [any_of("trip", ["beach"])]) == 1234
    assert client.stats.throttled == 2
    assert bodies[-1]["limit"] == 1


def test_batch_update_reports_item_errors_and_caps_inputs(mock_client: ClientFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"results": [], "errors": [{"message": "bad id"}]})

    records = Records(mock_client(handler))
    with pytest.raises(RemoteError, match="bad id"):
        records.batch_update("contacts", [{"id": "1", "properties": {"a": "x"}}])
    with pytest.raises(ValueError):
        records.batch_update("contacts", [{"id": str(i), "properties": {}} for i in range(101)])
