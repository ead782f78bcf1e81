"""Two portals side by side (``hubprops diff``): their custom properties and their groups,
compared after normalization, with no definitions involved. Pure.

A property counts when HubSpot did not define it (``hubspotDefined`` not true) on the side(s)
holding it; groups all count (a default group whose label someone changed is a difference).
Field differences use the plan's field-level differ; read-only metadata (timestamps, user ids)
is never compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hubprops.models import RemoteState
from hubprops.normalize import (
    GROUP_FIELDS,
    PROPERTY_FIELDS,
    normalize_remote,
)
from hubprops.plan.diff import diff_keys, field_diffs
from hubprops.plan.types import FieldDiff, Kind


class PortalDifference(BaseModel):
    """One property or group: ``side`` is ``a`` or ``b`` when only that portal holds it,
    ``both`` when both do with different fields (``diffs``: before = a, after = b)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    kind: Kind
    object_type: str = Field(alias="objectType")
    name: str
    side: str
    diffs: tuple[FieldDiff, ...] = ()


class PortalComparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    a: str
    b: str
    portal_a: int
    portal_b: int
    object_types: tuple[str, ...] = ()
    differences: tuple[PortalDifference, ...] = ()

    @property
    def differ(self) -> bool:
        return bool(self.differences)


def _custom(properties: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        name: normalize_remote(p, PROPERTY_FIELDS)
        for name, p in properties.items()
        if p.get("hubspotDefined") is not True
    }


def compare_portals(a: RemoteState, b: RemoteState, *, names: tuple[str, str]) -> PortalComparison:
    """What differs between portal ``a`` and portal ``b`` (``names`` label them: env names)."""
    types = sorted(set(a.objects) | set(b.objects))
    out: list[PortalDifference] = []
    for object_type in types:
        left, right = a.objects.get(object_type), b.objects.get(object_type)
        for kind, lhs, rhs in (
            (
                Kind.GROUP,
                {
                    n: normalize_remote(g, GROUP_FIELDS)
                    for n, g in (left.groups if left else {}).items()
                },
                {
                    n: normalize_remote(g, GROUP_FIELDS)
                    for n, g in (right.groups if right else {}).items()
                },
            ),
            (
                Kind.PROPERTY,
                _custom(left.properties if left else {}),
                _custom(right.properties if right else {}),
            ),
        ):
            keys = diff_keys(lhs, rhs)
            base: dict[str, Any] = {"kind": kind, "objectType": object_type}
            out += [
                PortalDifference.model_validate(base | {"name": n, "side": "a"})
                for n in keys.removed
            ]
            out += [
                PortalDifference.model_validate(base | {"name": n, "side": "b"}) for n in keys.added
            ]
            out += [
                PortalDifference.model_validate(
                    base | {"name": n, "side": "both", "diffs": field_diffs(lhs[n], rhs[n])}
                )
                for n in keys.modified
            ]
    out.sort(key=lambda d: (d.object_type, d.kind.value, d.name))
    return PortalComparison(
        a=names[0],
        b=names[1],
        portal_a=a.portal_id,
        portal_b=b.portal_id,
        object_types=tuple(types),
        differences=tuple(out),
    )
