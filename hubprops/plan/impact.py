"""Impact: how many records hold the data each destructive change would lose.

One search request per destructive property change, counted from HubSpot's ``total``
(``limit: 1``): a removed option counts the records holding that value (``EQ``, or ``IN`` for
several), a type change, leaving a multi-value fieldType, an archive or a rename count the
records holding any value (``HAS_PROPERTY``). Non-destructive changes and group changes cost no
search, so a plan without destructive changes sends no extra request.

A count that cannot be made (the token lacks a record read scope, the search kept failing after
the client's retries) is ``records: None`` with the reason in ``note``; planning never fails
because of it. After a 403 on an object type its other counts are not tried (same token, same
answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hubprops.errors import HubpropsError, PermissionDenied, RemoteError
from hubprops.hubspot.records import Filter, Records, any_of, has_property
from hubprops.plan.types import Action, Change, Impact, Kind, Plan
from hubprops.rules import MULTI_VALUE_FIELD_TYPES

#: What ``note`` says when ``--no-impact`` skipped the counts.
SKIPPED = "not counted (--no-impact)"


def _removed_values(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    if "options" not in after:
        return []
    kept = {str(o.get("value")) for o in after.get("options") or ()}
    return [
        str(o.get("value")) for o in before.get("options") or () if str(o.get("value")) not in kept
    ]


def impact_query(change: Change) -> tuple[str, list[Filter], str] | None:
    """(property searched, filters, what the records hold) for a destructive property change;
    None for changes that lose no record data (creates, non-destructive ones, groups)."""
    if change.kind is not Kind.PROPERTY or not change.destructive:
        return None
    if change.action is Action.RENAME and change.rename_from:
        return change.rename_from, [has_property(change.rename_from)], "a value"
    if change.action is Action.ARCHIVE:
        return change.name, [has_property(change.name)], "a value"
    if change.action is not Action.UPDATE or change.before is None or change.after is None:
        return None
    before, after = change.before, change.after
    old_ft = before.get("fieldType")
    if ("type" in after and before.get("type") != after["type"]) or (
        "fieldType" in after and old_ft in MULTI_VALUE_FIELD_TYPES and after["fieldType"] != old_ft
    ):
        return change.name, [has_property(change.name)], "a value"
    removed = _removed_values(before, after)
    if not removed:
        return None
    shown = ", ".join(repr(v) for v in removed)
    return change.name, [any_of(change.name, removed)], shown


def _unknown(object_type: str, exc: HubpropsError) -> str:
    if isinstance(exc, PermissionDenied):
        return (
            f"unknown: the token cannot search {object_type} records (it needs "
            f"crm.objects.{object_type}.read)"
        )
    message = exc.message if isinstance(exc, RemoteError) else str(exc)
    return f"unknown: counting failed: {message}"


def count_impact(records: Records, plan: Plan) -> Plan:
    """``plan`` with ``impact`` set on every destructive property change (one search each)."""
    denied: dict[str, str] = {}
    changes: list[Change] = []
    for change in plan.changes:
        query = impact_query(change)
        if query is None:
            changes.append(change)
            continue
        _name, filters, holding = query
        impact: Impact
        if change.object_type in denied:
            impact = Impact(records=None, note=denied[change.object_type])
        else:
            try:
                total = records.count(change.object_type, filters)
            except HubpropsError as exc:
                note = _unknown(change.object_type, exc)
                if isinstance(exc, PermissionDenied):
                    denied[change.object_type] = note
                impact = Impact(records=None, note=note)
            else:
                impact = Impact(
                    records=total, note=f"{total:,} {change.object_type} hold {holding}"
                )
        changes.append(change.model_copy(update={"impact": impact}))
    return plan.model_copy(update={"changes": tuple(changes)})


def skip_impact(plan: Plan) -> Plan:
    """``plan`` with every countable change marked "not counted" (``--no-impact``)."""
    changes = tuple(
        c.model_copy(update={"impact": Impact(records=None, note=SKIPPED)})
        if impact_query(c) is not None
        else c
        for c in plan.changes
    )
    return plan.model_copy(update={"changes": changes})
