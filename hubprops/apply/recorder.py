"""The applier's record keeping: results per change, and the lock saved after every step.

``Recorder`` is shared by the applier's worker threads. Every completed step (one change, or one
batch of changes) updates the in-memory lock under one mutex and asks the ``LockWriter`` for a
save, which its own thread makes outside the mutex (the newest state wins; ``lockwriter.py``
says what that keeps). The file on disk never records more than HubSpot has acknowledged and
lags it by at most the steps of one save: a crash or kill at any moment leaves a valid lock,
and a new plan shows only what is left (a step done just before the kill is found in HubSpot
and recorded as in sync).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from hubprops.apply.lockwriter import LockWriter, snapshot
from hubprops.apply.results import ChangeResult, Progress, ResultStatus, Step, sync_status
from hubprops.lock.encode import LockEncoder
from hubprops.lock.file import LastSync, Lock, LockedGroup, LockedObject, LockedProperty, SyncStatus
from hubprops.models import canonical_object_type, lock_id
from hubprops.normalize import digest
from hubprops.plan.types import Action, Change, InSync, Kind, Plan

__all__ = ["ChangeResult", "Progress", "Recorder", "ResultStatus", "Step", "sync_status"]


def _digest(change: Change) -> str:
    """The digest recorded in the lock: the plan's ``after_digest`` (else the payload's)."""
    return change.after_digest or digest(change.payload or {})


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
        on_save_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.plan = plan
        self.lock = lock
        self.writer = LockWriter(save, self._snapshot, on_error=on_save_error)
        self._encoder = LockEncoder()
        self.on_progress = on_progress
        self.started_at = started_at
        self.elapsed = elapsed
        self.results: dict[int, ChangeResult] = {}
        self._index = {id(c): i for i, c in enumerate(plan.changes)}
        self._mutex = threading.Lock()
        #: Object types with steps recorded since the last snapshot (their last_sync is due).
        self._touched: set[str] = set()
        self._finished = False
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
        self.writer.changed()
        self.writer.flush()

    def record(self, steps: Iterable[Step]) -> None:
        """Record one completed step (a change, or a batch of them); the writer saves it."""
        finished: list[ChangeResult] = []
        with self._mutex:
            for step in steps:
                if step.status == "applied":
                    self._apply_to_lock(step)
                result = ChangeResult(step.change, step.status, step.message, step.details)
                self.results[self._index[id(step.change)]] = result
                finished.append(result)
            self._touched.update(r.change.object_type for r in finished)
            self.writer.changed()
            if self.on_progress is not None:
                total = len(self.plan.changes)
                done = len(self.results)
                for offset, result in enumerate(finished):
                    self.on_progress(Progress(done - len(finished) + offset + 1, total, result))

    def checkpoint(self, update: Callable[[Lock], None]) -> None:
        """Change the lock with ``update`` (a rename's progress, under the mutex) and wait until
        it is saved: a rename goes on only from what the lock holds."""
        with self._mutex:
            update(self.lock)
        self.writer.changed()
        self.writer.flush()

    def finish(self) -> tuple[ChangeResult, ...]:
        """Final statuses per object type and portal; save and stop the writer (a failed save
        is raised here); the results in plan order."""
        with self._mutex:
            self._finished = True
            for object_type in self.object_types:
                applied, failed, waiting = self._tally(object_type)
                status = sync_status(applied, failed, waiting)
                self._entry(object_type).last_sync = self._last_sync(object_type, status)
            self._portal_sync(None)
            results = tuple(self.results[i] for i in sorted(self.results))
        self.writer.changed()
        self.writer.flush()
        self.writer.close()
        return results

    def close(self) -> None:
        """Save what is left and stop the writer (after an error too; never raises)."""
        self.writer.close()

    def _snapshot(self) -> Lock:
        """The lock as recorded so far, with in-progress last_syncs brought up to date for the
        object types that had steps since the last snapshot (the writer's thread calls it)."""
        with self._mutex:
            if self._touched and not self._finished:
                for object_type in sorted(self._touched):
                    self._entry(object_type).last_sync = self._last_sync(object_type, "in_progress")
                self._portal_sync("in_progress")
            self._touched.clear()
            return snapshot(self.lock, self._encoder)

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
        last.api_version = self.plan.api_version
        self.lock.portal(self.plan.portal_id).last_sync = last


def _option_labels(after: Mapping[str, Any] | None) -> dict[str, str] | None:
    """value -> label of the options a change wrote (None when it wrote none): what lint's
    option-value-renamed compares a later definition with, since records keep the value."""
    options = (after or {}).get("options")
    if not isinstance(options, list):
        return None
    return {str(o.get("value")): str(o.get("label")) for o in options if isinstance(o, Mapping)}
