"""HubSpot's custom-property quota, checked before a plan is saved or applied.

HubSpot refuses a create past the per-object-type limit of custom properties (400
``MAX_PROPERTIES_EXCEEDED``; docs/hubspot-api.md, "Limits"). A plan that would pass it would
fail half-way through apply, so ``plan_against`` reads the limits (one request, only when the
plan creates properties) and ``check_quota`` refuses the plan with the numbers. Archives in the
same plan run after the creates (``APPLY_ORDER``), so they free nothing in time. Object types
the answer does not list (a custom object named ``p{portal}_{name}`` rather than by its
``2-N`` id) are not checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hubprops.errors import PlanError
from hubprops.models import object_type_id
from hubprops.plan.types import Action, Kind, Plan


@dataclass(frozen=True)
class Quota:
    """One object type's custom-property limit and how many are used."""

    limit: int
    usage: int


def parse_limits(rows: Iterable[Mapping[str, Any]]) -> dict[str, Quota]:
    """HubSpot's ``byObjectType`` rows keyed by objectTypeId (rows without ints are skipped)."""
    out: dict[str, Quota] = {}
    for row in rows:
        type_id, limit, usage = row.get("objectTypeId"), row.get("limit"), row.get("usage")
        if isinstance(type_id, str) and isinstance(limit, int) and isinstance(usage, int):
            out[type_id] = Quota(limit=limit, usage=usage)
    return out


def creates_by_type(plan: Plan) -> dict[str, int]:
    """How many properties the plan creates, per object type."""
    counts: dict[str, int] = {}
    for change in plan.changes:
        if change.kind is Kind.PROPERTY and change.action is Action.CREATE:
            counts[change.object_type] = counts.get(change.object_type, 0) + 1
    return counts


def check_quota(plan: Plan, limits: Mapping[str, Quota]) -> None:
    """PlanError naming every object type whose creates would pass its limit."""
    problems = []
    for object_type, creates in sorted(creates_by_type(plan).items()):
        quota = limits.get(object_type_id(object_type))
        if quota is None or quota.usage + creates <= quota.limit:
            continue
        problems.append(
            f"{object_type}: {quota.usage:,} of {quota.limit:,} custom properties used; this "
            f"plan creates {creates:,} ({quota.usage + creates - quota.limit:,} over HubSpot's "
            "limit)"
        )
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise PlanError(
            f"cannot plan: the creates would pass HubSpot's custom-property limit\n{lines}\n"
            "archive unused custom properties in HubSpot first, or create fewer"
        )
