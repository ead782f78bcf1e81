"""Property groups of the sandbox store (a mixin of ``Store``): list, read, create, update,
archive. Archived groups vanish and free their name; a group in use cannot be archived."""

from __future__ import annotations

from typing import Any

from hubprops.sandbox.errors import OBJECT_ALREADY_EXISTS, ApiError, invalid, not_found
from hubprops.sandbox.validation import check_group_create, check_group_update


class GroupsMixin:
    """The group half of the store; ``_obj`` and ``order_key`` come from ``Store``."""

    def _obj(self, object_type: str) -> dict[str, Any]:  # pragma: no cover - Store overrides
        raise NotImplementedError

    @staticmethod
    def order_key(name: str) -> str:  # pragma: no cover - Store overrides
        raise NotImplementedError

    def list_groups(self, object_type: str) -> list[dict[str, Any]]:
        """Active groups (archived groups vanish, as on HubSpot)."""
        groups = self._obj(object_type)["groups"].values()
        return sorted(
            groups,
            key=lambda g: (g["displayOrder"] < 0, g["displayOrder"], self.order_key(g["name"])),
        )

    def get_group(self, object_type: str, name: str) -> dict[str, Any]:
        """One group, or 404."""
        group = self._obj(object_type)["groups"].get(name)
        if not isinstance(group, dict):
            raise not_found(f"Property group {name} does not exist for object type {object_type}")
        return group

    def create_group(self, object_type: str, body: Any) -> dict[str, Any]:
        """PropertyGroupCreate -> the PropertyGroup; 409 if the name is taken."""
        obj = self._obj(object_type)
        group = check_group_create(body)
        if group["name"] in obj["groups"]:
            raise ApiError(
                409,
                f"Property group '{group['name']}' already exists.",
                category=OBJECT_ALREADY_EXISTS,
                sub_category="PropertyGroupError.GROUP_ALREADY_EXISTS",
                context={"name": [group["name"]]},
            )
        obj["groups"][group["name"]] = group
        return group

    def update_group(self, object_type: str, name: str, body: Any) -> dict[str, Any]:
        """PropertyGroupUpdate (label, displayOrder) -> the PropertyGroup."""
        new = check_group_update(self.get_group(object_type, name), body)
        self._obj(object_type)["groups"][name] = new
        return new

    def archive_group(self, object_type: str, name: str) -> None:
        """Archive an empty group (it disappears); 400 while active properties use it."""
        obj = self._obj(object_type)
        self.get_group(object_type, name)
        users = sorted(p["name"] for p in obj["properties"].values() if p["groupName"] == name)
        if users:
            raise invalid(
                "Can't delete or purge a group with active properties",
                sub_category="PropertyGroupError.GROUP_WITH_ACTIVE_PROPERTIES",
                context={"properties": users[:20]},
            )
        del obj["groups"][name]
