"""A saved plan against the definitions it was made from: apply executes only what they say.

``verify_plan`` (``hubprops.plan.verify``) catches a plan whose parts disagree; a plan edited and
re-checksummed can still agree with itself while doing what no definition says (create a
property nobody defined, update a label to a value nobody wrote). A plan records where its
definitions were (``Plan.definitions``, the folder as given to ``plan -d``, relative to the
working directory when it is under it) and their digest (``definitions_digest``). When apply
finds that folder, ``check_definitions`` holds the plan to it:

- their digest differs: the plan is stale (the definitions changed since it was made; re-plan);
- the digest matches: every create, update and rename must be of a property or group the
  definitions define (a rename: one their ``renames`` list) and its ``after`` must be the
  normalized definition the planner would have written; an archive must be of something they no
  longer define (nor rename); an in-sync item must be defined, with its digest; and every change
  must be of an object type in the plan's ``--object`` scope.

Without the folder (CI applying a downloaded plan in a job with no checkout) nothing here can be
checked: signing (``hubprops.plan.signing``, ``HUBPROPS_PLAN_KEY``) is the defence there.
Pure: no I/O; raises ``PlanFileError`` and never prints.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hubprops.errors import PlanFileError
from hubprops.models import (
    Definitions,
    ObjectDefinitions,
    PropertyDef,
    canonical_object_type,
)
from hubprops.normalize import digest, normalize_definition
from hubprops.plan.planner import definitions_digest
from hubprops.plan.renames import property_definition
from hubprops.plan.types import Action, Change, InSync, Kind, Plan

__all__ = ["check_definitions", "definitions_problems", "recorded_path"]


def recorded_path(directory: str | os.PathLike[str], cwd: str | os.PathLike[str]) -> str:
    """The definitions path a plan records: relative to ``cwd`` when it is under it (so that
    another checkout of the same repository finds it), else as given; POSIX separators."""
    given = Path(directory)
    absolute = given if given.is_absolute() else Path(cwd) / given
    try:
        relative = Path(os.path.normpath(absolute)).relative_to(os.path.normpath(cwd))
    except ValueError:
        return given.as_posix()
    return relative.as_posix() or "."


def check_definitions(plan: Plan, definitions: Definitions, where: str) -> None:
    """PlanFileError unless ``plan`` is what ``definitions`` (loaded from ``where``) say: stale
    when their digest is not the plan's, else naming every change they do not account for."""
    if definitions_digest(definitions) != plan.definitions_digest:
        made_from = f" (made from {plan.definitions})" if plan.definitions else ""
        raise PlanFileError(
            f"Saved plan is stale: the definitions in {where} changed since the plan was "
            f"made{made_from}; nothing was changed. Run `hubprops plan` again and review the "
            "new plan."
        )
    problems = definitions_problems(plan, definitions)
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise PlanFileError(
            f"plan does not match the definitions it was made from ({where}): "
            f"{len(problems)} problem(s) (was it edited?); nothing was changed: run "
            f"`hubprops plan -o FILE` again\n{lines}"
        )


def definitions_problems(plan: Plan, definitions: Definitions) -> list[str]:
    """Every change and in-sync item of ``plan`` that ``definitions`` do not account for."""
    scope = {canonical_object_type(t) for t in plan.options.objects}
    problems: list[str] = []
    for change in plan.changes:
        t = canonical_object_type(change.object_type)
        what = f"{change.action.value} {change.kind.value} {t}.{change.name}"
        if scope and t not in scope:
            problems.append(f"{what}: outside the plan's --object {', '.join(sorted(scope))}")
            continue
        defs = definitions.objects.get(t) or ObjectDefinitions(object_type=t)
        problems += [f"{what}: {p}" for p in _change_problems(change, defs)]
    for item in plan.in_sync:
        t = canonical_object_type(item.object_type)
        defs = definitions.objects.get(t) or ObjectDefinitions(object_type=t)
        problem = _in_sync_problem(item, defs)
        if problem:
            problems.append(f"in-sync {item.kind.value} {t}.{item.name}: {problem}")
    return problems


def _defined(kind: Kind, defs: ObjectDefinitions, name: str) -> dict[str, Any] | None:
    """The normalized definition of ``name`` (what a change's ``after`` holds), None if none."""
    found = defs.property(name) if kind is Kind.PROPERTY else defs.group(name)
    return normalize_definition(found) if found is not None else None


def _renamed(defs: ObjectDefinitions, name: str) -> bool:
    return any(name in (r.from_, r.to) for r in defs.renames)


def _change_problems(change: Change, defs: ObjectDefinitions) -> list[str]:
    wanted = _defined(change.kind, defs, change.name)
    if change.action is Action.ARCHIVE:
        if wanted is not None:
            return ["the definitions still define it; hubprops archives only what they dropped"]
        if change.kind is Kind.PROPERTY and _renamed(defs, change.name):
            return ["the definitions rename it; a rename, not an archive, retires it"]
        return []
    if change.action is Action.RENAME:
        return _rename_problems(change, defs, wanted)
    if wanted is None:
        return [f"no definition names this {change.kind.value}"]
    if change.after != wanted:
        return [_differs(change.after or {}, wanted)]
    return []


def _rename_problems(
    change: Change, defs: ObjectDefinitions, wanted: dict[str, Any] | None
) -> list[str]:
    if not any(r.from_ == change.rename_from and r.to == change.name for r in defs.renames):
        return [f"the definitions do not rename {change.rename_from!r} to {change.name!r}"]
    if wanted is None:  # created like ``from`` as HubSpot holds it (``before``), renamed
        try:
            target = PropertyDef.model_validate(
                {**property_definition(change.before or {}), "name": change.name}
            )
        except ValidationError:
            return [f"{change.rename_from!r} as the plan shows it is not a valid property"]
        wanted = normalize_definition(target)
    if change.after != wanted:
        return [_differs(change.after or {}, wanted)]
    return []


def _differs(after: dict[str, Any], wanted: dict[str, Any]) -> str:
    fields = sorted(k for k in after.keys() | wanted.keys() if after.get(k) != wanted.get(k))
    return (
        f"'after' is not what the definitions say (in {', '.join(fields)}); "
        "the plan does not match the definitions it was made from"
    )


def _in_sync_problem(item: InSync, defs: ObjectDefinitions) -> str | None:
    wanted = _defined(item.kind, defs, item.name)
    if wanted is None:
        return f"no definition names this {item.kind.value}"
    if digest(wanted) != item.digest:
        return "its digest is not the definition's"
    return None
