"""Request-body validation for properties and groups, as HubSpot's v3 endpoints do it.

Pure functions over JSON values: each returns a checked, defaulted dict or raises ``ApiError``
(400 VALIDATION_ERROR with one ErrorDetail per problem). Rules that need the store (duplicate
names, group existence, the unique-value cap) live in ``store.py``.

Choices where HubSpot is not documented (API-FACTS [UNCONFIRMED]), modelled strictly:
unknown body fields are rejected ("Unrecognized field"), names must match ``^[a-z][a-z0-9_]*$``
(at most 100 characters), option values must be unique within a property, options are only
accepted on enumeration and bool properties, and a bool property created without options gets
``Yes``/``true`` and ``No``/``false`` options.
"""

from __future__ import annotations

import re
from typing import Any

from hubprops.sandbox.errors import ApiError, detail, invalid

#: type -> the fieldTypes HubSpot pairs with it (API-FACTS section 4).
FIELD_TYPES: dict[str, frozenset[str]] = {
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
ALL_FIELD_TYPES = frozenset().union(*FIELD_TYPES.values())

_STR = "string"
_BOOL = "boolean"
_INT = "integer"
_ENUMS: dict[str, frozenset[str]] = {
    "type": frozenset(FIELD_TYPES),
    "fieldType": ALL_FIELD_TYPES,
    "dataSensitivity": frozenset({"non_sensitive", "sensitive", "highly_sensitive"}),
    "numberDisplayHint": frozenset(
        {"unformatted", "formatted", "currency", "percentage", "duration", "probability"}
    ),
    "textDisplayHint": frozenset(
        {
            "unformatted_single_line",
            "multi_line",
            "email",
            "phone_number",
            "domain_name",
            "ip_address",
            "physical_address",
            "postal_code",
        }
    ),
}
#: PropertyCreate fields and their JSON kinds ("enum" fields are strings from _ENUMS).
CREATE_FIELDS: dict[str, str] = {
    "name": _STR,
    "label": _STR,
    "type": "enum",
    "fieldType": "enum",
    "groupName": _STR,
    "description": _STR,
    "options": "options",
    "displayOrder": _INT,
    "hasUniqueValue": _BOOL,
    "hidden": _BOOL,
    "formField": _BOOL,
    "calculationFormula": _STR,
    "externalOptions": _BOOL,
    "referencedObjectType": _STR,
    "dataSensitivity": "enum",
    "currencyPropertyName": _STR,
    "showCurrencySymbol": _BOOL,
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
GROUP_CREATE_FIELDS = {"name": _STR, "label": _STR, "displayOrder": _INT}
GROUP_UPDATE_FIELDS = {"label": _STR, "displayOrder": _INT}
OPTION_FIELDS = {"label": _STR, "value": _STR, "description": _STR, "displayOrder": _INT}
OPTION_FIELDS_ALL = {**OPTION_FIELDS, "hidden": _BOOL}

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_NAME = 100
MAX_OPTIONS = 5000
MAX_OPTION_CHARS = 3000
BOOL_OPTIONS = (("Yes", "true"), ("No", "false"))


def _kind_ok(value: Any, kind: str) -> bool:
    if kind in (_STR, "enum"):
        return isinstance(value, str)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, list)  # options


def check_fields(
    body: Any, fields: dict[str, str], what: str, prefix: str = ""
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Check ``body`` is an object of known, well-typed fields; nulls count as absent.

    Returns the body without nulls and the problems found (ErrorDetails).
    """
    if not isinstance(body, dict):
        raise invalid(f"Invalid input JSON: expected a {what} object")
    out: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for key, value in body.items():
        where = f"{prefix}{key}"
        kind = fields.get(key)
        if kind is None:
            problems.append(detail(f'Unrecognized field "{key}" in {what}', where, "UNKNOWN"))
        elif value is None:
            continue
        elif not _kind_ok(value, kind):
            want = "array" if kind == "options" else ("string" if kind == "enum" else kind)
            problems.append(detail(f"{key} must be a {want}", where, "INVALID_TYPE"))
        elif kind == "enum" and value not in _ENUMS[key]:
            allowed = ", ".join(sorted(_ENUMS[key]))
            problems.append(
                detail(f"{key} '{value}' is not one of: {allowed}", where, "INVALID_ENUM")
            )
        else:
            out[key] = value
    return out, problems


def check_name(name: str, field: str = "name") -> list[dict[str, Any]]:
    """Problems with a property or group internal name (sandbox rule, see module docstring)."""
    if not NAME_RE.match(name) or len(name) > MAX_NAME:
        return [
            detail(
                f"name '{name}' must start with a lowercase letter, hold only a-z, 0-9 and _ "
                f"and be at most {MAX_NAME} characters",
                field,
                "INVALID_NAME",
            )
        ]
    return []


def _options(raw: list[Any], problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Checked options with HubSpot's defaults, sorted as HubSpot returns them.

    A missing displayOrder becomes the option's position; -1 sorts after the others.
    """
    if len(raw) > MAX_OPTIONS:
        problems.append(detail(f"at most {MAX_OPTIONS} options are allowed", "options"))
    out: list[tuple[tuple[bool, int, int], dict[str, Any]]] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"options[{i}]."
        opt, found = (
            check_fields(item, OPTION_FIELDS_ALL, "option", where)
            if isinstance(item, dict)
            else ({}, [detail("option must be an object", f"options[{i}]", "INVALID_TYPE")])
        )
        problems.extend(found)
        for key in ("label", "value"):
            if not opt.get(key):
                problems.append(detail(f"option {key} is required", f"{where}{key}", "REQUIRED"))
        value = opt.get("value", "")
        if value and value in seen:
            problems.append(
                detail(f"duplicate option value '{value}'", f"{where}value", "DUPLICATE")
            )
        seen.add(value)
        text = opt.get("label", "") + value + opt.get("description", "")
        if len(text) > MAX_OPTION_CHARS:
            problems.append(
                detail(f"option longer than {MAX_OPTION_CHARS} characters", f"options[{i}]")
            )
        order = opt.get("displayOrder", i)
        full = {
            "label": opt.get("label", ""),
            "value": value,
            "description": opt.get("description", ""),
            "displayOrder": order,
            "hidden": opt.get("hidden", False),
        }
        out.append(((order < 0, order, i), full))
    return [o for _, o in sorted(out, key=lambda pair: pair[0])]


def _bool_options() -> list[dict[str, Any]]:
    return [
        {"label": label, "value": value, "description": "", "displayOrder": i, "hidden": False}
        for i, (label, value) in enumerate(BOOL_OPTIONS)
    ]


def _check_shape(prop: dict[str, Any], problems: list[dict[str, Any]]) -> None:
    """type/fieldType pairing, options only where they belong, externalOptions on enums only."""
    type_, field_type = prop["type"], prop["fieldType"]
    if field_type not in FIELD_TYPES[type_]:
        allowed = ", ".join(sorted(FIELD_TYPES[type_]))
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


def _raise_if(problems: list[dict[str, Any]], what: str) -> None:
    if problems:
        summary = "; ".join(p["message"] for p in problems)
        raise invalid(f"{what} is not valid: {summary}", problems)


def check_property_create(body: Any) -> dict[str, Any]:
    """A PropertyCreate body -> the property's definition with HubSpot's defaults filled in.

    Server-assigned fields (timestamps, user ids, modificationMetadata, archived) are added by
    the store.
    """
    fields, problems = check_fields(body, CREATE_FIELDS, "PropertyCreate")
    missing = [k for k in REQUIRED_ON_CREATE if not fields.get(k)]
    if missing:
        problems[:0] = [detail(f"{k} is required", k, "REQUIRED") for k in missing]
        _raise_if(problems, f"Some required fields were not set: [{', '.join(missing)}]. Input")
    problems.extend(check_name(fields["name"]))
    options = _options(fields.get("options", []), problems)
    if fields["type"] == "bool" and "options" not in fields:
        options = _bool_options()
    prop: dict[str, Any] = {
        "name": fields["name"],
        "label": fields["label"],
        "type": fields["type"],
        "fieldType": fields["fieldType"],
        "description": fields.get("description", ""),
        "groupName": fields["groupName"],
        "options": options,
        "displayOrder": fields.get("displayOrder", -1),
        "calculated": False,
        "externalOptions": fields.get("externalOptions", False),
        "hasUniqueValue": fields.get("hasUniqueValue", False),
        "hidden": fields.get("hidden", False),
        "formField": fields.get("formField", False),
        "dataSensitivity": fields.get("dataSensitivity", "non_sensitive"),
    }
    for key in CREATE_FIELDS:
        if key not in prop and key in fields:
            prop[key] = fields[key]
    _check_shape(prop, problems)
    _raise_if(problems, "Property")
    return prop


def check_property_update(current: dict[str, Any], body: Any) -> dict[str, Any]:
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
        _raise_if(problems, "PropertyUpdate")
    fields, problems = check_fields(body, UPDATE_FIELDS, "PropertyUpdate")
    _raise_if(problems, "PropertyUpdate")
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
            _raise_if(problems, "PropertyUpdate")
    new = {**current, **{k: v for k, v in fields.items() if k != "options"}}
    if "options" in fields:
        new["options"] = _options(fields["options"], problems)
    elif new["type"] not in ("enumeration", "bool"):
        new["options"] = []
    elif new["type"] == "bool" and current["type"] != "bool":
        new["options"] = _bool_options()
    _check_shape(new, problems)
    _raise_if(problems, "PropertyUpdate")
    return new


def check_group_create(body: Any) -> dict[str, Any]:
    """A PropertyGroupCreate body -> the new group (``archived`` false, displayOrder -1)."""
    fields, problems = check_fields(body, GROUP_CREATE_FIELDS, "PropertyGroupCreate")
    missing = [k for k in ("name", "label") if not fields.get(k)]
    problems[:0] = [detail(f"{k} is required", k, "REQUIRED") for k in missing]
    if not missing:
        problems.extend(check_name(fields["name"]))
    _raise_if(problems, "PropertyGroupCreate")
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
    _raise_if(problems, "PropertyGroupUpdate")
    return {**current, **fields}


def require_object(body: Any, what: str) -> dict[str, Any]:
    """``body`` if it is a JSON object, else a 400."""
    if not isinstance(body, dict):
        raise ApiError(400, f"Invalid input JSON: expected a {what} object")
    return body
