"""HubSpot's rules as data, written once for the client side, and the checks that use them.

Every fact about HubSpot that the client side needs lives here, with where it comes from
(``docs/hubspot-api.md``), and the rest of the code asks this module: object types and their
ids, the fields a definition can manage, HubSpot's server defaults, type/fieldType pairs,
what PATCH can and cannot change, the groups every portal has, limits and the dataSensitivity
levels. The sandbox (``hubprops/sandbox``) keeps its own copy on purpose, so that an emulator
sharing our understanding cannot hide our mistakes; ``tests/test_rules.py`` compares the two and
lists the intended differences.

- A create needs name, label, type, fieldType and groupName (PropertyCreate's required fields).
- Some fields are absent from PropertyUpdate (``NOT_PATCHABLE``): fixed when the property is
  created.
- A property whose ``modificationMetadata.readOnlyDefinition`` is true (HubSpot-defined ones)
  lets only ``READ_ONLY_DEFINITION_EDITABLE`` change, plus ``options`` when ``readOnlyOptions``
  is false.

Each check returns problems as sentences a user can act on (the caller adds file:line).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: HubSpot's standard object types: name -> objectTypeId (docs/hubspot-api.md, "Object types").
OBJECT_TYPE_IDS: Mapping[str, str] = {
    "contacts": "0-1",
    "companies": "0-2",
    "deals": "0-3",
    "tickets": "0-5",
    "leads": "0-136",
}

#: Every field a property definition can manage, in HubSpot's names (PropertyCreate's fields),
#: in the order HubSpot documents them.
PROPERTY_FIELDS: tuple[str, ...] = (
    "name",
    "label",
    "type",
    "fieldType",
    "groupName",
    "description",
    "options",
    "displayOrder",
    "hidden",
    "formField",
    "hasUniqueValue",
    "calculationFormula",
    "externalOptions",
    "referencedObjectType",
    "dataSensitivity",
    "showCurrencySymbol",
    "numberDisplayHint",
    "textDisplayHint",
    "currencyPropertyName",
)
#: Every field a group definition can manage (PropertyGroupCreate).
GROUP_FIELDS: tuple[str, ...] = ("name", "label", "displayOrder")

#: dataSensitivity levels. HubSpot lists only ``DEFAULT_SENSITIVITY`` properties unless a list
#: or read asks for another level (docs/hubspot-api.md, "Sensitive properties").
SENSITIVITIES: tuple[str, ...] = ("non_sensitive", "sensitive", "highly_sensitive")
DEFAULT_SENSITIVITY = "non_sensitive"

#: HubSpot's value for a field a create leaves out (docs/hubspot-api.md, "Server defaults").
#: Fields not listed have no default: a missing one is None.
DEFAULTS: Mapping[str, Any] = {
    "description": "",
    "options": [],
    "displayOrder": -1,
    "hidden": False,
    "formField": False,
    "hasUniqueValue": False,
    "externalOptions": False,
    "showCurrencySymbol": False,
    "dataSensitivity": DEFAULT_SENSITIVITY,
}
#: The same for each option of a property.
OPTION_DEFAULTS: Mapping[str, Any] = {"description": "", "hidden": False}

#: type -> the fieldTypes HubSpot pairs with it (docs/hubspot-api.md, "Types and field types").
FIELD_TYPES: Mapping[str, frozenset[str]] = {
    "bool": frozenset({"booleancheckbox", "calculation_equation"}),
    "enumeration": frozenset(
        {"booleancheckbox", "checkbox", "radio", "select", "calculation_equation"}
    ),
    "date": frozenset({"date"}),
    "datetime": frozenset({"date"}),
    "string": frozenset(
        {"file", "text", "textarea", "calculation_equation", "html", "phonenumber"}
    ),
    "number": frozenset({"number", "calculation_equation"}),
    "phone_number": frozenset({"phonenumber"}),
}
#: fieldTypes that hold several values per record; leaving them keeps only one value.
MULTI_VALUE_FIELD_TYPES = frozenset({"checkbox"})

#: What HubSpot needs to create a property, besides its name.
REQUIRED_ON_CREATE = ("label", "type", "fieldType", "groupName")
#: Absent from PropertyUpdate: fixed when the property is created.
NOT_PATCHABLE = frozenset(
    {"name", "hasUniqueValue", "dataSensitivity", "externalOptions", "referencedObjectType"}
)
#: What may change on a property whose modificationMetadata.readOnlyDefinition is true (plus
#: options when readOnlyOptions is false).
READ_ONLY_DEFINITION_EDITABLE = frozenset(
    {"label", "description", "groupName", "displayOrder", "hidden", "formField"}
)

#: Property groups HubSpot creates in every portal, by object type: a property may use them
#: without declaring them. Seen in portals, not documented by HubSpot (docs/hubspot-api.md,
#: "Default groups"); any other undeclared group is only a warning.
DEFAULT_GROUPS: Mapping[str, frozenset[str]] = {
    "contacts": frozenset(
        {
            "contactinformation",
            "emailinformation",
            "conversioninformation",
            "socialmediainformation",
            "analyticsinformation",
            "sales_properties",
        }
    ),
    "leads": frozenset({"leadinformation", "lead_activity", "lead_pipeline"}),
    "companies": frozenset({"companyinformation", "socialmediainformation"}),
    "deals": frozenset({"dealinformation"}),
    "tickets": frozenset({"ticketinformation"}),
}

#: HubSpot's documented limits (docs/hubspot-api.md, "Limits").
MAX_UNIQUE_VALUE_PROPERTIES = 10
MAX_OPTIONS = 5000
MAX_OPTION_CHARS = 3000


def extra_sensitivities(levels: Iterable[str | None]) -> tuple[str, ...]:
    """The levels in ``levels`` that need their own list call (all but the default), sorted."""
    return tuple(sorted({lv for lv in levels if lv and lv != DEFAULT_SENSITIVITY}))


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
