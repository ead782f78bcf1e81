"""A rename that keeps values, resumable: create the new property, copy every record's value,
verify, archive the old property.

HubSpot cannot rename a property (the internal name is fixed), so a ``rename`` change is a
migration, recorded step by step in the lock (``objects.<type>.migrations.<new>``):

1. the migration is noted in the lock (``step: copying``) before anything is written;
2. the new property is created from the plan's payload (skipped once a value was copied; a 409
   on a resumed run means an earlier run made it: it is read back and must have the same type);
3. values are copied in record id order, one page of ``PAGE_SIZE`` at a time: a search for the
   records that hold the old property, do not hold the new one yet and come after ``last_id``
   (keyset paging: it survives a restart and HubSpot's 10,000-result cap on ``after``), then one
   ``batch/update`` of those records, then ``last_id`` and ``copied`` saved in the lock. A kill at
   any point loses nothing (the old values stay until step 5) and writes nothing twice (a record
   already holding the new property is not selected again);
4. a second count must find no record holding the old property without the new one
   (``step: verified``);
5. only then the old property is archived, and the lock records the new one and drops the
   migration.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from hubprops.apply.recorder import Recorder, Step
from hubprops.errors import Conflict, HubpropsError, RemoteError
from hubprops.hubspot.records import PAGE_SIZE, Filter, Records, has_property, not_has_property
from hubprops.lock.file import Lock, Migration
from hubprops.plan.types import Change

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient


def _pending(old: str, new: str, after: str | None) -> list[Filter]:
    filters = [has_property(old), not_has_property(new)]
    if after is not None:
        filters.append({"propertyName": "hs_object_id", "operator": "GT", "value": after})
    return filters


class Migrator:
    """Runs one ``rename`` change; progress goes through ``recorder.checkpoint``."""

    def __init__(
        self,
        client: HubSpotClient,
        records: Records,
        recorder: Recorder,
        change: Change,
        stop: threading.Event,
    ) -> None:
        self.client = client
        self.records = records
        self.recorder = recorder
        self.change = change
        self.stop = stop
        self.object_type = change.object_type
        self.old = change.rename_from or ""
        self.new = change.name

    def _migration(self, lock: Lock) -> Migration:
        entry = lock.entry(self.recorder.plan.portal_id, self.object_type)
        migrations = entry.migrations if entry.migrations is not None else {}
        entry.migrations = migrations
        return migrations.setdefault(self.new, Migration.model_validate({"from": self.old}))

    def _progress(self) -> Migration:
        found: list[Migration] = []
        self.recorder.checkpoint(lambda lock: found.append(self._migration(lock).model_copy()))
        return found[0]

    def _save(self, **fields: Any) -> None:
        def update(lock: Lock) -> None:
            migration = self._migration(lock)
            for key, value in fields.items():
                setattr(migration, key, value)

        self.recorder.checkpoint(update)

    def run(self) -> Step:
        """The step to record: applied once the old property is archived."""
        try:
            return self._run()
        except HubpropsError as exc:
            message = exc.message if isinstance(exc, RemoteError) else str(exc)
            details = exc.details if isinstance(exc, RemoteError) else ()
            return Step(self.change, "failed", f"rename stopped: {message}", tuple(details))

    def _run(self) -> Step:
        progress = self._progress()
        created: dict[str, Any] | None = None
        if progress.step == "copying":
            if progress.last_id is None and progress.copied == 0:
                created = self._create()
            stopped = self._copy(progress)
            if stopped is not None:
                return stopped
            left = self.records.count(self.object_type, _pending(self.old, self.new, None))
            if left:
                return Step(
                    self.change,
                    "failed",
                    f"rename stopped: {left} record(s) still hold {self.old!r} without "
                    f"{self.new!r} after the copy (HubSpot's search index may lag); "
                    f"{self.old!r} was kept: apply again to finish",
                )
            self._save(step="verified")
        if self.stop.is_set():
            return self._interrupted()
        self.client.archive_property(self.object_type, self.old)
        return Step(self.change, "applied", response=created)

    def _create(self) -> dict[str, Any] | None:
        try:
            return self.client.create_property(self.object_type, self.change.payload or {})
        except Conflict:
            found = self.client.get_property(self.object_type, self.new)
            wanted = (self.change.payload or {}).get("type")
            if found is None or found.get("type") != wanted:
                raise
            return found

    def _copy(self, progress: Migration) -> Step | None:
        last, copied = progress.last_id, progress.copied
        while True:
            if self.stop.is_set():
                return self._interrupted()
            page = self.records.search(
                self.object_type,
                _pending(self.old, self.new, last),
                limit=PAGE_SIZE,
                properties=[self.old],
                sort_by_id=True,
            )
            inputs = [
                {"id": str(r.get("id")), "properties": {self.new: value}}
                for r in page.results
                if (value := (r.get("properties") or {}).get(self.old)) not in (None, "")
            ]
            if inputs:
                self.records.batch_update(self.object_type, inputs)
            if page.results:
                last = str(page.results[-1].get("id"))
                copied += len(inputs)
                self._save(last_id=last, copied=copied)
            if page.after is None or not page.results:
                return None

    def _interrupted(self) -> Step:
        return Step(
            self.change,
            "not_started",
            f"interrupted while renaming {self.old!r} to {self.new!r}; the lock records how far "
            "it got: apply again to finish",
        )
