"""Checks across an object type's properties and against HubSpot's defaults: duplicate-label,
custom-group, hidden-form-field."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from hubprops.definitions.lint.base import Context, Hit, is_custom
from hubprops.models import ObjectDefinitions, PropertyDef

_NOT_ALNUM = re.compile(r"[\W_]+")


def label_key(label: str) -> str:
    """What two labels share when they differ only in case, spacing or punctuation."""
    return _NOT_ALNUM.sub("", label.casefold())


def duplicate_label(
    objects: ObjectDefinitions, _params: Mapping[str, Any], _: Context
) -> Iterator[Hit]:
    first: dict[str, PropertyDef] = {}
    for prop in objects.properties:
        if not prop.label:
            continue
        key = label_key(prop.label)
        if not key:
            continue
        seen = first.setdefault(key, prop)
        if seen is prop:
            continue
        where = f" ({seen.source})" if seen.source else ""
        relation = "is also" if seen.label == prop.label else f"reads like {seen.label!r},"
        yield Hit(
            prop,
            f"label {prop.label!r} of {prop.name!r} {relation} the label of {seen.name!r}{where}",
            "label",
        )


def custom_group(
    objects: ObjectDefinitions, _params: Mapping[str, Any], context: Context
) -> Iterator[Hit]:
    defaults = context.default_groups.get(objects.object_type, frozenset())
    for prop in objects.properties:
        if is_custom(prop) and prop.group_name in defaults:
            yield Hit(
                prop,
                f"custom property {prop.name!r} is in HubSpot's default group {prop.group_name!r}",
                "groupName",
            )


def hidden_form_field(
    objects: ObjectDefinitions, _params: Mapping[str, Any], _: Context
) -> Iterator[Hit]:
    for prop in objects.properties:
        if prop.hidden and prop.form_field:
            yield Hit(
                prop, f"{prop.name!r} is hidden but used in forms (formField: true)", "hidden"
            )
