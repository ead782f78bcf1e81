"""Each validation rule of hubprops.sandbox.validation / fields, with HubSpot-shaped bodies."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from hubprops.sandbox import Sandbox
from tests.sandbox.conftest import enum_body, prop_body

URL = "/crm/v3/properties/contacts"


def assert_error(response: httpx.Response, status: int, *fields: str) -> dict[str, Any]:
    """The response is a HubSpot error body with ``status``, naming each of ``fields``."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "error"
    uuid.UUID(body["correlationId"])
    assert body["category"]
    assert body["message"]
    named = {e.get("in") for e in body.get("errors", [])}
    for field in fields:
        assert field in named, (field, body)
        leaf = field.rsplit(".", 1)[-1]
        assert leaf in body["message"], (leaf, body["message"])
    return body


def test_required_fields_on_create(client: httpx.Client) -> None:
    body = assert_error(
        client.post(URL, json={"name": "x"}), 400, "label", "type", "fieldType", "groupName"
    )
    assert body["category"] == "VALIDATION_ERROR"
    assert "Some required fields were not set" in body["message"]


def test_body_must_be_json_object(client: httpx.Client) -> None:
    assert_error(client.post(URL, content=b"{not json"), 400)
    assert_error(client.post(URL, json=[1, 2]), 400)
    assert_error(client.post(URL), 400)


@pytest.mark.parametrize(
    ("type_", "field_type", "ok"),
    [
        ("string", "text", True),
        ("string", "textarea", True),
        ("string", "html", True),
        ("string", "phonenumber", True),
        ("string", "select", False),
        ("number", "number", True),
        ("number", "text", False),
        ("date", "date", True),
        ("datetime", "date", True),
        ("datetime", "text", False),
        ("bool", "booleancheckbox", True),
        ("bool", "checkbox", False),
        ("phone_number", "phonenumber", True),
        ("phone_number", "text", False),
    ],
)
def test_type_field_type_pairing(
    client: httpx.Client, type_: str, field_type: str, ok: bool
) -> None:
    response = client.post(URL, json=prop_body("paired", type=type_, fieldType=field_type))
    if ok:
        assert response.status_code == 201, response.text
    else:
        assert_error(response, 400, "fieldType")


def test_unknown_type_and_field_type_are_400(client: httpx.Client) -> None:
    assert_error(client.post(URL, json=prop_body("t", type="json")), 400, "type")
    assert_error(
        client.post(URL, json=prop_body("t", fieldType="calculation_rollup")), 400, "fieldType"
    )


def test_enumeration_needs_options(client: httpx.Client) -> None:
    response = client.post(URL, json=prop_body("e", type="enumeration", fieldType="select"))
    assert_error(response, 400, "options")
    empty = prop_body("e", type="enumeration", fieldType="select", options=[])
    assert_error(client.post(URL, json=empty), 400, "options")


def test_options_not_allowed_on_strings(client: httpx.Client) -> None:
    body = prop_body("s", options=[{"label": "A", "value": "a"}])
    assert_error(client.post(URL, json=body), 400, "options")


def test_option_problems(client: httpx.Client) -> None:
    dup = enum_body("d", "a", "a")
    assert_error(client.post(URL, json=dup), 400, "options[1].value")
    no_label = prop_body("d", type="enumeration", fieldType="select", options=[{"value": "a"}])
    assert_error(client.post(URL, json=no_label), 400, "options[0].label")
    extra = enum_body("d", "a")
    extra["options"][0]["colour"] = "red"
    assert_error(client.post(URL, json=extra), 400, "options[0].colour")


def test_unrecognized_and_read_only_fields_are_400(client: httpx.Client) -> None:
    body = prop_body("x", hubspotDefined=False, modificationMetadata={})
    assert_error(client.post(URL, json=body), 400, "hubspotDefined", "modificationMetadata")


def test_wrong_json_kinds_are_400(client: httpx.Client) -> None:
    body = prop_body("x", hidden="no", displayOrder="3", label=5)
    assert_error(client.post(URL, json=body), 400, "hidden", "displayOrder")


@pytest.mark.parametrize("name", ["Capital", "1st", "has-dash", "has space", "a" * 101])
def test_bad_names_are_400(client: httpx.Client, name: str) -> None:
    assert_error(client.post(URL, json=prop_body(name)), 400, "name")


def test_duplicate_name_is_409(client: httpx.Client) -> None:
    assert client.post(URL, json=prop_body("twice")).status_code == 201
    body = assert_error(client.post(URL, json=prop_body("twice")), 409)
    assert body["category"] == "OBJECT_ALREADY_EXISTS"
    assert body["context"] == {"name": ["twice"]}
    assert_error(client.post(URL, json=prop_body("email")), 409)


def test_unknown_group_is_400(client: httpx.Client) -> None:
    assert_error(client.post(URL, json=prop_body("g", groupName="nowhere")), 400, "groupName")


def test_more_than_ten_unique_value_properties_is_400(client: httpx.Client) -> None:
    for i in range(10):
        assert client.post(URL, json=prop_body(f"u{i}", hasUniqueValue=True)).status_code == 201
    assert_error(
        client.post(URL, json=prop_body("u10", hasUniqueValue=True)), 400, "hasUniqueValue"
    )
    assert client.post(URL, json=prop_body("not_unique")).status_code == 201


def test_external_options_only_on_enumerations(client: httpx.Client) -> None:
    body = prop_body("owner", externalOptions=True, referencedObjectType="OWNER")
    assert_error(client.post(URL, json=body), 400, "externalOptions")
    ok = prop_body(
        "owner",
        type="enumeration",
        fieldType="select",
        externalOptions=True,
        referencedObjectType="OWNER",
    )
    assert client.post(URL, json=ok).status_code == 201


@pytest.mark.parametrize(
    "field",
    ["name", "hasUniqueValue", "dataSensitivity", "externalOptions", "referencedObjectType"],
)
def test_non_patchable_fields_are_400(client: httpx.Client, field: str) -> None:
    client.post(URL, json=prop_body("fixed"))
    value: Any = {
        "name": "fixed",
        "hasUniqueValue": False,
        "dataSensitivity": "non_sensitive",
        "externalOptions": False,
        "referencedObjectType": "OWNER",
    }[field]
    assert_error(client.patch(f"{URL}/fixed", json={field: value}), 400, field)


def test_patch_checks_pairing_and_options_after_a_type_change(client: httpx.Client) -> None:
    client.post(URL, json=prop_body("morph"))
    assert_error(client.patch(f"{URL}/morph", json={"type": "number"}), 400, "fieldType")
    changed = client.patch(f"{URL}/morph", json={"type": "number", "fieldType": "number"})
    assert changed.status_code == 200
    to_enum = {"type": "enumeration", "fieldType": "select"}
    assert_error(client.patch(f"{URL}/morph", json=to_enum), 400, "options")
    to_enum["options"] = [{"label": "A", "value": "a"}]  # type: ignore[assignment]
    assert client.patch(f"{URL}/morph", json=to_enum).status_code == 200
    back = client.patch(f"{URL}/morph", json={"type": "string", "fieldType": "text"})
    assert back.status_code == 200 and back.json()["options"] == []


def test_patch_unknown_group_is_400(client: httpx.Client) -> None:
    client.post(URL, json=prop_body("mover"))
    assert_error(client.patch(f"{URL}/mover", json={"groupName": "nowhere"}), 400, "groupName")


def test_patch_missing_property_is_404(client: httpx.Client) -> None:
    assert_error(client.patch(f"{URL}/ghost", json={"label": "x"}), 404)


@pytest.mark.parametrize(
    "change",
    [
        {"label": "E-mail"},
        {"description": "Where we write"},
        {"groupName": "sales_properties"},
        {"displayOrder": 9},
        {"hidden": True},
        {"formField": False},
    ],
)
def test_read_only_definition_allows_display_fields(
    client: httpx.Client, change: dict[str, Any]
) -> None:
    response = client.patch(f"{URL}/email", json=change)
    assert response.status_code == 200, response.text
    key, value = next(iter(change.items()))
    assert response.json()[key] == value


@pytest.mark.parametrize(
    "change",
    [
        {"type": "number", "fieldType": "number"},
        {"fieldType": "textarea"},
        {"calculationFormula": "1"},
    ],
)
def test_read_only_definition_rejects_other_fields(
    client: httpx.Client, change: dict[str, Any]
) -> None:
    body = assert_error(client.patch(f"{URL}/email", json=change), 400, *change)
    assert "email" in body["message"]


def test_options_editable_only_when_read_only_options_is_false(client: httpx.Client) -> None:
    new_options = [{"label": "Raw lead", "value": "raw", "hidden": False}]
    editable = client.patch(f"{URL}/lifecyclestage", json={"options": new_options})
    assert editable.status_code == 200
    assert [o["value"] for o in editable.json()["options"]] == ["raw"]
    locked = client.patch(f"{URL}/hs_analytics_source", json={"options": new_options})
    assert_error(locked, 400, "options")


READ_ONLY_META = {"archivable": False, "readOnlyDefinition": True, "readOnlyValue": True}


@pytest.mark.parametrize(
    ("type_", "field_type", "options"),
    [
        ("object_coordinates", "text", []),  # read-only types HubSpot shows on reads
        ("json", "textarea", []),
        ("number", "calculation_rollup", []),  # a fieldType that create does not take
        ("enumeration", "booleancheckbox", [{"label": "True", "value": "True"}]),
    ],
)
def test_display_fields_of_hubspot_defined_properties_with_any_type_can_be_patched(
    client: httpx.Client, sb: Sandbox, type_: str, field_type: str, options: list[Any]
) -> None:
    # API-FACTS section 4: HubSpot-defined properties carry types and fieldTypes outside the
    # create enums; a label edit must not re-validate (or crash on) the type they already have.
    sb.put_property(
        "contacts",
        {
            **prop_body("hs_odd", type=type_, fieldType=field_type),
            "options": [{**o, "displayOrder": i, "hidden": False} for i, o in enumerate(options)],
            "hubspotDefined": True,
            "modificationMetadata": READ_ONLY_META,
        },
    )
    response = client.patch(f"{URL}/hs_odd", json={"label": "Odd one"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["label"], body["type"], body["fieldType"]) == ("Odd one", type_, field_type)
    assert [o["value"] for o in body["options"]] == [o["value"] for o in options]


def test_hubspot_defined_without_read_only_definition_follows_usual_rules(
    client: httpx.Client,
) -> None:
    response = client.patch(f"{URL}/twitterhandle", json={"fieldType": "textarea"})
    assert response.status_code == 200
    assert response.json()["fieldType"] == "textarea"


def test_hubspot_defined_and_non_archivable_properties_cannot_be_archived(
    client: httpx.Client, sb: Sandbox
) -> None:
    assert_error(client.delete(f"{URL}/email"), 400)
    assert_error(client.delete(f"{URL}/twitterhandle"), 400)
    sb.put_property(
        "contacts",
        {
            **prop_body("pinned"),
            "modificationMetadata": {
                "archivable": False,
                "readOnlyDefinition": False,
                "readOnlyValue": False,
            },
        },
    )
    assert_error(client.delete(f"{URL}/pinned"), 400)
    assert "pinned" in [p["name"] for p in sb.properties("contacts")]


def test_group_validation(client: httpx.Client) -> None:
    groups = f"{URL}/groups"
    assert_error(client.post(groups, json={"name": "g"}), 400, "label")
    assert_error(client.post(groups, json={"name": "Bad Name", "label": "x"}), 400, "name")
    assert_error(client.post(groups, json={"name": "g", "label": "x", "extra": 1}), 400, "extra")
    body = assert_error(client.post(groups, json={"name": "contactinformation", "label": "x"}), 409)
    assert body["subCategory"] == "PropertyGroupError.GROUP_ALREADY_EXISTS"
    assert_error(
        client.patch(f"{groups}/contactinformation", json={"displayOrder": "1"}),
        400,
        "displayOrder",
    )
    assert_error(client.patch(f"{groups}/nothere", json={"label": "x"}), 404)
    assert_error(client.delete(f"{groups}/nothere"), 404)
