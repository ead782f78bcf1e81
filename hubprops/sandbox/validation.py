"""Request-body validation for properties and groups, as HubSpot's v3 endpoints do it.

Pure functions over JSON values: each returns a checked, defaulted dict or raises ``ApiError``
(400 VALIDATION_ERROR with one ErrorDetail per problem). Rules that need the store (duplicate
names, group existence, the unique-value cap) live in ``store.py``.

Choices where HubSpot is not documented (API-FACTS [UNCONFIRMED]), modelled strictly (see also
``fields.py``): options are only accepted on enumeration and bool properties, and a bool
property created without options gets ``Yes``/``true`` and ``No``/``false`` options.
"""

from __future__ import annotations

from typing import Any

from hubprops.sandbox.errors import detail, invalid
from hubprops.sandbox.fields import (
    BOOL,
    FIELD_TYPES,
    INT,
    PROPERTY_DEFAULTS,
    STR,
    bool_options,
    check_fields,
    check_name,
    check_options,
    raise_if,
)
from hubprops.sandbox.versions import V3, ApiVersion

#: PropertyCreate fields and their JSON kinds ("enum" fields are strings from fields.ENUMS).
CREATE_FIELDS: dict[str, str] = {
    "name": STR,
    "label": STR,
    "type": "enum",
    "fieldType": "enum",
    "groupName": STR,
    "description": STR,
    "options": "options",
    "displayOrder": INT,
    "hasUniqueValue": BOOL,
    "hidden": BOOL,
    "formField": BOOL,
    "calculationFormula": STR,
    "externalOptions": BOOL,
    "referencedObjectType": STR,
    "dataSensitivity": "enum",
    "currencyPropertyName": STR,
    "showCurrencySymbol": BOOL,
    "numberDisplayHint": "enum",
    "textDisplayHint": "enum",
}
REQUIRED_ON_CREATE = ("name", "label", "type", "fieldType", "groupName")
#: Absent from PropertyUpdate: fixed at creation.
NOT_PATCHABLE = frozenset(
    {"name", "hasUniqueValue", "dataSensitivity", "externalOptions", "referencedObjectType"}
)
UPDATE_FIELDS = {k: v for k, v in CREATE_FIELDS.items() if k not in NOT_PATCHABLE}
#: What a PATCH may change on a property whose readOnlyDefinition is true (plus ``options``
#: when readOnlyOptions is false).
READ_ONLY_DEFINITION_EDITABLE = frozenset(
    {"label", "description", "groupName", "displayOrder", "hidden", "formField"}
)
#: A PATCH touching one of these re-checks type/fieldType pairing and options.
SHAPE_FIELDS = frozenset({"type", "fieldType", "options"})
GROUP_CREATE_FIELDS = {"name": STR, "label": STR, "displayOrder": INT}
GROUP_UPDATE_FIELDS = {"label": STR, "displayOrder": INT}


def _check_shape(prop: dict[str, Any], problems: list[dict[str, Any]]) -> None:
    """type/fieldType pairing, options only where they belong, externalOptions on enums only."""
    type_, field_type = prop["type"], prop["fieldType"]
    if field_type not in FIELD_TYPES.get(type_, ()):
        allowed = ", ".join(sorted(FIELD_TYPES.get(type_, ()))) or "none: a read-only type"
        problems.append(
            detail(
                f"fieldType '{field_type}' is not valid for type '{type_}' (use one of: {allowed})",
                "fieldType",
                "INVALID_FIELD_TYPE",
            )
        )
    options = prop.get("options", [])
    if type_ == "enumeration" and not options and not prop.get("externalOptions"):
        problems.append(
            detail("options are required for enumeration properties", "options", "REQUIRED")
        )
    if type_ not in ("enumeration", "bool") and options:
        problems.append(
            detail(f"options are not allowed on a '{type_}' property", "options", "NOT_ALLOWED")
        )
    if prop.get("externalOptions") and type_ != "enumeration":
        problems.append(
            detail("externalOptions is only allowed on enumerations", "externalOptions")
        )


def _known(fields: dict[str, str], version: ApiVersion) -> dict[str, str]:
    return {k: v for k, v in fields.items() if k not in version.removed_inputs}


def check_property_create(body: Any, version: ApiVersion = V3) -> dict[str, Any]:
    """A PropertyCreate body -> the property's definition with HubSpot's defaults filled in.

    Server-assigned fields (timestamps, user ids, modificationMetadata, archived) are added by
    the store. ``version`` decides which fields exist and whether options need displayOrder.
    """
    fields, problems = check_fields(body, _known(CREATE_FIELDS, version), "PropertyCreate")
    missing = [k for k in REQUIRED_ON_CREATE if not fields.get(k)]
    if missing:
        problems[:0] = [detail(f"{k} is required", k, "REQUIRED") for k in missing]
        raise_if(problems, f"Some required fields were not set: [{', '.join(missing)}]. Input")
    problems.extend(check_name(fields["name"]))
    options = check_options(fields.get("options", []), problems, version.option_order_required)
    if fields["type"] == "bool" and "options" not in fields:
        options = bool_options()
    prop: dict[str, Any] = {
        **PROPERTY_DEFAULTS,
        **{k: v for k, v in fields.items() if k != "options"},
        "options": options,
        "calculated": False,
    }
    _check_shape(prop, problems)
    raise_if(problems, "Property")
    return prop


def check_property_update(
    current: dict[str, Any], body: Any, version: ApiVersion = V3
) -> dict[str, Any]:
    """A PropertyUpdate body applied to ``current`` -> the new definition (a new dict).

    On a property whose ``modificationMetadata.readOnlyDefinition`` is true only
    ``READ_ONLY_DEFINITION_EDITABLE`` fields may change, plus ``options`` when
    ``readOnlyOptions`` is false; any other field is a 400 naming it.
    """
    if not isinstance(body, dict):
        raise invalid("Invalid input JSON: expected a PropertyUpdate object")
    fixed = sorted(k for k in body if k in NOT_PATCHABLE)
    if fixed:
        problems = [
            detail(f"{k} cannot be changed after the property is created", k, "NOT_PATCHABLE")
            for k in fixed
        ]
        raise_if(problems, "PropertyUpdate")
    fields, problems = check_fields(body, _known(UPDATE_FIELDS, version), "PropertyUpdate")
    raise_if(problems, "PropertyUpdate")
    meta = current.get("modificationMetadata", {})
    if meta.get("readOnlyDefinition"):
        editable = set(READ_ONLY_DEFINITION_EDITABLE)
        if meta.get("readOnlyOptions") is False:
            editable.add("options")
        locked = sorted(k for k in fields if k not in editable)
        if locked:
            problems = [
                detail(
                    f"{k} of HubSpot-defined property '{current['name']}' is read-only",
                    k,
                    "READ_ONLY",
                )
                for k in locked
            ]
            raise_if(problems, "PropertyUpdate")
    new = {**current, **{k: v for k, v in fields.items() if k != "options"}}
    if "options" in fields:
        new["options"] = check_options(fields["options"], problems, version.option_order_required)
    elif "type" in fields and new["type"] not in ("enumeration", "bool"):
        new["options"] = []
    elif new["type"] == "bool" and current["type"] != "bool":
        new["options"] = bool_options()
    if SHAPE_FIELDS & fields.keys():
        # Only a PATCH that touches the shape re-checks it: HubSpot-defined properties may
        # hold types and fieldTypes create does not take (API-FACTS section 4).
        _check_shape(new, problems)
    raise_if(problems, "PropertyUpdate")
    return new


def check_group_create(body: Any) -> dict[str, Any]:
    """A PropertyGroupCreate body -> the new group (``archived`` false, displayOrder -1)."""
    fields, problems = check_fields(body, GROUP_CREATE_FIELDS, "PropertyGroupCreate")
    missing = [k for k in ("name", "label") if not fields.get(k)]
    problems[:0] = [detail(f"{k} is required", k, "REQUIRED") for k in missing]
    if not missing:
        problems.extend(check_name(fields["name"]))
    raise_if(problems, "PropertyGroupCreate")
    return {
        "name": fields["name"],
        "label": fields["label"],
        "displayOrder": fields.get("displayOrder", -1),
        "archived": False,
    }


def check_group_update(current: dict[str, Any], body: Any) -> dict[str, Any]:
    """A PropertyGroupUpdate body (label, displayOrder only) applied to ``current``."""
    if isinstance(body, dict) and "name" in body:
        raise invalid(
            "A property group's name cannot be changed",
            [detail("name cannot be changed", "name", "NOT_PATCHABLE")],
        )
    fields, problems = check_fields(body, GROUP_UPDATE_FIELDS, "PropertyGroupUpdate")
    raise_if(problems, "PropertyGroupUpdate")
    return {**current, **fields}
