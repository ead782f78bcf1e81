"""What a rule's check sees and returns: the object type's definitions, its parameters, the
lock, HubSpot's default groups; one :class:`Hit` per problem, on a property."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hubprops.lock.file import Lock
from hubprops.models import ObjectDefinitions, PropertyDef


@dataclass(frozen=True)
class Hit:
    """One problem a check found on ``prop``; ``path`` points inside it (``options[2].value``)."""

    prop: PropertyDef
    message: str
    path: str = ""


@dataclass(frozen=True)
class Context:
    """What checks may consult besides the definitions: the lock (only option-value-renamed
    reads it) and HubSpot's default groups per object type."""

    lock: Lock | None = None
    default_groups: Mapping[str, frozenset[str]] = field(default_factory=dict)


Check = Callable[[ObjectDefinitions, Mapping[str, Any], Context], Iterable[Hit]]


def is_custom(prop: PropertyDef) -> bool:
    """A definition that says what type the property is defines it whole (HubSpot needs the
    type to create it); one naming only a few fields manages an existing, often HubSpot-defined,
    property, whose name, description and group are HubSpot's, not the team's."""
    return prop.type is not None
