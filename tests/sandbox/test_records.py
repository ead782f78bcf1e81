"""Records: seeding, search (filters, paging, total, rate limit), batch read and update, and
how records follow the schema (archived property values gone, removed options kept)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.sandbox.conftest import AUTH, FakeClock, enum_body, make_sandbox, prop_body

PROPS = "/crm/v3/properties/contacts"
SEARCH = "/crm/v3/objects/contacts/search"
DATED_SEARCH = "/crm/objects/2026-03/contacts/search"


def eq(name: str, op: str, **kw: Any) -> dict[str, Any]:
    return {"filterGroups": [{"filters": [{"propertyName": name, "operator": op, **kw}]}]}


@pytest.fixture
def seeded(sb: Sandbox, client: httpx.Client, clock: FakeClock) -> Iterator[httpx.Client]:
    """40 contacts with values for a select, a checkbox, a number and a text property; each
    request moves the clock 0.25 s, so searches stay under the secondly limit."""

    def tick(request: httpx.Request) -> None:
        clock.t += 0.25

    client.event_hooks["request"].append(tick)
    client.post(PROPS, json=enum_body("tier", "gold", "silver", "bronze"))
    multi = {**enum_body("tags", "red", "green", "blue"), "fieldType": "checkbox"}
    client.post(PROPS, json=multi)
    client.post(PROPS, json=prop_body("score", type="number", fieldType="number"))
    client.post(PROPS, json=prop_body("motto"))
    assert sb.seed_records(40, ["contacts"]) == 40
    yield client


def all_values(sb: Sandbox, name: str) -> list[str | None]:
    return [sb.record_values("contacts", str(i)).get(name) for i in range(1, 41)]


def test_seeded_values_respect_types_and_options(sb: Sandbox, seeded: httpx.Client) -> None:
    tiers = [v for v in all_values(sb, "tier") if v is not None]
    assert tiers and set(tiers) <= {"gold", "silver", "bronze"}
    assert len(tiers) < 40  # some records leave it empty
    for tags in filter(None, all_values(sb, "tags")):
        assert set(tags.split(";")) <= {"red", "green", "blue"}
    for score in filter(None, all_values(sb, "score")):
        float(score)


def count(client: httpx.Client, body: dict[str, Any], path: str = SEARCH) -> int:
    response = client.post(path, json={**body, "limit": 1})
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def test_search_operators(sb: Sandbox, seeded: httpx.Client) -> None:
    tiers = all_values(sb, "tier")
    assert count(seeded, eq("tier", "EQ", value="gold")) == tiers.count("gold")
    assert count(seeded, eq("tier", "NEQ", value="gold")) == 40 - tiers.count("gold")
    both = tiers.count("gold") + tiers.count("silver")
    assert count(seeded, eq("tier", "IN", values=["gold", "silver"])) == both
    assert count(seeded, eq("tier", "HAS_PROPERTY")) == 40 - tiers.count(None)
    assert count(seeded, eq("tier", "NOT_HAS_PROPERTY")) == tiers.count(None)
    tags = all_values(sb, "tags")
    with_red = sum(1 for t in tags if t and "red" in t.split(";"))
    assert count(seeded, eq("tags", "CONTAINS_TOKEN", value="red")) == with_red
    assert count(seeded, eq("tags", "IN", values=["red"]), DATED_SEARCH) == with_red
    scores = [float(s) for s in all_values(sb, "score") if s]
    assert count(seeded, eq("score", "GTE", value="2500")) == sum(s >= 2500 for s in scores)


def test_filter_groups_or_and_filters_and(sb: Sandbox, seeded: httpx.Client) -> None:
    tiers, tags = all_values(sb, "tier"), all_values(sb, "tags")
    gold_and_tagged = sum(1 for t, g in zip(tiers, tags, strict=True) if t == "gold" and g)
    body = {"filterGroups": [{"filters": [
        {"propertyName": "tier", "operator": "EQ", "value": "GOLD"},
        {"propertyName": "tags", "operator": "HAS_PROPERTY"}]}]}  # fmt: skip
    assert count(seeded, body) == gold_and_tagged
    either = {"filterGroups": [eq("tier", "EQ", value="gold")["filterGroups"][0],
                               eq("tier", "EQ", value="silver")["filterGroups"][0]]}  # fmt: skip
    assert count(seeded, either) == tiers.count("gold") + tiers.count("silver")


def test_search_paging_properties_and_limit(seeded: httpx.Client) -> None:
    seen: list[str] = []
    after: str | None = None
    while True:
        body: dict[str, Any] = {"limit": 15, "properties": ["tier", "nosuch"]}
        if after:
            body["after"] = after
        page = seeded.post(SEARCH, json=body).json()
        assert page["total"] == 40
        for record in page["results"]:
            assert set(record["properties"]) == {"tier"}
            seen.append(record["id"])
        after = page.get("paging", {}).get("next", {}).get("after")
        if not after:
            break
    assert sorted(seen, key=int) == [str(i) for i in range(1, 41)]
    default = seeded.post(SEARCH, json={}).json()["results"][0]["properties"]
    assert {"hs_object_id", "createdate", "lastmodifieddate"} <= set(default)
    assert seeded.post(SEARCH, json={"limit": 200}).status_code == 200
    assert seeded.post(SEARCH, json={"limit": 201}).status_code == 400
    assert seeded.post(SEARCH, json=eq("nosuch", "EQ", value="x")).status_code == 400


def test_search_has_its_own_secondly_limit(clock: FakeClock) -> None:
    sb = make_sandbox(clock)
    with httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL, headers=AUTH) as c:
        for _ in range(5):
            assert c.post(SEARCH, json={}).status_code == 200
        limited = c.post(SEARCH, json={})
        assert limited.status_code == 429
        assert limited.json()["message"] == "You have reached your secondly limit."
        assert "X-HubSpot-RateLimit-Max" not in limited.headers
        assert c.get(PROPS).status_code == 200  # other endpoints are unaffected
        clock.t += 1.0
        assert c.post(SEARCH, json={}).status_code == 200


def test_batch_read_and_update(sb: Sandbox, seeded: httpx.Client) -> None:
    base = "/crm/v3/objects/contacts/batch"
    update = {"inputs": [{"id": "1", "properties": {"tier": "gold", "motto": "Carpe diem"}},
                         {"id": "2", "properties": {"tier": ""}}]}  # fmt: skip
    assert seeded.post(f"{base}/update", json=update).status_code == 200
    read = seeded.post(f"{base}/read", json={"inputs": [{"id": "1"}, {"id": "2"}],
                                             "properties": ["tier", "motto"]})  # fmt: skip
    assert read.status_code == 200
    found = {r["id"]: r["properties"] for r in read.json()["results"]}
    assert found["1"] == {"tier": "gold", "motto": "Carpe diem"}
    assert found["2"]["tier"] is None
    assert count(seeded, eq("motto", "CONTAINS_TOKEN", value="carpe")) >= 1
    missing = seeded.post(f"{base}/read", json={"inputs": [{"id": "1"}, {"id": "999"}]})
    assert missing.status_code == 207 and missing.json()["errors"][0]["context"]["ids"] == ["999"]
    dated = seeded.post(
        "/crm/objects/2026-09/contacts/batch/read", json={"inputs": [{"id": "9"}, {"id": "x"}]}
    )
    assert dated.status_code == 200 and dated.json()["numErrors"] == 1


def test_batch_update_is_validated_all_or_nothing(sb: Sandbox, seeded: httpx.Client) -> None:
    base = "/crm/v3/objects/contacts/batch/update"
    before = sb.record_values("contacts", "3")
    bad = {"inputs": [{"id": "3", "properties": {"motto": "ok"}},
                      {"id": "4", "properties": {"tier": "platinum"}}]}  # fmt: skip
    refused = seeded.post(base, json=bad)
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "INVALID_OPTION"
    assert sb.record_values("contacts", "3") == before
    assert seeded.post(base, json={"inputs": [{"id": "3", "properties": {"score": "lots"}}]}
                       ).status_code == 400  # fmt: skip
    assert seeded.post(base, json={"inputs": [{"id": "3", "properties": {"createdate": "1"}}]}
                       ).status_code == 400  # fmt: skip
    many = {"inputs": [{"id": str(i % 40 + 1), "properties": {"motto": "m"}} for i in range(101)]}
    assert seeded.post(base, json=many).status_code == 400
    assert seeded.post(base, json={"inputs": many["inputs"][:100]}).status_code == 200


def test_archived_property_values_are_gone_removed_options_stay(
    sb: Sandbox, seeded: httpx.Client
) -> None:
    change = {"inputs": [{"id": "1", "properties": {"tier": "bronze", "motto": "m"}}]}
    assert seeded.post("/crm/v3/objects/contacts/batch/update", json=change).status_code == 200
    options = [{"label": "Gold", "value": "gold", "hidden": False}]
    assert seeded.patch(f"{PROPS}/tier", json={"options": options}).status_code == 200
    assert sb.record_values("contacts", "1")["tier"] == "bronze"
    assert count(seeded, eq("tier", "EQ", value="bronze")) >= 1
    assert seeded.delete(f"{PROPS}/motto").status_code == 204
    assert "motto" not in sb.record_values("contacts", "1")
    assert seeded.post(SEARCH, json=eq("motto", "HAS_PROPERTY")).status_code == 400
    record = seeded.post(SEARCH, json={"properties": ["motto", "tier"], "limit": 1}).json()
    assert set(record["results"][0]["properties"]) == {"tier"}


def test_records_persist_and_large_state_writes_stay_fast(clock: FakeClock, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    sb = make_sandbox(clock, state_file=state)
    with httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL, headers=AUTH) as c:
        c.post(PROPS, json=enum_body("tier", "gold", "silver"))
        sb.seed_records(2500, ["contacts", "deals", "products"])
        started = time.perf_counter()
        c.post(PROPS, json=prop_body("another"))
        c.post("/crm/v3/objects/deals/batch/update",
               json={"inputs": [{"id": "7", "properties": {"dealname": "Big"}}]})  # fmt: skip
        assert time.perf_counter() - started < 2.0
    data = json.loads(state.read_text())
    assert len(data["records"]["contacts"]["rows"]) == 2500
    again = make_sandbox(clock, state_file=state)
    assert again.record_values("deals", "7")["dealname"] == "Big"
    assert again.record_values("contacts", "5") == sb.record_values("contacts", "5")
