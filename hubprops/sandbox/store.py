"""The sandbox's in-memory CRM: properties and groups per object type, archived ones kept.

Every method raises ``ApiError`` for an answer HubSpot would give as an error. The store is not
thread-safe by itself: ``Sandbox`` holds one lock around every call. Values handed out are the
stored dicts; callers serialize or copy them before releasing the lock.

List order is NOT creation order: properties come back sorted by a hash of their name (stable,
like HubSpot's own unpredictable order), groups by displayOrder then that hash.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from hubprops.sandbox.errors import OBJECT_ALREADY_EXISTS, ApiError, detail, invalid, not_found
from hubprops.sandbox.fields import PROPERTY_DEFAULTS
from hubprops.sandbox.groups import GroupsMixin
from hubprops.sandbox.objecttypes import ObjectTypes
from hubprops.sandbox.validation import check_property_create, check_property_update
from hubprops.sandbox.versions import V3, ApiVersion

SENSITIVITIES = ("non_sensitive", "sensitive", "highly_sensitive")
MAX_UNIQUE = 10
CUSTOM_PROPERTY_LIMIT = 1000
USER_ID = "9586504"


def _order(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()


def format_time(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and ``Z``, as HubSpot writes timestamps."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def empty_object(groups: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """The state of one object type: active properties by name, archived copies, groups."""
    made = {
        name: {"name": name, "label": label, "displayOrder": i, "archived": False}
        for i, (name, label) in enumerate(groups or [])
    }
    return {"properties": {}, "archived": [], "groups": made}


class Store(GroupsMixin):
    """Properties and groups of every object type, with HubSpot's rules.

    ``rewrite_minus_one``: a property written with displayOrder -1 (or none) gets a real
    position, last in its group (highest + 1), as live HubSpot does. ``property_limit``: the
    most custom properties one object type may hold (a create beyond it is a 400).
    """

    def __init__(
        self,
        objects: dict[str, dict[str, Any]],
        *,
        now: Callable[[], datetime],
        reserve_archived_names: bool = False,
        last_stamp_ms: int = 0,
        types: ObjectTypes | None = None,
        default_groups: bool = False,
        rewrite_minus_one: bool = False,
        property_limit: int = CUSTOM_PROPERTY_LIMIT,
    ) -> None:
        self.types = types or ObjectTypes(0)
        self.objects: dict[str, dict[str, Any]] = {}
        for t in self.types.all():
            self.objects[t.key] = objects.get(t.key) or empty_object(
                t.default_groups() if default_groups else None
            )
        self._now = now
        self.reserve_archived_names = reserve_archived_names
        self.last_stamp_ms = last_stamp_ms
        self.rewrite_minus_one = rewrite_minus_one
        self.property_limit = property_limit
        #: Called with (object type key, property name) when a property is archived.
        self.on_archive: Callable[[str, str], None] | None = None

    def add_custom_object(self, name: str, default_groups: bool = True) -> str:
        """Declare a custom object type (idempotent) -> its key ``p{portal}_{name}``."""
        made = self.types.add_custom(name)
        if made.key not in self.objects:
            self.objects[made.key] = empty_object(made.default_groups() if default_groups else None)
        return made.key

    def resolve(self, object_type: str) -> str:
        """The store key of an object type given by name or id (400 if unknown)."""
        return self.types.resolve(object_type).key

    @staticmethod
    def order_key(name: str) -> str:
        """The list order of a name: a hash, stable but unrelated to creation order."""
        return _order(name)

    # -- time -------------------------------------------------------------------------------

    def stamp(self) -> str:
        """A timestamp for createdAt/updatedAt, strictly later than the previous one, so that
        every change moves updatedAt even within one millisecond."""
        ms = int(self._now().timestamp() * 1000)
        self.last_stamp_ms = max(ms, self.last_stamp_ms + 1)
        return format_time(datetime.fromtimestamp(self.last_stamp_ms / 1000, timezone.utc))

    def now_text(self) -> str:
        """The current time, formatted (for batch startedAt/completedAt)."""
        return format_time(self._now())

    # -- properties -------------------------------------------------------------------------

    def _obj(self, object_type: str) -> dict[str, Any]:
        return self.objects[self.resolve(object_type)]

    def list_properties(
        self, object_type: str, *, archived: bool = False, sensitivity: str | None = None
    ) -> list[dict[str, Any]]:
        """Active (or only archived) properties, filtered by dataSensitivity when given."""
        obj = self._obj(object_type)
        pool = obj["archived"] if archived else list(obj["properties"].values())
        found = [p for p in pool if sensitivity is None or p["dataSensitivity"] == sensitivity]
        return sorted(found, key=lambda p: (_order(p["name"]), p.get("archivedAt", "")))

    def get_property(
        self, object_type: str, name: str, *, archived: bool = False, sensitivity: str | None = None
    ) -> dict[str, Any]:
        """One property; an archived one only with ``archived``; 404 when not there."""
        obj = self._obj(object_type)
        if archived:
            matches = [p for p in obj["archived"] if p["name"] == name]
            prop = max(matches, key=lambda p: p.get("archivedAt", "")) if matches else None
        else:
            prop = obj["properties"].get(name)
        if not isinstance(prop, dict) or (
            sensitivity is not None and prop["dataSensitivity"] != sensitivity
        ):
            raise not_found(f"Property {name} does not exist for object type {object_type}")
        return prop

    def _check_group(self, obj: dict[str, Any], group: str) -> None:
        if group not in obj["groups"]:
            raise invalid(
                f"Property group '{group}' does not exist: groupName must name an existing group",
                [detail(f"no property group named '{group}'", "groupName", "INVALID_GROUP")],
            )

    def _last_position(self, obj: dict[str, Any], group: str, skip: str = "") -> int:
        orders: list[int] = [
            p.get("displayOrder", -1)
            for p in obj["properties"].values()
            if p["groupName"] == group and p["name"] != skip
        ]
        return max([-1, *orders]) + 1

    def _check_limit(self, obj: dict[str, Any]) -> None:
        used = sum(1 for p in obj["properties"].values() if not p.get("hubspotDefined"))
        if used >= self.property_limit:
            raise invalid(
                f"You have reached the limit of {self.property_limit} custom properties for "
                "this object type",
                [detail("custom property limit reached", "name", "LIMIT")],
                sub_category="PropertyValidationError.MAX_PROPERTIES_EXCEEDED",
                context={"limit": [str(self.property_limit)]},
            )

    def create_property(
        self, object_type: str, body: Any, version: ApiVersion = V3
    ) -> dict[str, Any]:
        """PropertyCreate -> the stored Property (server defaults added); 409 if it exists."""
        obj = self._obj(object_type)
        prop = check_property_create(body, version)
        name = prop["name"]
        if name in obj["properties"]:
            raise ApiError(
                409,
                f"Property named '{name}' already exists.",
                category=OBJECT_ALREADY_EXISTS,
                sub_category="PropertyValidationError.PROPERTY_EXISTS",
                context={"name": [name]},
            )
        if self.reserve_archived_names and any(p["name"] == name for p in obj["archived"]):
            raise invalid(
                f"Property name '{name}' belongs to an archived property; restore or purge it "
                "before reusing the name",
                sub_category="PropertyValidationError.PROPERTY_ARCHIVED_NAME_RESERVED",
            )
        self._check_group(obj, prop["groupName"])
        if prop["hasUniqueValue"]:
            unique = sum(1 for p in obj["properties"].values() if p.get("hasUniqueValue"))
            if unique >= MAX_UNIQUE:
                raise invalid(
                    f"An object type can have at most {MAX_UNIQUE} properties with hasUniqueValue",
                    [detail("too many unique-value properties", "hasUniqueValue", "LIMIT")],
                )
        self._check_limit(obj)
        if self.rewrite_minus_one and prop["displayOrder"] == -1:
            prop["displayOrder"] = self._last_position(obj, prop["groupName"])
        prop.update(self._server_fields())
        obj["properties"][name] = prop
        return prop

    def _server_fields(self) -> dict[str, Any]:
        """What the server adds to a new custom property."""
        stamp = self.stamp()
        return {
            "createdAt": stamp,
            "updatedAt": stamp,
            "createdUserId": USER_ID,
            "updatedUserId": USER_ID,
            "archived": False,
            "modificationMetadata": {
                "archivable": True,
                "readOnlyDefinition": False,
                "readOnlyValue": False,
            },
        }

    def put_property(self, object_type: str, prop: dict[str, Any]) -> dict[str, Any]:
        """Create or overwrite an active property with no validation (see Sandbox)."""
        active = self._obj(object_type)["properties"]
        current = active.get(prop["name"]) or {
            **copy.deepcopy(PROPERTY_DEFAULTS),
            **self._server_fields(),
        }
        new = {**current, "updatedAt": self.stamp(), **prop}
        active[prop["name"]] = new
        return new

    def update_property(
        self, object_type: str, name: str, body: Any, version: ApiVersion = V3
    ) -> dict[str, Any]:
        """PropertyUpdate on an active property -> the updated Property (updatedAt moves)."""
        obj = self._obj(object_type)
        current = self.get_property(object_type, name)
        new = check_property_update(current, body, version)
        if new["groupName"] != current["groupName"]:
            self._check_group(obj, new["groupName"])
        if self.rewrite_minus_one and new.get("displayOrder") == -1 and "displayOrder" in body:
            new["displayOrder"] = self._last_position(obj, new["groupName"], skip=name)
        new["updatedAt"] = self.stamp()
        if "updatedUserId" in current or not current.get("hubspotDefined"):
            new["updatedUserId"] = USER_ID
        obj["properties"][name] = new
        return new

    def check_archivable(self, object_type: str, name: str) -> None:
        """400 unless the active property ``name`` may be archived."""
        prop = self._obj(object_type)["properties"][name]
        if prop.get("hubspotDefined") or not prop["modificationMetadata"].get("archivable", True):
            raise invalid(
                f"Property '{name}' is HubSpot-defined or not archivable and cannot be archived",
                [detail(f"'{name}' cannot be archived", "name", "NOT_ARCHIVABLE")],
            )

    def archive_property(self, object_type: str, name: str) -> None:
        """Move an active property to the archive (a missing one is a 404)."""
        obj = self._obj(object_type)
        self.get_property(object_type, name)
        self.check_archivable(object_type, name)
        prop = obj["properties"].pop(name)
        prop.update({"archived": True, "archivedAt": self.stamp()})
        obj["archived"].append(prop)
        if self.on_archive is not None:
            self.on_archive(self.resolve(object_type), name)
