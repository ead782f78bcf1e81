"""Planning ``renames`` ({from, to}): one ``rename`` change per rename still to do.

A rename is pending while HubSpot still holds ``from`` (active): the plan gets one destructive
``rename`` change named ``to``, whose payload creates ``to`` (its own definition when the file
defines ``to``, else ``from``'s definition as HubSpot holds it, under the new name) and whose
``before``/``before_digest`` are ``from``'s (apply checks them for staleness). It is complete
once ``from`` is gone and ``to`` exists: no change (``to`` is compared like any property when
the file defines it). The normal planner never sees a pending ``to`` (it would create it) and
never archives or keeps ``from``.

Problems are located at the rename (``file:line``): a ``from`` HubSpot does not hold (and no
``to`` either), a HubSpot-defined ``from``, a ``to`` that exists with another type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hubprops.models import ObjectDefinitions, PropertyDef, RemoteObject, RenameDef
from hubprops.normalize import PROPERTY_FIELDS, digest, normalize_definition, normalize_remote
from hubprops.normalize import remote_digest as remote_property_digest
from hubprops.plan.diff import property_body
from hubprops.plan.types import Action, Change, InSync, KeptItem, Kind

if TYPE_CHECKING:
    from hubprops.plan.objects import ObjectPlanner


@dataclass
class RenameSplit:
    """``definitions`` without pending targets, the rename ``changes``, ``problems``
    ((file, line, text) for sorting) and the names the normal planner must leave alone."""

    definitions: ObjectDefinitions
    changes: list[Change] = field(default_factory=list)
    problems: list[tuple[tuple[str, int, str], str]] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)


def rename_reason(old: str, new: str) -> str:
    """The reason shown for (and checked on) a rename change."""
    return f"rename {old} -> {new}: every value is copied to {new!r}, then {old!r} is archived"


def _where(rename: RenameDef) -> tuple[tuple[str, int, str], str]:
    source = rename.source
    key = (source.file if source else "", source.line if source else 0, rename.from_)
    return key, f"{source.file}:{source.line}: " if source else ""


def split_renames(defs: ObjectDefinitions, remote: RemoteObject) -> RenameSplit:
    """Take ``defs.renames`` out of the normal planning (see the module docstring)."""
    split = RenameSplit(definitions=defs)
    pending: set[str] = set()
    for rename in defs.renames:
        old, new = rename.from_, rename.to
        old_remote, new_remote = remote.properties.get(old), remote.properties.get(new)
        defined = defs.property(new)
        split.hidden.add(old)
        key, where = _where(rename)
        if old_remote is None:
            if new_remote is None:
                split.problems.append(
                    (key, f"{where}renames: {old!r} does not exist in HubSpot ({defs.object_type})")
                )
            elif defined is None:
                split.hidden.add(new)  # done; the new property stays unmanaged, as before
            continue
        if old_remote.get("hubspotDefined"):
            split.problems.append(
                (key, f"{where}renames: {old!r} is HubSpot-defined: it cannot be archived")
            )
            continue
        target = defined or PropertyDef.model_validate(
            {**property_definition(old_remote), "name": new}
        )
        if new_remote is not None and new_remote.get("type") != (target.type or old_remote["type"]):
            split.problems.append(
                (
                    key,
                    f"{where}renames: {new!r} already exists in HubSpot with type "
                    f"{new_remote.get('type')!r}, not {target.type or old_remote.get('type')!r}",
                )
            )
            continue
        pending.add(new)
        split.hidden.add(new)
        after = normalize_definition(target)
        split.changes.append(
            Change(
                kind=Kind.PROPERTY,
                object_type=defs.object_type,
                name=new,
                action=Action.RENAME,
                before=normalize_remote(old_remote, PROPERTY_FIELDS),
                after=after,
                payload=property_body(target),
                destructive=True,
                reasons=(rename_reason(old, new),),
                before_digest=remote_property_digest(old_remote),
                after_digest=digest(after),
                rename_from=old,
            )
        )
    if pending:
        kept = tuple(p for p in defs.properties if p.name not in pending)
        split.definitions = defs.model_copy(update={"properties": kept})
    return split


def plan_object(planner: ObjectPlanner, defs: ObjectDefinitions, remote: RemoteObject) -> None:
    """``planner.object_type(defs, remote)`` with ``defs.renames`` planned as renames."""
    if not defs.renames:
        planner.object_type(defs, remote)
        return
    split = split_renames(defs, remote)
    marks = len(planner.changes), len(planner.kept), len(planner.in_sync)
    planner.object_type(split.definitions, remote)

    def mine(item: Change | KeptItem | InSync) -> bool:
        return item.kind is Kind.PROPERTY and item.name in split.hidden

    planner.changes[marks[0] :] = [c for c in planner.changes[marks[0] :] if not mine(c)]
    planner.kept[marks[1] :] = [k for k in planner.kept[marks[1] :] if not mine(k)]
    planner.in_sync[marks[2] :] = [i for i in planner.in_sync[marks[2] :] if not mine(i)]
    planner.changes.extend(split.changes)
    planner.problems.extend(split.problems)


def property_definition(remote: Mapping[str, Any]) -> dict[str, Any]:
    """``pull``'s definition of a HubSpot property (imported here: ``pull`` brings ruamel.yaml,
    which a plan without renames does not need)."""
    from hubprops.definitions import pull

    return pull.property_definition(remote)
