"""Every standard object type by name and id, and custom objects by 2-N id and full name."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from hubprops.errors import ConfigError
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from hubprops.sandbox.objecttypes import STANDARD_TYPES
from tests.sandbox.conftest import AUTH, FakeClock, make_sandbox, prop_body

BASE = "/crm/v3/properties"


def client_for(sb: Sandbox) -> httpx.Client:
    return httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL, headers=AUTH)


@pytest.mark.parametrize(
    ("name", "type_id"),
    [("products", "0-7"), ("line_items", "0-8"), ("quotes", "0-14"), ("calls", "0-48"),
     ("emails", "0-49"), ("meetings", "0-47"), ("notes", "0-46"), ("tasks", "0-27"),
     ("appointments", "0-421"), ("courses", "0-410"), ("listings", "0-420"),
     ("services", "0-162"), ("orders", "0-123"), ("carts", "0-142"), ("invoices", "0-53")],
)  # fmt: skip
def test_standard_types_by_name_and_id_have_a_default_group(
    client: httpx.Client, name: str, type_id: str
) -> None:
    assert STANDARD_TYPES[name][0] == type_id
    groups = client.get(f"{BASE}/{name}/groups").json()["results"]
    assert groups and groups == client.get(f"{BASE}/{type_id}/groups").json()["results"]
    body = prop_body("sku_color", groupName=groups[0]["name"])
    assert client.post(f"{BASE}/{type_id}", json=body).status_code == 201
    assert [p["name"] for p in client.get(f"{BASE}/{name}").json()["results"]] == ["sku_color"]


def test_product_group_name(client: httpx.Client) -> None:
    names = [g["name"] for g in client.get(f"{BASE}/products/groups").json()["results"]]
    assert names == ["productinformation"]


def test_custom_object_by_id_and_fully_qualified_name(clock: FakeClock) -> None:
    sb = make_sandbox(clock, portal_id=4242, custom_objects=["widgets", "gadgets"])
    with client_for(sb) as client:
        groups = client.get(f"{BASE}/2-1/groups").json()["results"]
        assert [g["name"] for g in groups] == ["widgets_information"]
        body = prop_body("size", groupName="widgets_information")
        assert client.post(f"{BASE}/p4242_widgets", json=body).status_code == 201
        assert [p["name"] for p in client.get(f"{BASE}/2-1").json()["results"]] == ["size"]
        assert client.get(f"{BASE}/2-2").json()["results"] == []
        assert client.get(f"{BASE}/2-3").status_code == 400
        assert client.get(f"{BASE}/widgets").status_code == 400  # short name: not an address
        assert client.get(f"{BASE}/p1_widgets").status_code == 400  # another portal's
        limits = client.get("/crm/v3/limits/custom-properties").json()["byObjectType"]
        row = next(r for r in limits if r["objectTypeId"] == "2-1")
        assert row["usage"] == 1 and row["singularLabel"] == "Widgets"


def test_custom_objects_survive_a_restart_and_can_be_declared_by_hand(
    clock: FakeClock, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    sb = make_sandbox(clock, state_file=state, portal_id=99, custom_objects=["widgets"])
    sb.put_property("2-1", prop_body("size", groupName="widgets_information"))
    data = json.loads(state.read_text())
    assert data["customObjects"][0]["name"] == "widgets"
    data["customObjects"].append({"name": "boats", "objectTypeId": "2-77"})
    state.write_text(json.dumps(data))
    again = make_sandbox(clock, state_file=state)
    with client_for(again) as client:
        assert [p["name"] for p in client.get(f"{BASE}/p99_widgets").json()["results"]] == ["size"]
        assert client.get(f"{BASE}/2-77/groups").json()["results"][0]["name"] == "boats_information"


def test_an_undeclared_custom_object_in_the_state_file_is_refused(
    clock: FakeClock, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    make_sandbox(clock, state_file=state).put_property("contacts", prop_body("x"))
    data = json.loads(state.read_text())
    data["objects"]["p12345678_ghosts"] = data["objects"]["contacts"]
    state.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="customObjects"):
        make_sandbox(clock, state_file=state)
