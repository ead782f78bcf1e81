"""Drift: has HubSpot moved away from what hubprops last wrote? Pure: lock + HubSpot's state
(+ the definitions, to name fields) -> a report.

The lock records, per managed property and group, the digest of the normalized definition
applied last (or pulled). HubSpot drifted when the same fields, read from HubSpot and
normalized the same way, no longer give that digest, or when the item is gone (archived).
This is distinct from "the definitions changed" (that is what ``plan`` shows).

To name the fields, the recorded form is needed: it is the definition whose digest equals the
lock's (the definitions did not change since the apply). When the definition changed since,
or was dropped, the fields a pull would write for HubSpot's current value are tried; when
neither matches the recorded digest, the item is reported as ``unchecked`` with the reason,
not as drift.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hubprops.lock.file import Lock
from hubprops.models import Definitions, GroupDef, PropertyDef, RemoteState, canonical_object_type
from hubprops.normalize import (
    GROUP_FIELDS,
    PROPERTY_FIELDS,
    at_end,
    digest,
    normalize_definition,
    normalize_remote,
    normalize_wanted,
)
from hubprops.plan.diff import field_diffs
from hubprops.plan.types import Action, Change, FieldDiff, Kind
from hubprops.rules import DEFAULTS


class DriftStatus(str, enum.Enum):
    CHANGED = "changed"
    ARCHIVED = "archived"
    UNCHECKED = "unchecked"


class DriftItem(BaseModel):
    """One managed property or group. For CHANGED, ``diffs`` hold ``before`` = what hubprops
    recorded, ``after`` = what HubSpot holds now; ``note`` explains ARCHIVED and UNCHECKED."""

    # built on first use: every plan imports this module for mark_drift, only drift reports
    model_config = ConfigDict(frozen=True, populate_by_name=True, defer_build=True)

    kind: Kind
    object_type: str = Field(alias="objectType")
    name: str
    status: DriftStatus
    diffs: tuple[FieldDiff, ...] = ()
    note: str = ""


class DriftReport(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    portal_id: int
    object_types: tuple[str, ...] = ()
    checked: int = 0
    items: tuple[DriftItem, ...] = ()

    @property
    def drifted(self) -> tuple[DriftItem, ...]:
        return tuple(i for i in self.items if i.status is not DriftStatus.UNCHECKED)

    @property
    def has_drift(self) -> bool:
        return bool(self.drifted)


def drift_types(lock: Lock, portal_id: int, objects: Sequence[str] = ()) -> tuple[str, ...]:
    """The object types to check: ``objects`` when given, else every one the lock records
    something for in this portal."""
    if objects:
        return tuple(sorted({canonical_object_type(t) for t in objects}))
    portal = lock.portals.get(str(portal_id))
    entries = portal.objects.items() if portal else ()
    return tuple(sorted(canonical_object_type(t) for t, e in entries if e.properties or e.groups))


def find_drift(
    lock: Lock,
    remote: RemoteState,
    definitions: Definitions | None = None,
    objects: Sequence[str] = (),
) -> DriftReport:
    """Every managed item of ``remote.portal_id`` that HubSpot no longer holds as recorded."""
    items: list[DriftItem] = []
    checked = 0
    types = drift_types(lock, remote.portal_id, objects)
    for object_type in types:
        entry = lock.find_object(remote.portal_id, object_type)
        found = remote.objects.get(object_type)
        if entry is None or found is None:
            continue
        defs = definitions.objects.get(object_type) if definitions else None
        wanted = {p.name: normalize_definition(p) for p in defs.properties} if defs else {}
        last = at_end(found.properties, wanted)
        for name, locked_group in sorted(entry.groups.items()):
            checked += 1
            item = _check(
                Kind.GROUP,
                object_type,
                name,
                locked_group.sha256,
                found.groups.get(name),
                defs.group(name) if defs else None,
            )
            items += [item] if item else []
        for name, locked in sorted(entry.properties.items()):
            checked += 1
            item = _check(
                Kind.PROPERTY,
                object_type,
                name,
                locked.sha256,
                found.properties.get(name),
                defs.property(name) if defs else None,
                last,
            )
            items += [item] if item else []
    return DriftReport(
        portal_id=remote.portal_id, object_types=types, checked=checked, items=tuple(items)
    )


def _check(
    kind: Kind,
    object_type: str,
    name: str,
    recorded_digest: str,
    now: Mapping[str, Any] | None,
    definition: PropertyDef | GroupDef | None,
    last: frozenset[str] = frozenset(),
) -> DriftItem | None:
    def make(status: DriftStatus, **kw: Any) -> DriftItem:
        return DriftItem(kind=kind, objectType=object_type, name=name, status=status, **kw)

    if now is None or now.get("archived") is True:
        return make(DriftStatus.ARCHIVED, note="archived or deleted in HubSpot")

    def project(remote: Mapping[str, Any], fields: list[str]) -> dict[str, Any]:
        return normalize_wanted(remote, dict.fromkeys(fields), last)

    recorded = _recorded(definition)
    if recorded is not None and digest(recorded) == recorded_digest:
        current = project(now, list(recorded))
        if current == recorded:
            return None
        return make(DriftStatus.CHANGED, diffs=field_diffs(recorded, current))
    if recorded is not None and digest(project(now, list(recorded))) == recorded_digest:
        return None  # the definition changed since the apply, HubSpot did not
    if digest(project(now, _pulled_fields(kind, now))) == recorded_digest:
        return None
    why = (
        "the definition changed since the last apply (plan shows it)"
        if definition is not None
        else "no definition names it any more"
    )
    return make(
        DriftStatus.UNCHECKED,
        note=f"{why}; the lock's digest alone cannot tell which fields HubSpot changed",
    )


def mark_drift(changes: Iterable[Change], lock: Lock, portal_id: int) -> list[Change]:
    """``changes`` with ``drift`` set on each create or update whose definition is exactly what
    the lock recorded (same digest): the definitions did not move, HubSpot did."""
    out: list[Change] = []
    for change in changes:
        entry = lock.find_object(portal_id, change.object_type)
        recorded = None
        if entry is not None and change.action is not Action.ARCHIVE:
            items = entry.groups if change.kind is Kind.GROUP else entry.properties
            locked = items.get(change.name)
            recorded = locked.sha256 if locked is not None else None
        drifted = recorded is not None and recorded == change.after_digest
        out.append(change.model_copy(update={"drift": True}) if drifted else change)
    return out


def _recorded(definition: PropertyDef | GroupDef | None) -> dict[str, Any] | None:
    return normalize_definition(definition) if definition is not None else None


def _pulled_fields(kind: Kind, now: Mapping[str, Any]) -> list[str]:
    """The fields ``hubprops pull`` would write for ``now``: name and non-default ones."""
    if kind is Kind.GROUP:
        values = normalize_remote(now, GROUP_FIELDS)
        return [
            k for k, v in values.items() if v is not None and not (k == "displayOrder" and v == -1)
        ]
    values = normalize_remote(now, PROPERTY_FIELDS)
    return [
        k for k, v in values.items() if v is not None and not (k in DEFAULTS and v == DEFAULTS[k])
    ]
