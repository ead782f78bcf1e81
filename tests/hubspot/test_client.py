"""Every client method against the project's sandbox, in process and over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from hubprops.errors import AuthenticationError, NotFound, ValidationFailed
from hubprops.hubspot import USER_AGENT, HubSpotClient
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox, serve
from tests.hubspot.conftest import TEST_TOKEN

PROPS = "/crm/properties/2026-03/contacts"


def prop(name: str, **extra: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "label": name.title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
    }
    return {**body, **extra}


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(portal_id=4242, token=TEST_TOKEN)


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[HubSpotClient]:
    with HubSpotClient(SANDBOX_BASE_URL, TEST_TOKEN, transport=sandbox.transport()) as c:
        yield c


def calls(sandbox: Sandbox) -> list[tuple[str, str, int]]:
    return [(r.method, r.path, r.status) for r in sandbox.requests]


def test_portal_id(client: HubSpotClient, sandbox: Sandbox) -> None:
    assert client.get_portal_id() == 4242
    assert calls(sandbox) == [("GET", "/account-info/2026-03/details", 200)]


def test_list_properties_is_one_call_with_its_parameters(
    client: HubSpotClient, sandbox: Sandbox
) -> None:
    names = {p["name"] for p in client.list_properties("contacts")}
    assert {"email", "firstname", "lifecyclestage"} <= names
    client.list_properties("contacts", archived=True, data_sensitivity="sensitive")
    assert [r.query for r in sandbox.requests] == [
        {"archived": "false"},
        {"archived": "true", "dataSensitivity": "sensitive"},
    ]


def test_list_properties_archived_only_returns_tombstones(
    client: HubSpotClient, sandbox: Sandbox
) -> None:
    client.create_property("contacts", prop("gone_soon"))
    client.archive_property("contacts", "gone_soon")
    assert [p["name"] for p in client.list_properties("contacts", archived=True)] == ["gone_soon"]
    assert "gone_soon" not in {p["name"] for p in client.list_properties("contacts")}


def test_list_groups(client: HubSpotClient) -> None:
    assert "contactinformation" in {g["name"] for g in client.list_groups("contacts")}


def test_get_property_and_missing_one(client: HubSpotClient) -> None:
    email = client.get_property("contacts", "email")
    assert email is not None and email["name"] == "email"
    assert client.get_property("contacts", "no_such_property") is None


def test_object_type_id_is_quoted_into_the_path(client: HubSpotClient, sandbox: Sandbox) -> None:
    assert client.get_property("0-1", "email") is not None
    assert sandbox.requests[-1].path == "/crm/properties/2026-03/0-1/email"


def test_create_update_archive_one_property(client: HubSpotClient, sandbox: Sandbox) -> None:
    created = client.create_property(
        "contacts",
        prop(
            "service",
            type="enumeration",
            fieldType="select",
            options=[{"label": "Pump", "value": "pump", "hidden": False}],
        ),
    )
    assert created["name"] == "service" and created["options"][0]["value"] == "pump"
    updated = client.update_property("contacts", "service", {"label": "Service type"})
    assert updated["label"] == "Service type"
    assert client.get_property("contacts", "service")["label"] == "Service type"  # type: ignore[index]
    client.archive_property("contacts", "service")
    assert client.get_property("contacts", "service") is None
    assert [(m, s) for m, _, s in calls(sandbox)] == [
        ("POST", 201),
        ("PATCH", 200),
        ("GET", 200),
        ("DELETE", 204),
        ("GET", 404),
    ]


def test_batch_create_is_chunked_and_reports_item_errors(
    sandbox: Sandbox,
) -> None:
    sandbox.put_property("contacts", prop("taken"))
    bodies = [prop(f"bulk_{i:03d}") for i in range(7)] + [prop("taken"), prop("Bad-Name")]
    with HubSpotClient(
        SANDBOX_BASE_URL, TEST_TOKEN, transport=sandbox.transport(), batch_size=3
    ) as client:
        result = client.create_properties("contacts", bodies)
    assert sorted(r["name"] for r in result.results) == [f"bulk_{i:03d}" for i in range(7)]
    assert sorted((e.name, type(e.error).__name__) for e in result.errors) == [
        ("Bad-Name", "ValidationFailed"),
        ("taken", "Conflict"),
    ]
    batch_calls = [r for r in sandbox.requests if r.path.endswith("/batch/create")]
    assert len(batch_calls) == 3  # 9 inputs in chunks of 3
    names = {p["name"] for p in sandbox.properties("contacts")}
    assert {f"bulk_{i:03d}" for i in range(7)} <= names


def test_batch_archive_is_chunked(sandbox: Sandbox) -> None:
    for i in range(5):
        sandbox.put_property("contacts", prop(f"old_{i}"))
    with HubSpotClient(
        SANDBOX_BASE_URL, TEST_TOKEN, transport=sandbox.transport(), batch_size=2
    ) as client:
        client.archive_properties("contacts", [f"old_{i}" for i in range(5)] + ["never_was"])
    assert len([r for r in sandbox.requests if r.path.endswith("/batch/archive")]) == 3
    assert {p["name"] for p in sandbox.properties("contacts", archived=True)} >= {
        f"old_{i}" for i in range(5)
    }


def test_group_create_update_archive(client: HubSpotClient, sandbox: Sandbox) -> None:
    group = client.create_group("contacts", {"name": "sdr", "label": "SDR", "displayOrder": 4})
    assert group["label"] == "SDR"
    assert client.update_group("contacts", "sdr", {"label": "SDR team"})["label"] == "SDR team"
    client.archive_group("contacts", "sdr")
    assert "sdr" not in {g["name"] for g in sandbox.groups("contacts")}
    with pytest.raises(NotFound):
        client.archive_group("contacts", "sdr")


def test_validation_error_from_the_sandbox(client: HubSpotClient) -> None:
    with pytest.raises(ValidationFailed) as info:
        client.create_property("contacts", prop("x", fieldType="select"))
    assert str(info.value).startswith(f"HubSpot rejected POST {PROPS} (400): ")


def test_wrong_token_is_an_authentication_error(sandbox: Sandbox) -> None:
    client = HubSpotClient(SANDBOX_BASE_URL, "pat-wrong", transport=sandbox.transport())
    with client, pytest.raises(AuthenticationError, match="check HUBSPOT_ACCESS_TOKEN"):
        client.get_portal_id()


def test_repr_and_stats_never_show_the_token(client: HubSpotClient) -> None:
    client.get_portal_id()
    for text in (repr(client), repr(client.stats), str(vars(client))):
        assert TEST_TOKEN not in text


def test_limiter_retunes_from_the_sandbox_headers() -> None:
    sandbox = Sandbox(rate_limit=(7, 1.5))
    with HubSpotClient(SANDBOX_BASE_URL, TEST_TOKEN, transport=sandbox.transport()) as client:
        client.list_groups("contacts")
        assert (client.limiter.max_requests, client.limiter.interval) == (7, 1.5)
        assert client.stats.limiter["capacity"] == 6


def test_over_loopback_http(sandbox: Sandbox) -> None:
    with serve(sandbox, port=0) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with HubSpotClient(server.url, TEST_TOKEN, max_workers=4) as client:
            assert client.get_portal_id() == 4242
            result = client.create_properties("contacts", [prop(f"net_{i}") for i in range(4)])
            assert result.ok and len(result.results) == 4
            outcomes = client.map(
                lambda n: client.update_property("contacts", n, {"label": n.upper()}),
                [f"net_{i}" for i in range(4)],
            )
            assert all(o.ok for o in outcomes)
            assert client.get_property("contacts", "net_3")["label"] == "NET_3"  # type: ignore[index]
            client.archive_properties("contacts", [f"net_{i}" for i in range(4)])
            assert client.get_property("contacts", "net_0") is None
    assert client.stats.by_method == {"GET": 3, "POST": 2, "PATCH": 4}


def test_sends_user_agent_and_bearer_token() -> None:
    captured: list[httpx.Request] = []
    sandbox = Sandbox(token=TEST_TOKEN)
    inner = sandbox.transport()

    class Spy(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            captured.append(request)
            response: httpx.Response = inner.handle_request(request)
            return response

    with HubSpotClient(SANDBOX_BASE_URL, TEST_TOKEN, transport=Spy()) as client:
        client.get_portal_id()
    assert captured[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("hubprops/") and USER_AGENT.endswith(" (+python-httpx)")
    assert captured[0].headers["authorization"] == f"Bearer {TEST_TOKEN}"


def test_https_verifies_certificates_and_plain_http_skips_tls_setup() -> None:
    """A plain-http base (the sandbox) never loads the CA bundle; an https one always
    verifies the certificate and the host name."""
    import ssl

    with HubSpotClient("https://api.hubapi.com", TEST_TOKEN) as secure:
        context = secure._req.http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    with HubSpotClient("http://127.0.0.1:9", TEST_TOKEN) as plain:
        context = plain._req.http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.verify_mode == ssl.CERT_NONE
        assert plain._req.http.follow_redirects is False
