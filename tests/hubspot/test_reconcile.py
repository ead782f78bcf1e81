"""Lost writes: a scripted HubSpot that commits a write and then drops the answer.

``LossyHubSpot`` is a minimal stand-in at the HTTP boundary (an ``httpx.MockTransport``
handler) that keeps properties in a dict and loses the answers it is told to; the full
emulator is exercised in ``test_client.py``. These tests pin the exact reconciliation rules.
"""

from __future__ import annotations

import json
import random
from typing import Any

import httpx
import pytest

from hubprops.errors import Conflict, NotFound
from hubprops.hubspot import HubSpotClient, RetryPolicy
from hubprops.hubspot.reconcile import differences
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.hubspot.conftest import ClientFactory

PROPS = "/crm/properties/2026-03/contacts"
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


def test_differences_compare_options_by_value_whatever_their_order() -> None:
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
    assert differences({"name": "a", "displayOrder": 0}, {"name": "a"}) == [
        "displayOrder: sent 0, HubSpot has None"  # 0 is a position, not an empty default
    ]


def _sandbox_client(transport: httpx.BaseTransport) -> HubSpotClient:
    """A client on a sandbox transport whose retries cost no real time."""
    retry = RetryPolicy(base_delay=0.0, rng=random.Random(0))
    return HubSpotClient(SANDBOX_BASE_URL, "t", transport=transport, retry=retry)


SENSITIVE = {
    "name": "passport_no",
    "label": "Passport number",
    "type": "string",
    "fieldType": "text",
    "groupName": "contactinformation",
    "dataSensitivity": "sensitive",
}


def test_lost_create_of_a_sensitive_property_is_reconciled() -> None:
    # HubSpot (and the sandbox) hide sensitive properties from reads that do not ask for
    # them: the read back must ask for the sensitivity that was sent, or it finds nothing.
    sandbox = Sandbox(lost_response_rate=1.0)  # every write committed, its answer dropped
    with _sandbox_client(sandbox.transport()) as client:
        created = client.create_property("contacts", SENSITIVE)
    assert created["name"] == "passport_no" and created["dataSensitivity"] == "sensitive"
    assert client.stats.reconciled == 1
    assert [(r.method, r.status, r.query) for r in sandbox.requests][-1] == (
        "GET",
        200,
        {"dataSensitivity": "sensitive"},
    )


def test_lost_batch_create_of_sensitive_properties_is_reconciled() -> None:
    sandbox = Sandbox()
    bodies = [{**SENSITIVE, "name": f"passport_{i}"} for i in range(3)]
    with _sandbox_client(LoseFirstWrite(sandbox)) as client:
        result = client.create_properties("contacts", bodies)
    assert result.ok, result.errors
    assert sorted(r["name"] for r in result.results) == [b["name"] for b in bodies]
    assert client.stats.reconciled == 3


def test_lost_create_of_someone_elses_sensitive_property_is_a_conflict() -> None:
    sandbox = Sandbox()
    sandbox.put_property("contacts", {**SENSITIVE, "label": "Someone else's"})
    client = _sandbox_client(LoseFirstWrite(sandbox, commit=False))
    with client, pytest.raises(Conflict) as info:
        client.create_property("contacts", SENSITIVE)
    assert "label: sent 'Passport number', HubSpot has \"Someone else's\"" in str(info.value)
    assert client.stats.reconciled == 0


def test_options_that_differ_beyond_value_and_label_are_a_conflict(
    mock_client: ClientFactory,
) -> None:
    # Someone else's property with the same options, one of them hidden: not what we sent.
    hub = LossyHubSpot(lose=0)
    options: list[dict[str, Any]] = BODY["options"]  # type: ignore[assignment]
    sent = {**BODY, "options": [{**o, "hidden": False} for o in options]}
    hub.props["service"] = hub.stored(BODY)
    hub.props["service"]["options"][1]["hidden"] = True
    client = mock_client(LoseFirstAnswer(hub))
    with pytest.raises(Conflict) as info:
        client.create_property("contacts", sent)
    assert "options" in str(info.value) and "hidden" in str(info.value)


def test_lost_patch_that_reads_back_different_says_so(mock_client: ClientFactory) -> None:
    hub = LossyHubSpot(lose=0)
    hub.props["service"] = hub.stored(BODY)

    def rewriting(request: httpx.Request) -> httpx.Response:
        response = hub(request)
        if request.method == "PATCH":  # someone else's PATCH lands right after ours
            hub.props["service"]["label"] = "Theirs"
            if hub.log.count(("PATCH", PROPS + "/service", 200)) == 1:
                raise httpx.RemoteProtocolError("dropped", request=request)
            return httpx.Response(200, json=hub.props["service"])
        return response

    client = mock_client(rewriting)
    with pytest.raises(Conflict) as info:
        client.update_property("contacts", "service", {"label": "Ours"})
    message = str(info.value)
    assert "PATCH /crm/properties/2026-03/contacts/service" in message
    assert "already exists" not in message
    assert "label: sent 'Ours', HubSpot has 'Theirs'" in message


class LoseFirstWrite(httpx.BaseTransport):
    """The sandbox's transport, but the first write is (optionally) committed and its answer
    dropped; later requests go through untouched."""

    def __init__(self, sandbox: Sandbox, *, commit: bool = True) -> None:
        self.inner = sandbox.transport()
        self.commit = commit
        self.lost = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET" and not self.lost:
            self.lost = True
            if self.commit:
                self.inner.handle_request(request)
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        return self.inner.handle_request(request)


class LoseFirstAnswer:
    """A MockTransport handler: the first write never reaches ``hub`` (a dropped request)."""

    def __init__(self, hub: LossyHubSpot) -> None:
        self.hub = hub
        self.dropped = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET" and not self.dropped:
            self.dropped = True
            raise httpx.RemoteProtocolError("dropped", request=request)
        return self.hub(request)
