"""``/crm/v3/objects/{objectType}/...`` and ``/crm/objects/{version}/{objectType}/...``:
``search``, ``batch/read`` and ``batch/update`` over the records of one object type.

Batch read answers 200, or (v3 and earlier dates) 207 with OBJECT_NOT_FOUND errors naming the
missing ids; 2026-09 answers 200 with the errors. Batch update validates every value first
(unknown or read-only property, bad number, value not among the options: 400, nothing changed),
then updates; missing ids are reported like batch read. At most ``max_batch`` (100) inputs.
"""

from __future__ import annotations

from typing import Any

from hubprops.sandbox.account import no_route
from hubprops.sandbox.properties_routes import Reply, flag, parse_json
from hubprops.sandbox.records import RecordStore, batch_inputs
from hubprops.sandbox.search import search
from hubprops.sandbox.store import Store
from hubprops.sandbox.versions import ApiVersion


def _not_found(object_type: str, ids: list[str]) -> dict[str, Any]:
    return {
        "status": "error",
        "category": "OBJECT_NOT_FOUND",
        "message": f"Could not get some {object_type} objects, they may be deleted or not exist.",
        "errors": [],
        "context": {"ids": ids},
        "links": {},
    }


def _batch(
    store: Store, version: ApiVersion, ot: str, results: list[Any], missing: list[str]
) -> Reply:
    out: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": store.now_text(),
        "completedAt": store.now_text(),
    }
    if missing:
        out["numErrors"] = 1
        out["errors"] = [_not_found(ot, missing)]
    return (207 if missing and version.batch_207 else 200), out


def handle(
    store: Store,
    records: RecordStore,
    version: ApiVersion,
    method: str,
    rest: str,
    query: dict[str, str],
    body: bytes,
    max_batch: int,
) -> Reply:
    """Answer one objects-API request; ``rest`` is the path after the version."""
    parts = rest.strip("/").split("/")
    if method != "POST" or len(parts) < 2:
        raise no_route(method, rest)
    ot = store.resolve(parts[0])
    active = store.objects[ot]["properties"]
    action = "/".join(parts[1:])
    if action == "search":
        return 200, search(records, ot, parse_json(body), active)
    if action == "batch/read":
        data = parse_json(body)
        inputs = batch_inputs(data, max_batch)
        if flag(query, "archived"):
            return _batch(store, version, ot, [], [])
        names = data.get("properties") if isinstance(data.get("properties"), list) else None
        id_property = data.get("idProperty")
        rows = records.rows(ot)
        lookup: dict[str, str] = {}
        if isinstance(id_property, str) and id_property != "hs_object_id":
            lookup = {
                r["properties"][id_property]: rid
                for rid, r in rows.items()
                if id_property in r["properties"]
            }
        results, missing = [], []
        for item in inputs:
            wanted = str(item.get("id", "")) if isinstance(item, dict) else ""
            rid = lookup.get(wanted) if lookup else wanted
            if rid in rows:
                results.append(records.present(ot, rid, names, active))
            else:
                missing.append(wanted)
        return _batch(store, version, ot, results, missing)
    if action == "batch/update":
        inputs = batch_inputs(parse_json(body), max_batch)
        updated, missing = records.update(ot, inputs, active, store.stamp())
        results = [records.present(ot, rid, None, active) for rid in updated]
        return _batch(store, version, ot, results, missing)
    raise no_route(method, rest)
