"""Field-level checks shared by the property and group validators: JSON kinds, enums, names,
options.

Sandbox rules where HubSpot is not documented (API-FACTS [UNCONFIRMED]), modelled strictly:
unknown body fields are rejected ("Unrecognized field"); names must match ``^[a-z][a-z0-9_]*$``
(at most 100 characters); option values must be unique within a property; a missing option
``displayOrder`` becomes the option's position, and options come back sorted by displayOrder
(-1 after the others).
"""

from __future__ import annotations

import re
from typing import Any

from hubprops.sandbox.errors import detail, invalid

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

STR = "string"
BOOL = "boolean"
INT = "integer"
ENUMS: dict[str, frozenset[str]] = {
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
OPTION_FIELDS = {
    "label": STR,
    "value": STR,
    "description": STR,
    "displayOrder": INT,
    "hidden": BOOL,
}

#: What HubSpot fills in when a create leaves a field out (API-FACTS section 3).
PROPERTY_DEFAULTS: dict[str, Any] = {
    "description": "",
    "options": [],
    "displayOrder": -1,
    "calculated": False,
    "externalOptions": False,
    "hasUniqueValue": False,
    "hidden": False,
    "formField": False,
    "dataSensitivity": "non_sensitive",
}

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_NAME = 100
MAX_OPTIONS = 5000
MAX_OPTION_CHARS = 3000
BOOL_OPTIONS = (("Yes", "true"), ("No", "false"))


def _kind_ok(value: Any, kind: str) -> bool:
    if kind in (STR, "enum"):
        return isinstance(value, str)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == INT:
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
        elif kind == "enum" and value not in ENUMS[key]:
            allowed = ", ".join(sorted(ENUMS[key]))
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


def check_options(
    raw: list[Any], problems: list[dict[str, Any]], strict: bool = False
) -> list[dict[str, Any]]:
    """Checked options with HubSpot's defaults, sorted as HubSpot returns them.

    A missing displayOrder becomes the option's position; -1 sorts after the others. With
    ``strict`` (the date-versioned APIs) displayOrder and hidden are required instead.
    """
    if len(raw) > MAX_OPTIONS:
        problems.append(detail(f"at most {MAX_OPTIONS} options are allowed", "options"))
    out: list[tuple[tuple[bool, int, int], dict[str, Any]]] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"options[{i}]."
        opt, found = (
            check_fields(item, OPTION_FIELDS, "option", where)
            if isinstance(item, dict)
            else ({}, [detail("option must be an object", f"options[{i}]", "INVALID_TYPE")])
        )
        problems.extend(found)
        for key in ("label", "value"):
            if not opt.get(key):
                problems.append(detail(f"option {key} is required", f"{where}{key}", "REQUIRED"))
        for key in ("displayOrder", "hidden") if strict and isinstance(item, dict) else ():
            if key not in opt:
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


def bool_options() -> list[dict[str, Any]]:
    """The options a bool property gets when created without any (sandbox choice)."""
    return [
        {"label": label, "value": value, "description": "", "displayOrder": i, "hidden": False}
        for i, (label, value) in enumerate(BOOL_OPTIONS)
    ]


def raise_if(problems: list[dict[str, Any]], what: str) -> None:
    if problems:
        summary = "; ".join(p["message"] for p in problems)
        raise invalid(f"{what} is not valid: {summary}", problems)
