"""Direct access to a sandbox's state for tests and seeding (a mixin of ``Sandbox``): copies
for assertions, and edits with no validation, as someone working in HubSpot's UI would make."""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping
from typing import Any

from hubprops.sandbox.records import RecordStore
from hubprops.sandbox.store import Store


class DirectAccess:
    """Needs ``_lock``, ``store``, ``records`` and ``_persist`` from ``Sandbox``."""

    _lock: threading.Lock
    store: Store
    records: RecordStore
    record_seed: int = 0

    def _persist(self) -> None:  # pragma: no cover - Sandbox overrides
        raise NotImplementedError

    def properties(self, object_type: str, archived: bool = False) -> list[dict[str, Any]]:
        """Copies of the active (or archived) properties of every sensitivity, in list order."""
        with self._lock:
            return copy.deepcopy(self.store.list_properties(object_type, archived=archived))

    def groups(self, object_type: str) -> list[dict[str, Any]]:
        """Copies of the active groups, in list order."""
        with self._lock:
            return copy.deepcopy(self.store.list_groups(object_type))

    def put_property(self, object_type: str, prop: Mapping[str, Any]) -> dict[str, Any]:
        """Create or overwrite an active property with no validation (as someone editing it
        in HubSpot's UI would, or to add HubSpot-defined ones). Missing fields keep their old
        value, or get a custom property's server defaults; updatedAt moves unless given."""
        with self._lock:
            new = self.store.put_property(object_type, copy.deepcopy(dict(prop)))
            self._persist()
            return copy.deepcopy(new)

    def delete_property(self, object_type: str, name: str) -> None:
        """Purge a property, active and archived copies (no API does this on HubSpot)."""
        with self._lock:
            key = self.store.resolve(object_type)
            obj = self.store.objects[key]
            obj["properties"].pop(name, None)
            obj["archived"] = [p for p in obj["archived"] if p["name"] != name]
            self.records.drop_property(key, name)
            self._persist()

    def put_group(self, object_type: str, group: Mapping[str, Any]) -> dict[str, Any]:
        """Create or overwrite a group with no validation (displayOrder -1 when missing)."""
        with self._lock:
            obj = self.store.objects[self.store.resolve(object_type)]
            name = group["name"]
            current = obj["groups"].get(name) or {
                "name": name,
                "label": name,
                "displayOrder": -1,
                "archived": False,
            }
            new = {**current, **copy.deepcopy(dict(group))}
            obj["groups"][name] = new
            self._persist()
            return copy.deepcopy(new)

    def delete_group(self, object_type: str, name: str) -> None:
        """Remove a group outright, even if properties still use it."""
        with self._lock:
            self.store.objects[self.store.resolve(object_type)]["groups"].pop(name, None)
            self._persist()

    def add_custom_object(self, name: str) -> str:
        """Declare a custom object type (``2-N``, ``p{portalId}_{name}``) -> its full name."""
        with self._lock:
            key = self.store.add_custom_object(name)
            self._persist()
            return key

    def seed_records(self, count: int, object_types: list[str] | None = None) -> int:
        """Top every (or the given) object type up to ``count`` records, with values for its
        writable properties -> how many records were added."""
        with self._lock:
            keys = [self.store.resolve(o) for o in object_types or list(self.store.objects)]
            stamp = self.store.stamp()
            added = 0
            for key in keys:
                props = list(self.store.objects[key]["properties"].values())
                added += self.records.seed(key, props, count, stamp, self.record_seed)
            if added:
                self._persist()
            return added

    def record_values(self, object_type: str, record_id: str) -> dict[str, str]:
        """A copy of one record's stored values (archived properties' values are gone)."""
        with self._lock:
            rows = self.records.rows(self.store.resolve(object_type))
            return dict(rows[record_id]["properties"])
