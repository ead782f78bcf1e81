"""Each endpoint of hubprops.sandbox.routes, in process through the httpx transport."""

from __future__ import annotations

import httpx
import pytest

from hubprops.sandbox import Sandbox
from tests.sandbox.conftest import enum_body, prop_body

BASE = "/crm/v3/properties"


def names(response: httpx.Response) -> list[str]:
    return [p["name"] for p in response.json()["results"]]


def test_list_returns_seeded_hubspot_defined_properties(client: httpx.Client) -> None:
    response = client.get(f"{BASE}/contacts")
    assert response.status_code == 200
    found = {p["name"]: p for p in response.json()["results"]}
    assert {"email", "firstname", "lifecyclestage", "hs_lead_status"} <= found.keys()
    assert found["email"]["hubspotDefined"] is True
    assert found["createdate"]["modificationMetadata"]["readOnlyValue"] is True


def test_object_type_by_id_is_the_same_object(client: httpx.Client) -> None:
    assert names(client.get(f"{BASE}/0-1")) == names(client.get(f"{BASE}/contacts"))
    assert names(client.get(f"{BASE}/0-136")) == names(client.get(f"{BASE}/leads"))


def test_date_versioned_path_is_the_same_api(client: httpx.Client) -> None:
    assert names(client.get("/crm/properties/2026-03/leads")) == names(client.get(f"{BASE}/leads"))


def test_unknown_object_type_is_400(client: httpx.Client) -> None:
    response = client.get(f"{BASE}/widgets")
    assert response.status_code == 400
    assert "widgets" in response.json()["message"]


def test_create_201_then_read_and_list(client: httpx.Client) -> None:
    created = client.post(f"{BASE}/contacts", json=prop_body("favorite_color"))
    assert created.status_code == 201
    read = client.get(f"{BASE}/contacts/favorite_color")
    assert read.status_code == 200
    assert read.json() == created.json()
    assert "favorite_color" in names(client.get(f"{BASE}/contacts"))


def test_list_order_is_not_creation_order(client: httpx.Client) -> None:
    made = [f"prop_{i:02d}" for i in range(12)]
    for name in made:
        assert client.post(f"{BASE}/deals", json=prop_body(name, groupName="dealinformation"))
    listed = [n for n in names(client.get(f"{BASE}/deals")) if n.startswith("prop_")]
    assert sorted(listed) == made
    assert listed != made
    assert listed == [n for n in names(client.get(f"{BASE}/deals")) if n.startswith("prop_")]


def test_read_missing_property_is_404(client: httpx.Client) -> None:
    response = client.get(f"{BASE}/contacts/nope")
    assert response.status_code == 404
    assert response.json()["category"] == "OBJECT_NOT_FOUND"


def test_patch_200_changes_fields_and_moves_updated_at(client: httpx.Client) -> None:
    before = client.post(f"{BASE}/contacts", json=prop_body("size")).json()
    after = client.patch(f"{BASE}/contacts/size", json={"label": "Shirt size"})
    assert after.status_code == 200
    assert after.json()["label"] == "Shirt size"
    assert after.json()["updatedAt"] > before["updatedAt"]
    assert after.json()["createdAt"] == before["createdAt"]
    assert client.get(f"{BASE}/contacts/size").json()["label"] == "Shirt size"


def test_patch_options_replace_the_whole_list(client: httpx.Client) -> None:
    client.post(f"{BASE}/contacts", json=enum_body("tier", "gold", "silver"))
    response = client.patch(
        f"{BASE}/contacts/tier", json={"options": [{"label": "Bronze", "value": "bronze"}]}
    )
    assert response.status_code == 200
    assert [o["value"] for o in response.json()["options"]] == ["bronze"]


def test_delete_archives_204_and_archived_listing(client: httpx.Client) -> None:
    client.post(f"{BASE}/contacts", json=prop_body("old_field"))
    assert client.delete(f"{BASE}/contacts/old_field").status_code == 204
    assert "old_field" not in names(client.get(f"{BASE}/contacts"))
    archived = client.get(f"{BASE}/contacts", params={"archived": "true"}).json()["results"]
    assert [p["name"] for p in archived] == ["old_field"]
    assert archived[0]["archived"] is True and "archivedAt" in archived[0]
    assert client.get(f"{BASE}/contacts/old_field").status_code == 404
    got = client.get(f"{BASE}/contacts/old_field", params={"archived": "true"})
    assert got.status_code == 200 and got.json()["archived"] is True


def test_delete_missing_property_is_404(client: httpx.Client) -> None:
    assert client.delete(f"{BASE}/contacts/never_was").status_code == 404


def test_archived_name_can_be_reused(client: httpx.Client) -> None:
    client.post(f"{BASE}/contacts", json=prop_body("again"))
    client.delete(f"{BASE}/contacts/again")
    assert client.post(f"{BASE}/contacts", json=prop_body("again")).status_code == 201
    archived = client.get(f"{BASE}/contacts", params={"archived": "true"}).json()["results"]
    assert [p["name"] for p in archived] == ["again"]


def test_archived_name_reserved_when_configured(clock: object) -> None:
    sb = Sandbox(reserve_archived_names=True)
    with httpx.Client(
        transport=sb.transport(), base_url="http://x", headers={"Authorization": "Bearer t"}
    ) as client:
        client.post(f"{BASE}/contacts", json=prop_body("again"))
        client.delete(f"{BASE}/contacts/again")
        response = client.post(f"{BASE}/contacts", json=prop_body("again"))
    assert response.status_code == 400
    assert response.json()["subCategory"].endswith("PROPERTY_ARCHIVED_NAME_RESERVED")


def test_data_sensitivity_filter_defaults_to_non_sensitive(client: httpx.Client) -> None:
    client.post(f"{BASE}/contacts", json=prop_body("ssn", dataSensitivity="sensitive"))
    assert "ssn" not in names(client.get(f"{BASE}/contacts"))
    sensitive = client.get(f"{BASE}/contacts", params={"dataSensitivity": "sensitive"})
    assert names(sensitive) == ["ssn"]
    assert client.get(f"{BASE}/contacts/ssn").status_code == 404
    read = client.get(f"{BASE}/contacts/ssn", params={"dataSensitivity": "sensitive"})
    assert read.status_code == 200
    bad = client.get(f"{BASE}/contacts", params={"dataSensitivity": "secret"})
    assert bad.status_code == 400


def test_bad_archived_flag_is_400(client: httpx.Client) -> None:
    assert client.get(f"{BASE}/contacts", params={"archived": "maybe"}).status_code == 400


@pytest.mark.parametrize("object_type", ["contacts", "leads", "companies", "deals", "tickets"])
def test_every_standard_object_type_has_groups_and_properties(
    client: httpx.Client, object_type: str
) -> None:
    groups = client.get(f"{BASE}/{object_type}/groups").json()["results"]
    props = client.get(f"{BASE}/{object_type}").json()["results"]
    assert groups and props
    assert {p["groupName"] for p in props} <= {g["name"] for g in groups}


def test_group_endpoints(client: httpx.Client) -> None:
    body = {"name": "stahla_sdr", "label": "Stahla SDR"}
    created = client.post(f"{BASE}/contacts/groups", json=body)
    assert created.status_code == 201
    assert created.json() == {**body, "displayOrder": -1, "archived": False}
    assert client.get(f"{BASE}/contacts/groups/stahla_sdr").json() == created.json()
    assert client.post(f"{BASE}/contacts/groups", json=body).status_code == 409
    patched = client.patch(
        f"{BASE}/contacts/groups/stahla_sdr", json={"label": "SDR", "displayOrder": 7}
    )
    assert patched.status_code == 200
    assert patched.json()["label"] == "SDR" and patched.json()["displayOrder"] == 7
    assert "stahla_sdr" in [
        g["name"] for g in client.get(f"{BASE}/contacts/groups").json()["results"]
    ]
    assert client.delete(f"{BASE}/contacts/groups/stahla_sdr").status_code == 204
    assert client.get(f"{BASE}/contacts/groups/stahla_sdr").status_code == 404
    assert client.post(f"{BASE}/contacts/groups", json=body).status_code == 201


def test_group_name_cannot_be_patched(client: httpx.Client) -> None:
    response = client.patch(f"{BASE}/contacts/groups/contactinformation", json={"name": "x"})
    assert response.status_code == 400


def test_archiving_a_group_with_active_properties_is_400(client: httpx.Client) -> None:
    client.post(f"{BASE}/contacts/groups", json={"name": "busy", "label": "Busy"})
    client.post(f"{BASE}/contacts", json=prop_body("in_busy", groupName="busy"))
    response = client.delete(f"{BASE}/contacts/groups/busy")
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert body["subCategory"] == "PropertyGroupError.GROUP_WITH_ACTIVE_PROPERTIES"
    client.delete(f"{BASE}/contacts/in_busy")
    assert client.delete(f"{BASE}/contacts/groups/busy").status_code == 204


def test_account_details(client: httpx.Client, sb: Sandbox) -> None:
    response = client.get("/account-info/v3/details")
    assert response.status_code == 200
    assert response.json()["portalId"] == sb.portal_id
    assert response.json()["timeZone"]


def test_custom_property_limits_count_custom_properties_only(client: httpx.Client) -> None:
    client.post(f"{BASE}/contacts", json=prop_body("one"))
    body = client.get("/crm/v3/limits/custom-properties").json()
    contacts = next(r for r in body["byObjectType"] if r["objectTypeId"] == "0-1")
    assert contacts["usage"] == 1
    assert body["overallUsage"] == 1


def test_unknown_route_is_404_and_wrong_method_405(client: httpx.Client) -> None:
    assert client.get("/crm/v3/objects/contacts").status_code == 404
    assert client.put(f"{BASE}/contacts", json={}).status_code == 405
