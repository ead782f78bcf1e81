"""Execute a Plan against HubSpot and record every completed step in the lock.

``apply_plan`` first makes sure the plan still holds, and writes nothing to HubSpot until it
does: the portal is the plan's, and every property and group the plan changes still matches the
digest recorded at plan time (``StalePlan`` names what moved). It re-reads only what the changes
need: the property list of an object type with property changes, its group list only for group
updates or archives. A group create that meets an existing group is settled by reading that one
group back (identical: adopted; different: that change fails), which keeps 40 creates within 3
requests per object type (properties list, group create, one batch create).

Then the steps run (``stages.Run``) in the order of ``APPLY_STAGES``, each stage over every object
type at once under the client's one rate limiter: group creates and updates; property creates
(``batch/create``, chunked to the batch cap); property updates (one PATCH each, concurrent);
property archives (``batch/archive``); group archives (after the properties in them). A failure
does not stop independent changes: a property whose group could not be created is skipped with
that reason. The lock is saved after every step by a writer thread, the newest state winning
(``recorder.Recorder``, ``lockwriter.LockWriter``), so the workers never wait for the disk; the
plan's ``in_sync`` items (already as defined, not yet in the lock) are recorded before the first
write, without any request. Setting ``cancel`` (Ctrl-C) stops starting new requests; those in flight
finish and are recorded. Errors after which nothing can succeed (401, the daily limit) and an
open circuit breaker stop the apply the same way, saying why.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hubprops.apply.recorder import ChangeResult, Progress, Recorder, Step, sync_status
from hubprops.apply.stages import Run
from hubprops.clock import utc_now
from hubprops.errors import ConfigError
from hubprops.hubspot.endpoint import resolve_portal
from hubprops.lock.file import Lock, SyncStatus
from hubprops.models import RemoteState
from hubprops.plan.file import already_applied, check_portal, check_stale
from hubprops.plan.remote import Read, read_lists
from hubprops.plan.types import APPLY_STAGES, Action, Kind, Plan
from hubprops.plan.verify import read_hidden_in_sync, verify_plan
from hubprops.rules import extra_sensitivities

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient

__all__ = ["ApplyResult", "ChangeResult", "Progress", "apply_plan", "needs_apply"]


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
    #: HubSpot already held every change of the plan (an earlier apply of it succeeded):
    #: nothing was written, not even the lock.
    already_applied: bool = False

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
    return utc_now("milliseconds")


def check_api_version(plan: Plan, api_version: str) -> None:
    """ConfigError unless the plan was made with ``api_version`` (or with an unknown one)."""
    if plan.api_version is not None and plan.api_version != api_version:
        raise ConfigError(
            f"the plan was made with HubSpot API version {plan.api_version}, not "
            f"{api_version}: apply it with --api-version {plan.api_version} (or leave "
            "--api-version out), or make a new plan with the version you want"
        )


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
    every completed step. ``portal_id`` is the portal the caller vouches for (``--portal``):
    HubSpot's answer wins when the token may read it (``resolve_portal``). Raises WrongPortal
    or StalePlan before any write; HubSpot's refusals of
    single changes are reported in the result, not raised."""
    start = clock()
    started_at = now()
    check_api_version(plan, client.api_version)
    plan = plan.model_copy(update={"api_version": client.api_version})  # the lock records it
    check_portal(plan, resolve_portal(client, portal_id))
    baseline: RemoteState | None = None
    if plan.changes or plan.in_sync:
        baseline = read_for_staleness(client, plan)
        if plan.changes and already_applied(plan, baseline):
            return _done_before(plan, started_at, clock() - start)  # a re-run that succeeded
        check_stale(plan, baseline)
        baseline = read_hidden_in_sync(client, plan, baseline)
        verify_plan(plan, lock, baseline)  # apply executes only what `show` displays
    stop = cancel if cancel is not None else threading.Event()
    recorder = Recorder(
        plan,
        lock,
        save=save,
        on_progress=on_progress,
        started_at=started_at,
        elapsed=lambda: clock() - start,
        on_save_error=lambda _exc: stop.set(),  # nothing more may be written unrecorded
    )
    run = Run(client, recorder, stop, baseline=baseline, clock=clock)
    if stop.is_set():  # Ctrl-C before the first write: leave HubSpot and the lock as they were
        return _result(recorder, run, started_at, clock() - start, written=False)
    try:
        recorder.begin()
        for kind, actions in APPLY_STAGES:
            if run.stop.is_set():
                break
            run.stage([c for c in plan.changes if c.kind is kind and c.action in actions])
        leftover = recorder.pending()
        if leftover:
            reason = run.halt or "not started: apply was interrupted"
            recorder.record(Step(c, "not_started", reason) for c in leftover)
        return _result(recorder, run, started_at, clock() - start, written=True)
    finally:
        recorder.close()  # on any way out (Ctrl-C too): what was recorded reaches the disk


def _done_before(plan: Plan, started_at: str, duration: float) -> ApplyResult:
    return ApplyResult(
        portal_id=plan.portal_id,
        started_at=started_at,
        duration_s=duration,
        status="completed",
        interrupted=False,
        results=(),
        counts={},
        already_applied=True,
    )


def _result(
    recorder: Recorder,
    run: Run,
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
    """Re-read only what the plan's changes need, every object type at once (``read_lists``,
    the plan's own way of reading)."""
    reads: set[Read] = set()
    for change in plan.changes:
        if change.kind is Kind.PROPERTY:
            reads.add(Read("properties", change.object_type))
            levels = extra_sensitivities(
                str((side or {}).get("dataSensitivity") or "")
                for side in (change.before, change.after)
            )
            reads |= {Read("properties", change.object_type, level) for level in levels}
        elif change.action is not Action.CREATE:
            reads.add(Read("groups", change.object_type))
    for synced in plan.in_sync:  # verify_plan checks that each exists
        if synced.kind is Kind.PROPERTY:
            reads.add(Read("properties", synced.object_type))
        else:
            reads.add(Read("groups", synced.object_type))
    ordered = sorted(reads, key=lambda r: (r.object_type, r.what, r.sensitivity or ""))
    return read_lists(client, ordered, portal_id=plan.portal_id)
