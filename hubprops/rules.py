"""HubSpot's rules on what a plan may do to a property, checked before a change is planned.

- A create needs name, label, type, fieldType and groupName (PropertyCreate's required fields).
- Some fields are absent from PropertyUpdate (``NOT_PATCHABLE``): fixed when the property is
  created.
- A property whose ``modificationMetadata.readOnlyDefinition`` is true (HubSpot-defined ones)
  lets only ``READ_ONLY_DEFINITION_EDITABLE`` change, plus ``options`` when ``readOnlyOptions``
  is false. The sandbox enforces the same rule (hubprops/sandbox/validation.py).

Each function returns problems as sentences a user can act on (the caller adds file:line).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

#: What HubSpot needs to create a property, besides its name (API-FACTS section 3).
REQUIRED_ON_CREATE = ("label", "type", "fieldType", "groupName")
#: Absent from PropertyUpdate: fixed when the property is created.
NOT_PATCHABLE = frozenset(
    {"name", "hasUniqueValue", "dataSensitivity", "externalOptions", "referencedObjectType"}
)
#: What may change on a property whose modificationMetadata.readOnlyDefinition is true (plus
#: options when readOnlyOptions is false). The sandbox enforces the same rule.
READ_ONLY_DEFINITION_EDITABLE = frozenset(
    {"label", "description", "groupName", "displayOrder", "hidden", "formField"}
)


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def create_problems(t: str, name: str, after: Mapping[str, Any]) -> list[str]:
    """Why the normalized definition ``after`` cannot be created (missing required fields)."""
    missing = [f for f in REQUIRED_ON_CREATE if f not in after]
    if not missing:
        return []
    return [
        f"cannot create {t} property {name!r}: missing {', '.join(missing)} (HubSpot needs "
        "name, label, type, fieldType and groupName to create a property)"
    ]


def update_problems(
    t: str,
    name: str,
    found: Mapping[str, Any],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    changed: Sequence[str],
) -> list[str]:
    """Why HubSpot would refuse changing ``changed`` fields of ``found`` (HubSpot's JSON) from
    ``before`` to ``after`` (normalized forms)."""
    problems: list[str] = []
    hubspot_defined = bool(found.get("hubspotDefined"))
    way_out = (
        "match HubSpot's value (HubSpot-defined properties cannot be archived)"
        if hubspot_defined
        else "archive it and recreate it under another name, or match HubSpot's value"
    )
    for f in (f for f in changed if f in NOT_PATCHABLE):
        problems.append(
            f"{f} of {t} property {name!r} cannot be changed after creation "
            f"(HubSpot has {_js(before.get(f))}, the definition says {_js(after[f])}); {way_out}"
        )
    meta = found.get("modificationMetadata") or {}
    if meta.get("readOnlyDefinition"):
        editable = set(READ_ONLY_DEFINITION_EDITABLE)
        if meta.get("readOnlyOptions") is False:
            editable.add("options")
        for f in (f for f in changed if f not in editable and f not in NOT_PATCHABLE):
            problems.append(
                f"{f} of HubSpot-defined {t} property {name!r} is read-only "
                f"(HubSpot has {_js(before.get(f))}, the definition says {_js(after[f])}); "
                f"remove {f} from the definition or match HubSpot's value"
            )
    return problems


#: HubSpot API versions hubprops speaks (docs/hubspot-api.md): date-versioned ones, and the
#: legacy v3 that HubSpot stops supporting in September 2027.
API_VERSIONS = ("2026-03", "2026-09", "v3")
DEFAULT_API_VERSION = "2026-03"
