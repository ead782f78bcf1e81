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

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from hubprops import __version__
from hubprops._plandiff import destructive_reasons, diff_keys, field_diffs, group_archive_reason
from hubprops.errors import DestructiveChangeBlocked, PlanError
from hubprops.lockfile import Lock, LockedObject
from hubprops.models import (
    Definitions,
    GroupDef,
    ObjectDefinitions,
    PropertyDef,
    RemoteObject,
    RemoteState,
    canonical_object_type,
)
from hubprops.normalize import (
    GROUP_FIELDS,
    PROPERTY_FIELDS,
    digest,
    normalize_definition,
    normalize_group_definition,
    normalize_remote,
    normalize_remote_group,
    remote_digest,
    remote_group_digest,
)
from hubprops.plans import Action, Change, KeptItem, Kind, Plan, PlanOptions

#: The order of apply, written once; within each step: object type, then name.
APPLY_ORDER: tuple[tuple[Kind, Action], ...] = (
    (Kind.GROUP, Action.CREATE),
    (Kind.GROUP, Action.UPDATE),
    (Kind.PROPERTY, Action.CREATE),
    (Kind.PROPERTY, Action.UPDATE),
    (Kind.PROPERTY, Action.ARCHIVE),
    (Kind.GROUP, Action.ARCHIVE),
)
#: What HubSpot needs to create a property, besides its name (API-FACTS section 3).
REQUIRED_ON_CREATE = ("label", "type", "fieldType", "groupName")
#: Absent from PropertyUpdate: fixed when the property is created.
NOT_PATCHABLE = frozenset(
    {"name", "hasUniqueValue", "dataSensitivity", "externalOptions", "referencedObjectType"}
)
#: What may change on a property whose modificationMetadata.readOnlyDefinition is true (plus
#: options when readOnlyOptions is false). The sandbox enforces the same rule.
READ_ONLY_DEFINITION_EDITABLE = frozenset(
    {"label", "description", "groupName", "displayOrder", "hidden", "formField"}
)


def object_types_in_scope(
    definitions: Definitions, lock: Lock, portal_id: int, options: PlanOptions
) -> tuple[str, ...]:
    """``options.objects`` when given, else every defined object type plus every one the lock
    records properties or groups for in this portal; canonical names, sorted."""
    if options.objects:
        return tuple(sorted({canonical_object_type(t) for t in options.objects}))
    types = set(definitions.objects)
    portal = lock.portals.get(str(portal_id))
    for object_type, entry in (portal.objects if portal else {}).items():
        if entry.properties or entry.groups:
            types.add(canonical_object_type(object_type))
    return tuple(sorted(types))


def sensitivities(definitions: Definitions, object_types: tuple[str, ...]) -> tuple[str, ...]:
    """dataSensitivity levels other than non_sensitive that definitions in scope use: each
    needs its own list call, HubSpot's list returning non_sensitive properties by default."""
    levels = {
        p.data_sensitivity
        for t in object_types
        for p in (definitions.objects[t].properties if t in definitions.objects else ())
    }
    return tuple(sorted(lv for lv in levels if lv and lv != "non_sensitive"))


def plan(
    definitions: Definitions,
    remote: RemoteState,
    lock: Lock,
    *,
    options: PlanOptions,
    api_base: str,
    created_at: str | None = None,
) -> Plan:
    """The changes that make HubSpot match the definitions, in apply order.

    Raises PlanError listing every problem found, or DestructiveChangeBlocked listing each
    destructive change and why when ``options.allow_destructive`` is false.
    """
    planner = _Planner(lock.find_object, remote.portal_id, options)
    for object_type in object_types_in_scope(definitions, lock, remote.portal_id, options):
        remote_object = remote.objects.get(object_type)
        if remote_object is None:
            raise PlanError(f"HubSpot's state of {object_type} was not read; cannot plan it")
        defs = definitions.objects.get(object_type) or ObjectDefinitions(object_type=object_type)
        planner.object_type(defs, remote_object)
    if planner.problems:
        lines = "\n".join(f"  - {p}" for p in planner.problems)
        raise PlanError(f"cannot plan: {len(planner.problems)} problem(s)\n{lines}")
    blocked = [
        f"{c.object_type} {c.kind.value} {c.name}: {reason}"
        for c in planner.changes
        for reason in c.reasons
        if c.destructive
    ]
    if blocked and not options.allow_destructive:
        raise DestructiveChangeBlocked(blocked)
    order = {step: i for i, step in enumerate(APPLY_ORDER)}
    changes = sorted(
        planner.changes, key=lambda c: (order[(c.kind, c.action)], c.object_type, c.name)
    )
    return Plan(
        portal_id=remote.portal_id,
        api_base=api_base,
        created_at=created_at or _now(),
        hubprops_version=__version__,
        options=options,
        definitions_digest=definitions_digest(definitions),
        changes=tuple(changes),
        kept=tuple(sorted(planner.kept, key=lambda k: (k.object_type, k.kind.value, k.name))),
        unchanged=planner.unchanged,
    )


def definitions_digest(definitions: Definitions) -> str:
    """Digest of every normalized definition, by object type, kind and name."""
    return digest(
        {
            t: {
                "groups": {g.name: normalize_group_definition(g) for g in o.groups},
                "properties": {p.name: normalize_definition(p) for p in o.properties},
            }
            for t, o in definitions.objects.items()
        }
    )


def property_body(p: PropertyDef) -> dict[str, Any]:
    """The definition as a PropertyCreate body: its managed fields; each option with its
    displayOrder (its position unless given) and hidden (false unless given)."""
    body = {k: v for k, v in p.managed_fields().items() if v is not None}
    if "options" in body:
        body["options"] = [
            {"displayOrder": i, "hidden": False, **{k: v for k, v in o.items() if v is not None}}
            for i, o in enumerate(body["options"])
        ]
    return body


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _where(item: PropertyDef | GroupDef) -> str:
    return str(item.source) if item.source else "definitions"


class _Planner:
    """Collects changes, kept items, unchanged counts and problems, object type by object type."""

    def __init__(
        self,
        find_locked: Callable[[int, str], LockedObject | None],
        portal_id: int,
        options: PlanOptions,
    ) -> None:
        self.find_locked = find_locked
        self.portal_id = portal_id
        self.options = options
        self.changes: list[Change] = []
        self.kept: list[KeptItem] = []
        self.unchanged: dict[str, int] = {}
        self.problems: list[str] = []

    def object_type(self, defs: ObjectDefinitions, remote: RemoteObject) -> None:
        t = defs.object_type
        locked: LockedObject | None = self.find_locked(self.portal_id, t)
        moving_away = self._properties(defs, remote, locked)
        self._groups(defs, remote, locked, moving_away)

    # -- properties ---------------------------------------------------------------------------
    def _properties(
        self, defs: ObjectDefinitions, remote: RemoteObject, locked: LockedObject | None
    ) -> set[str]:
        """Plan the properties of one object type; return the names leaving their group."""
        t, found = defs.object_type, remote.properties
        defined = {p.name: p for p in defs.properties}
        local = {name: normalize_definition(p) for name, p in defined.items()}
        current = {n: normalize_remote(found[n], local[n]) for n in local if n in found}
        for name in set(locked.properties if locked else ()) - local.keys():
            if name in found:  # a locked name HubSpot no longer has needs nothing
                current[name] = normalize_remote(found[name], PROPERTY_FIELDS)
        diff = diff_keys(current, local)
        self.unchanged[t] = self.unchanged.get(t, 0) + len(diff.unchanged)
        known_groups = set(remote.groups) | {g.name for g in defs.groups}
        moving: set[str] = set()
        for name in diff.added:
            self._create_property(t, defined[name], local[name], known_groups)
        for name in diff.modified:
            before, after = current[name], local[name]
            group = after.get("groupName", before.get("groupName"))
            if group != before.get("groupName"):
                moving.add(name)
                if group not in known_groups:
                    self._unknown_group(t, defined[name], str(group))
                    continue
            self._update_property(t, defined[name], found[name], before, after)
        for name in diff.removed:
            prop = found[name]
            meta = prop.get("modificationMetadata") or {}
            undeletable = prop.get("hubspotDefined") or meta.get("archivable") is False
            if not self.options.prune or undeletable:
                self.kept.append(KeptItem(kind=Kind.PROPERTY, object_type=t, name=name))
                continue
            moving.add(name)
            self.changes.append(
                Change(
                    kind=Kind.PROPERTY,
                    object_type=t,
                    name=name,
                    action=Action.ARCHIVE,
                    before=current[name],
                    destructive=True,
                    reasons=tuple(destructive_reasons(current[name], None)),
                    before_digest=remote_digest(prop),
                )
            )
        return moving

    def _create_property(
        self, t: str, p: PropertyDef, after: dict[str, Any], known_groups: set[str]
    ) -> None:
        missing = [f for f in REQUIRED_ON_CREATE if f not in after]
        if missing:
            self.problems.append(
                f"{_where(p)}: cannot create {t} property {p.name!r}: missing "
                f"{', '.join(missing)} (HubSpot needs name, label, type, fieldType and "
                "groupName to create a property)"
            )
            return
        if after["groupName"] not in known_groups:
            self._unknown_group(t, p, after["groupName"])
            return
        self.changes.append(
            Change(
                kind=Kind.PROPERTY,
                object_type=t,
                name=p.name,
                action=Action.CREATE,
                after=after,
                payload=property_body(p),
                after_digest=digest(after),
            )
        )

    def _unknown_group(self, t: str, p: PropertyDef, group: str) -> None:
        self.problems.append(
            f"{_where(p)}: {t} property {p.name!r}: group {group!r} exists neither in HubSpot "
            "nor in the definitions (define it under groups:, or use an existing group)"
        )

    def _update_property(
        self,
        t: str,
        p: PropertyDef,
        found: Mapping[str, Any],
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> None:
        changed = [f for f in after if before.get(f) != after[f]]
        bad = False
        for f in (f for f in changed if f in NOT_PATCHABLE):
            bad = True
            self.problems.append(
                f"{_where(p)}: {f} of {t} property {p.name!r} cannot be changed after creation "
                f"(HubSpot has {before.get(f)!r}, the definition says {after[f]!r}); archive it "
                "and recreate it under another name, or match HubSpot's value"
            )
        meta = found.get("modificationMetadata") or {}
        if meta.get("readOnlyDefinition"):
            editable = set(READ_ONLY_DEFINITION_EDITABLE)
            if meta.get("readOnlyOptions") is False:
                editable.add("options")
            for f in (f for f in changed if f not in editable and f not in NOT_PATCHABLE):
                bad = True
                self.problems.append(
                    f"{_where(p)}: {f} of HubSpot-defined {t} property {p.name!r} is read-only "
                    f"(HubSpot has {before.get(f)!r}, the definition says {after[f]!r}); remove "
                    f"{f} from the definition or match HubSpot's value"
                )
        if bad:
            return
        body = property_body(p)
        reasons = destructive_reasons(before, after)
        self.changes.append(
            Change(
                kind=Kind.PROPERTY,
                object_type=t,
                name=p.name,
                action=Action.UPDATE,
                before=before,
                after=after,
                diffs=field_diffs(before, after),
                payload={f: body[f] for f in changed},
                destructive=bool(reasons),
                reasons=tuple(reasons),
                before_digest=remote_digest(found),
                after_digest=digest(after),
            )
        )

    # -- groups -------------------------------------------------------------------------------
    def _groups(
        self,
        defs: ObjectDefinitions,
        remote: RemoteObject,
        locked: LockedObject | None,
        moving_away: set[str],
    ) -> None:
        t, found = defs.object_type, remote.groups
        defined = {g.name: g for g in defs.groups}
        local = {name: normalize_group_definition(g) for name, g in defined.items()}
        current = {n: normalize_remote_group(found[n], local[n]) for n in local if n in found}
        for name in set(locked.groups if locked else ()) - local.keys():
            if name in found:
                current[name] = normalize_remote_group(found[name], GROUP_FIELDS)
        diff = diff_keys(current, local)
        self.unchanged[t] = self.unchanged.get(t, 0) + len(diff.unchanged)
        for name in diff.added:
            g = defined[name]
            if "label" not in local[name]:
                self.problems.append(
                    f"{_where(g)}: cannot create {t} group {name!r}: missing label"
                )
                continue
            body = {k: v for k, v in g.managed_fields().items() if v is not None}
            self._group_change(t, name, Action.CREATE, None, local[name], body)
        for name in diff.modified:
            changed = [f for f in local[name] if current[name].get(f) != local[name][f]]
            body = {k: v for k, v in defined[name].managed_fields().items() if k in changed}
            self._group_change(
                t, name, Action.UPDATE, current[name], local[name], body, found[name]
            )
        for name in diff.removed:
            if not self.options.prune:
                self.kept.append(KeptItem(kind=Kind.GROUP, object_type=t, name=name))
                continue
            users = self._group_users(t, name, defs, remote, moving_away)
            if users:
                self.problems.append(
                    f"cannot archive {t} group {name!r} (no longer defined): properties still "
                    f"use it: {', '.join(users)}; move them to another group, or keep the group "
                    "in the definitions"
                )
                continue
            self._group_change(t, name, Action.ARCHIVE, current[name], None, None, found[name])

    @staticmethod
    def _group_users(
        t: str, group: str, defs: ObjectDefinitions, remote: RemoteObject, moving: set[str]
    ) -> list[str]:
        """Properties that will still be in ``group`` after this plan."""
        users = {n for n, p in remote.properties.items() if p.get("groupName") == group} - moving
        users |= {p.name for p in defs.properties if p.group_name == group}
        return sorted(users)

    def _group_change(
        self,
        t: str,
        name: str,
        action: Action,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        payload: dict[str, Any] | None,
        found: Mapping[str, Any] | None = None,
    ) -> None:
        archive = action is Action.ARCHIVE
        self.changes.append(
            Change(
                kind=Kind.GROUP,
                object_type=t,
                name=name,
                action=action,
                before=before,
                after=after,
                diffs=field_diffs(before, after) if before and after else (),
                payload=payload,
                destructive=archive,
                reasons=(group_archive_reason(),) if archive else (),
                before_digest=remote_group_digest(found) if found is not None else None,
                after_digest=digest(after) if after is not None else None,
            )
        )
