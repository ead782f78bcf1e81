"""Checks on an enumeration's options: option-value-format, max-options, bool-as-enumeration,
option-value-renamed (the only check that reads the lock)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from hubprops.definitions.lint.base import Context, Hit
from hubprops.models import ObjectDefinitions, PropertyDef

#: Pairs of option values or labels that mean true/false (compared casefolded).
BOOLEAN_PAIRS = frozenset(
    frozenset(pair)
    for pair in (("yes", "no"), ("true", "false"), ("y", "n"), ("on", "off"), ("1", "0"))
)


def option_value_format(
    objects: ObjectDefinitions, params: Mapping[str, Any], _: Context
) -> Iterator[Hit]:
    pattern: re.Pattern[str] = params["pattern"]
    for prop in objects.properties:
        for index, option in enumerate(prop.options or ()):
            if pattern.fullmatch(option.value) is None:
                yield Hit(
                    prop,
                    f"option value {option.value!r} of {prop.name!r} does not match "
                    f"{pattern.pattern!r}",
                    f"options[{index}].value",
                )


def max_options(objects: ObjectDefinitions, params: Mapping[str, Any], _: Context) -> Iterator[Hit]:
    most: int = params["max"]
    for prop in objects.properties:
        count = len(prop.options or ())
        if count > most:
            yield Hit(prop, f"{prop.name!r} has {count} options, more than {most}", "options")


def bool_as_enumeration(
    objects: ObjectDefinitions, _params: Mapping[str, Any], _: Context
) -> Iterator[Hit]:
    for prop in objects.properties:
        options = prop.options or ()
        if prop.type != "enumeration" or len(options) != 2 or prop.field_type == "booleancheckbox":
            continue
        values = frozenset(o.value.strip().casefold() for o in options)
        labels = frozenset(o.label.strip().casefold() for o in options)
        if values in BOOLEAN_PAIRS or labels in BOOLEAN_PAIRS:
            shown = " / ".join(o.label for o in options)
            yield Hit(
                prop,
                f"{prop.name!r} is a yes/no question ({shown}) modelled as an enumeration",
                "type",
            )


def option_value_renamed(
    objects: ObjectDefinitions, _params: Mapping[str, Any], context: Context
) -> Iterator[Hit]:
    if context.lock is None:
        return
    locked = _locked_options(context, objects.object_type)
    if not locked:
        return
    for prop in objects.properties:
        before = locked.get(prop.name)
        if not before or not prop.options:
            continue
        yield from _renamed(prop, before)


def _renamed(prop: PropertyDef, before: Mapping[str, str]) -> Iterator[Hit]:
    """``before``: value -> label as the lock recorded them."""
    values = {o.value for o in prop.options or ()}
    old_by_label: dict[str, str] = {}
    for value, label in before.items():
        if value not in values:
            old_by_label.setdefault(label.strip().casefold(), value)
    for index, option in enumerate(prop.options or ()):
        old = old_by_label.get(option.label.strip().casefold())
        if old is not None and option.value not in before:
            yield Hit(
                prop,
                f"option {option.label!r} of {prop.name!r} changed its value from {old!r} to "
                f"{option.value!r}: records keep {old!r}",
                f"options[{index}].value",
            )


def _locked_options(context: Context, object_type: str) -> dict[str, dict[str, str]]:
    """property name -> {value: label} over every portal of the lock that records options."""
    found: dict[str, dict[str, str]] = {}
    assert context.lock is not None
    for portal in context.lock.portals.values():
        entry = portal.objects.get(object_type)
        if entry is None:
            continue
        for name, prop in entry.properties.items():
            if prop.options:
                found.setdefault(name, {}).update(prop.options)
    return found
