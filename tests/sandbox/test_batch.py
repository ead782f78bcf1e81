"""Batch create (201/207), batch read (200/207) and batch archive (204) of the sandbox."""

from __future__ import annotations

import httpx

from hubprops.sandbox import Sandbox
from tests.helpers.clock import FakeClock
from tests.sandbox.conftest import make_sandbox, prop_body

URL = "/crm/v3/properties/contacts/batch"


def test_batch_create_all_valid_is_201_complete(client: httpx.Client, sb: Sandbox) -> None:
    inputs = [prop_body("b_one"), prop_body("b_two")]
    response = client.post(f"{URL}/create", json={"inputs": inputs})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert sorted(p["name"] for p in body["results"]) == ["b_one", "b_two"]
    assert body["startedAt"] <= body["completedAt"]
    assert "errors" not in body and "numErrors" not in body
    assert {"b_one", "b_two"} <= {p["name"] for p in sb.properties("contacts")}


def test_batch_create_partial_failure_is_207_and_keeps_the_good_ones(
    client: httpx.Client, sb: Sandbox
) -> None:
    client.post("/crm/v3/properties/contacts", json=prop_body("taken"))
    inputs = [
        prop_body("fresh"),
        prop_body("taken"),
        prop_body("bad_pair", fieldType="select"),
        prop_body("fresh"),
    ]
    response = client.post(f"{URL}/create", json={"inputs": inputs})
    assert response.status_code == 207
    body = response.json()
    assert [p["name"] for p in body["results"]] == ["fresh"]
    assert body["numErrors"] == 3
    by_name = {(e["context"]["name"][0], e["category"]) for e in body["errors"]}
    assert by_name == {
        ("taken", "OBJECT_ALREADY_EXISTS"),
        ("bad_pair", "VALIDATION_ERROR"),
        ("fresh", "OBJECT_ALREADY_EXISTS"),
    }
    for error in body["errors"]:
        assert error["status"] == "error"
        assert error["message"]
        assert error["errors"] == [] and error["links"] == {}
    assert "fresh" in {p["name"] for p in sb.properties("contacts")}
    assert "bad_pair" not in {p["name"] for p in sb.properties("contacts")}


def test_batch_create_all_failing_is_207(client: httpx.Client) -> None:
    response = client.post(f"{URL}/create", json={"inputs": [prop_body("email")]})
    assert response.status_code == 207
    assert response.json()["results"] == [] and response.json()["numErrors"] == 1


def test_batch_envelope_errors_are_400(client: httpx.Client) -> None:
    for op in ("create", "read", "archive"):
        assert client.post(f"{URL}/{op}", json={"nope": []}).status_code == 400
        assert client.post(f"{URL}/{op}", json=[]).status_code == 400


def test_batch_cap_is_100_inputs(client: httpx.Client, sb: Sandbox) -> None:
    too_many = [prop_body(f"p{i}") for i in range(101)]
    response = client.post(f"{URL}/create", json={"inputs": too_many})
    assert response.status_code == 400
    assert "100" in response.json()["message"]
    assert not any(p["name"] == "p0" for p in sb.properties("contacts"))
    just_right = client.post(f"{URL}/create", json={"inputs": too_many[:100]})
    assert just_right.status_code == 201
    names = [{"name": f"p{i}"} for i in range(101)]
    body = {"archived": False, "dataSensitivity": "non_sensitive", "inputs": names}
    assert client.post(f"{URL}/read", json=body).status_code == 400
    assert client.post(f"{URL}/archive", json={"inputs": names}).status_code == 400


def test_max_batch_is_configurable(clock: FakeClock) -> None:
    sb = make_sandbox(clock, max_batch=2)
    with httpx.Client(
        transport=sb.transport(), base_url="http://x", headers={"Authorization": "Bearer t"}
    ) as c:
        inputs = [prop_body(f"q{i}") for i in range(3)]
        assert c.post(f"{URL}/create", json={"inputs": inputs}).status_code == 400


def test_batch_read_requires_all_three_fields(client: httpx.Client) -> None:
    inputs = [{"name": "email"}]
    assert client.post(f"{URL}/read", json={"inputs": inputs}).status_code == 400
    no_sensitivity = {"archived": False, "inputs": inputs}
    assert client.post(f"{URL}/read", json=no_sensitivity).status_code == 400


def test_batch_read_found_and_missing(client: httpx.Client) -> None:
    body = {"archived": False, "dataSensitivity": "non_sensitive", "inputs": [{"name": "email"}]}
    ok = client.post(f"{URL}/read", json=body)
    assert ok.status_code == 200
    assert [p["name"] for p in ok.json()["results"]] == ["email"]
    body["inputs"] = [{"name": "email"}, {"name": "ghost"}]
    partial = client.post(f"{URL}/read", json=body)
    assert partial.status_code == 207
    assert partial.json()["numErrors"] == 1
    assert partial.json()["errors"][0]["context"] == {"name": ["ghost"]}
    assert partial.json()["errors"][0]["category"] == "OBJECT_NOT_FOUND"


def test_batch_read_archived_and_sensitive(client: httpx.Client) -> None:
    client.post("/crm/v3/properties/contacts", json=prop_body("gone"))
    client.delete("/crm/v3/properties/contacts/gone")
    client.post(
        "/crm/v3/properties/contacts", json=prop_body("secret", dataSensitivity="sensitive")
    )
    archived = {"archived": True, "dataSensitivity": "non_sensitive", "inputs": [{"name": "gone"}]}
    assert client.post(f"{URL}/read", json=archived).status_code == 200
    plain = {"archived": False, "dataSensitivity": "non_sensitive", "inputs": [{"name": "secret"}]}
    assert client.post(f"{URL}/read", json=plain).status_code == 207
    plain["dataSensitivity"] = "sensitive"
    assert client.post(f"{URL}/read", json=plain).status_code == 200


def test_batch_archive_is_204_whatever_the_prior_state(client: httpx.Client, sb: Sandbox) -> None:
    client.post("/crm/v3/properties/contacts", json=prop_body("a1"))
    client.post("/crm/v3/properties/contacts", json=prop_body("a2"))
    client.delete("/crm/v3/properties/contacts/a2")
    inputs = [{"name": "a1"}, {"name": "a2"}, {"name": "never"}]
    assert client.post(f"{URL}/archive", json={"inputs": inputs}).status_code == 204
    assert "a1" not in {p["name"] for p in sb.properties("contacts")}
    assert sorted(p["name"] for p in sb.properties("contacts", archived=True)) == ["a1", "a2"]


def test_batch_archive_of_hubspot_defined_is_400_and_archives_nothing(
    client: httpx.Client, sb: Sandbox
) -> None:
    client.post("/crm/v3/properties/contacts", json=prop_body("mine"))
    inputs = [{"name": "mine"}, {"name": "email"}]
    response = client.post(f"{URL}/archive", json={"inputs": inputs})
    assert response.status_code == 400
    assert "email" in response.json()["message"]
    assert "mine" in {p["name"] for p in sb.properties("contacts")}


def test_batch_archive_needs_names(client: httpx.Client) -> None:
    assert client.post(f"{URL}/archive", json={"inputs": [{"nom": "x"}]}).status_code == 400
