"""The stages of one apply: each runs its changes through ``client.map`` (every object type at
once, under the client's one rate limiter) and reports every completed step to the Recorder.

Property creates and archives go in batches per object type (chunked to the client's batch
size); updates and group changes one request each. A property whose group could not be created
is skipped with that reason. An error after which nothing can succeed (``FATAL``) or an open
circuit breaker sets ``stop`` and says why in ``halt``.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hubprops.apply.recorder import Recorder, Step
from hubprops.errors import (
    AuthenticationError,
    Conflict,
    DailyLimitReached,
    HubpropsError,
    RemoteError,
)
from hubprops.plan.types import Action, Change, Kind

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient
    from hubprops.hubspot.records import Records

#: Errors after which no further request can succeed: apply stops starting new ones.
FATAL = (AuthenticationError, DailyLimitReached)
DEFAULT_BATCH = 100


class Run:
    """One apply's stages; workers report each completed step to the Recorder."""

    def __init__(self, client: HubSpotClient, recorder: Recorder, stop: threading.Event) -> None:
        self.client = client
        self.recorder = recorder
        self.stop = stop
        self.halt: str | None = None
        self.failed_groups: dict[tuple[str, str], str] = {}
        self.batch = max(1, int(getattr(client, "batch_size", DEFAULT_BATCH) or DEFAULT_BATCH))
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

    def _rename(self, change: Change) -> Step:
        from hubprops.apply.rename import Migrator
        from hubprops.hubspot.records import Records

        with self._records_lock:
            if self._records is None:  # one search limiter for every rename of this apply
                self._records = Records(self.client)
            records = self._records
        return Migrator(self.client, records, self.recorder, change, self.stop).run()

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
