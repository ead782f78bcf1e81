"""The plan file: a versioned, checksummed JSON form of a Plan, and the checks apply makes.

Layout (``schemas/plan.schema.json``): ``format_version``, ``hubprops_version``, ``created_at``,
``portal_id``, ``api_base`` (never the token), ``options``, ``definitions_digest``,
``definitions`` (where they were: apply checks the plan against them, ``hubprops.plan.origin``;
absent in older plans), ``summary``
{create, update, archive}, ``changes`` (each {action, kind, objectType, name, destructive,
before, after, diffs, payload, reasons, before_digest, after_digest}), ``kept``, ``unchanged``,
``in_sync`` (unchanged items apply records in the lock) and ``checksum``: sha256 over the
canonical JSON (sorted keys, no whitespace) of every other key, so that a plan edited after it
was written is refused. Files are pretty, key-sorted JSON.

Refusals say what to do: ``ChecksumMismatch`` (edited), ``UnsupportedFormatVersion``,
``WrongPortal`` (names both portals), ``StalePlan`` (names what moved in HubSpot).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from hubprops.errors import (
    ChecksumMismatch,
    PlanFileError,
    StalePlan,
    WrongPortal,
)
from hubprops.fastschema import compiled_or_none
from hubprops.fsutil import atomic_write, dumps_pretty
from hubprops.models import RemoteState
from hubprops.normalize import (
    at_end,
    digest,
    field_order,
    normalize_remote,
    normalize_wanted,
    remote_digest,
    remote_group_digest,
)
from hubprops.plan.signing import UNSIGNED_KEYS, check_signature, sign
from hubprops.plan.types import Action, Change, Kind, Plan
from hubprops.versioned import check_version, read_json, validate

FORMAT_VERSION = 1


def checksum(data: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of ``data`` without its ``checksum`` and ``signature``."""
    return digest({k: v for k, v in data.items() if k not in UNSIGNED_KEYS})


def encode(plan: Plan, *, key: bytes | None = None) -> dict[str, Any]:
    """The plan as the JSON object written to a plan file (checksum included; ``signature``
    too when a signing ``key`` is given, see ``hubprops.plan.signing``)."""
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "hubprops_version": plan.hubprops_version,
        "created_at": plan.created_at,
        "portal_id": plan.portal_id,
        "api_base": plan.api_base,
        **({"api_version": plan.api_version} if plan.api_version else {}),
        "options": plan.options.model_dump(mode="json"),
        "definitions_digest": plan.definitions_digest,
        **({"definitions": plan.definitions} if plan.definitions is not None else {}),
        "summary": plan.summary,
        "changes": [_encode_change(c) for c in plan.changes],
        "kept": [k.model_dump(mode="json", by_alias=True) for k in plan.kept],
        "unchanged": dict(sorted(plan.unchanged.items())),
        "in_sync": [i.model_dump(mode="json", by_alias=True) for i in plan.in_sync],
    }
    if plan.estimate is not None:
        data["estimate"] = plan.estimate.model_dump(mode="json")
    # Every value above is JSON's own (pydantic's "json" mode: lists, not tuples; string keys),
    # so the checksum is over exactly what a reader of the file will see.
    data["checksum"] = checksum(data)
    if key:
        data["signature"] = sign(data, key)
    return data


def _encode_change(change: Change) -> dict[str, Any]:
    out = change.model_dump(mode="json", by_alias=True)
    out["diffs"] = [d.model_dump(mode="json") for d in change.diffs]
    if not change.drift:  # written only when true: plans without drift keep their old shape
        del out["drift"]
    for optional in ("impact", "renameFrom"):  # only on the changes that have them
        if out.get(optional) is None:
            out.pop(optional, None)
    return out


@cache
def plan_schema() -> dict[str, Any]:
    """The plan file's JSON Schema (2020-12)."""
    text = resources.files("hubprops").joinpath("schemas/plan.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def decode(data: Any, *, source: str = "plan file", key: bytes | None = None) -> Plan:
    """A Plan from a plan file's JSON object, after checking, in this order: format_version
    (UnsupportedFormatVersion), checksum (ChecksumMismatch), the signature when a ``key`` is
    given (PlanFileError), schema (PlanFileError)."""
    if not isinstance(data, dict):
        raise PlanFileError(f"{source}: not a hubprops plan (expected a JSON object)")
    check_version(
        data,
        FORMAT_VERSION,
        f"{source}: plan format_version {{version!r}} is not supported (this hubprops reads "
        f"version {FORMAT_VERSION}); make a new plan with this version of hubprops",
    )
    if not isinstance(data.get("checksum"), str):
        raise PlanFileError(f"{source}: not a hubprops plan (no checksum)")
    if checksum(data) != data["checksum"]:
        raise ChecksumMismatch(
            f"{source}: plan file was edited after it was written (checksum mismatch); "
            "plan files must not be edited: run `hubprops plan -o FILE` again"
        )
    if key:
        check_signature(data, key, source=source)
    _validate_schema(data, source)
    invalid = f"{source}: invalid plan"
    changes = tuple(validate(Change, c, PlanFileError, invalid) for c in data["changes"])
    rest = {k: v for k, v in data.items() if k != "changes"}
    return validate(Plan, {**rest, "changes": changes}, PlanFileError, invalid)


@cache
def _fast_plan_check() -> Callable[[Any], bool] | None:
    return compiled_or_none(plan_schema())


def _validate_schema(data: dict[str, Any], source: str) -> None:
    """jsonschema's first error, in path order; a valid plan (the usual case) is recognised by
    the compiled schema alone (``hubprops.fastschema``), which agrees with it."""
    fast = _fast_plan_check()
    if fast is not None and fast(data):
        return
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    validator = Draft202012Validator(plan_schema())
    error = next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise PlanFileError(f"{source}: invalid plan at {where}: {error.message}")


def write_plan(path: str | os.PathLike[str], plan: Plan, *, key: bytes | None = None) -> None:
    """Write ``encode(plan, key=key)`` atomically as pretty, key-sorted JSON."""
    write_encoded(path, encode(plan, key=key))


def write_encoded(path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """Write a plan already encoded (``encode``) atomically as pretty, key-sorted JSON."""
    atomic_write(path, dumps_pretty(data))


def read_plan(path: str | os.PathLike[str], *, key: bytes | None = None) -> Plan:
    """Read and verify a plan file (see ``decode``; ``key`` requires a valid signature);
    unreadable or not JSON -> PlanFileError."""
    p = Path(path)
    data = read_json(
        p, PlanFileError, "cannot read plan file", "not a hubprops plan (not JSON: {exc})"
    )
    return decode(data, source=str(p), key=key)


def check_portal(plan: Plan, portal_id: int) -> None:
    """WrongPortal unless the plan was made for ``portal_id``."""
    if plan.portal_id != portal_id:
        raise WrongPortal(
            f"plan was made for portal {plan.portal_id}, this token is for portal {portal_id}; "
            "make a new plan against this portal"
        )


def check_stale(plan: Plan, remote: RemoteState) -> None:
    """StalePlan listing every change whose HubSpot object moved since the plan was made.

    Object types absent from ``remote`` are not checked (the caller reads what it needs).
    A property or group to create must still be missing; one to update or archive must still
    exist with the digest recorded in the plan (``remote_digest`` / ``remote_group_digest``).
    """
    moved: list[str] = []
    for change in plan.changes:
        found = remote.objects.get(change.object_type)
        if found is None:
            continue
        is_property = change.kind is Kind.PROPERTY
        pool = found.properties if is_property else found.groups
        what = f"{change.kind.value} {change.object_type}.{change.name}"
        renamed = change.action is Action.RENAME and change.rename_from
        current = pool.get(change.rename_from if renamed and change.rename_from else change.name)
        if change.action is Action.CREATE:
            if current is not None:
                moved.append(f"{what} to create now exists in HubSpot")
            continue
        if current is None:
            moved.append(f"{what} to {change.action.value} no longer exists in HubSpot")
            continue
        now = remote_digest(current) if is_property else remote_group_digest(current)
        if now != change.before_digest:
            moved.append(
                f"{what} changed in HubSpot since the plan was made ({_moved(change, current)})"
            )
    if moved:
        raise StalePlan(moved)


def already_applied(plan: Plan, remote: RemoteState) -> bool:
    """True iff the plan has changes and HubSpot already holds every one of them: each created
    or updated object matches the plan's ``after`` in the fields it manages, each archived one
    is gone. A re-run of an apply that succeeded (common in CI) is then not a stale plan.

    Groups to create are not re-read before apply (creating one that exists is harmless), so
    they are not checked; a plan must have at least one other change to be found applied."""
    checked = 0
    wanted: dict[str, dict[str, dict[str, Any]]] = {}
    for change in plan.changes:
        if change.kind is Kind.PROPERTY and change.after is not None:
            wanted.setdefault(change.object_type, {})[change.name] = change.after
    last = {
        t: at_end(remote.objects[t].properties, w) for t, w in wanted.items() if t in remote.objects
    }
    for change in plan.changes:
        if change.kind is Kind.GROUP and change.action is Action.CREATE:
            continue
        checked += 1
        found = remote.objects.get(change.object_type)
        if found is None:
            return False
        is_property = change.kind is Kind.PROPERTY
        current = (found.properties if is_property else found.groups).get(change.name)
        if change.action is Action.RENAME and change.rename_from in found.properties:
            return False  # the new property exists, but the old one is not archived yet
        if change.action is Action.ARCHIVE:
            if current is not None:
                return False
            continue
        if current is None or change.after is None:
            return False
        ends = last.get(change.object_type, frozenset()) if is_property else frozenset()
        if normalize_wanted(current, change.after, ends) != change.after:
            return False
    return checked > 0


def _moved(change: Change, current: dict[str, Any]) -> str:
    """Which of the fields the plan looked at differ now; HubSpot may also have changed a field
    the definitions leave alone (the digest covers every field a definition could manage)."""
    before = change.before or {}
    now = normalize_remote(current, before)
    fields = sorted((f for f in before if now[f] != before[f]), key=field_order)
    if not fields:
        return "in a field the definitions do not set"
    return ", ".join(
        f"{f}: {_short(before[f])} -> {_short(now[f])}" if f != "options" else "options"
        for f in fields
    )


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
