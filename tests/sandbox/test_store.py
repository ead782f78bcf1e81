"""Server-side defaults, timestamps and ordering of hubprops.sandbox.store."""

from __future__ import annotations

import re

import httpx

from tests.sandbox.conftest import enum_body, prop_body

URL = "/crm/v3/properties/contacts"
ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_create_fills_hubspot_server_defaults(client: httpx.Client) -> None:
    prop = client.post(URL, json=prop_body("plain")).json()
    assert prop["description"] == ""
    # HubSpot rewrites the default -1 to a real position: last in its group (API-FACTS 11)
    assert prop["displayOrder"] >= 0
    assert prop["hidden"] is False and prop["formField"] is False
    assert prop["options"] == []
    assert prop["hasUniqueValue"] is False
    assert prop["calculated"] is False and prop["externalOptions"] is False
    assert "hubspotDefined" not in prop
    assert prop["modificationMetadata"] == {
        "archivable": True,
        "readOnlyDefinition": False,
        "readOnlyValue": False,
    }
    assert ISO_MS_Z.match(prop["createdAt"]) and prop["createdAt"] == prop["updatedAt"]
    assert prop["createdUserId"] and prop["updatedUserId"]
    assert prop["archived"] is False
    assert prop["dataSensitivity"] == "non_sensitive"


def test_option_defaults_and_order(client: httpx.Client) -> None:
    body = enum_body("colour", "red", "green", "blue")
    body["options"][0]["displayOrder"] = 5
    body["options"][1]["displayOrder"] = -1
    del body["options"][2]["hidden"]
    options = client.post(URL, json=body).json()["options"]
    assert [o["value"] for o in options] == ["blue", "red", "green"]
    assert [o["displayOrder"] for o in options] == [2, 5, -1]
    assert all(o["hidden"] is False and o["description"] == "" for o in options)


def test_bool_without_options_gets_yes_no(client: httpx.Client) -> None:
    body = prop_body("opted", type="bool", fieldType="booleancheckbox")
    options = client.post(URL, json=body).json()["options"]
    assert [(o["label"], o["value"]) for o in options] == [("Yes", "true"), ("No", "false")]


def test_updated_at_moves_on_every_patch_even_in_the_same_millisecond(client: httpx.Client) -> None:
    first = client.post(URL, json=prop_body("ticking")).json()["updatedAt"]
    second = client.patch(f"{URL}/ticking", json={}).json()["updatedAt"]
    third = client.patch(f"{URL}/ticking", json={"label": "x"}).json()["updatedAt"]
    assert first < second < third


def test_given_values_are_kept(client: httpx.Client) -> None:
    body = prop_body(
        "kept",
        description="d",
        displayOrder=3,
        hidden=True,
        formField=True,
        hasUniqueValue=True,
        textDisplayHint="email",
    )
    prop = client.post(URL, json=body).json()
    for key in ("description", "displayOrder", "hidden", "formField", "hasUniqueValue"):
        assert prop[key] == body[key]
    assert prop["textDisplayHint"] == "email"


def test_groups_list_in_display_order_not_creation_order(client: httpx.Client) -> None:
    groups = f"{URL}/groups"
    client.post(groups, json={"name": "zz_first", "label": "Z", "displayOrder": 99})
    client.post(groups, json={"name": "aa_second", "label": "A", "displayOrder": 50})
    names = [g["name"] for g in client.get(groups).json()["results"]]
    assert names.index("aa_second") < names.index("zz_first")
    assert names[0] == "contactinformation"
