"""Text and JSON views of ``hubprops status`` (the data comes from ``hubprops.lock.status``)."""

from __future__ import annotations

import json
from typing import Any

from hubprops.lock.status import NEVER


def render_status_json(data: dict[str, Any]) -> str:
    """The status ``data`` object as pretty, key-sorted JSON (what the HTTP service wraps)."""
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def render_status_text(
    data: dict[str, Any],
    *,
    portal_id: str | None,
    lock_path: str,
    portal_count: int = 1,
    apply_running: bool | None = None,
) -> str:
    """A few readable lines: which portal, the last sync, one line per object type.

    ``portal_count`` > 1 with the portal chosen automatically adds a note saying so;
    ``apply_running`` False while a status is ``in_progress`` explains the apply was cut off.
    """
    lines: list[str] = []
    if portal_id is None:
        return f"No sync recorded in {lock_path} yet: run `hubprops apply` to make one.\n"
    where = f"Portal {portal_id}"
    if portal_count > 1:
        where += (
            f" (the most recently synced of {portal_count} portals in {lock_path};"
            " choose another with --portal)"
        )
    lines.append(where)
    last = data["last_sync"]
    if last["status"] == NEVER:
        lines.append(f"Last sync: none recorded in {lock_path} yet (run `hubprops apply`).")
    else:
        lines.append(
            f"Last sync: {last['status']} at {last['timestamp']} in {last['duration']}: "
            f"{last['total_properties']} properties, {last['successful']} successful, "
            f"{last['failed']} failed"
            + (f", {last['not_started']} never started" if last.get("not_started") else "")
        )
    lines.append("")
    types = [k for k in data if k not in ("sync_type", "last_sync")]
    width = max((len(t) for t in types), default=0)
    interrupted = False
    for object_type in types:
        entry = data[object_type]
        if entry["status"] == NEVER:
            lines.append(f"  {object_type:<{width}}  never synced")
            continue
        interrupted = interrupted or entry["status"] == "in_progress"
        lines.append(
            f"  {object_type:<{width}}  {entry['status']:<11}  "
            f"{entry['properties_synced']:>4} properties  last update {entry['last_update']}"
        )
    if (interrupted or last["status"] == "in_progress") and apply_running is False:
        lines.append("")
        lines.append(
            "No apply is running now: the last one was interrupted before it finished. "
            "The lock holds every step it completed; run `hubprops plan` to see what is left."
        )
    return "\n".join(lines) + "\n"


def render_other_portals(portals: list[tuple[str, str | None, str | None, int]]) -> str:
    """One line per other portal the lock records: ``(portal id, environment name or None,
    last sync "status at timestamp" or None, managed property count)``."""
    if not portals:
        return ""
    lines = ["", "Other portals in the lock:"]
    for portal_id, env, last, count in portals:
        name = f" ({env})" if env else ""
        when = f"last sync {last}" if last else "no sync recorded"
        lines.append(f"  {portal_id}{name}: {when}, {count} managed properties")
    return "\n".join(lines) + "\n"
