"""Checks the JSON Schema cannot express: they look across items, files and HubSpot's limits.

They run on the raw parsed documents, even ones with schema errors, and skip whatever is not
shaped as expected (the schema already reported it), so that one run reports every problem.

- the same property (or group) defined twice for one object type, in one file or across files;
- duplicate option values or labels within a property;
- more than 10 ``hasUniqueValue`` properties per object type (HubSpot's documented maximum);
- more than 5,000 options, or an option over 3,000 characters (label + value + description);
- a ``groupName`` that is neither declared nor a known HubSpot default group (a warning).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hubprops.definitions.positions import JsonPath, Position, format_path, locate
from hubprops.definitions.schema import definitions_schema
from hubprops.errors import Diagnostic
from hubprops.models import canonical_object_type
from hubprops.rules import MAX_OPTION_CHARS, MAX_OPTIONS, MAX_UNIQUE_VALUE_PROPERTIES


@dataclass(frozen=True)
class SourceDocument:
    """One parsed definitions file: display path, raw data, positions of its keys and items."""

    file: str
    data: Any
    positions: Mapping[JsonPath, Position] = field(default_factory=dict)

    @functools.cached_property
    def object_type(self) -> str | None:
        """The canonical object type (``0-1`` -> ``contacts``), None when missing or invalid.

        An invalid one (the schema reports it) gets no cross-file checks: a misspelt
        ``objectType`` would otherwise add a warning for every property's group.
        """
        value = self.data.get("objectType") if isinstance(self.data, dict) else None
        if not isinstance(value, str) or not _object_type_pattern().fullmatch(value):
            return None
        return canonical_object_type(value)

    def items(self, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(index, item)`` for the mapping items of the ``groups`` or ``properties`` list."""
        values = self.data.get(key) if isinstance(self.data, dict) else None
        if isinstance(values, list):
            for index, item in enumerate(values):
                if isinstance(item, dict):
                    yield index, item

    def diagnostic(self, path: JsonPath, message: str, severity: str = "error") -> Diagnostic:
        """A diagnostic located at ``path`` in this file."""
        line, column = locate(self.positions, path)
        return Diagnostic(self.file, line, column, format_path(path), message, severity)

    def where(self, path: JsonPath) -> str:
        """``file:line`` of ``path``, for messages that point at another place."""
        return f"{self.file}:{locate(self.positions, path)[0]}"


@functools.lru_cache(maxsize=1)
def _object_type_pattern() -> re.Pattern[str]:
    return re.compile(definitions_schema()["properties"]["objectType"]["pattern"])


def semantic_diagnostics(
    documents: list[SourceDocument], default_groups: Mapping[str, frozenset[str]]
) -> list[Diagnostic]:
    """Every semantic problem across ``documents`` (errors, and warnings for unknown groups)."""
    found = _duplicates(documents, "groups") + _duplicates(documents, "properties")
    declared: dict[str, set[str]] = {}
    for doc in documents:
        for _, group in doc.items("groups"):
            if doc.object_type is not None and isinstance(group.get("name"), str):
                declared.setdefault(doc.object_type, set()).add(group["name"])
    unique_count: dict[str, int] = {}
    for doc in documents:
        object_type = doc.object_type
        for index, prop in doc.items("properties"):
            found.extend(_option_problems(doc, index, prop))
            if object_type is None:
                continue
            if prop.get("hasUniqueValue") is True:
                unique_count[object_type] = count = unique_count.get(object_type, 0) + 1
                if count > MAX_UNIQUE_VALUE_PROPERTIES:
                    found.append(_too_many_unique(doc, index, object_type, count))
            known = declared.get(object_type, set()) | default_groups.get(object_type, frozenset())
            group_name = prop.get("groupName")
            if isinstance(group_name, str) and group_name not in known:
                defaults = ", ".join(sorted(default_groups.get(object_type, ()))) or "none known"
                message = (
                    f"group '{group_name}' is neither declared under groups nor a HubSpot default "
                    f"group of {object_type} ({defaults}); HubSpot rejects a property whose "
                    "group does not exist"
                )
                found.append(doc.diagnostic(("properties", index, "groupName"), message, "warning"))
    return found


def _duplicates(documents: list[SourceDocument], kind: str) -> list[Diagnostic]:
    """The same group or property name twice for one object type, in one file or across files."""
    what = "group" if kind == "groups" else "property"
    first_seen: dict[tuple[str, str], tuple[SourceDocument, JsonPath]] = {}
    found: list[Diagnostic] = []
    for doc in documents:
        object_type = doc.object_type
        for index, item in doc.items(kind):
            name = item.get("name")
            if object_type is None or not isinstance(name, str):
                continue
            path: JsonPath = (kind, index, "name")
            earlier = first_seen.get((object_type, name))
            if earlier is None:
                first_seen[(object_type, name)] = (doc, path)
                continue
            message = (
                f"{what} '{name}' of {object_type} is defined twice: first at "
                f"{earlier[0].where(earlier[1])} "
                f"(define each {what} once per object type)"
            )
            found.append(doc.diagnostic(path, message))
    return found


def _too_many_unique(doc: SourceDocument, index: int, object_type: str, count: int) -> Diagnostic:
    return doc.diagnostic(
        ("properties", index, "hasUniqueValue"),
        f"property number {count} of {object_type} with hasUniqueValue: true; HubSpot allows "
        f"at most {MAX_UNIQUE_VALUE_PROPERTIES} unique-value properties per object type",
    )


def _option_problems(doc: SourceDocument, index: int, prop: dict[str, Any]) -> list[Diagnostic]:
    options = prop.get("options")
    if not isinstance(options, list):
        return []
    base: JsonPath = ("properties", index, "options")
    found: list[Diagnostic] = []
    if len(options) > MAX_OPTIONS:
        found.append(
            doc.diagnostic(
                base, f"{len(options)} options; HubSpot allows at most {MAX_OPTIONS} per property"
            )
        )
    seen: dict[tuple[str, str], int] = {}
    for position, option in enumerate(options):
        if not isinstance(option, dict):
            continue
        for key, why in (
            ("value", "option values are what records store: make it unique"),
            ("label", "users could not tell the options apart: make it unique"),
        ):
            text = option.get(key)
            if not isinstance(text, str):
                continue
            first = seen.setdefault((key, text), position)
            if first != position:
                found.append(
                    doc.diagnostic(
                        (*base, position, key),
                        f"duplicate option {key} {text!r} (also options[{first}]); {why}",
                    )
                )
        size = sum(len(v) for k, v in option.items() if k in _COUNTED and isinstance(v, str))
        if size > MAX_OPTION_CHARS:
            found.append(
                doc.diagnostic(
                    (*base, position),
                    f"option is {size} characters long (label + value + description); "
                    f"HubSpot allows at most {MAX_OPTION_CHARS}",
                )
            )
    return found


_COUNTED = ("label", "value", "description")
