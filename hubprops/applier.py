"""Execute a Plan against HubSpot and record every completed step in the lock.

``apply_plan`` first makes sure the plan still holds, and writes nothing to HubSpot until it
does: the portal is the plan's, and every property and group the plan changes still matches the
digest recorded at plan time (``StalePlan`` names what moved). It re-reads only what the changes
need: the property list of an object type with property changes, its group list only for group
updates or archives. A group create that meets an existing group is settled by reading that one
group back (identical: adopted; different: that change fails), which keeps 40 creates within 3
requests per object type (properties list, group create, one batch create).

Then the steps run in this order (``STAGES``), each stage over every object type at once under
the client's one rate limiter: group creates and updates; property creates (``batch/create``,
chunked to the batch cap); property updates (one PATCH each, concurrent); property archives
(``batch/archive``); group archives (after the properties in them). A failure does not stop
independent changes: a property whose group could not be created is skipped with that reason.
The lock is saved after every step (``_applylock.Recorder``); the plan's ``in_sync`` items
(already as defined, not yet in the lock) are recorded before the first write, without any
request. Setting ``cancel`` (Ctrl-C) stops starting new requests; those in flight finish and
are recorded. Errors after which nothing can succeed (401, the daily limit) and an open circuit
breaker stop the apply the same way, saying why.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from hubprops._applylock import ChangeResult, Progress, Recorder, Step, sync_status
from hubprops.errors import (
    AuthenticationError,
    Conflict,
    DailyLimitReached,
    HubpropsError,
    RemoteError,
)
from hubprops.lockfile import Lock, SyncStatus
from hubprops.models import RemoteObject, RemoteState
from hubprops.planfile import check_portal, check_stale
from hubprops.plans import APPLY_STAGES, Action, Change, Kind, Plan

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient

__all__ = ["STAGES", "ApplyResult", "ChangeResult", "Progress", "apply_plan", "needs_apply"]

#: The order of apply (defined once, in plans.py, where the planner sorts by it too).
STAGES = APPLY_STAGES
#: Errors after which no further request can succeed: apply stops starting new ones.
FATAL = (AuthenticationError, DailyLimitReached)
DEFAULT_BATCH = 100


@dataclass(frozen=True)
class ApplyResult:
    """The outcome of one apply. ``status`` is what the lock records for the portal."""

    portal_id: int
    started_at: str
    duration_s: float
    status: SyncStatus
    interrupted: bool
    results: tuple[ChangeResult, ...]
    counts: dict[str, int]
    stopped_because: str | None = None
    #: Items already as defined that this apply recorded in the lock (``Plan.in_sync``).
    recorded_in_sync: int = 0

    @property
    def ok(self) -> bool:
        """True iff every change was applied."""
        return self.status == "completed" and not self.interrupted

    @property
    def failures(self) -> tuple[ChangeResult, ...]:
        """Changes that failed or were skipped because of another failure."""
        return tuple(r for r in self.results if r.status in ("failed", "skipped"))


def needs_apply(plan: Plan, lock: Lock) -> bool:
    """Whether applying ``plan`` does anything: changes to make, in-sync items to record, or an
    earlier apply on this portal that was cut off (its ``in_progress`` status is closed). Call
    it while holding the apply guard (then no other apply is running)."""
    if plan.has_changes or plan.in_sync:
        return True
    portal = lock.portals.get(str(plan.portal_id))
    if portal is None:
        return False
    syncs = [portal.last_sync, *(o.last_sync for o in portal.objects.values())]
    return any(s is not None and s.status == "in_progress" for s in syncs)


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def apply_plan(
    client: HubSpotClient,
    plan: Plan,
    lock: Lock,
    *,
    save: Callable[[Lock], None],
    cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    portal_id: int | None = None,
    now: Callable[[], str] = _utc_now,
    clock: Callable[[], float] = time.monotonic,
) -> ApplyResult:
    """Apply ``plan`` through ``client``, updating ``lock`` and calling ``save(lock)`` after
    every completed step. ``portal_id`` is the portal the caller vouches for (``--portal``);
    None asks HubSpot. Raises WrongPortal or StalePlan before any write; HubSpot's refusals of
    single changes are reported in the result, not raised."""
    start = clock()
    started_at = now()
    check_portal(plan, portal_id if portal_id is not None else client.get_portal_id())
    if plan.changes:
        check_stale(plan, read_for_staleness(client, plan))
    stop = cancel if cancel is not None else threading.Event()
    recorder = Recorder(
        plan,
        lock,
        save=save,
        on_progress=on_progress,
        started_at=started_at,
        elapsed=lambda: clock() - start,
    )
    run = _Run(client, recorder, stop)
    if stop.is_set():  # Ctrl-C before the first write: leave HubSpot and the lock as they were
        return _result(recorder, run, started_at, clock() - start, written=False)
    recorder.begin()
    for kind, actions in STAGES:
        if run.stop.is_set():
            break
        run.stage([c for c in plan.changes if c.kind is kind and c.action in actions])
    leftover = recorder.pending()
    if leftover:
        reason = run.halt or "not started: apply was interrupted"
        recorder.record(Step(c, "not_started", reason) for c in leftover)
    return _result(recorder, run, started_at, clock() - start, written=True)


def _result(
    recorder: Recorder,
    run: _Run,
    started_at: str,
    duration: float,
    *,
    written: bool,
) -> ApplyResult:
    """The result; ``written`` False when apply stopped before its first write."""
    plan = recorder.plan
    if written:
        results = recorder.finish()
    else:
        results = tuple(
            ChangeResult(c, "not_started", "not started: interrupted") for c in plan.changes
        )
    applied = sum(r.status == "applied" for r in results)
    failed = sum(r.status in ("failed", "skipped") for r in results)
    waiting = sum(r.status == "not_started" for r in results)
    return ApplyResult(
        portal_id=plan.portal_id,
        started_at=started_at,
        duration_s=duration,
        status=sync_status(applied, failed, waiting),
        interrupted=run.stop.is_set() and run.halt is None,
        results=results,
        counts=recorder.counts(None),
        stopped_because=run.halt,
        recorded_in_sync=len(plan.in_sync) if written else 0,
    )


def read_for_staleness(client: HubSpotClient, plan: Plan) -> RemoteState:
    """Re-read only what the plan's changes need, every object type at once."""
    calls: set[tuple[str, str, str | None]] = set()
    for change in plan.changes:
        if change.kind is Kind.PROPERTY:
            calls.add((change.object_type, "properties", None))
            for side in (change.before, change.after):
                level = (side or {}).get("dataSensitivity")
                if level and level != "non_sensitive":
                    calls.add((change.object_type, "properties", str(level)))
        elif change.action is not Action.CREATE:
            calls.add((change.object_type, "groups", None))

    def fetch(call: tuple[str, str, str | None]) -> list[dict[str, Any]]:
        object_type, what, level = call
        if what == "groups":
            return client.list_groups(object_type)
        return client.list_properties(object_type, data_sensitivity=level)

    ordered = sorted(calls, key=lambda c: (c[0], c[1], c[2] or ""))
    properties: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for outcome in client.map(fetch, ordered):
        if outcome.error is not None:
            raise outcome.error
        if not outcome.started:  # pragma: no cover - no cancel is passed to this map
            raise RemoteError("reading HubSpot stopped before it finished; nothing was changed")
        object_type, what, _ = outcome.item
        target = groups if what == "groups" else properties
        for item in outcome.value or []:
            target[object_type][str(item.get("name"))] = item
    types = {c[0] for c in ordered}
    return RemoteState(
        portal_id=plan.portal_id,
        objects={
            t: RemoteObject(object_type=t, properties=properties[t], groups=groups[t])
            for t in types
        },
    )


class _Run:
    """One apply's stages; workers report each completed step to the Recorder."""

    def __init__(self, client: HubSpotClient, recorder: Recorder, stop: threading.Event) -> None:
        self.client = client
        self.recorder = recorder
        self.stop = stop
        self.halt: str | None = None
        self.failed_groups: dict[tuple[str, str], str] = {}
        self.batch = max(1, int(getattr(client, "batch_size", DEFAULT_BATCH) or DEFAULT_BATCH))

    def stage(self, changes: list[Change]) -> None:
        skipped = [s for s in (self._skip(c) for c in changes) if s is not None]
        if skipped:
            self.recorder.record(skipped)
        done = {id(s.change) for s in skipped}
        runnable = [c for c in changes if id(c) not in done]
        if not runnable:
            return
        first = runnable[0]
        if first.kind is Kind.PROPERTY and first.action is not Action.UPDATE:
            units: list[list[Change]] = []
            by_type: dict[str, list[Change]] = defaultdict(list)
            for change in runnable:
                by_type[change.object_type].append(change)
            for group in by_type.values():
                units += [group[i : i + self.batch] for i in range(0, len(group), self.batch)]
        else:
            units = [[c] for c in runnable]
        outcomes = self.client.map(self._unit, units, cancel=self.stop)
        for outcome in outcomes:
            if not outcome.started and outcome.error is not None and self.halt is None:
                self.halt = str(outcome.error)  # the circuit opened
                self.stop.set()

    def _skip(self, change: Change) -> Step | None:
        """A property whose (new) group could not be created is skipped, saying why."""
        group = (change.payload or {}).get("groupName") if change.kind is Kind.PROPERTY else None
        reason = self.failed_groups.get((change.object_type, str(group)))
        if reason is None:
            return None
        return Step(change, "skipped", f"not attempted: group {group!r} was not created ({reason})")

    def _unit(self, unit: Sequence[Change]) -> None:
        first = unit[0]
        try:
            if first.kind is Kind.GROUP:
                steps = [self._group(first)]
            elif first.action is Action.CREATE:
                steps = self._create_properties(unit)
            elif first.action is Action.UPDATE:
                body = self.client.update_property(
                    first.object_type, first.name, first.payload or {}
                )
                steps = [Step(first, "applied", response=body)]
            else:
                self.client.archive_properties(first.object_type, [c.name for c in unit])
                steps = [Step(c, "applied") for c in unit]
        except HubpropsError as exc:
            steps = [self._failed(c, exc) for c in unit]
        except Exception as exc:  # a bug must not lose the record of what was done
            steps = [
                Step(c, "failed", f"unexpected error: {type(exc).__name__}: {exc}") for c in unit
            ]
        self.recorder.record(steps)

    def _failed(self, change: Change, exc: HubpropsError) -> Step:
        details = exc.details if isinstance(exc, RemoteError) else ()
        message = exc.message if isinstance(exc, RemoteError) else str(exc)
        if isinstance(exc, FATAL) and self.halt is None:
            self.halt = f"not started: apply stopped after: {message}"
            self.stop.set()
        if change.kind is Kind.GROUP and change.action is Action.CREATE:
            self.failed_groups[(change.object_type, change.name)] = message
        return Step(change, "failed", message, tuple(details))

    def _group(self, change: Change) -> Step:
        body = change.payload or {}
        if change.action is Action.UPDATE:
            return Step(
                change,
                "applied",
                response=self.client.update_group(change.object_type, change.name, body),
            )
        if change.action is Action.ARCHIVE:
            self.client.archive_group(change.object_type, change.name)
            return Step(change, "applied")
        try:
            return Step(
                change, "applied", response=self.client.create_group(change.object_type, body)
            )
        except Conflict:
            # Made since the plan (by hand, or by an apply whose answer was lost): adopt it if it
            # is what we would have made, else fail this change (the plan is stale for it).
            from hubprops.hubspot.reconcile import group_fields, require_same

            found = self.client.get_group(change.object_type, change.name)
            what = f"group {change.name!r} of {change.object_type} exists since the plan was made"
            require_same("group", change.name, group_fields(body), found, what)
            return Step(change, "applied", response=found, adopted=True)

    def _create_properties(self, unit: Sequence[Change]) -> list[Step]:
        object_type = unit[0].object_type
        result = self.client.create_properties(object_type, [c.payload or {} for c in unit])
        made = {str(r.get("name")): r for r in result.results}
        errors = {e.name: e.error for e in result.errors}
        steps: list[Step] = []
        for change in unit:
            if change.name in made:
                steps.append(Step(change, "applied", response=made[change.name]))
            elif change.name in errors:
                steps.append(self._failed(change, errors[change.name]))
            else:
                steps.append(Step(change, "failed", "HubSpot's batch answer did not mention it"))
        return steps
