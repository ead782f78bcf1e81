"""The definitions model: what a team keeps in git, in HubSpot's own field names.

Attribute names are snake_case; the aliases are HubSpot's camelCase names, which are what
definitions files, plan files and HubSpot requests use. A field that a definition leaves out is
*unset* (``model_fields_set``) and therefore not managed: ``managed_fields()`` returns only what
the definition says. ``options``, when present, is managed as a whole.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from hubprops.rules import OBJECT_TYPE_IDS

#: objectTypeId -> name, so that ``0-1`` and ``contacts`` mean the same object type.
OBJECT_TYPE_NAMES: dict[str, str] = {v: k for k, v in OBJECT_TYPE_IDS.items()}


def canonical_object_type(value: str) -> str:
    """``0-1`` -> ``contacts``; a standard name stays; a custom object type is kept as given."""
    lowered = value.strip().lower()
    if lowered in OBJECT_TYPE_IDS:
        return lowered
    return OBJECT_TYPE_NAMES.get(lowered, value.strip())


def object_type_id(object_type: str) -> str:
    """``contacts`` -> ``0-1``; a custom object type (``2-123`` or a name) is its own id."""
    return OBJECT_TYPE_IDS.get(canonical_object_type(object_type), object_type)


def lock_id(object_type: str, name: str) -> str:
    """The lock's identity of a property or group: ``<objectTypeId>/<name>`` (DESIGN.md)."""
    return f"{object_type_id(object_type)}/{name}"


class SourceLocation(BaseModel):
    """Where a definition came from: file path and 1-based line (0 when unknown)."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class _HubSpotModel(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True
    )

    def managed_fields(self) -> dict[str, Any]:
        """The fields this definition sets, by HubSpot name, nested models included."""
        return self.model_dump(by_alias=True, exclude_unset=True, exclude={"source"})


class OptionDef(_HubSpotModel):
    """One option of an enumeration property. ``value`` is what records store."""

    label: str
    value: str
    description: str | None = None
    display_order: int | None = None
    hidden: bool | None = None


class PropertyDef(_HubSpotModel):
    """One property definition. Only ``name`` is required here: a definition that references an
    existing (e.g. HubSpot-defined) property may name just the fields it manages; creating a
    property needs label, type, fieldType and groupName, which the planner checks."""

    name: str
    label: str | None = None
    type: str | None = None
    field_type: str | None = None
    group_name: str | None = None
    description: str | None = None
    options: tuple[OptionDef, ...] | None = None
    display_order: int | None = None
    hidden: bool | None = None
    form_field: bool | None = None
    has_unique_value: bool | None = None
    calculation_formula: str | None = None
    external_options: bool | None = None
    referenced_object_type: str | None = None
    data_sensitivity: str | None = None
    show_currency_symbol: bool | None = None
    number_display_hint: str | None = None
    text_display_hint: str | None = None
    currency_property_name: str | None = None
    source: SourceLocation | None = Field(default=None, exclude=True)


class GroupDef(_HubSpotModel):
    """One property group definition (HubSpot: name, label, displayOrder)."""

    name: str
    label: str | None = None
    display_order: int | None = None
    source: SourceLocation | None = Field(default=None, exclude=True)


class RenameDef(BaseModel):
    """``{from, to}``: move every record's value of property ``from`` to a new property ``to``
    (created like ``from`` unless ``to`` is defined), then archive ``from``."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    source: SourceLocation | None = Field(default=None, exclude=True)


class ObjectDefinitions(BaseModel):
    """Everything defined for one object type, possibly gathered from several files."""

    model_config = ConfigDict(frozen=True)

    object_type: str
    properties: tuple[PropertyDef, ...] = ()
    groups: tuple[GroupDef, ...] = ()
    renames: tuple[RenameDef, ...] = ()

    def property(self, name: str) -> PropertyDef | None:
        return next((p for p in self.properties if p.name == name), None)

    def group(self, name: str) -> GroupDef | None:
        return next((g for g in self.groups if g.name == name), None)


class Definitions(BaseModel):
    """All definitions of a folder, keyed by canonical object type (``contacts``, ``leads``)."""

    model_config = ConfigDict(frozen=True)

    objects: dict[str, ObjectDefinitions] = Field(default_factory=dict)
    files: tuple[str, ...] = ()


#: What a plan reads from HubSpot is built with ``model_construct`` (``plan.remote``), never
#: validated: these models' validators are built on first use only, not on every import.
_READ_ONLY_CONFIG = ConfigDict(frozen=True, defer_build=True)


class RemoteObject(BaseModel):
    """What HubSpot holds for one object type: raw property and group JSON keyed by name."""

    model_config = _READ_ONLY_CONFIG

    object_type: str
    properties: dict[str, dict[str, Any]] = Field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = Field(default_factory=dict)


class RemoteState(BaseModel):
    """What the planner compares definitions with: one RemoteObject per object type read."""

    model_config = _READ_ONLY_CONFIG

    portal_id: int
    objects: dict[str, RemoteObject] = Field(default_factory=dict)
