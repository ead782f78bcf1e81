"""One object type's share of a plan: the steps ``planner.plan`` runs per object type.

``ObjectPlanner`` normalizes both sides, diffs the keyed dicts and turns added names into
creates, modified ones into updates, and names the lock records but the definitions dropped
into archives (``--prune``) or kept items; it collects every problem instead of stopping at the
first. HubSpot's rules (``hubprops.rules``: what a create needs, what PATCH can never change, what a
HubSpot-defined property lets you change) and which group exists are checked here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hubprops.lock.file import LockedGroup, LockedObject, LockedProperty
from hubprops.models import GroupDef, ObjectDefinitions, PropertyDef, RemoteObject
from hubprops.normalize import (
    at_end,
    digest,
    normalize_definition,
    normalize_remote,
    normalize_wanted,
    remote_digest,
    remote_group_digest,
)
from hubprops.plan.diff import (
    KeyDiff,
    destructive_reasons,
    diff_keys,
    field_diffs,
    group_archive_reason,
    property_body,
)
from hubprops.plan.types import (
    KEPT_NO_PRUNE,
    KEPT_NOT_ARCHIVABLE,
    Action,
    Change,
    InSync,
    KeptItem,
    Kind,
    PlanOptions,
)
from hubprops.rules import (
    GROUP_FIELDS,
    PROPERTY_FIELDS,
    REMOVED_PROPERTY_FIELDS,
    create_problems,
    update_problems,
)


class ObjectPlanner:
    """Collects changes, kept items, unchanged counts and problems, object type by object type."""

    def __init__(
        self,
        find_locked: Callable[[int, str], LockedObject | None],
        portal_id: int,
        options: PlanOptions,
        api_version: str | None = None,
    ) -> None:
        self.find_locked = find_locked
        #: The HubSpot API version the plan is made for (None: unknown, no version checks).
        self.api_version = api_version
        self.portal_id = portal_id
        self.options = options
        self.changes: list[Change] = []
        self.kept: list[KeptItem] = []
        self.unchanged: dict[str, int] = {}
        self.in_sync: list[InSync] = []
        #: id -> (definition, its normalized form): each definition is normalized once per plan
        #: (the comparison and the definitions digest share it); the definition is kept so
        #: that its id stays its own.
        self._normalized: dict[int, tuple[PropertyDef | GroupDef, dict[str, Any]]] = {}
        #: (sort key: file, line, message) of every problem, reported together.
        self.problems: list[tuple[tuple[str, int, str], str]] = []

    def normalized(self, definition: PropertyDef | GroupDef) -> dict[str, Any]:
        """``normalize_definition(definition)``, computed once per plan. Callers only read it."""
        found = self._normalized.get(id(definition))
        if found is None:
            found = (definition, normalize_definition(definition))
            self._normalized[id(definition)] = found
        return found[1]

    def problem(self, item: PropertyDef | GroupDef | None, message: str) -> None:
        source = item.source if item is not None else None
        key = (source.file, source.line, message) if source else ("~", 0, message)
        self.problems.append((key, f"{source}: {message}" if source else message))

    def object_type(self, defs: ObjectDefinitions, remote: RemoteObject) -> None:
        t = defs.object_type
        locked: LockedObject | None = self.find_locked(self.portal_id, t)
        moving_away = self._properties(defs, remote, locked)
        self._groups(defs, remote, locked, moving_away)

    def _in_sync(
        self,
        kind: Kind,
        t: str,
        name: str,
        normalized: dict[str, Any],
        recorded: LockedProperty | LockedGroup | None,
        found: Mapping[str, Any],
    ) -> None:
        """An unchanged item the lock does not record as defined: apply records it."""
        after = digest(normalized)
        if recorded is not None and recorded.sha256 == after:
            return
        self.in_sync.append(
            InSync(
                kind=kind,
                object_type=t,
                name=name,
                digest=after,
                created_at=found.get("createdAt"),
                updated_at=found.get("updatedAt"),
                hubspot_defined=bool(found.get("hubspotDefined")),
            )
        )

    def _compare(
        self,
        kind: Kind,
        t: str,
        defined: Mapping[str, PropertyDef | GroupDef],
        found: Mapping[str, Mapping[str, Any]],
        recorded: Mapping[str, LockedProperty | LockedGroup],
    ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], KeyDiff]:
        """Both sides of one kind in normalized form, and their diff: the definitions (local),
        HubSpot's objects they name, plus those the lock records but the definitions dropped
        (current). Unchanged ones are counted and, when the lock lacks them, recorded in sync.
        A property wanted last in its group (displayOrder -1) that HubSpot shows there is equal
        to it (``at_end``)."""
        fields = PROPERTY_FIELDS if kind is Kind.PROPERTY else GROUP_FIELDS
        local = {name: self.normalized(d) for name, d in defined.items()}
        last = at_end(found, local) if kind is Kind.PROPERTY else frozenset()
        current = {n: normalize_wanted(found[n], local[n], last) for n in local if n in found}
        for name in set(recorded) - local.keys():
            if name in found:  # a locked name HubSpot no longer has needs nothing
                current[name] = normalize_remote(found[name], fields)
        diff = diff_keys(current, local)
        self.unchanged[t] = self.unchanged.get(t, 0) + len(diff.unchanged)
        for name in diff.unchanged:
            self._in_sync(kind, t, name, local[name], recorded.get(name), found[name])
        return local, current, diff

    def _change(
        self,
        kind: Kind,
        t: str,
        name: str,
        action: Action,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        payload: dict[str, Any] | None,
        found: Mapping[str, Any] | None,
        reasons: list[str],
    ) -> None:
        """Record one change; its field diffs and digests follow from the two sides."""
        remote_digest_of = remote_digest if kind is Kind.PROPERTY else remote_group_digest
        self.changes.append(
            Change(
                kind=kind,
                object_type=t,
                name=name,
                action=action,
                before=before,
                after=after,
                diffs=field_diffs(before, after) if before and after else (),
                payload=payload,
                destructive=bool(reasons),
                reasons=tuple(reasons),
                before_digest=remote_digest_of(found) if found is not None else None,
                after_digest=digest(after) if after is not None else None,
            )
        )

    # -- properties ---------------------------------------------------------------------------
    def _properties(
        self, defs: ObjectDefinitions, remote: RemoteObject, locked: LockedObject | None
    ) -> set[str]:
        """Plan the properties of one object type; return the names leaving their group."""
        t, found = defs.object_type, remote.properties
        defined = {p.name: p for p in defs.properties}
        for p in defs.properties:
            self._check_version(t, p)
        recorded = locked.properties if locked else {}
        local, current, diff = self._compare(Kind.PROPERTY, t, defined, found, recorded)
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
                why = KEPT_NOT_ARCHIVABLE if undeletable else KEPT_NO_PRUNE
                self.kept.append(KeptItem(kind=Kind.PROPERTY, object_type=t, name=name, reason=why))
                continue
            moving.add(name)
            reasons = destructive_reasons(current[name], None)
            self._change(
                Kind.PROPERTY, t, name, Action.ARCHIVE, current[name], None, None, prop, reasons
            )
        return moving

    def _check_version(self, t: str, p: PropertyDef) -> None:
        """A problem for each field the plan's API version no longer has (2026-09 dropped the
        display hints and currency fields): HubSpot would refuse every body sending it."""
        removed = REMOVED_PROPERTY_FIELDS.get(self.api_version or "", ())
        if not removed:
            return
        fields = p.managed_fields()
        for field in (f for f in removed if fields.get(f) is not None):
            self.problem(
                p,
                f"{t} property {p.name!r} sets {field}, which HubSpot's API version "
                f"{self.api_version} no longer has; remove it from the definition, or pin "
                "--api-version 2026-03 (api_version in hubprops.toml)",
            )

    def _create_property(
        self, t: str, p: PropertyDef, after: dict[str, Any], known_groups: set[str]
    ) -> None:
        problems = create_problems(t, p.name, after)
        for problem in problems:
            self.problem(p, problem)
        if problems:
            return
        if after["groupName"] not in known_groups:
            self._unknown_group(t, p, after["groupName"])
            return
        self._change(
            Kind.PROPERTY, t, p.name, Action.CREATE, None, after, property_body(p), None, []
        )

    def _unknown_group(self, t: str, p: PropertyDef, group: str) -> None:
        self.problem(
            p,
            f"{t} property {p.name!r}: group {group!r} exists neither in HubSpot "
            "nor in the definitions (define it under groups:, or use an existing group)",
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
        problems = update_problems(t, p.name, found, before, after, changed)
        for problem in problems:
            self.problem(p, problem)
        if problems:
            return
        body = property_body(p)
        payload = {f: body[f] for f in changed}
        reasons = destructive_reasons(before, after)
        self._change(
            Kind.PROPERTY, t, p.name, Action.UPDATE, before, after, payload, found, reasons
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
        recorded = locked.groups if locked else {}
        local, current, diff = self._compare(Kind.GROUP, t, defined, found, recorded)
        for name in diff.added:
            g = defined[name]
            if "label" not in local[name]:
                self.problem(g, f"cannot create {t} group {name!r}: missing label")
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
                self.kept.append(
                    KeptItem(kind=Kind.GROUP, object_type=t, name=name, reason=KEPT_NO_PRUNE)
                )
                continue
            users = self._group_users(t, name, defs, remote, moving_away)
            if users:
                self.problem(
                    None,
                    f"cannot archive {t} group {name!r} (no longer defined): properties still "
                    f"use it: {', '.join(users)}; move them to another group, or keep the group "
                    "in the definitions",
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
        reasons = [group_archive_reason()] if action is Action.ARCHIVE else []
        self._change(Kind.GROUP, t, name, action, before, after, payload, found, reasons)
