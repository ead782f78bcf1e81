"""Seed data: HubSpot-defined properties and default groups, expanded from ``seed.json``.

``seed.json`` keeps each property short (options as ``[label, value]`` pairs, metadata as
``readOnlyValue``/``readOnlyDefinition``/``readOnlyOptions`` flags); ``seed_objects`` expands
them into full Property objects marked ``hubspotDefined: true`` and ``archivable: false``.
``readOnlyDefinition`` defaults to true; ``readOnlyOptions`` is sent on enumerations only and
defaults to true (lifecyclestage, hs_lead_status and a few others are false: editable options).
HubSpot-defined properties carry no ``createdUserId``/``updatedUserId``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from hubprops.sandbox.fields import PROPERTY_DEFAULTS

_META = ("readOnlyValue", "readOnlyDefinition", "readOnlyOptions")


def _property(raw: dict[str, Any], created_at: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "archivable": False,
        "readOnlyDefinition": raw.get("readOnlyDefinition", True),
        "readOnlyValue": raw.get("readOnlyValue", False),
    }
    if raw["type"] == "enumeration" or "readOnlyOptions" in raw:
        meta["readOnlyOptions"] = raw.get("readOnlyOptions", True)
    options = [
        {"label": label, "value": value, "description": "", "displayOrder": i, "hidden": False}
        for i, (label, value) in enumerate(raw.get("options", []))
    ]
    prop = {k: v for k, v in raw.items() if k not in _META and k != "options"}
    return {
        **PROPERTY_DEFAULTS,
        **prop,
        "options": options,
        "hubspotDefined": True,
        "modificationMetadata": meta,
        "createdAt": created_at,
        "updatedAt": created_at,
        "archived": False,
    }


def seed_objects() -> dict[str, dict[str, Any]]:
    """The seeded state of every standard object type (fresh dicts on every call)."""
    text = resources.files("hubprops.sandbox").joinpath("seed.json").read_text("utf-8")
    raw = json.loads(text)
    created_at: str = raw["createdAt"]
    out: dict[str, dict[str, Any]] = {}
    for object_type, data in raw["objects"].items():
        groups = {
            name: {"name": name, "label": label, "displayOrder": order, "archived": False}
            for name, label, order in data["groups"]
        }
        props = {p["name"]: _property(p, created_at) for p in data["properties"]}
        out[object_type] = {"properties": props, "archived": [], "groups": groups}
    return out
