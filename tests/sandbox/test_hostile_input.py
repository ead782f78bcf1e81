"""Hostile request bodies are 400 VALIDATION_ERRORs that change nothing, never 500s."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hubprops.sandbox import Sandbox
from hubprops.sandbox.state import LoadedState, load_state, save_state
from tests.helpers.clock import FakeClock
from tests.sandbox.conftest import AUTH, make_sandbox, prop_body

URL = "/crm/v3/properties/contacts"


def _post(sb: Sandbox, body: bytes) -> tuple[int, dict[str, object]]:
    answer = sb.handle("POST", URL, {}, {**AUTH, "Content-Type": "application/json"}, body)
    return answer.status, json.loads(answer.body) if answer.body else {}


def _assert_validation_error(status: int, body: dict[str, object]) -> None:
    assert status == 400
    assert body["status"] == "error" and body["category"] == "VALIDATION_ERROR"
    assert isinstance(body["correlationId"], str) and "Invalid input JSON" in str(body["message"])


def test_lone_surrogate_is_a_400_and_later_writes_still_persist(
    clock: FakeClock, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    sb = make_sandbox(clock, state_file=state)
    bad = json.dumps(prop_body("lone", label="\ud800")).encode()  # ASCII: "\\ud800"
    _assert_validation_error(*_post(sb, bad))
    assert "lone" not in {p["name"] for p in sb.properties("contacts")}
    status, _ = _post(sb, json.dumps(prop_body("after_lone")).encode())
    assert status == 201
    names = {p["name"] for p in load_state(state).objects["contacts"]["properties"].values()}
    assert "after_lone" in names and "lone" not in names


def test_surrogate_pairs_are_fine(sb: Sandbox) -> None:
    status, body = _post(sb, json.dumps(prop_body("emoji", label="smile \U0001f600")).encode())
    assert status == 201 and body["label"] == "smile \U0001f600"


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        json.dumps(prop_body("bigint")).encode()[:-1] + b', "displayOrder": ' + b"9" * 5000 + b"}",
        b'{"name": NaN}',
        b"\xff\xfe",
    ],
    ids=["deep-array", "deep-object", "int-5000-digits", "nan", "bad-utf8"],
)
def test_unparseable_bodies_are_400(sb: Sandbox, body: bytes) -> None:
    before = sb.properties("contacts")
    _assert_validation_error(*_post(sb, body))
    assert sb.properties("contacts") == before


def test_state_file_write_never_breaks_on_a_lone_surrogate(tmp_path: Path) -> None:
    """Defence in depth: even a surrogate that got into memory is saved and read back."""
    state = tmp_path / "state.json"
    sb = Sandbox(state_file=state)
    save_state(state, LoadedState({"contacts": sb.store.objects["contacts"]}, portal_id=5))
    doc = json.loads(state.read_text("utf-8"))
    doc["objects"]["contacts"]["properties"]["email"]["label"] = "x\ud800y"
    save_state(state, LoadedState(doc["objects"], portal_id=5))
    assert load_state(state).objects["contacts"]["properties"]["email"]["label"] == "x\ud800y"


@pytest.mark.parametrize("token", [None, "the-token"])
@pytest.mark.parametrize("given", ["Bearer é", "Bearer \ud800", "Bearer t\x00"])
def test_odd_bearer_tokens_are_401_or_accepted_never_500(
    clock: FakeClock, token: str | None, given: str
) -> None:
    sb = make_sandbox(clock, token=token)
    answer = sb.handle("GET", f"{URL}/email", {}, {"Authorization": given}, b"")
    assert answer.status == (200 if token is None else 401)
    if answer.status == 401:
        assert json.loads(answer.body)["category"] == "INVALID_AUTHENTICATION"


def test_a_failing_state_write_is_a_hubspot_shaped_500(clock: FakeClock, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    sb = make_sandbox(clock, state_file=blocker / "state.json")
    status, body = _post(sb, json.dumps(prop_body("unsaved")).encode())
    assert status == 500 and body["status"] == "error" and body["category"] == "INTERNAL_ERROR"
    assert "Traceback" not in json.dumps(body) and sb.requests[-1].status == 500
