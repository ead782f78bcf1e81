"""Wire-format tests: vcrpy cassettes of the client's calls, replayed with no server at all.

Each scenario below is a short conversation with HubSpot. Its cassette in tests/cassettes/ was
recorded against the sandbox served on loopback; the default run replays it (record mode
``none``): any change in what the client sends (method, path, query, body) no longer matches
and fails the test, and the recorded answers check how the client reads HubSpot's. The
``Authorization`` header is never recorded, and ``test_no_cassette_holds_a_token`` checks it.

Re-record against the sandbox::

    pytest tests/hubspot/test_cassettes.py --record-mode=rewrite

Record against a real HubSpot *test* portal (writes tests/cassettes/live/; creates and
archives a few ``hubprops_cassette_*`` properties and a group; never run in CI)::

    HUBPROPS_LIVE=1 HUBSPOT_ACCESS_TOKEN=pat-... \\
        pytest tests/hubspot/test_cassettes.py -m live --record-mode=rewrite

Live cassettes, once committed, are replayed by the default run too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import vcr  # type: ignore[import-untyped]

from hubprops.errors import AuthenticationError, Conflict, ValidationFailed
from hubprops.hubspot import HubSpotClient
from hubprops.sandbox import Sandbox, serve
from tests.hubspot.conftest import TEST_TOKEN

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
LIVE = CASSETTES / "live"
REPLAY_BASE = "http://127.0.0.1:9"  # never contacted: vcrpy answers every request
PREFIX = "hubprops_cassette"

VCR = vcr.VCR(
    filter_headers=["authorization", "cookie"],
    match_on=["method", "path", "query", "body"],
    decode_compressed_response=True,
    before_record_response=lambda r: {
        **r,
        "headers": {k: v for k, v in r["headers"].items() if k.lower() != "set-cookie"},
    },
)


def text_prop(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "label": name.replace("_", " ").title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
    }


def reads(client: HubSpotClient) -> None:
    assert client.get_portal_id() > 0
    props = client.list_properties("contacts")
    assert "email" in {p["name"] for p in props}
    assert all({"name", "label", "type", "fieldType", "groupName"} <= p.keys() for p in props)
    assert "contactinformation" in {g["name"] for g in client.list_groups("contacts")}
    email = client.get_property("contacts", "email")
    assert email is not None and email["type"] == "string"
    assert client.get_property("contacts", f"{PREFIX}_missing") is None


def property_lifecycle(client: HubSpotClient) -> None:
    group = f"{PREFIX}_group"
    assert client.create_group("contacts", {"name": group, "label": "Cassette"})["name"] == group
    created = client.create_property(
        "contacts",
        {
            "name": f"{PREFIX}_service",
            "label": "Service",
            "type": "enumeration",
            "fieldType": "select",
            "groupName": group,
            "options": [
                {"label": "Pump", "value": "pump", "displayOrder": 0, "hidden": False},
                {"label": "Tank", "value": "tank", "displayOrder": 1, "hidden": False},
            ],
        },
    )
    assert [o["value"] for o in created["options"]] == ["pump", "tank"]
    updated = client.update_property("contacts", f"{PREFIX}_service", {"label": "Service type"})
    assert updated["label"] == "Service type"
    assert client.update_group("contacts", group, {"label": "Cassette 2"})["label"] == "Cassette 2"
    client.archive_property("contacts", f"{PREFIX}_service")
    client.archive_group("contacts", group)


def batch(client: HubSpotClient) -> None:
    names = [f"{PREFIX}_bulk_{i}" for i in range(3)]
    result = client.create_properties("contacts", [text_prop(n) for n in names])
    assert result.ok and sorted(r["name"] for r in result.results) == names
    client.archive_properties("contacts", names)
    assert client.get_property("contacts", names[0]) is None


def errors(client: HubSpotClient) -> None:
    with pytest.raises(ValidationFailed):
        client.create_property("contacts", {**text_prop(f"{PREFIX}_bad"), "fieldType": "select"})
    with pytest.raises(Conflict):
        client.create_property("contacts", text_prop("email"))


def auth_error(client: HubSpotClient) -> None:
    with pytest.raises(AuthenticationError):
        client.list_groups("contacts")


SCENARIOS: dict[str, Callable[[HubSpotClient], None]] = {
    "reads": reads,
    "property_lifecycle": property_lifecycle,
    "batch": batch,
    "errors": errors,
    "auth_error": auth_error,
}
TOKENS = {"auth_error": "not-a-real-token"}


@pytest.fixture
def record_mode(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--record-mode", default="none"))


@contextmanager
def cassette(path: Path, record_mode: str) -> Iterator[bool]:
    """Use ``path`` in vcrpy; yields whether requests may reach a server (recording)."""
    if record_mode == "rewrite" and path.exists():
        path.unlink()
    mode = "once" if record_mode == "rewrite" else record_mode
    if mode == "none" and not path.exists():
        pytest.fail(f"missing cassette {path}: record it with --record-mode=rewrite")
    with VCR.use_cassette(str(path), record_mode=mode):
        yield mode != "none"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_sandbox_cassette(scenario: str, record_mode: str) -> None:
    with ExitStack() as stack:
        base = REPLAY_BASE
        if stack.enter_context(cassette(CASSETTES / f"{scenario}.yaml", record_mode)):
            sandbox = Sandbox(portal_id=4242, token=TEST_TOKEN)
            base = stack.enter_context(serve(sandbox, port=0)).url
        client = stack.enter_context(
            HubSpotClient(base, TOKENS.get(scenario, TEST_TOKEN), max_workers=1)
        )
        SCENARIOS[scenario](client)


LIVE_RECORDED = sorted(p.stem for p in LIVE.glob("*.yaml")) if LIVE.exists() else []


@pytest.mark.parametrize(
    "scenario",
    LIVE_RECORDED or [pytest.param("none", marks=pytest.mark.skip(reason="no live cassettes yet"))],
)
def test_live_cassette_replays(scenario: str) -> None:
    """Recorded from a real portal: the client still sends and reads exactly that."""
    client = HubSpotClient(REPLAY_BASE, TOKENS.get(scenario, TEST_TOKEN), max_workers=1)
    with VCR.use_cassette(str(LIVE / f"{scenario}.yaml"), record_mode="none"), client:
        SCENARIOS[scenario](client)


@pytest.mark.live
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_live_portal(scenario: str, record_mode: str) -> None:
    token = os.environ.get("HUBSPOT_ACCESS_TOKEN")
    if not token:
        pytest.skip("needs HUBPROPS_LIVE=1 and HUBSPOT_ACCESS_TOKEN for a HubSpot test portal")
    base = os.environ.get("HUBPROPS_API_BASE", "https://api.hubapi.com")
    LIVE.mkdir(parents=True, exist_ok=True)
    client = HubSpotClient(base, TOKENS.get(scenario, token), max_workers=1)
    with cassette(LIVE / f"{scenario}.yaml", record_mode), client:
        SCENARIOS[scenario](client)


def test_no_cassette_holds_a_token() -> None:
    files = [p for p in CASSETTES.rglob("*") if p.is_file()]
    assert files, "no cassettes found"
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for needle in ("Bearer", "bearer ", "pat-", TEST_TOKEN):
            assert needle not in text, f"{path} contains {needle!r}"
        assert not re.search(r"^\s*authorization:", text, re.IGNORECASE | re.MULTILINE), path
