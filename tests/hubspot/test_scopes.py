"""A 403 names the scope the call needs for its object type (rules.SCOPES), on the sandbox
whose tokens lack scopes; lead property writes say the scope is unconfirmed."""

from __future__ import annotations

import pytest

from hubprops.errors import PermissionDenied
from hubprops.hubspot import HubSpotClient
from hubprops.rules import scopes_for, scopes_for_request
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox


def _text(name: str, group: str) -> dict[str, str]:
    return {"name": name, "label": "X", "type": "string", "fieldType": "text", "groupName": group}


@pytest.mark.parametrize("version", ["2026-03", "v3"])
def test_a_write_without_the_schema_scope_names_it(version: str) -> None:
    sandbox = Sandbox(scopes=["crm.schemas.deals.read"])
    with HubSpotClient(
        SANDBOX_BASE_URL, "t", transport=sandbox.transport(), api_version=version
    ) as client:
        assert client.list_properties("deals")  # reading is allowed
        with pytest.raises(PermissionDenied) as info:
            client.create_property("deals", _text("x", "dealinformation"))
    assert "lacks scope crm.schemas.deals.write (needed for writing deals properties)" in str(
        info.value
    )


def test_a_lead_property_write_says_its_scope_is_unconfirmed() -> None:
    sandbox = Sandbox(scopes=["crm.objects.leads.read"])
    with (
        HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client,
        pytest.raises(PermissionDenied) as info,
    ):
        client.create_property("leads", _text("x", "leadinformation"))
    message = str(info.value)
    assert "crm.objects.leads.write (needed for writing leads properties)" in message
    assert "unconfirmed" in message


def test_a_read_of_another_type_names_its_read_scopes() -> None:
    sandbox = Sandbox(scopes=["crm.schemas.deals.read"])
    with (
        HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client,
        pytest.raises(PermissionDenied) as info,
    ):
        client.list_groups("0-7")
    assert "crm.schemas.products.read or crm.objects.products.read" in str(info.value)


def test_scope_table() -> None:
    assert scopes_for("2-99", "properties.write") == (("crm.schemas.custom.write",), None)
    assert scopes_for("p123_widgets", "properties.read")[0] == (
        "crm.schemas.custom.read",
        "crm.objects.custom.read",
    )
    assert scopes_for_request("GET", "/account-info/2026-03/details") is None
    found = scopes_for_request("POST", "/crm/objects/2026-03/contacts/search")
    assert found is not None and found[:2] == (
        "reading contacts records",
        ("crm.objects.contacts.read",),
    )
