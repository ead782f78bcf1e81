"""The applier's record keeping: results per change, and the lock written after every step.

``Recorder`` is shared by the applier's worker threads. Every completed step (one change, or one
batch of changes) updates the in-memory lock and saves it under one mutex, so the file on disk
always matches what HubSpot has acknowledged so far: a crash or kill at any moment leaves a
valid lock, and a new plan shows only what is left.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from hubprops.lock.file import LastSync, Lock, LockedGroup, LockedObject, LockedProperty, SyncStatus
from hubprops.models import canonical_object_type, lock_id
from hubprops.normalize import digest
from hubprops.plan.types import Action, Change, InSync, Kind, Plan

#: applied: HubSpot acknowledged it. failed: HubSpot (or the network) refused it. skipped: not
#: attempted because something it depends on failed. not_started: apply stopped first (Ctrl-C,
#: circuit breaker, a fatal error such as the daily limit).
ResultStatus = Literal["applied", "failed", "skipped", "not_started"]


@dataclass(frozen=True)
class ChangeResult:
    """What became of one planned change; ``message`` is HubSpot's message or our reason."""

    change: Change
    status: ResultStatus
    message: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One change's fate as a worker saw it; ``response`` is HubSpot's object for applied
    creates and updates; ``adopted`` marks a create that found an identical existing object."""

    change: Change
    status: ResultStatus
    message: str = ""
    details: tuple[str, ...] = ()
    response: dict[str, Any] | None = None
    adopted: bool = False


@dataclass(frozen=True)
class Progress:
    """One step finished: ``done`` of ``total`` changes have a result; ``result`` is the last."""

    done: int
    total: int
    result: ChangeResult


def _digest(change: Change) -> str:
    """The digest recorded in the lock: the plan's ``after_digest`` (else the payload's)."""
    return change.after_digest or digest(change.payload or {})


def sync_status(applied: int, failed: int, not_started: int) -> SyncStatus:
    """completed: nothing left undone; failed: something failed and nothing was applied;
    partial: anything else (some applied, or stopped before the end)."""
    if failed == 0 and not_started == 0:
        return "completed"
    if applied == 0 and not_started == 0:
        return "failed"
    return "partial"


class Recorder:
    """Keeps the results and the lock of one apply; thread-safe."""

    def __init__(
        self,
        plan: Plan,
        lock: Lock,
        *,
        save: Callable[[Lock], None],
        on_progress: Callable[[Progress], None] | None,
        started_at: str,
        elapsed: Callable[[], float],
    ) -> None:
        self.plan = plan
        self.lock = lock
        self.save = save
        self.on_progress = on_progress
        self.started_at = started_at
        self.elapsed = elapsed
        self.results: dict[int, ChangeResult] = {}
        self._index = {id(c): i for i, c in enumerate(plan.changes)}
        self._mutex = threading.Lock()
        self.object_types = sorted(
            {canonical_object_type(t) for t in plan.options.objects}
            | {c.object_type for c in plan.changes}
            | {i.object_type for i in plan.in_sync}
            | set(plan.unchanged)
        )

    # -- the steps ----------------------------------------------------------------------------
    def begin(self) -> None:
        """Record the plan's in-sync items and mark every object type of the plan in progress
        (saved before the first write)."""
        with self._mutex:
            for item in self.plan.in_sync:
                self._record_in_sync(item)
            for object_type in self.object_types:
                self._entry(object_type).last_sync = self._last_sync(object_type, "in_progress")
            self._portal_sync("in_progress")
            self.save(self.lock)

    def record(self, steps: Iterable[Step]) -> None:
        """Record one completed step (a change, or a batch of them) and save the lock once."""
        finished: list[ChangeResult] = []
        with self._mutex:
            for step in steps:
                if step.status == "applied":
                    self._apply_to_lock(step)
                result = ChangeResult(step.change, step.status, step.message, step.details)
                self.results[self._index[id(step.change)]] = result
                finished.append(result)
            for object_type in {r.change.object_type for r in finished}:
                self._entry(object_type).last_sync = self._last_sync(object_type, "in_progress")
            self._portal_sync("in_progress")
            self.save(self.lock)
            if self.on_progress is not None:
                total = len(self.plan.changes)
                done = len(self.results)
                for offset, result in enumerate(finished):
                    self.on_progress(Progress(done - len(finished) + offset + 1, total, result))

    def checkpoint(self, update: Callable[[Lock], None]) -> None:
        """Change the lock with ``update`` (a rename's progress) and save it, atomically."""
        with self._mutex:
            update(self.lock)
            self.save(self.lock)

    def finish(self) -> tuple[ChangeResult, ...]:
        """Final statuses per object type and portal; save; the results in plan order."""
        with self._mutex:
            for object_type in self.object_types:
                applied, failed, waiting = self._tally(object_type)
                status = sync_status(applied, failed, waiting)
                self._entry(object_type).last_sync = self._last_sync(object_type, status)
            self._portal_sync(None)
            self.save(self.lock)
            return tuple(self.results[i] for i in sorted(self.results))

    def pending(self) -> list[Change]:
        """Changes that have no result yet, in plan order."""
        with self._mutex:
            return [c for i, c in enumerate(self.plan.changes) if i not in self.results]

    # -- bookkeeping --------------------------------------------------------------------------
    def _entry(self, object_type: str) -> LockedObject:
        return self.lock.entry(self.plan.portal_id, object_type)

    def _record_in_sync(self, item: InSync) -> None:
        self._record(
            item.kind,
            item.object_type,
            item.name,
            sha256=item.digest,
            answer={"createdAt": item.created_at, "updatedAt": item.updated_at},
            hubspot_defined=item.hubspot_defined,
            made_here=False,
        )

    def _apply_to_lock(self, step: Step) -> None:
        change = step.change
        if change.action is Action.ARCHIVE:
            entry = self._entry(change.object_type)
            items = entry.properties if change.kind is Kind.PROPERTY else entry.groups
            items.pop(change.name, None)
            return
        body = step.response or {}
        if change.action is Action.RENAME and change.rename_from:
            entry = self._entry(change.object_type)
            entry.properties.pop(change.rename_from, None)
            if entry.migrations is not None:
                entry.migrations.pop(change.name, None)
                entry.migrations = entry.migrations or None
        self._record(
            change.kind,
            change.object_type,
            change.name,
            sha256=_digest(change),
            answer=body,
            hubspot_defined=body.get("hubspotDefined"),
            made_here=change.action in (Action.CREATE, Action.RENAME) and not step.adopted,
            options=_option_labels(change.after),
        )

    def _record(
        self,
        kind: Kind,
        object_type: str,
        name: str,
        *,
        sha256: str,
        answer: Mapping[str, Any],
        hubspot_defined: object,
        made_here: bool,
        options: dict[str, str] | None = None,
    ) -> None:
        """Record one property or group as HubSpot now holds it; what HubSpot did not say
        (timestamps, hubspotDefined: None) and whether hubprops made it carry over from the
        lock's earlier record."""
        entry = self._entry(object_type)
        key = lock_id(object_type, name)
        if kind is Kind.GROUP:
            old_group = entry.groups.get(name)
            entry.groups[name] = LockedGroup(
                id=key,
                sha256=sha256,
                created_by_hubprops=made_here or bool(old_group and old_group.created_by_hubprops),
            )
            return
        old = entry.properties.get(name)
        entry.properties[name] = LockedProperty(
            id=key,
            createdAt=answer.get("createdAt") or (old.created_at if old else None),
            updatedAt=answer.get("updatedAt") or (old.updated_at if old else None),
            sha256=sha256,
            created_by_hubprops=made_here or bool(old and old.created_by_hubprops),
            hubspot_defined=bool(
                hubspot_defined
                if hubspot_defined is not None
                else (old.hubspot_defined if old else False)
            ),
            options=options if options is not None else (old.options if old else None),
        )

    def _tally(self, object_type: str | None) -> tuple[int, int, int]:
        applied = failed = waiting = 0
        for i, change in enumerate(self.plan.changes):
            if object_type is not None and change.object_type != object_type:
                continue
            status = self.results[i].status if i in self.results else "not_started"
            if status == "applied":
                applied += 1
            elif status == "not_started":
                waiting += 1
            else:
                failed += 1
        return applied, failed, waiting

    def counts(self, object_type: str | None) -> dict[str, int]:
        """created/updated/archived (applied), failed (failed or skipped), unchanged."""
        out = {"created": 0, "updated": 0, "archived": 0, "failed": 0}
        for i, result in self.results.items():
            change = self.plan.changes[i]
            if object_type is not None and change.object_type != object_type:
                continue
            if result.status == "applied":
                out[
                    {
                        "create": "created",
                        "update": "updated",
                        "archive": "archived",
                        "rename": "updated",
                    }[change.action.value]
                ] += 1
            elif result.status in ("failed", "skipped"):
                out["failed"] += 1
        waiting = self._tally(object_type)[2]
        if waiting:
            out["not_started"] = waiting
        unchanged = self.plan.unchanged
        out["unchanged"] = unchanged.get(object_type, 0) if object_type else sum(unchanged.values())
        return out

    def _last_sync(self, object_type: str | None, status: SyncStatus) -> LastSync:
        return LastSync(
            timestamp=self.started_at,
            status=status,
            duration_s=round(self.elapsed(), 3),
            **self.counts(object_type),
        )

    def _portal_sync(self, status: SyncStatus | None) -> None:
        if status is None:
            status = sync_status(*self._tally(None))
        last = self._last_sync(None, status)
        last.object_types = list(self.object_types)
        self.lock.portal(self.plan.portal_id).last_sync = last


def _option_labels(after: Mapping[str, Any] | None) -> dict[str, str] | None:
    """value -> label of the options a change wrote (None when it wrote none): what lint's
    option-value-renamed compares a later definition with, since records keep the value."""
    options = (after or {}).get("options")
    if not isinstance(options, list):
        return None
    return {str(o.get("value")): str(o.get("label")) for o in options if isinstance(o, Mapping)}
