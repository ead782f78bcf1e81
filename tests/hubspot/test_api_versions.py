"""The client speaks the API version it is given: every path names it, bodies follow it."""

from __future__ import annotations

from typing import Any

import pytest

from hubprops.errors import ConfigError
from hubprops.hubspot import HubSpotClient
from hubprops.rules import API_VERSIONS
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox


def _enum(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "label": name.title(),
        "type": "enumeration",
        "fieldType": "select",
        "groupName": "contactinformation",
        "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}],
    }


def _exercise(client: HubSpotClient) -> None:
    assert client.get_portal_id() == 12345678
    client.list_properties("contacts")
    client.list_groups("contacts")
    client.create_group("contacts", {"name": "g", "label": "G"})
    client.create_property("contacts", _enum("one"))
    assert client.create_properties("contacts", [_enum("two"), _enum("three")]).ok
    client.update_property("contacts", "one", {"options": _enum("x")["options"]})
    client.archive_property("contacts", "one")
    client.archive_properties("contacts", ["two"])
    client.update_group("contacts", "g", {"label": "G2"})


@pytest.mark.parametrize("version", ["2026-03", "2026-09"])
def test_date_versions_send_only_date_versioned_paths(version: str) -> None:
    sandbox = Sandbox()
    with HubSpotClient(
        SANDBOX_BASE_URL, "t", transport=sandbox.transport(), api_version=version
    ) as client:
        _exercise(client)
    assert sandbox.requests and all(r.status < 400 for r in sandbox.requests)
    assert {r.api_version for r in sandbox.requests} == {version}
    assert all("/v3/" not in r.path for r in sandbox.requests)
    paths = {r.path for r in sandbox.requests}
    assert f"/account-info/{version}/details" in paths
    assert f"/crm/properties/{version}/contacts/batch/create" in paths


def test_the_default_is_2026_03() -> None:
    sandbox = Sandbox()
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client:
        assert client.api_version == "2026-03"
        client.list_properties("0-1")
    assert sandbox.requests[-1].path == "/crm/properties/2026-03/0-1"


def test_v3_speaks_the_legacy_paths() -> None:
    sandbox = Sandbox()
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport(), api_version="v3") as c:
        _exercise(c)
    assert {r.api_version for r in sandbox.requests} == {"v3"}
    assert "/crm/v3/properties/contacts/batch/create" in {r.path for r in sandbox.requests}


def test_options_sent_from_2026_03_carry_display_order_and_hidden() -> None:
    """The sandbox answers 400 on 2026-03 for an option without displayOrder or hidden: the
    client fills them in (position, false) for bodies that leave them out."""
    sandbox = Sandbox()
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client:
        made = client.create_property("contacts", _enum("colour"))
    assert [(o["value"], o["displayOrder"], o["hidden"]) for o in made["options"]] == [
        ("a", 0, False),
        ("b", 1, False),
    ]


def test_an_unknown_version_is_refused() -> None:
    assert "2025-09" not in API_VERSIONS
    with pytest.raises(ConfigError, match="unknown HubSpot API version '2025-09'"):
        HubSpotClient(SANDBOX_BASE_URL, "t", api_version="2025-09")
