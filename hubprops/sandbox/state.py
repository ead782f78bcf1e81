"""Persisting the sandbox as one JSON file (``--state FILE``, ``.hubprops/sandbox.json``).

The file is rewritten atomically after every change and before the change is acknowledged. A
file that cannot be read back is a ``ConfigError`` naming the file and what to do, never a
traceback. Besides ``objects`` (properties and groups per type) it may hold
``customObjects`` (``[{"name", "objectTypeId"?, "labels"?}]``, declared by hand or by
``--custom-object``), ``records`` (per type ``{"nextId", "rows"}``) and ``tokenScopes``
(``{"sha256:<hex of the token>": [scopes]}``: tokens themselves are never written). Records are
written compactly and re-serialized only when they changed, so a write stays fast with
thousands of records per type.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hubprops.errors import ConfigError
from hubprops.fsutil import atomic_write, dumps_pretty
from hubprops.sandbox.objecttypes import ObjectTypes

if TYPE_CHECKING:
    from hubprops.sandbox.records import RecordStore

FORMAT_VERSION = 1
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What the store reads from every active property and group (hand edits may drop it).
_PROPERTY_SHAPE: dict[str, type | tuple[type, ...]] = {
    "label": str,
    "type": str,
    "fieldType": str,
    "options": list,
    "modificationMetadata": dict,
}
_GROUP_SHAPE: dict[str, type | tuple[type, ...]] = {"name": str, "label": str, "displayOrder": int}


@dataclass
class LoadedState:
    """What a state file holds."""

    objects: dict[str, Any]
    last_stamp_ms: int = 0
    portal_id: int | None = None
    custom_objects: list[dict[str, Any]] = field(default_factory=list)
    records: dict[str, Any] = field(default_factory=dict)
    token_scopes: dict[str, list[str]] = field(default_factory=dict)


def save_state(path: Path, state: LoadedState, records: RecordStore | None = None) -> None:
    """Write the whole sandbox to ``path`` atomically (records spliced in compactly)."""
    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "portalId": state.portal_id,
        "lastStampMs": state.last_stamp_ms,
        "objects": state.objects,
    }
    if state.custom_objects:
        doc["customObjects"] = state.custom_objects
    if state.token_scopes:
        doc["tokenScopes"] = state.token_scopes
    text = dumps_pretty(doc)
    if state.records:
        compact = (
            records.serialized()
            if records is not None
            else json.dumps(state.records, separators=(",", ":"))
        )
        body = text.rstrip()
        text = body[: body.rindex("}")].rstrip() + ',\n  "records": ' + compact + "\n}\n"
    atomic_write(path, encodable(text))


def encodable(text: str) -> str:
    """``text`` (JSON) with any lone surrogate written as its ``\\uXXXX`` escape, so it always
    encodes as UTF-8 and reads back as the same string (surrogates only occur inside strings)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def _check_object(object_type: str, obj: Any) -> str | None:
    if not (
        isinstance(obj, dict)
        and isinstance(obj.get("properties"), dict)
        and isinstance(obj.get("archived"), list)
        and isinstance(obj.get("groups"), dict)
    ):
        return f"objects.{object_type} needs 'properties', 'archived' and 'groups'"
    for prop in [*obj["properties"].values(), *obj["archived"]]:
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


def _check(data: Any) -> str | None:
    """What is wrong with a loaded state document, or None."""
    if not isinstance(data, dict):
        return "not a JSON object"
    if data.get("format_version") != FORMAT_VERSION:
        return f"format_version is {data.get('format_version')!r}, expected {FORMAT_VERSION}"
    objects = data.get("objects")
    if not isinstance(objects, dict) or not isinstance(data.get("lastStampMs", 0), int):
        return "'objects' must be an object"
    custom = data.get("customObjects", [])
    if not isinstance(custom, list) or not all(
        isinstance(c, dict) and isinstance(c.get("name"), str) for c in custom
    ):
        return "'customObjects' must be a list of {\"name\": ...} objects"
    portal = data.get("portalId")
    try:
        types = ObjectTypes(portal if isinstance(portal, int) else 0, custom)
    except ValueError as exc:
        return str(exc)
    known = {t.key for t in types.all()}
    for object_type, obj in objects.items():
        if object_type not in known:
            return f"unknown object type {object_type!r} (declare custom objects in customObjects)"
        problem = _check_object(object_type, obj)
        if problem:
            return problem
    if not isinstance(data.get("records", {}), dict):
        return "'records' must be an object"
    scopes = data.get("tokenScopes", {})
    if not isinstance(scopes, dict) or not all(isinstance(v, list) for v in scopes.values()):
        return "'tokenScopes' must map sha256:<token hash> to a list of scopes"
    return None


def load_state(path: Path) -> LoadedState:
    """Read a state file; ConfigError if it is unusable."""
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
    return LoadedState(
        data["objects"],
        data.get("lastStampMs", 0),
        portal if isinstance(portal, int) else None,
        data.get("customObjects", []),
        data.get("records", {}),
        data.get("tokenScopes", {}),
    )
