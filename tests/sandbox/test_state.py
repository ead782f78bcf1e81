"""Persistence of the sandbox store (hubprops.sandbox.state): restart, crash, corrupt files."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from hubprops.errors import ConfigError
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox, serve
from tests.helpers.clock import FakeClock
from tests.sandbox.conftest import AUTH, make_sandbox, prop_body

URL = "/crm/v3/properties/contacts"


def client_for(sb: Sandbox) -> httpx.Client:
    return httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL, headers=AUTH)


def test_state_survives_a_restart(tmp_path: Path, clock: FakeClock) -> None:
    state = tmp_path / "nested" / "sandbox.json"
    first = make_sandbox(clock, state_file=state)
    with client_for(first) as client:
        made = client.post(URL, json=prop_body("kept")).json()
        client.post(URL, json=prop_body("dropped"))
        client.delete(f"{URL}/dropped")
        client.post(f"{URL}/groups", json={"name": "extra", "label": "Extra"})
        client.patch(f"{URL}/email", json={"label": "E-mail address"})
    second = make_sandbox(clock, state_file=state)
    with client_for(second) as client:
        assert client.get(f"{URL}/kept").json() == made
        assert client.get(f"{URL}/email").json()["label"] == "E-mail address"
        assert client.get(f"{URL}/groups/extra").status_code == 200
        archived = client.get(URL, params={"archived": "true"}).json()["results"]
        assert [p["name"] for p in archived] == ["dropped"]
        later = client.patch(f"{URL}/kept", json={"label": "Later"}).json()
    assert later["updatedAt"] > made["updatedAt"]


def test_the_portal_id_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    with client_for(Sandbox(state_file=state, portal_id=777)) as client:
        client.post(URL, json=prop_body("kept"))

    def portal_of(sb: Sandbox) -> int:
        with client_for(sb) as client:
            portal = client.get("/account-info/v3/details").json()["portalId"]
        assert isinstance(portal, int)
        return portal

    # Saved plans name their portal: a restart without --portal-id must not change it.
    assert portal_of(Sandbox(state_file=state)) == 777
    assert portal_of(Sandbox(state_file=state, portal_id=888)) == 888
    assert portal_of(Sandbox(state_file=tmp_path / "fresh.json")) == 12345678


def test_state_survives_a_restart_over_http(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    with serve(Sandbox(state_file=state)) as server:
        httpx.post(server.url + URL, json=prop_body("over_http"), headers=AUTH)
    with serve(Sandbox(state_file=state)) as server:
        response = httpx.get(server.url + f"{URL}/over_http", headers=AUTH)
    assert response.status_code == 200


def test_a_lost_response_was_persisted_first(tmp_path: Path, clock: FakeClock) -> None:
    state = tmp_path / "sandbox.json"
    sb = make_sandbox(clock, state_file=state, lost_response_rate=1.0)
    with client_for(sb) as client, pytest.raises(httpx.RemoteProtocolError):
        client.post(URL, json=prop_body("acked_never"))
    saved = json.loads(state.read_text())
    assert "acked_never" in saved["objects"]["contacts"]["properties"]


def test_reads_and_failures_do_not_write(tmp_path: Path, clock: FakeClock) -> None:
    state = tmp_path / "sandbox.json"
    sb = make_sandbox(clock, state_file=state)
    with client_for(sb) as client:
        client.get(URL)
        client.post(URL, json={"name": "bad"})
        body = {"archived": False, "dataSensitivity": "non_sensitive", "inputs": [{"name": "x"}]}
        client.post(f"{URL}/batch/read", json=body)
    assert not state.exists()


def test_state_file_is_pretty_sorted_json(tmp_path: Path, clock: FakeClock) -> None:
    state = tmp_path / "sandbox.json"
    sb = make_sandbox(clock, state_file=state, portal_id=42)
    with client_for(sb) as client:
        client.post(URL, json=prop_body("pretty"))
    text = state.read_text()
    assert text.endswith("\n") and text.startswith("{\n")
    saved = json.loads(text)
    assert saved["format_version"] == 1 and saved["portalId"] == 42
    assert not list(tmp_path.glob("*.tmp"))


def test_direct_helpers_persist(tmp_path: Path, clock: FakeClock) -> None:
    state = tmp_path / "sandbox.json"
    make_sandbox(clock, state_file=state).put_property("leads", prop_body("by_hand"))
    names = {p["name"] for p in make_sandbox(clock, state_file=state).properties("leads")}
    assert "by_hand" in names


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        ("{not json", "cannot be read as JSON"),
        ("[]", "not a JSON object"),
        ('{"format_version": 99, "objects": {}}', "format_version"),
        ('{"format_version": 1, "objects": {"widgets": {}}}', "widgets"),
        ('{"format_version": 1, "objects": {"contacts": {"properties": []}}}', "contacts"),
        (
            '{"format_version": 1, "objects": {"contacts": {"properties": {"x": {}}, '
            '"archived": [], "groups": {}}}}',
            "property",
        ),
        (  # a hand-edited property missing what every PATCH or DELETE reads
            '{"format_version": 1, "objects": {"contacts": {"properties": {"x": {"name": "x", '
            '"groupName": "g", "dataSensitivity": "non_sensitive"}}, "archived": [], '
            '"groups": {}}}}',
            "objects.contacts.properties.x needs",
        ),
        (
            '{"format_version": 1, "objects": {"contacts": {"properties": {}, "archived": [], '
            '"groups": {"g": {"name": "g"}}}}}',
            "objects.contacts.groups.g needs",
        ),
    ],
)
def test_a_corrupt_state_file_is_a_clear_error(tmp_path: Path, content: str, hint: str) -> None:
    state = tmp_path / "sandbox.json"
    state.write_text(content)
    with pytest.raises(ConfigError) as caught:
        Sandbox(state_file=state)
    message = str(caught.value)
    assert str(state) in message and hint in message
    assert "delete it" in message
