"""Lost writes: a scripted HubSpot that commits a write and then drops the answer.

``LossyHubSpot`` is a minimal stand-in at the HTTP boundary (an ``httpx.MockTransport``
handler) that keeps properties in a dict and loses the answers it is told to; the full
emulator is exercised in ``test_client.py``. These tests pin the exact reconciliation rules.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from hubprops.errors import Conflict, NotFound
from hubprops.hubspot.reconcile import differences
from tests.hubspot.conftest import ClientFactory

PROPS = "/crm/v3/properties/contacts"
BODY = {
    "name": "service",
    "label": "Service",
    "type": "enumeration",
    "fieldType": "select",
    "groupName": "contactinformation",
    "options": [{"label": "Pump", "value": "pump"}, {"label": "Tank", "value": "tank"}],
}


class LossyHubSpot:
    """Commits every write; drops the answer of the first ``lose`` writes."""

    def __init__(
        self, lose: int = 1, fail_with: type[httpx.TransportError] = httpx.RemoteProtocolError
    ):
        self.props: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.lose = lose
        self.fail_with = fail_with
        self.log: list[tuple[str, str, int]] = []

    def stored(self, body: dict[str, Any]) -> dict[str, Any]:
        options = [
            {**o, "displayOrder": i, "hidden": False} for i, o in enumerate(body.get("options", []))
        ]
        return {**body, "options": options, "hidden": False, "displayOrder": 3, "description": ""}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        response = self.handle(request)
        self.log.append((request.method, request.url.path, response.status_code))
        if request.method != "GET" and response.status_code < 300 and self.lose > 0:
            self.lose -= 1
            raise self.fail_with("server closed the connection", request=request)
        return response

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content) if request.content else {}
        if request.method == "POST" and path == PROPS:
            if body["name"] in self.props:
                return httpx.Response(409, json={"message": f"{body['name']} already exists"})
            self.props[body["name"]] = self.stored(body)
            return httpx.Response(201, json=self.props[body["name"]])
        if request.method == "POST" and path == PROPS + "/batch/create":
            results, errors = [], []
            for item in body["inputs"]:
                if item["name"] in self.props:
                    errors.append(
                        {
                            "status": "error",
                            "category": "OBJECT_ALREADY_EXISTS",
                            "message": f"Property {item['name']} already exists",
                            "context": {"name": [item["name"]]},
                        }
                    )
                else:
                    self.props[item["name"]] = self.stored(item)
                    results.append(self.props[item["name"]])
            status = 207 if errors else 201
            return httpx.Response(status, json={"results": results, "errors": errors})
        if request.method == "POST" and path == PROPS + "/groups":
            if body["name"] in self.groups:
                return httpx.Response(409, json={"message": "group already exists"})
            self.groups[body["name"]] = {**body, "archived": False}
            return httpx.Response(201, json=self.groups[body["name"]])
        name = path.rsplit("/", 1)[1]
        store = self.groups if "/groups/" in path else self.props
        if name not in store:
            return httpx.Response(404, json={"message": f"{name} does not exist"})
        if request.method == "GET":
            return httpx.Response(200, json=store[name])
        if request.method == "PATCH":
            store[name].update(body)
            return httpx.Response(200, json=store[name])
        if request.method == "DELETE":
            del store[name]
            return httpx.Response(204)
        raise AssertionError(f"unexpected {request.method} {path}")


def test_lost_create_is_reconciled_not_duplicated(mock_client: ClientFactory) -> None:
    hub = LossyHubSpot()
    client = mock_client(hub)
    created = client.create_property("contacts", BODY)
    assert created["label"] == "Service"
    assert [m for m, _, _ in hub.log] == ["POST", "POST", "GET"]  # create, 409, read back
    assert [s for _, _, s in hub.log] == [201, 409, 200]
    assert client.stats.reconciled == 1
    assert client.stats.network_errors == 1 and client.stats.retries == 1


def test_lost_create_that_someone_else_changed_is_a_conflict(mock_client: ClientFactory) -> None:
    hub = LossyHubSpot()

    def meddle(request: httpx.Request) -> httpx.Response:
        losing = hub.lose > 0
        try:
            return hub(request)
        finally:
            if losing:  # someone edits the property between our lost create and the retry
                hub.props["service"]["label"] = "Someone else's"

    client = mock_client(meddle)
    with pytest.raises(Conflict) as info:
        client.create_property("contacts", BODY)
    message = str(info.value)
    assert "property 'service' already exists in HubSpot with other values than ours" in message
    assert "label: sent 'Service', HubSpot has \"Someone else's\"" in message
    assert client.stats.reconciled == 0


def test_timeout_after_sending_is_treated_as_maybe_applied(mock_client: ClientFactory) -> None:
    hub = LossyHubSpot(fail_with=httpx.ReadTimeout)
    client = mock_client(hub)
    client.create_property("contacts", BODY)
    assert client.stats.reconciled == 1


def test_lost_batch_create_reconciles_each_input(mock_client: ClientFactory) -> None:
    hub = LossyHubSpot()
    client = mock_client(hub)
    bodies = [{**BODY, "name": f"p{i}", "label": f"P{i}"} for i in range(3)]
    result = client.create_properties("contacts", bodies)
    assert result.ok
    assert sorted(r["name"] for r in result.results) == ["p0", "p1", "p2"]
    assert client.stats.reconciled == 3
    assert sorted(hub.props) == ["p0", "p1", "p2"]


def test_lost_archive_then_404_is_success(mock_client: ClientFactory) -> None:
    hub = LossyHubSpot(lose=0)
    hub.props["service"] = hub.stored(BODY)
    hub.lose = 1
    client = mock_client(hub)
    client.archive_property("contacts", "service")
    assert [s for _, _, s in hub.log] == [204, 404]
    assert client.stats.reconciled == 1


def test_archive_of_a_missing_property_is_not_found(mock_client: ClientFactory) -> None:
    client = mock_client(LossyHubSpot(lose=0))
    with pytest.raises(NotFound):
        client.archive_property("contacts", "ghost")


def test_lost_patch_is_retried_and_compared(mock_client: ClientFactory) -> None:
    hub = LossyHubSpot(lose=0)
    hub.props["service"] = hub.stored(BODY)
    hub.lose = 1
    client = mock_client(hub)
    updated = client.update_property("contacts", "service", {"label": "Service type"})
    assert updated["label"] == "Service type"
    assert [m for m, _, _ in hub.log] == ["PATCH", "PATCH"]


def test_lost_group_create_is_reconciled(mock_client: ClientFactory) -> None:
    hub = LossyHubSpot()
    client = mock_client(hub)
    group = client.create_group("contacts", {"name": "sdr", "label": "SDR", "displayOrder": 2})
    assert group["label"] == "SDR"
    assert client.stats.reconciled == 1


def test_lost_group_archive_then_404_is_success(mock_client: ClientFactory) -> None:
    hub = LossyHubSpot(lose=0)
    hub.groups["sdr"] = {"name": "sdr", "label": "SDR"}
    hub.lose = 1
    client = mock_client(hub)
    client.archive_group("contacts", "sdr")
    assert client.stats.reconciled == 1


def test_differences_compare_options_by_value_and_label_only() -> None:
    remote = LossyHubSpot().stored(BODY)
    remote["options"].reverse()
    assert differences(BODY, remote) == []
    changed = {**BODY, "options": [{"label": "Pump!", "value": "pump"}]}
    assert differences(changed, remote) == [
        "options: sent [('pump', 'Pump!')], HubSpot has [('pump', 'Pump'), ('tank', 'Tank')]"
    ]


def test_differences_accept_omitted_defaults_and_minus_one_order() -> None:
    sent = {"name": "a", "hidden": False, "description": "", "displayOrder": -1}
    assert differences(sent, {"name": "a", "displayOrder": 7}) == []
    assert differences({"name": "a", "hidden": True}, {"name": "a"}) == [
        "hidden: sent True, HubSpot has None"
    ]
