"""Check one parsed definitions document against ``schemas/definitions.schema.json``.

jsonschema does the validating; this module turns its errors into located diagnostics a user can
act on: one per problem, at the offending key or item, in words rather than schema keywords.
The type/fieldType pairing is written as one ``if``/``then`` per type in the schema, so a bad
pair gives one precise error instead of a cascade of ``anyOf`` branches.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from hubprops.definitions.positions import JsonPath, Position, format_path, locate
from hubprops.errors import Diagnostic
from hubprops.fastschema import Check, Unsupported, compile_schema
from hubprops.rules import OBJECT_TYPE_IDS

if TYPE_CHECKING:  # jsonschema is imported only when a document is invalid (it is slow)
    from jsonschema import Draft202012Validator, ValidationError  # type: ignore[import-untyped]

SCHEMA_RESOURCE = "schemas/definitions.schema.json"

_WANTED = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping (field: value)",
}


#: A fieldType written as a type, and the type it usually goes with.
_FIELD_TYPE_OF_TYPE = {
    "text": "string",
    "textarea": "string",
    "html": "string",
    "file": "string",
    "select": "enumeration",
    "radio": "enumeration",
    "checkbox": "enumeration",
    "booleancheckbox": "bool",
    "phonenumber": "phone_number",
}


@functools.lru_cache(maxsize=1)
def definitions_schema() -> dict[str, Any]:
    """The definitions JSON Schema (2020-12), read from the installed package."""
    text = resources.files("hubprops").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(definitions_schema())


@functools.lru_cache(maxsize=1)
def _fast_check() -> Check | None:
    """The schema compiled to plain predicates (``hubprops.fastschema``); None if it cannot be."""
    try:
        return compile_schema(definitions_schema())
    except Unsupported:
        return None


def schema_diagnostics(
    data: Any, *, file: str, positions: Mapping[JsonPath, Position] | None = None
) -> list[Diagnostic]:
    """Every schema problem of one document, located with ``positions`` (see _yamlpos).

    A valid document is recognised by the compiled check alone; jsonschema walks only an
    invalid one, collecting every error (so the diagnostics are jsonschema's, as before)."""
    fast = _fast_check()
    if fast is not None and fast(data):
        return []
    found: dict[str, Diagnostic] = {}
    errors = sorted(_validator().iter_errors(data), key=_priority)
    for error in errors:
        for path, message in _explain(error, data):
            key = format_path(path)
            if key in found:  # one problem per location: the base rule beats a conditional one
                continue
            line, column = locate(positions or {}, path)
            found[key] = Diagnostic(file, line, column, key, message)
    return sorted(found.values(), key=lambda d: (d.line, d.column, d.path))


def _priority(error: ValidationError) -> tuple[int, int, str]:
    conditional = any(part in ("then", "else") for part in error.schema_path)
    return (int(conditional), len(error.path), format_path(tuple(error.path)))


def _explain(error: ValidationError, data: Any) -> Iterable[tuple[JsonPath, str]]:
    path: JsonPath = tuple(error.path)
    instance = error.instance
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(instance) - set(allowed)):
            yield (*path, key), _unknown_field(key, allowed)
    elif kind == "required":
        for key in error.validator_value:
            if isinstance(instance, dict) and key not in instance:
                yield (*path, key), _missing(key, instance, error)
    elif kind == "type":
        yield path, _wrong_type(error.validator_value, instance)
    elif kind == "enum":
        yield path, _not_in_enum(path, instance, error, data)
    elif kind == "pattern":
        yield path, _bad_pattern(path, instance, error)
    elif kind == "maxItems" and error.validator_value == 0:
        typ = _sibling(data, path, "type")
        yield path, f"options are only for enumeration (and bool) properties, not type '{typ}'"
    elif kind == "const" and path and path[-1] == "type":
        yield (
            path,
            f"externalOptions: true is only for enumeration properties, not type {instance!r}",
        )
    elif kind == "minItems":
        yield path, "must not be empty: list at least one item, or leave the field out"
    elif kind == "minLength":
        yield path, "must not be empty"
    elif kind == "maxLength":
        yield path, f"is {len(instance)} characters long; at most {error.validator_value} allowed"
    else:
        yield path, str(error.schema.get("errorMessage") or error.message)


def _sibling(data: Any, path: JsonPath, key: str) -> Any:
    """A field of the object holding the failing value (e.g. ``type`` beside ``fieldType``)."""
    parent = _walk(data, path[:-1])
    return parent.get(key) if isinstance(parent, dict) else None


def _walk(data: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _unknown_field(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if not close:
        close = [a for a in allowed if a.lower() == key.lower()]
    hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
    return f"unknown field '{key}' ({hint})"


def _missing(key: str, instance: dict[str, Any], error: ValidationError) -> str:
    if key == "options":
        return (
            "an enumeration property needs options: a list of {label, value} "
            "(or externalOptions: true with referencedObjectType)"
        )
    if key == "referencedObjectType":
        return "externalOptions: true needs referencedObjectType (e.g. OWNER)"
    if key == "calculationFormula":
        return "fieldType calculation_equation needs a calculationFormula"
    if key == "type" and "fieldType" in instance:
        return "fieldType is set, so type is required too (HubSpot checks them as a pair)"
    if key == "fieldType" and "type" in instance:
        return f"type '{instance['type']}' is set, so fieldType is required too"
    return f"missing required field '{key}'"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} ({value})"


def _wrong_type(wanted: str | list[str], value: Any) -> str:
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    text = f"expected {' or '.join(_WANTED.get(n, n) for n in names)}, got {_describe(value)}"
    if value is None:
        text += ": write a value after the colon, or leave the field out"
    elif "string" in names and isinstance(value, (bool, int, float, datetime.date)):
        text += " (quote it in YAML: '10', 'no'; unquoted yes/no/on/off are read as true/false)"
    return text


def _not_in_enum(path: JsonPath, value: Any, error: ValidationError, data: Any) -> str:
    field = str(path[-1]) if path else "value"
    valid = [str(v) for v in error.validator_value]
    shown = repr(value) if isinstance(value, str) else _describe(value)
    conditional = any(part in ("then", "else") for part in error.schema_path)
    if field == "fieldType" and conditional:
        typ = _sibling(data, path, "type")
        return f"{shown} is not valid for type '{typ}' (valid: {', '.join(valid)})"
    close = difflib.get_close_matches(str(value), valid, n=1) if isinstance(value, str) else []
    hint = f"; did you mean '{close[0]}'?" if close else ""
    if field == "type" and isinstance(value, str) and value in _FIELD_TYPE_OF_TYPE:
        hint = f"; '{value}' is a fieldType, its type is '{_FIELD_TYPE_OF_TYPE[value]}'"
    return f"{shown} is not a valid {field} (valid: {', '.join(valid)}){hint}"


def _bad_pattern(path: JsonPath, value: Any, error: ValidationError) -> str:
    field = str(path[-1]) if path else "value"
    if field in ("name", "groupName"):
        return (
            f"{value!r} is not a valid {field}: use lowercase letters, digits and underscores, "
            "starting with a letter (e.g. event_start_date)"
        )
    custom = error.schema.get("errorMessage")
    message = f"{value!r}: {custom}" if custom else error.message
    if field == "objectType" and isinstance(value, str):
        close = difflib.get_close_matches(value.strip().lower(), list(OBJECT_TYPE_IDS), n=1)
        if close:
            message += f"; did you mean '{close[0]}'?"
    return message
