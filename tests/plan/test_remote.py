"""Remote reads on the sandbox: GETs only, a constant number per object type."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from hubprops.errors import RemoteError
from hubprops.hubspot import HubSpotClient, RetryPolicy
from hubprops.lock.file import Lock, LockedProperty
from hubprops.models import Definitions, ObjectDefinitions, PropertyDef
from hubprops.plan.remote import plan_against, read_remote
from hubprops.plan.types import PlanOptions
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(portal_id=777, rate_limit=(100_000, 10.0))


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[HubSpotClient]:
    with HubSpotClient(SANDBOX_BASE_URL, "test-token", transport=sandbox.transport()) as c:
        yield c


def add_properties(sandbox: Sandbox, object_type: str, count: int, group: str) -> None:
    for i in range(count):
        sandbox.put_property(
            object_type,
            {
                "name": f"p{i:05d}",
                "label": f"P {i}",
                "type": "string",
                "fieldType": "text",
                "groupName": group,
            },
        )


def definitions(count: int, **extra: str) -> Definitions:
    props = tuple(
        PropertyDef(
            name=f"p{i:05d}",
            label=f"P {i}",
            type="string",
            fieldType="text",
            groupName=extra.get("group", "contactinformation"),
        )
        for i in range(count)
    )
    return Definitions(
        objects={"contacts": ObjectDefinitions(object_type="contacts", properties=props)}
    )


def test_read_remote_reads_properties_groups_and_portal(
    sandbox: Sandbox, client: HubSpotClient
) -> None:
    state = read_remote(client, ["contacts", "0-136"])
    assert state.portal_id == 777
    assert set(state.objects) == {"contacts", "leads"}
    assert "email" in state.objects["contacts"].properties
    assert "contactinformation" in state.objects["contacts"].groups
    calls = sorted((r.method, r.path) for r in sandbox.requests)
    assert calls == [
        ("GET", "/account-info/2026-03/details"),
        ("GET", "/crm/properties/2026-03/contacts"),
        ("GET", "/crm/properties/2026-03/contacts/groups"),
        ("GET", "/crm/properties/2026-03/leads"),
        ("GET", "/crm/properties/2026-03/leads/groups"),
    ]


def test_given_portal_skips_the_account_call(sandbox: Sandbox, client: HubSpotClient) -> None:
    state = read_remote(client, ["contacts"], portal_id=5)
    assert state.portal_id == 5
    assert all(r.path != "/account-info/2026-03/details" for r in sandbox.requests)


def test_sensitive_levels_need_their_own_calls(sandbox: Sandbox, client: HubSpotClient) -> None:
    sandbox.put_property(
        "contacts",
        {
            "name": "ssn",
            "label": "SSN",
            "type": "string",
            "fieldType": "text",
            "groupName": "contactinformation",
            "dataSensitivity": "sensitive",
        },
    )
    assert (
        "ssn" not in read_remote(client, ["contacts"], portal_id=1).objects["contacts"].properties
    )
    sandbox.clear_requests()
    state = read_remote(client, ["contacts"], sensitivities=["sensitive"], portal_id=1)
    assert "ssn" in state.objects["contacts"].properties
    assert "email" in state.objects["contacts"].properties
    queries = sorted(r.query.get("dataSensitivity", "-") for r in sandbox.requests)
    assert queries == ["-", "-", "sensitive"]


def test_plan_against_reads_sensitive_only_when_defined(
    sandbox: Sandbox, client: HubSpotClient
) -> None:
    d = definitions(1)
    plan_against(client, d, Lock(), options=PlanOptions(), api_base=SANDBOX_BASE_URL)
    assert not any("dataSensitivity" in r.query for r in sandbox.requests)
    sandbox.clear_requests()
    sensitive = PropertyDef(
        name="ssn",
        label="SSN",
        type="string",
        fieldType="text",
        groupName="contactinformation",
        dataSensitivity="highly_sensitive",
    )
    d = Definitions(
        objects={"contacts": ObjectDefinitions(object_type="contacts", properties=(sensitive,))}
    )
    plan_against(client, d, Lock(), options=PlanOptions(), api_base=SANDBOX_BASE_URL)
    assert [
        r.query.get("dataSensitivity") for r in sandbox.requests if "dataSensitivity" in r.query
    ] == ["highly_sensitive"]


@pytest.mark.parametrize("count", [10, 10_000])
def test_plan_cost_is_constant(sandbox: Sandbox, client: HubSpotClient, count: int) -> None:
    add_properties(sandbox, "contacts", count, "contactinformation")
    lead = PropertyDef(
        name="lead_note", label="Note", type="string", fieldType="text", groupName="leadinformation"
    )
    d = Definitions(
        objects={
            **definitions(count).objects,
            "leads": ObjectDefinitions(object_type="leads", properties=(lead,)),
        }
    )
    sandbox.clear_requests()
    result = plan_against(client, d, Lock(), options=PlanOptions(), api_base=SANDBOX_BASE_URL)
    assert result.unchanged["contacts"] == count
    assert [(c.object_type, c.name) for c in result.changes] == [("leads", "lead_note")]
    requests = sandbox.requests
    assert {r.method for r in requests} == {"GET"}
    # the portal, then properties + groups per object type, then the custom-property limits
    # (the plan creates a property)
    assert len(requests) == 1 + 2 * 2 + 1
    assert requests[-1].path == "/crm/limits/2026-03/custom-properties"


def test_remote_errors_propagate(client: HubSpotClient) -> None:
    with pytest.raises(RemoteError):
        read_remote(client, ["no_such_object"], portal_id=1)


class _PortalWaitsForAList(httpx.BaseTransport):
    """The sandbox, except that HubSpot's answer on the portal waits until a properties list
    has been asked for: a plan that asked for the portal first and the lists after it would
    wait out ``timeout`` and see the portal call fail."""

    def __init__(self, sandbox: Sandbox, timeout: float) -> None:
        self.inner = sandbox.transport()
        self.listed = threading.Event()
        self.timeout = timeout

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if "/account-info/" in request.url.path:
            if not self.listed.wait(self.timeout):
                return httpx.Response(503, json={"message": "the lists were not asked for"})
        elif request.url.path.startswith("/crm/properties/"):
            self.listed.set()
        return self.inner.handle_request(request)


def test_the_portal_is_asked_for_together_with_the_lists(sandbox: Sandbox) -> None:
    transport = _PortalWaitsForAList(sandbox, timeout=10.0)
    retry = RetryPolicy(max_retries=0)
    with HubSpotClient(SANDBOX_BASE_URL, "test-token", transport=transport, retry=retry) as c:
        made = plan_against(c, definitions(3), Lock(), options=PlanOptions(), api_base="x")
    assert made.portal_id == 777
    assert transport.listed.is_set()


def test_object_types_only_the_lock_names_are_read_once_the_portal_is_known(
    sandbox: Sandbox, client: HubSpotClient
) -> None:
    """The lock of portal 777 records a leads property the definitions dropped: leads are read
    after the portal's answer (the lock of another portal would not bring them in), and the
    plan costs what it did when the portal came first."""
    sandbox.put_property(
        "leads",
        {
            "name": "old_note",
            "label": "Old note",
            "type": "string",
            "fieldType": "text",
            "groupName": "leadinformation",
        },
    )
    lock = Lock()
    lock.entry(777, "leads").properties["old_note"] = LockedProperty(
        id="0-136/old_note", sha256="0" * 64
    )
    lock.entry(1, "deals").properties["elsewhere"] = LockedProperty(
        id="0-3/elsewhere", sha256="0" * 64
    )
    add_properties(sandbox, "contacts", 3, "contactinformation")
    sandbox.clear_requests()
    options = PlanOptions(prune=True, allow_destructive=True)
    made = plan_against(client, definitions(3), lock, options=options, api_base="x")
    assert [(c.object_type, c.name, c.action.value) for c in made.changes] == [
        ("leads", "old_note", "archive")
    ]
    paths = [r.path for r in sandbox.requests]
    assert len(paths) == 1 + 2 * 2  # the portal, properties + groups of contacts and leads
    assert paths[-2:] == sorted(  # leads last: the lock names them for this portal only
        ["/crm/properties/2026-03/leads", "/crm/properties/2026-03/leads/groups"], key=paths.index
    )
    assert not any("/deals" in p for p in paths)
