"""Apply executes only what ``show`` displays: the checks a saved plan passes before any write.

A plan file's checksum is a plain sha256 that anyone can recompute, so it only catches
accidents. ``verify_plan`` catches a plan whose parts disagree, whoever edited it:

- every request body (``payload``) is re-derived from the change's ``after`` (what ``show``
  prints) with the planner's own body builder (``property_body`` / a group's managed fields) and
  the payload must say the same thing, field for field, and carry nothing else;
- ``before`` must be HubSpot's current object, normalized the way the planner does it, and the
  field ``diffs``, ``reasons``, ``destructive`` and ``after_digest`` must be what the planner
  computes from ``before`` and ``after`` (``field_diffs``, ``destructive_reasons``, ``digest``);
- a destructive change needs a plan made with ``--allow-destructive``; an archive needs
  ``--prune`` and a property or group that the lock records as managed in this portal;
- an ``in_sync`` item (recorded in the lock without any request) must exist in HubSpot.

Every problem found is reported together in one ``PlanFileError``; nothing has been written.
Against an edited plan that is still self-consistent (a create of a property no definition
names, say), the defences are the check against the definitions it was made from, when they
are at hand (``hubprops.plan.origin``, run by ``apply PLAN`` before any request), and signing
(``hubprops.plan.signing``) where they are not.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from hubprops.errors import PlanFileError
from hubprops.lock.file import Lock
from hubprops.models import GroupDef, PropertyDef, RemoteState
from hubprops.normalize import (
    GROUP_FIELDS,
    PROPERTY_FIELDS,
    digest,
    normalize_remote,
)
from hubprops.plan.diff import destructive_reasons, field_diffs, group_archive_reason, property_body
from hubprops.plan.renames import rename_reason
from hubprops.plan.types import Action, Change, Kind, Plan

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient

__all__ = ["expected_payload", "read_hidden_in_sync", "verify_plan"]

#: dataSensitivity levels HubSpot leaves out of a plain list (an in-sync property may be one).
_HIDDEN_LEVELS = ("sensitive", "highly_sensitive")


def read_hidden_in_sync(client: HubSpotClient, plan: Plan, remote: RemoteState) -> RemoteState:
    """``remote`` plus the in-sync properties a plain list did not show (sensitive ones), read
    one by one; rare, and only what ``verify_plan`` would otherwise call missing."""
    objects = dict(remote.objects)
    for item in plan.in_sync:
        state = objects.get(item.object_type)
        if item.kind is not Kind.PROPERTY or state is None or item.name in state.properties:
            continue
        for level in _HIDDEN_LEVELS:
            found = client.get_property(item.object_type, item.name, data_sensitivity=level)
            if found is not None:
                properties = {**state.properties, item.name: found}
                objects[item.object_type] = state.model_copy(update={"properties": properties})
                break
    return remote.model_copy(update={"objects": objects})


def verify_plan(plan: Plan, lock: Lock, remote: RemoteState) -> None:
    """Raise PlanFileError naming every way ``plan`` disagrees with itself, with the lock or with
    HubSpot's state ``remote`` (which must hold every object type the plan touches)."""
    problems: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for change in plan.changes:
        key = (change.kind.value, change.object_type, change.name)
        what = f"{change.action.value} {change.kind.value} {change.object_type}.{change.name}"
        if key in seen:
            problems.append(f"{what}: planned twice")
        seen.add(key)
        problems += [f"{what}: {p}" for p in _change_problems(plan, lock, remote, change)]
    for item in plan.in_sync:
        what = f"in-sync {item.kind.value} {item.object_type}.{item.name}"
        if (item.kind.value, item.object_type, item.name) in seen:
            problems.append(f"{what}: also planned as a change")
        found = _found(remote, item.kind, item.object_type, item.name)
        if found is None:
            problems.append(f"{what}: does not exist in HubSpot, so it cannot be recorded")
        elif item.created_at is not None and found.get("createdAt") != item.created_at:
            problems.append(f"{what}: HubSpot's createdAt is not the one the plan recorded")
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise PlanFileError(
            f"plan does not do what it shows ({len(problems)} problem(s); was it edited?); "
            f"nothing was changed: run `hubprops plan -o FILE` again\n{lines}"
        )


def expected_payload(change: Change) -> dict[str, Any] | None:
    """The request body the planner builds for ``change`` from its ``before`` and ``after``
    (None for an archive). Raises ValueError when ``after`` is not a valid definition."""
    if change.action is Action.ARCHIVE or change.after is None:
        return None
    try:
        if change.kind is Kind.PROPERTY:
            body = property_body(PropertyDef.model_validate(change.after))
        else:
            group = GroupDef.model_validate(change.after)
            body = {k: v for k, v in group.managed_fields().items() if v is not None}
    except ValidationError as exc:
        raise ValueError(_first(exc)) from exc
    if change.action is Action.UPDATE:
        before = change.before or {}
        body = {f: v for f, v in body.items() if before.get(f) != change.after.get(f)}
    return body


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(x) for x in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


def _found(remote: RemoteState, kind: Kind, object_type: str, name: str) -> dict[str, Any] | None:
    state = remote.objects.get(object_type)
    if state is None:
        return None
    return (state.properties if kind is Kind.PROPERTY else state.groups).get(name)


def _change_problems(plan: Plan, lock: Lock, remote: RemoteState, change: Change) -> list[str]:
    shape = _shape_problems(change)
    if shape:
        return shape
    problems = _payload_problems(change)
    problems += _before_problems(remote, change)
    problems += _derived_problems(change)
    if change.destructive and not plan.options.allow_destructive:
        problems.append("destructive, but the plan was made without --allow-destructive")
    if change.action is Action.ARCHIVE:
        if not plan.options.prune:
            problems.append("an archive in a plan made without --prune")
        locked = lock.find_object(plan.portal_id, change.object_type)
        pool = (
            (locked.properties if change.kind is Kind.PROPERTY else locked.groups) if locked else {}
        )
        if change.name not in pool:
            problems.append(
                f"the lock does not record it as managed in portal {plan.portal_id}; "
                "hubprops archives only what it manages"
            )
    return problems


def _shape_problems(change: Change) -> list[str]:
    create, archive = change.action is Action.CREATE, change.action is Action.ARCHIVE
    problems: list[str] = []
    if (change.before is None) != create:
        problems.append("has 'before' iff it is not a create")
    if (change.after is None) != archive:
        problems.append("has 'after' iff it is not an archive")
    if (change.payload is None) != archive:
        problems.append("has a payload iff it is not an archive")
    if (change.action is Action.RENAME) != (change.rename_from is not None):
        problems.append("names a property to rename from iff it is a rename")
    if change.diffs and change.action is not Action.UPDATE:
        problems.append("field diffs on a change that is not an update")
    for side, value in (("after", change.after), ("payload", change.payload)):
        if value is not None and value.get("name", change.name) != change.name:
            problems.append(f"{side} names {value.get('name')!r}")
    return problems


def _normalized(kind: Kind, body: Mapping[str, Any], fields: list[str]) -> dict[str, Any]:
    return normalize_remote(body, fields)  # one normal form for properties and groups


def _payload_problems(change: Change) -> list[str]:
    """The payload must be the body ``expected_payload`` builds, in meaning: same fields, and
    the same values once normalized (option displayOrders 10,20,30 mean the order 0,1,2)."""
    if change.action is Action.ARCHIVE:
        return []
    payload = change.payload or {}
    try:
        expected = expected_payload(change) or {}
        model = PropertyDef if change.kind is Kind.PROPERTY else GroupDef
        model.model_validate({"name": change.name, **payload})
    except ValidationError as exc:
        return [f"payload is not a valid request body ({_first(exc)})"]
    except ValueError as exc:
        return [f"'after' is not a valid definition ({exc})"]
    problems: list[str] = []
    extra, missing = sorted(payload.keys() - expected.keys()), sorted(expected.keys() - payload)
    if extra:
        problems.append(f"payload sends {', '.join(extra)}, which the plan does not show changing")
    if missing:
        problems.append(f"payload leaves out {', '.join(missing)}, which the plan shows changing")
    common = sorted(payload.keys() & expected.keys())
    sent, shown = (_normalized(change.kind, b, common) for b in (payload, expected))
    differ = [f for f in common if _canon(sent[f]) != _canon(shown[f])]
    if differ:
        problems.append(f"payload disagrees with what the plan shows in {', '.join(differ)}")
    return problems


def _canon(value: Any) -> str:
    """Compare JSON values as JSON (so that 1 and 1.0, True and 1 stay apart)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _before_problems(remote: RemoteState, change: Change) -> list[str]:
    """``before`` must be HubSpot's object as the planner normalizes it (over the definition's
    fields for an update, every manageable field for an archive)."""
    if change.before is None:
        return []
    renamed = change.rename_from if change.action is Action.RENAME else None
    found = _found(remote, change.kind, change.object_type, renamed or change.name)
    if found is None:
        return [
            f"{renamed!r} does not exist in HubSpot" if renamed else "does not exist in HubSpot"
        ]
    if change.action is Action.UPDATE:
        fields = list(change.after or {})
        if sorted(change.before) != sorted(fields):
            return ["'before' and 'after' cover different fields"]
    else:
        fields = list(PROPERTY_FIELDS if change.kind is Kind.PROPERTY else GROUP_FIELDS)
    if _canon(_normalized(change.kind, found, fields)) != _canon(change.before):
        return ["'before' is not HubSpot's current state"]
    if change.kind is Kind.PROPERTY and change.action is Action.ARCHIVE:
        meta = found.get("modificationMetadata") or {}
        if found.get("hubspotDefined") or meta.get("archivable") is False:
            return ["HubSpot does not let it be archived"]
    return []


def _derived_problems(change: Change) -> list[str]:
    """diffs, reasons, destructive and after_digest as the planner computes them."""
    before, after = change.before, change.after
    problems: list[str] = []
    reasons: tuple[str, ...]
    if change.action is Action.RENAME:
        reasons = (rename_reason(change.rename_from or "", change.name),)
    elif change.kind is Kind.PROPERTY:
        reasons = tuple(destructive_reasons(before, after))
    else:
        reasons = (group_archive_reason(),) if change.action is Action.ARCHIVE else ()
    if change.destructive != bool(reasons):
        problems.append(
            f"marked destructive: {str(change.destructive).lower()}, but it is "
            + (f"destructive ({'; '.join(reasons)})" if reasons else "not destructive")
        )
    elif change.reasons != reasons:
        problems.append("its reasons are not the ones the planner gives")
    updated = change.action is Action.UPDATE and before is not None and after is not None
    if updated and change.diffs != field_diffs(before or {}, after or {}):
        problems.append("its field diffs are not the difference between 'before' and 'after'")
    expected_digest = digest(after) if after is not None else None
    if change.after_digest != expected_digest:
        problems.append("after_digest is not the digest of 'after'")
    return problems
