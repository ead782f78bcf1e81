"""The last sync per object type, read from the lock, in the shape of the original system's
``GET /api/v1/hubspot/properties/sync/status/{sync_type}`` ``data`` object::

    {"sync_type": "all",
     "last_sync": {"timestamp", "status", "duration": "2.4s",
                   "total_properties", "successful", "failed"},
     "contacts": {"status", "properties_synced", "last_update"},
     "leads":    {...}}

Used by ``hubprops status`` and, later, the HTTP service. Pure: no I/O.

Definitions of the figures: ``properties_synced`` is the number of properties the lock records
for that object type (what hubprops manages there and last brought in line); ``successful`` is
their sum over the object types reported, ``failed`` the changes that failed in the last sync,
and ``total_properties`` their sum. A never-synced object type (or portal) has status ``never``.
"""

from __future__ import annotations

from typing import Any

from hubprops.lock.file import LastSync, Lock, LockedPortal
from hubprops.models import canonical_object_type

#: The original system's object types: always reported by ``status all``.
DEFAULT_OBJECT_TYPES = ("contacts", "leads")
NEVER = "never"


def choose_portal(lock: Lock, portal_id: int | str | None = None) -> str | None:
    """The portal to report: the given one, else the only one, else the most recently synced
    (by last sync timestamp; ISO 8601 UTC strings sort in time order). None if the lock is empty
    and no portal was given."""
    if portal_id is not None:
        return str(portal_id)
    if not lock.portals:
        return None

    def key(item: tuple[str, LockedPortal]) -> tuple[str, str]:
        last = item[1].last_sync
        return (last.timestamp if last else "", item[0])

    return max(lock.portals.items(), key=key)[0]


def format_duration(seconds: float) -> str:
    """``2.4`` -> ``"2.4s"`` (the original system's form); minutes above 100 s: ``"3m05s"``."""
    if seconds >= 100:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes}m{rest:02d}s"
    return f"{seconds:.1f}s"


def _object_entry(last: LastSync | None, properties: int) -> dict[str, Any]:
    return {
        "status": last.status if last else NEVER,
        "properties_synced": properties,
        "last_update": last.timestamp if last else None,
    }


def status_data(
    lock: Lock, sync_type: str = "all", portal_id: int | str | None = None
) -> dict[str, Any]:
    """The status ``data`` object for ``sync_type`` (``all``, ``contacts``, ``leads`` or any
    object type, ``0-1`` meaning ``contacts``) in one portal (see ``choose_portal``)."""
    wanted = "all" if sync_type.strip().lower() == "all" else canonical_object_type(sync_type)
    chosen = choose_portal(lock, portal_id)
    portal = lock.portals.get(chosen) if chosen is not None else None
    objects = portal.objects if portal else {}

    if wanted == "all":
        types = list(DEFAULT_OBJECT_TYPES) + sorted(
            t for t in objects if t not in DEFAULT_OBJECT_TYPES
        )
        overall = portal.last_sync if portal else None
        covered = (overall.object_types or types) if overall else []
    else:
        types = [wanted]
        entry = objects.get(wanted)
        overall = entry.last_sync if entry else None
        covered = [wanted]

    data: dict[str, Any] = {"sync_type": wanted}
    successful = failed = 0
    for object_type in types:
        entry = objects.get(object_type)
        properties = len(entry.properties) if entry else 0
        last = entry.last_sync if entry else None
        data[object_type] = _object_entry(last, properties)
        if object_type in covered:
            successful += properties
            failed += last.failed if last else 0

    data["last_sync"] = {
        "timestamp": overall.timestamp if overall else None,
        "status": overall.status if overall else NEVER,
        "duration": format_duration(overall.duration_s) if overall else None,
        "total_properties": successful + failed,
        "successful": successful,
        "failed": failed,
    }
    if overall is not None and overall.not_started:
        data["last_sync"]["not_started"] = overall.not_started
    return data
