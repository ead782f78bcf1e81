"""The stages of one apply: each runs its changes through ``client.map`` (every object type at
once, under the client's one rate limiter) and reports every completed step to the Recorder.

Property creates and archives go in batches per object type (chunked to the client's batch
size); updates and group changes one request each. A property whose group could not be created
is skipped with that reason. An error after which nothing can succeed (``FATAL_ERRORS``) or an
open circuit breaker sets ``stop`` and says why in ``halt``.

HubSpot has no conditional PATCH, so a human editing a property in HubSpot's UI during a long
apply would be overwritten (and an option added there removed by the options PATCH, a removal
the plan never showed). ``Freshness`` re-lists an object type's properties (one request) before
an update once ``REREAD_EVERY`` updates or ``REREAD_SECONDS`` have passed since the last read; a
property that moved since the plan (another ``updatedAt``, or content other than the plan's
``before_digest``) is skipped as stale (``STALE_DURING_APPLY``), never written. While one update
re-lists, the others (at most the client's workers) are checked against the previous list.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from hubprops.apply.cadence import REREAD_EVERY, REREAD_SECONDS
from hubprops.apply.recorder import Recorder, Step
from hubprops.errors import FATAL_ERRORS, Conflict, HubpropsError, RemoteError
from hubprops.models import RemoteState
from hubprops.normalize import at_end, field_order, normalize_wanted, remote_digest
from hubprops.plan.types import Action, Change, Kind
from hubprops.rules import DEFAULT_SENSITIVITY

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient
    from hubprops.hubspot.records import Records

STALE_DURING_APPLY = "changed in HubSpot during the apply; re-plan"


class Freshness:
    """HubSpot's properties as last read, per object type, re-read when due (thread-safe).

    ``baseline`` is what apply read before its first write (the staleness check); without it
    nothing is checked. Sensitive properties, which a plain list does not show, are checked
    only when the re-read shows them."""

    def __init__(
        self,
        client: HubSpotClient,
        baseline: RemoteState | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.clock = clock
        self._mutex = threading.Lock()
        objects = baseline.objects if baseline is not None else {}
        self._planned = {t: dict(o.properties) for t, o in objects.items()}
        self._current = {t: dict(o.properties) for t, o in objects.items()}
        start = clock()
        self._read_at = {t: start for t in objects}
        self._since = {t: 0 for t in objects}
        self._reading: set[str] = set()  # object types being re-read right now
        #: How many re-reads were made (for tests and logs).
        self.rereads = 0

    def _reread(self, object_type: str) -> None:
        """List the object type's properties again. Outside the mutex: while the list is on
        its way (it waits its turn at the rate limit like any request), other updates go on
        checked against the previous list, which was due a moment ago, instead of leaving the
        rate limit unused."""
        try:
            listed = self.client.list_properties(object_type)
        except BaseException:
            with self._mutex:
                self._reading.discard(object_type)
            raise
        current = {str(p.get("name")): p for p in listed}
        with self._mutex:
            self._current[object_type] = current
            self._read_at[object_type], self._since[object_type] = self.clock(), 1
            self._reading.discard(object_type)
            self.rereads += 1

    def moved(self, change: Change) -> str | None:
        """Why ``change`` (a property update) must not be sent, or None."""
        t = change.object_type
        with self._mutex:
            if t not in self._planned:
                return None
            due = t not in self._reading and (
                self._since[t] >= REREAD_EVERY or self.clock() - self._read_at[t] >= REREAD_SECONDS
            )
            if due:
                self._reading.add(t)
            self._since[t] += 1
        if due:
            self._reread(t)
        with self._mutex:
            now = self._current[t].get(change.name)
        planned = self._planned[t].get(change.name)
        if planned is None:
            return None
        if now is None:
            level = planned.get("dataSensitivity") or DEFAULT_SENSITIVITY
            hidden = level != DEFAULT_SENSITIVITY
            return None if hidden else f"{STALE_DURING_APPLY} (it was archived)"
        if now.get("updatedAt") != planned.get("updatedAt") or (
            change.before_digest is not None and remote_digest(now) != change.before_digest
        ):
            return f"{STALE_DURING_APPLY} (updatedAt {now.get('updatedAt')})"
        return None


class Run:
    """One apply's stages; workers report each completed step to the Recorder."""

    def __init__(
        self,
        client: HubSpotClient,
        recorder: Recorder,
        stop: threading.Event,
        *,
        baseline: RemoteState | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.freshness = Freshness(client, baseline, clock)
        self.recorder = recorder
        self.stop = stop
        self.halt: str | None = None
        self.failed_groups: dict[tuple[str, str], str] = {}
        self.batch = max(1, client.batch_size)
        self._records: Records | None = None
        self._records_lock = threading.Lock()

    def stage(self, changes: list[Change]) -> None:
        skipped = [s for s in (self._skip(c) for c in changes) if s is not None]
        if skipped:
            self.recorder.record(skipped)
        done = {id(s.change) for s in skipped}
        runnable = [c for c in changes if id(c) not in done]
        if not runnable:
            return
        first = runnable[0]
        if first.kind is Kind.PROPERTY and first.action not in (Action.UPDATE, Action.RENAME):
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
            elif first.action is Action.RENAME:
                steps = [self._rename(first)]
            elif first.action is Action.UPDATE:
                steps = [self._update(first)]
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

    def _rename(self, change: Change) -> Step:
        from hubprops.apply.rename import Migrator
        from hubprops.hubspot.records import Records

        with self._records_lock:
            if self._records is None:  # one search limiter for every rename of this apply
                self._records = Records(self.client)
            records = self._records
        return Migrator(self.client, records, self.recorder, change, self.stop).run()

    def _update(self, change: Change) -> Step:
        stale = self.freshness.moved(change)
        if stale is not None:
            return Step(change, "skipped", stale)
        body: dict[str, Any] = self.client.update_property(
            change.object_type, change.name, change.payload or {}
        )
        return Step(change, "applied", response=body)

    def _failed(self, change: Change, exc: HubpropsError) -> Step:
        details = exc.details if isinstance(exc, RemoteError) else ()
        message = exc.message if isinstance(exc, RemoteError) else str(exc)
        if isinstance(exc, FATAL_ERRORS) and self.halt is None:
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
        taken = [c for c in unit if isinstance(errors.get(c.name), Conflict)]
        existing, last = self._existing(object_type, taken) if taken else ({}, frozenset())
        steps: list[Step] = []
        for change in unit:
            if change.name in made:
                steps.append(Step(change, "applied", response=made[change.name]))
            elif change.name in existing:
                steps.append(self._adopt(change, existing[change.name], last))
            elif change.name in errors:
                steps.append(self._failed(change, errors[change.name]))
            else:
                steps.append(Step(change, "failed", "HubSpot's batch answer did not mention it"))
        return steps

    def _existing(
        self, object_type: str, taken: Sequence[Change]
    ) -> tuple[dict[str, dict[str, Any]], frozenset[str]]:
        """The properties that a create found taken (made by another checkout or by hand since
        the plan): one list for the object type, a single read for one it does not show; and
        which of them sit last in their group as their plan wants (``at_end``)."""
        listed = {str(p.get("name")): p for p in self.client.list_properties(object_type)}
        found: dict[str, dict[str, Any]] = {}
        for change in taken:
            prop = listed.get(change.name) or self.client.read_back(
                object_type, change.payload or {}
            )
            if prop is not None:
                found[change.name] = prop
        wanted = {c.name: c.after or {} for c in taken}
        return found, at_end({**listed, **found}, wanted)

    def _adopt(self, change: Change, found: dict[str, Any], last: frozenset[str]) -> Step:
        """Adopt an existing property identical to what the create would make (compared like
        the planner compares, over the definition's fields); else a conflict naming the
        difference."""
        after = change.after or {}
        now = normalize_wanted(found, after, last)
        differ = [f for f in after if now.get(f) != after[f]]
        if not differ:
            return Step(change, "applied", response=found, adopted=True)
        details = tuple(
            f"{f}: the plan creates {_js(after[f])}, HubSpot has {_js(now.get(f))}"
            for f in sorted(differ, key=field_order)
        )
        message = (
            f"{change.object_type} property {change.name!r} already exists in HubSpot and "
            f"differs in {', '.join(sorted(differ, key=field_order))} (conflict); run plan "
            "again to update it, or rename yours"
        )
        return Step(change, "failed", message, details)


def _js(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."
