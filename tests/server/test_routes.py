"""hubprops/server/app.py + sync.py over HTTP against the sandbox: each route's success and
error shapes, field by field as the original service's document shows them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from hubprops.hubspot import HubSpotClient
from hubprops.lock.file import load_lock
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.server.helpers import BASE, auth, served

ERROR_KEYS = {"success", "error", "details", "status_code"}
PROPERTY_KEYS = {"name", "label", "sync_status", "hubspot_property_id"}


def edit(definitions: Path, file: str, old: str, new: str) -> None:
    path = definitions / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_error(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == ERROR_KEYS
    assert body["success"] is False and body["status_code"] == status
    assert isinstance(body["error"], str) and isinstance(body["details"], dict)
    assert "Traceback" not in answer.text
    return body


def test_sync_contacts_then_all_in_the_original_shapes(tmp_path: Path) -> None:
    with served(tmp_path) as client:
        answer = client.post(f"{BASE}/contacts", headers=auth())
        assert answer.status_code == 200
        body = answer.json()
        assert set(body) == {"success", "data"} and body["success"] is True
        data = body["data"]
        assert {
            "object_type",
            "sync_status",
            "synced_properties",
            "failed_properties",
            "properties",
            "sync_details",
        } <= set(data)
        assert data["object_type"] == "contacts" and data["sync_status"] == "completed"
        by_name = {p["name"]: p for p in data["properties"]}
        assert all(set(p) >= PROPERTY_KEYS for p in data["properties"])
        created = by_name["what_service_do_you_need_"]
        assert created["label"] == "What services do you need?"
        assert created["sync_status"] == "created"
        assert created["hubspot_property_id"] == "0-1/what_service_do_you_need_"
        assert by_name["email"]["sync_status"] == "skipped"  # HubSpot-defined, already so
        details = data["sync_details"]
        assert details == {"created": 12, "updated": 0, "skipped": 3, "errors": 0}
        assert data["synced_properties"] == 12 and data["failed_properties"] == 0

        everything = client.post(f"{BASE}/all", headers=auth()).json()["data"]
        assert everything["sync_status"] == "completed"
        assert everything["contacts"] == {
            "status": "success",
            "synced_properties": 0,
            "failed_properties": 0,
            "properties": [],
        }
        leads = everything["leads"]
        assert leads["status"] == "success" and leads["synced_properties"] == 25
        assert "project_category" in leads["properties"]
        summary = everything["summary"]
        assert summary["total_synced"] == 25 and summary["total_failed"] == 0
        assert summary["sync_duration"].endswith("s")
        float(summary["sync_duration"][:-1])

        lead = client.post(f"{BASE}/leads", headers=auth()).json()["data"]
        assert lead["object_type"] == "leads" and lead["sync_details"]["skipped"] == 25
    lock = load_lock(tmp_path / "hubprops.lock.json")
    assert "0-1/what_service_do_you_need_" in json.dumps(lock.to_json())


def test_status_and_history_after_syncs(tmp_path: Path) -> None:
    with served(tmp_path) as client:
        never = client.get(f"{BASE}/status/all", headers=auth()).json()["data"]
        assert never["next_scheduled_sync"] is None
        client.post(f"{BASE}/all", headers=auth())
        client.post(f"{BASE}/contacts?dry_run=true", headers=auth())
        status = client.get(f"{BASE}/status/all", headers=auth()).json()
        assert status["success"] is True
        data = status["data"]
        assert data["sync_type"] == "all"
        last = data["last_sync"]
        assert set(last) == {
            "timestamp",
            "status",
            "duration",
            "total_properties",
            "successful",
            "failed",
        }
        assert last["status"] == "completed" and last["duration"].endswith("s")
        assert last["total_properties"] == 40 and last["successful"] == 40
        assert data["contacts"]["status"] == "completed"
        assert data["contacts"]["properties_synced"] == 15
        assert data["leads"]["properties_synced"] == 25
        assert data["next_scheduled_sync"] is None
        one = client.get(f"{BASE}/status/contacts", headers=auth()).json()["data"]
        assert one["sync_type"] == "contacts" and "leads" not in one

        first = client.get(f"{BASE}/history?limit=1", headers=auth()).json()["data"]
        (newest,) = first["items"]
        assert newest["dry_run"] is True and newest["scope"] == "contacts"
        assert newest["user"] == "alice" and newest["plan_checksum"]
        older = client.get(f"{BASE}/history?limit=5&before={first['next_before']}", headers=auth())
        (row,) = older.json()["data"]["items"]
        assert row["scope"] == "all" and row["status"] == "completed" and not row["dry_run"]
        assert row["created"] == 37 and row["skipped"] == 3 and row["duration_s"] > 0
        assert older.json()["data"]["next_before"] is None


def test_dry_run_answers_with_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    sandbox = Sandbox()
    with served(tmp_path, sandbox_instance=sandbox) as client:
        answer = client.post(f"{BASE}/all?dry_run=true", headers=auth())
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert data["dry_run"] is True and data["summary"]["create"] == 40  # 37 properties, 3 groups
    assert {c["name"] for c in data["changes"]} >= {"what_service_do_you_need_", "quote_urgency"}
    assert not (tmp_path / "hubprops.lock.json").exists()
    assert all(r.method == "GET" for r in sandbox.requests)


def test_syncs_read_unchanged_definitions_from_the_parse_cache(tmp_path: Path) -> None:
    """Proof that a sync takes a cached parse: an entry edited in place is what the next dry
    run plans (the file itself is unchanged)."""
    from hubprops.definitions.cache import ParseCache

    store = ParseCache(tmp_path / "cache")
    with served(tmp_path, parse_cache=store) as client:
        first = client.post(f"{BASE}/contacts?dry_run=true", headers=auth())
        assert first.status_code == 200, first.text
        entries = sorted(store.directory.glob("*.json"))
        assert entries  # the sync filled the cache
        for entry in entries:
            stored = json.loads(entry.read_text(encoding="utf-8"))
            complete = [p for p in stored["data"].get("properties", []) if "type" in p]
            for prop in complete[:1]:  # one a create can be made from
                prop["name"] = "from_the_cache"
            entry.write_text(json.dumps(stored), encoding="utf-8")
        second = client.post(f"{BASE}/contacts?dry_run=true", headers=auth())
    assert second.status_code == 200, second.text
    names = {c["name"] for c in second.json()["data"]["changes"]}
    assert "from_the_cache" in names
    assert "from_the_cache" not in {c["name"] for c in first.json()["data"]["changes"]}


def test_destructive_changes_are_skipped_with_their_reason(tmp_path: Path) -> None:
    sandbox = Sandbox()
    with served(tmp_path, sandbox_instance=sandbox) as client:
        client.post(f"{BASE}/contacts", headers=auth())
        definitions = tmp_path / "definitions"
        other = "      - { label: Other, value: Other, displayOrder: 6 }\n"
        edit(definitions, "contacts.yaml", other, "")
        edit(definitions, "contacts.yaml", "label: Event Start Date", "label: Event Begins")
        planned = client.post(f"{BASE}/contacts?dry_run=true", headers=auth()).json()["data"]
        held = [c for c in planned["changes"] if not c["applied_by_service"]]
        assert [c["name"] for c in held] == ["what_service_do_you_need_"]
        data = client.post(f"{BASE}/contacts", headers=auth()).json()["data"]
    by_name = {p["name"]: p for p in data["properties"]}
    skipped = by_name["what_service_do_you_need_"]
    assert skipped["sync_status"] == "skipped"
    assert "'Other' removed" in skipped["reason"]
    assert skipped["reason"].endswith("review with hubprops plan --allow-destructive")
    assert by_name["event_start_date"]["sync_status"] == "updated"
    remote = {p["name"]: p for p in sandbox.properties("contacts")}
    assert "Other" in [o["value"] for o in remote["what_service_do_you_need_"]["options"]]
    assert remote["event_start_date"]["label"] == "Event Begins"


class _RejectPatches(httpx.BaseTransport):
    """HubSpot refusing updates of some properties (a fake at the HTTP boundary)."""

    def __init__(self, inner: httpx.BaseTransport, names: set[str]) -> None:
        self.inner, self.names = inner, names

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH" and request.url.path.rsplit("/", 1)[-1] in self.names:
            body = {
                "status": "error",
                "message": "Property already exists with different type",
                "category": "VALIDATION_ERROR",
                "correlationId": "c0ffee",
            }
            return httpx.Response(400, json=body, request=request)
        return self.inner.handle_request(request)


def rejecting(sandbox: Sandbox, names: set[str]) -> Callable[[Any], Any]:
    @contextmanager
    def factory(wrap: Callable[[httpx.BaseTransport], httpx.BaseTransport]) -> Iterator[Any]:
        transport = wrap(_RejectPatches(sandbox.transport(), names))
        with HubSpotClient(SANDBOX_BASE_URL, "test-token-abc", transport=transport) as client:
            yield client

    return factory


def test_partial_failure_is_207_and_total_failure_500(tmp_path: Path) -> None:
    sandbox = Sandbox()
    factory = rejecting(sandbox, {"ada_required", "event_end_date"})
    with served(tmp_path, sandbox_instance=sandbox, client_factory=factory) as client:
        assert client.post(f"{BASE}/all", headers=auth()).status_code == 200
        definitions = tmp_path / "definitions"
        edit(definitions, "contacts.yaml", "label: ADA accessible unit required", "label: ADA")
        edit(definitions, "contacts.yaml", "label: Event Start Date", "label: Event Begins")
        body = assert_error(client.post(f"{BASE}/contacts", headers=auth()), 207)
        assert body["error"] == "Partial sync failure"
        details = body["details"]
        assert details["successful_properties"] == 1 and details["failed_properties"] == 1
        (failure,) = details["failures"]
        assert failure["property"] == "ada_required"
        assert "different type" in failure["error"]

        edit(definitions, "contacts.yaml", "label: Event End Date", "label: Event Ends")
        body = assert_error(client.post(f"{BASE}/all", headers=auth()), 500)
        assert body["error"] == "Property sync failed"
        contacts = body["details"]["contacts"]
        assert contacts["status"] == "failed"
        assert sorted(contacts["failed_properties"]) == ["ada_required", "event_end_date"]
        assert "different type" in contacts["error"]
        history = client.get(f"{BASE}/history?limit=2", headers=auth()).json()["data"]["items"]
        assert [r["status"] for r in history] == ["failed", "partial"]
        assert history[1]["failed"] == 1 and history[1]["updated"] == 1


def test_hubspot_rate_limit_is_429_with_retry_details(tmp_path: Path) -> None:
    with served(tmp_path, sandbox_instance=Sandbox(daily_limit=2)) as client:
        answer = client.post(f"{BASE}/contacts", headers=auth())
        body = assert_error(answer, 429)
    assert body["error"] == "HubSpot API rate limit exceeded"
    details = body["details"]
    assert details["remaining_requests"] == 0 and details["retry_after"] >= 1
    assert details["reset_time"].endswith("Z")
    assert answer.headers["Retry-After"] == str(details["retry_after"])


def test_invalid_definitions_are_400_with_property_name(tmp_path: Path) -> None:
    with served(tmp_path) as client:
        definitions = tmp_path / "definitions"
        edit(definitions, "leads.yaml", "type: enumeration", "type: colour")
        body = assert_error(client.post(f"{BASE}/leads", headers=auth()), 400)
    assert body["error"] == "Property validation failed"
    assert body["details"]["property_name"]
    assert any("colour" in e for e in body["details"]["validation_errors"])


def test_unknown_sync_type_and_bad_input_keep_the_error_shape(tmp_path: Path) -> None:
    with served(tmp_path) as client:
        assert "known" in assert_error(client.post(f"{BASE}/deals", headers=auth()), 404)["details"]
        assert_error(client.get(f"{BASE}/status/nope", headers=auth()), 404)
        assert_error(client.get(f"{BASE}/status/..%2F..%2Fetc", headers=auth()), 404)
        assert_error(client.get(f"{BASE}/status/%2e%2e", headers=auth()), 404)
        assert_error(client.get("/nowhere/../at/all"), 404)
        assert_error(client.get(f"{BASE}/all", headers=auth()), 405)
        assert_error(client.post(f"{BASE}/contacts?dry_run=maybe", headers=auth()), 400)
        bad = assert_error(client.post(f"{BASE}/contacts?force=1", headers=auth()), 400)
        assert bad["details"]["validation_errors"] == ["unknown query parameter 'force'"]
        assert_error(client.get(f"{BASE}/history?limit=0", headers=auth()), 400)
        assert_error(client.get(f"{BASE}/history?before=-3", headers=auth()), 400)
        malformed = {**auth(), "Content-Type": "application/json"}
        answer = client.post(f"{BASE}/contacts?dry_run=true", headers=malformed, content=b"{nope")
        assert answer.status_code == 200  # the sync routes take no body; it is ignored
        huge = client.post(f"{BASE}/contacts", headers=auth(), content=b"x" * 2_000_000)
        assert_error(huge, 413)
        health = client.get("/healthz")
        assert health.json() == {"status": "ok"} and health.headers["x-request-id"]


def test_other_defined_object_types_have_their_route(tmp_path: Path) -> None:
    with served(tmp_path) as client:
        deals = tmp_path / "definitions" / "deals.yaml"
        deals.write_text(
            "objectType: deals\nproperties:\n  - name: stahla_margin\n    label: Margin\n"
            "    type: number\n    fieldType: number\n    groupName: dealinformation\n",
            encoding="utf-8",
        )
        data = client.post(f"{BASE}/0-3", headers=auth()).json()["data"]
        assert data["object_type"] == "deals"
        assert data["properties"][0]["sync_status"] == "created"
        assert data["properties"][0]["hubspot_property_id"] == "0-3/stahla_margin"
        status = client.get(f"{BASE}/status/deals", headers=auth()).json()["data"]
        assert status["deals"]["properties_synced"] == 1
