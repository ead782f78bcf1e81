"""Views of an apply: one progress line per finished change, failures, and the final summary
(the original system's figures: created, updated, archived, skipped (unchanged), errors,
duration)."""

from __future__ import annotations

from typing import Any

from hubprops.apply.applier import ApplyResult, ChangeResult, Progress
from hubprops.fsutil import dumps_pretty
from hubprops.lock.status import format_duration
from hubprops.models import lock_id

_MARK = {"applied": "ok", "failed": "FAILED", "skipped": "SKIPPED", "not_started": "not started"}


def describe(result: ChangeResult) -> str:
    """``create contacts property foo``."""
    change = result.change
    kind = change.kind.value
    return f"{change.action.value} {change.object_type} {kind} {change.name}"


def render_progress(progress: Progress) -> str:
    """``[12/40] ok      create contacts property foo`` (no newline)."""
    width = len(str(progress.total))
    mark = _MARK[progress.result.status]
    return f"[{progress.done:>{width}}/{progress.total}] {mark:<7} {describe(progress.result)}"


def render_failures(result: ApplyResult) -> str:
    """One block per change that failed or was skipped, with HubSpot's message and details."""
    if not result.failures:
        return ""
    lines = [f"{len(result.failures)} change(s) not applied:"]
    for failure in result.failures:
        lines.append(f"  ! {describe(failure)}: {failure.message}")
        lines.extend(f"      - {detail}" for detail in failure.details)
    return "\n".join(lines) + "\n"


def render_summary(result: ApplyResult) -> str:
    """The closing line(s): what was done, what is left, and what to do next."""
    counts = result.counts
    errors = counts["failed"]
    not_started = sum(r.status == "not_started" for r in result.results)
    figures = (
        f"{counts['created']} created, {counts['updated']} updated, {counts['archived']} archived, "
        f"{counts['unchanged']} skipped (unchanged), {errors} error{'s' if errors != 1 else ''}"
    )
    if not_started:
        figures += f", {not_started} not started"
    duration = format_duration(result.duration_s)
    if result.interrupted:
        head = "Apply interrupted"
    elif result.status == "completed":
        head = "Apply complete"
    elif result.status == "failed":
        head = "Apply failed"
    else:
        head = "Apply partial"
    lines = [f"{head}: {figures} in {duration}."]
    if result.recorded_in_sync:
        lines.append(
            f"Recorded {result.recorded_in_sync} item(s) already as defined in the lock "
            "(adopted, or created just before an earlier apply was cut off)."
        )
    if result.stopped_because:
        lines.append(f"Stopped early: {result.stopped_because}")
    if not result.ok:
        lines.append(
            "The lock records every step that completed; run `hubprops plan` to see what is "
            "left, then apply again."
        )
    return "\n".join(lines) + "\n"


_SYNC_STATUS = {"create": "created", "update": "updated", "archive": "archived"}


def render_result_json(result: ApplyResult | None) -> str:
    """``apply --format json``: ``result_data``, or an all-zero result when there was nothing
    to apply."""
    if result is not None:
        return dumps_pretty(result_data(result))
    zero = {k: 0 for k in ("created", "updated", "archived", "unchanged")}
    summary = {"total_synced": 0, "total_failed": 0, "sync_duration": "0.0s", **zero}
    return dumps_pretty({"sync_status": "completed", "summary": summary})


def result_data(result: ApplyResult) -> dict[str, Any]:
    """The result in the shape of the original system's ``POST /sync/all`` ``data`` object
    (for ``--format json`` and the HTTP service)."""
    data: dict[str, Any] = {"sync_status": result.status}
    types = sorted({r.change.object_type for r in result.results})
    for object_type in types:
        mine = [r for r in result.results if r.change.object_type == object_type]
        applied = [r for r in mine if r.status == "applied"]
        failed = [r for r in mine if r.status in ("failed", "skipped")]
        applied_props = [r for r in applied if r.change.kind.value == "property"]
        data[object_type] = {
            "status": "success" if len(applied) == len(mine) else "partial_failure",
            "synced_properties": len(applied_props),
            "failed_properties": sum(r.change.kind.value == "property" for r in failed),
            "properties": [
                {
                    "name": r.change.name,
                    "sync_status": _SYNC_STATUS[r.change.action.value],
                    "hubspot_property_id": lock_id(object_type, r.change.name),
                }
                for r in applied_props
            ],
            "failures": [
                {"kind": r.change.kind.value, "name": r.change.name, "error": r.message}
                for r in failed
            ],
        }
    data["summary"] = {
        "total_synced": sum(r.status == "applied" for r in result.results),
        "total_failed": len(result.failures),
        "sync_duration": format_duration(result.duration_s),
        **{k: result.counts[k] for k in ("created", "updated", "archived", "unchanged")},
    }
    return data
