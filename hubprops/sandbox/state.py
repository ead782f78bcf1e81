"""Persisting the sandbox store as one JSON file (``--state FILE``, ``.hubprops/sandbox.json``).

The file is rewritten atomically (``hubprops.fsutil.atomic_write_json``) after every change and
before the change is acknowledged. A file that cannot be read back is a ``ConfigError`` naming
the file and what to do, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hubprops.errors import ConfigError
from hubprops.fsutil import atomic_write_json
from hubprops.sandbox.store import OBJECT_TYPES

FORMAT_VERSION = 1
#: What the store reads from every active property and group (hand edits may drop it).
_PROPERTY_SHAPE: dict[str, type | tuple[type, ...]] = {
    "label": str,
    "type": str,
    "fieldType": str,
    "options": list,
    "modificationMetadata": dict,
}
_GROUP_SHAPE: dict[str, type | tuple[type, ...]] = {"name": str, "label": str, "displayOrder": int}


def save_state(path: Path, portal_id: int, objects: dict[str, Any], last_stamp_ms: int) -> None:
    """Write the whole store to ``path`` atomically."""
    atomic_write_json(
        path,
        {
            "format_version": FORMAT_VERSION,
            "portalId": portal_id,
            "lastStampMs": last_stamp_ms,
            "objects": objects,
        },
    )


def _check(data: Any) -> str | None:
    """What is wrong with a loaded state document, or None."""
    if not isinstance(data, dict):
        return "not a JSON object"
    if data.get("format_version") != FORMAT_VERSION:
        return f"format_version is {data.get('format_version')!r}, expected {FORMAT_VERSION}"
    objects = data.get("objects")
    if not isinstance(objects, dict) or not isinstance(data.get("lastStampMs", 0), int):
        return "'objects' must be an object"
    for object_type, obj in objects.items():
        if object_type not in OBJECT_TYPES:
            return f"unknown object type {object_type!r}"
        if not (
            isinstance(obj, dict)
            and isinstance(obj.get("properties"), dict)
            and isinstance(obj.get("archived"), list)
            and isinstance(obj.get("groups"), dict)
        ):
            return f"objects.{object_type} needs 'properties', 'archived' and 'groups'"
        props = [*obj["properties"].values(), *obj["archived"]]
        for prop in props:
            if not isinstance(prop, dict) or not all(
                isinstance(prop.get(k), str) for k in ("name", "groupName", "dataSensitivity")
            ):
                return f"objects.{object_type} holds a property without name/groupName"
        for where, items, shape in (
            ("properties", obj["properties"], _PROPERTY_SHAPE),
            ("groups", obj["groups"], _GROUP_SHAPE),
        ):
            for key, item in items.items():
                bad = [k for k, kind in shape.items() if not isinstance(item.get(k), kind)]
                if bad:
                    return f"objects.{object_type}.{where}.{key} needs {', '.join(bad)}"
    return None


def load_state(path: Path) -> tuple[dict[str, Any], int, int | None]:
    """Read a state file -> (objects, lastStampMs, portalId); ConfigError if it is unusable."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem: str | None = f"cannot be read as JSON ({exc})"
    else:
        problem = _check(data)
    if problem:
        raise ConfigError(
            f"sandbox state file {path} is not usable: {problem}. Fix it, or delete it to "
            "start again from the seed data."
        )
    portal = data.get("portalId")
    return data["objects"], data.get("lastStampMs", 0), portal if isinstance(portal, int) else None
