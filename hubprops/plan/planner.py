"""The planner: definitions + HubSpot's state + the lock -> a Plan. Pure: no I/O, no clock
unless ``created_at`` is left out.

Per object type in scope (``object_types_in_scope``), groups then properties go through the same
steps: normalize both sides (``hubprops.normalize``), diff the keyed dicts (``diff_keys``), and
turn added names into creates, modified ones into updates, and names the lock records but the
definitions dropped into archives (with ``--prune``) or ``kept`` items (without). Names that
neither the definitions nor the lock know are never looked at. Problems that make a plan
impossible (a create missing required fields, an unknown group, a change HubSpot refuses) are
all collected and raised as one PlanError; then destructive changes are refused unless
``allow_destructive``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any

from hubprops import __version__
from hubprops.clock import utc_now
from hubprops.errors import DestructiveChangeBlocked, PlanError
from hubprops.lock.file import Lock
from hubprops.models import (
    Definitions,
    GroupDef,
    ObjectDefinitions,
    PropertyDef,
    RemoteState,
    canonical_object_type,
    object_type_id,
)
from hubprops.normalize import digest, normalize_definition
from hubprops.plan.drift import mark_drift
from hubprops.plan.objects import ObjectPlanner
from hubprops.plan.renames import plan_object
from hubprops.plan.types import APPLY_ORDER, Plan, PlanOptions
from hubprops.rules import OBJECT_TYPE_IDS, extra_sensitivities


def object_types_in_scope(
    definitions: Definitions, lock: Lock, portal_id: int, options: PlanOptions
) -> tuple[str, ...]:
    """``options.objects`` when given, else every defined object type plus every one the lock
    records properties or groups for in this portal; canonical names, sorted."""
    named = named_object_types(definitions, options)
    if options.objects:
        return named
    types = set(named)
    portal = lock.portals.get(str(portal_id))
    for object_type, entry in (portal.objects if portal else {}).items():
        if entry.properties or entry.groups:
            types.add(canonical_object_type(object_type))
    return tuple(sorted(types))


def named_object_types(definitions: Definitions, options: PlanOptions) -> tuple[str, ...]:
    """The object types in scope whatever the portal: ``options.objects`` when given, else
    every defined one; canonical names, sorted (``object_types_in_scope`` adds the lock's)."""
    if options.objects:
        return tuple(sorted({canonical_object_type(t) for t in options.objects}))
    return tuple(sorted(definitions.objects))


def check_object_types(objects: Sequence[str], definitions: Definitions, lock: Lock) -> None:
    """PlanError for an ``--object`` that is no standard object type, no defined one and none
    the lock knows, with the nearest known name: HubSpot would only answer 400 for it."""
    known = set(OBJECT_TYPE_IDS) | set(definitions.objects)
    for portal in lock.portals.values():
        known |= {canonical_object_type(t) for t in portal.objects}
    ids = {object_type_id(t) for t in known}
    problems = []
    for given in objects:
        name = canonical_object_type(given)
        if name in known or name in ids:
            continue
        close = difflib.get_close_matches(name.lower(), sorted(known), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(sorted(known))})"
        problems.append(f"unknown object type '{given}'{hint}")
    if problems:
        raise PlanError("; ".join(problems))


def sensitivities(definitions: Definitions, object_types: tuple[str, ...]) -> tuple[str, ...]:
    """dataSensitivity levels other than the default that definitions in scope use: each
    needs its own list call, HubSpot's list returning only default-level properties."""
    return extra_sensitivities(
        p.data_sensitivity
        for t in object_types
        for p in (definitions.objects[t].properties if t in definitions.objects else ())
    )


def plan(
    definitions: Definitions,
    remote: RemoteState,
    lock: Lock,
    *,
    options: PlanOptions,
    api_base: str,
    created_at: str | None = None,
    api_version: str | None = None,
) -> Plan:
    """The changes that make HubSpot match the definitions, in apply order, for HubSpot's
    ``api_version`` (recorded in the plan; definitions using a field it lacks are problems).

    Raises PlanError listing every problem found, or DestructiveChangeBlocked listing each
    destructive change and why when ``options.allow_destructive`` is false.
    """
    planner = ObjectPlanner(lock.find_object, remote.portal_id, options, api_version)
    for object_type in object_types_in_scope(definitions, lock, remote.portal_id, options):
        remote_object = remote.objects.get(object_type)
        if remote_object is None:
            raise PlanError(f"HubSpot's state of {object_type} was not read; cannot plan it")
        defs = definitions.objects.get(object_type) or ObjectDefinitions(object_type=object_type)
        plan_object(planner, defs, remote_object)  # renames aside, ``planner.object_type``
    if planner.problems:
        problems = [text for _, text in sorted(planner.problems, key=lambda p: p[0])]
        lines = "\n".join(f"  - {p}" for p in problems)
        raise PlanError(f"cannot plan: {len(problems)} problem(s)\n{lines}")
    blocked = [
        f"{c.object_type} {c.kind.value} {c.name}: {reason}"
        for c in planner.changes
        for reason in c.reasons
        if c.destructive
    ]
    order = {step: i for i, step in enumerate(APPLY_ORDER)}
    changes = sorted(
        mark_drift(planner.changes, lock, remote.portal_id),
        key=lambda c: (order[(c.kind, c.action)], c.object_type, c.name),
    )
    made = Plan(
        portal_id=remote.portal_id,
        api_base=api_base,
        api_version=api_version,
        created_at=created_at or utc_now(),
        hubprops_version=__version__,
        options=options,
        definitions_digest=definitions_digest(definitions, normalize=planner.normalized),
        changes=tuple(changes),
        kept=tuple(sorted(planner.kept, key=lambda k: (k.object_type, k.kind.value, k.name))),
        unchanged=planner.unchanged,
        in_sync=tuple(sorted(planner.in_sync, key=lambda i: (i.object_type, i.kind.value, i.name))),
    )
    if blocked and not options.allow_destructive:
        count = sum(1 for c in planner.changes if c.destructive)
        raise DestructiveChangeBlocked(blocked, changes=count, plan=made)
    return made


def definitions_digest(
    definitions: Definitions,
    *,
    normalize: Callable[[PropertyDef | GroupDef], dict[str, Any]] = normalize_definition,
) -> str:
    """Digest of every normalized definition, by object type, kind and name, and of the
    renames (only where an object type has some, so that other digests keep their value)."""
    return digest(
        {
            t: {
                "groups": {g.name: normalize(g) for g in o.groups},
                "properties": {p.name: normalize(p) for p in o.properties},
                **({"renames": [[r.from_, r.to] for r in o.renames]} if o.renames else {}),
            }
            for t, o in definitions.objects.items()
        }
    )
