"""Build the original system's answers from a plan and an apply result (pure, no I/O).

Per property in scope: ``created`` / ``updated`` when applied, ``failed`` when HubSpot refused
it (or something it needed failed), ``skipped`` when already as defined, held back as
destructive (with the reason) or not started (the server was stopping).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hubprops.apply import ApplyResult, ChangeResult
from hubprops.apply.recorder import sync_status
from hubprops.apply.safe import HeldBack
from hubprops.lock.file import Lock
from hubprops.lock.status import format_duration
from hubprops.models import Definitions
from hubprops.plan.types import Kind, Plan

_DONE = {"create": "created", "update": "updated", "archive": "updated"}
UNCHANGED = "unchanged: HubSpot already matches the definition"


@dataclass
class ObjectOutcome:
    """One object type's properties after a sync."""

    object_type: str
    properties: list[dict[str, Any]] = field(default_factory=list)
    applied: int = 0
    failed: int = 0
    waiting: int = 0

    def count(self, status: str) -> int:
        return sum(p["sync_status"] == status for p in self.properties)

    @property
    def status(self) -> str:
        return sync_status(self.applied, self.failed, self.waiting)


@dataclass
class SyncOutcome:
    """A whole sync: per object type, the overall status and duration."""

    objects: dict[str, ObjectOutcome]
    status: str
    duration_s: float
    stopped_because: str | None = None

    def totals(self) -> dict[str, int]:
        props = [p for o in self.objects.values() for p in o.properties]
        return {
            s: sum(p["sync_status"] == s for p in props)
            for s in ("created", "updated", "skipped", "failed")
        }

    def failures(self) -> list[dict[str, Any]]:
        return [
            {"property": p["name"], "object_type": o.object_type, "error": p["reason"]}
            for o in self.objects.values()
            for p in o.properties
            if p["sync_status"] == "failed"
        ]


def outcome(
    definitions: Definitions,
    scope_types: Iterable[str],
    plan: Plan,
    held: tuple[HeldBack, ...],
    result: ApplyResult | None,
    lock: Lock,
    duration_s: float,
) -> SyncOutcome:
    """What became of every defined property in scope."""
    results: dict[tuple[str, str, str], ChangeResult] = {}
    for r in result.results if result else ():
        results[(r.change.kind.value, r.change.object_type, r.change.name)] = r
    held_by = {(h.change.kind.value, h.change.object_type, h.change.name): h for h in held}
    objects: dict[str, ObjectOutcome] = {}
    for object_type in sorted(set(scope_types)):
        entry = ObjectOutcome(object_type)
        locked = lock.find_object(plan.portal_id, object_type)
        defs = definitions.objects.get(object_type)
        for r in results.values():
            if r.change.object_type == object_type and r.change.kind is Kind.GROUP:
                _tally(entry, r)
        for prop in defs.properties if defs else ():
            key = (Kind.PROPERTY.value, object_type, prop.name)
            in_lock = locked.properties.get(prop.name) if locked else None
            row: dict[str, Any] = {
                "name": prop.name,
                "label": prop.label,
                "sync_status": "skipped",
                "hubspot_property_id": in_lock.id if in_lock else None,
                "reason": UNCHANGED,
            }
            if key in results:
                r = results[key]
                _tally(entry, r)
                if r.status == "applied":
                    row.update(sync_status=_DONE[r.change.action.value], reason=None)
                elif r.status == "not_started":
                    row.update(reason=r.message or "not started")
                else:
                    row.update(sync_status="failed", reason=_message(r))
            elif key in held_by:
                row["reason"] = held_by[key].reason
            entry.properties.append(row)
        objects[object_type] = entry
    status = result.status if result is not None else "completed"
    stopped = result.stopped_because if result is not None else None
    return SyncOutcome(objects, status, duration_s, stopped)


def _tally(entry: ObjectOutcome, r: ChangeResult) -> None:
    if r.status == "applied":
        entry.applied += 1
    elif r.status == "not_started":
        entry.waiting += 1
    else:
        entry.failed += 1


def _message(r: ChangeResult) -> str:
    return "; ".join([r.message, *r.details]) if r.details else r.message


def object_data(o: ObjectOutcome) -> dict[str, Any]:
    """``POST /contacts``'s ``data``."""
    created, updated = o.count("created"), o.count("updated")
    return {
        "object_type": o.object_type,
        "sync_status": o.status,
        "synced_properties": created + updated,
        "failed_properties": o.count("failed"),
        "properties": o.properties,
        "sync_details": {
            "created": created,
            "updated": updated,
            "skipped": o.count("skipped"),
            "errors": o.count("failed"),
        },
    }


_SUMMARY_STATUS = {"completed": "success", "partial": "partial_failure", "failed": "failed"}


def all_data(s: SyncOutcome) -> dict[str, Any]:
    """``POST /all``'s ``data``: one summary per object type, then the totals."""
    data: dict[str, Any] = {"sync_status": s.status}
    for object_type, o in s.objects.items():
        synced = [p["name"] for p in o.properties if p["sync_status"] in ("created", "updated")]
        data[object_type] = {
            "status": _SUMMARY_STATUS.get(o.status, "partial_failure"),
            "synced_properties": len(synced),
            "failed_properties": o.count("failed"),
            "properties": synced,
        }
    totals = s.totals()
    data["summary"] = {
        "total_synced": totals["created"] + totals["updated"],
        "total_failed": totals["failed"],
        "sync_duration": format_duration(s.duration_s),
        **totals,
    }
    return data


def failed_details(s: SyncOutcome) -> dict[str, Any]:
    """The 500 answer's ``details``: per object type, its status and failed properties."""
    details: dict[str, Any] = {}
    for object_type, o in s.objects.items():
        failed = [p for p in o.properties if p["sync_status"] == "failed"]
        details[object_type] = {
            "status": "failed" if o.status == "failed" else "partial_failure",
            "failed_properties": [p["name"] for p in failed],
        }
        if failed:
            details[object_type]["error"] = failed[0]["reason"]
    return details


def partial_details(s: SyncOutcome) -> dict[str, Any]:
    """The 207 answer's ``details``."""
    totals = s.totals()
    details: dict[str, Any] = {
        "successful_properties": totals["created"] + totals["updated"],
        "failed_properties": totals["failed"],
        "failures": s.failures(),
    }
    if s.stopped_because:
        details["stopped_because"] = s.stopped_because
    return details


def dry_run_reply(
    scope: str, plan: Plan, held: tuple[HeldBack, ...], checksum: str
) -> dict[str, Any]:
    """``?dry_run=true``: the plan, each change saying whether the service would apply it."""
    held_names = {(h.change.kind.value, h.change.object_type, h.change.name) for h in held}
    changes = [
        {
            "action": c.action.value,
            "kind": c.kind.value,
            "object_type": c.object_type,
            "name": c.name,
            "destructive": c.destructive,
            "applied_by_service": (c.kind.value, c.object_type, c.name) not in held_names,
            "reasons": list(c.reasons),
        }
        for c in plan.changes
    ]
    summary = dict(plan.summary)
    summary["held_back"] = len(held)
    data = {
        "dry_run": True,
        "sync_type": scope,
        "portal_id": plan.portal_id,
        "plan_checksum": checksum,
        "summary": summary,
        "changes": changes,
    }
    return {"success": True, "data": data}
