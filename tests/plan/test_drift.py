"""Drift's core (hubprops/plan/drift.py): HubSpot against the lock's digests, field by field."""

from __future__ import annotations

from typing import Any

from hubprops.lock.file import Lock, LockedGroup, LockedProperty
from hubprops.models import (
    Definitions,
    GroupDef,
    ObjectDefinitions,
    PropertyDef,
    RemoteObject,
    RemoteState,
)
from hubprops.normalize import definition_digest
from hubprops.plan.drift import DriftStatus, find_drift

PORTAL = 42
SIZE = PropertyDef.model_validate(
    {
        "name": "size",
        "label": "Size",
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
    }
)
GROUP = GroupDef.model_validate({"name": "acme", "label": "Acme"})


def remote_size(**changes: Any) -> dict[str, Any]:
    base = {
        "name": "size",
        "label": "Size",
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
        "description": "",
        "hidden": False,
        "displayOrder": -1,
        "options": [],
        "createdAt": "2026-01-01T00:00:00Z",
    }
    return base | changes


def lock_for(*props: PropertyDef, groups: tuple[GroupDef, ...] = ()) -> Lock:
    lock = Lock()
    entry = lock.entry(PORTAL, "contacts")
    for p in props:
        entry.properties[p.name] = LockedProperty(id=f"0-1/{p.name}", sha256=definition_digest(p))
    for g in groups:
        entry.groups[g.name] = LockedGroup(id=f"0-1/{g.name}", sha256=definition_digest(g))
    return lock


def state(
    props: dict[str, dict[str, Any]], groups: dict[str, dict[str, Any]] | None = None
) -> RemoteState:
    obj = RemoteObject(object_type="contacts", properties=props, groups=groups or {})
    return RemoteState(portal_id=PORTAL, objects={"contacts": obj})


def definitions(*props: PropertyDef, groups: tuple[GroupDef, ...] = ()) -> Definitions:
    obj = ObjectDefinitions(object_type="contacts", properties=props, groups=groups)
    return Definitions(objects={"contacts": obj})


def test_no_drift_when_hubspot_matches_the_lock() -> None:
    report = find_drift(lock_for(SIZE), state({"size": remote_size()}), definitions(SIZE))
    assert not report.has_drift and report.checked == 1


def test_a_changed_field_is_named_with_recorded_and_current_values() -> None:
    report = find_drift(
        lock_for(SIZE), state({"size": remote_size(label="Big")}), definitions(SIZE)
    )
    [item] = report.items
    assert item.status is DriftStatus.CHANGED and item.name == "size"
    assert [(d.field, d.before, d.after) for d in item.diffs] == [("label", "Size", "Big")]


def test_an_unmanaged_field_changing_is_not_drift() -> None:
    report = find_drift(
        lock_for(SIZE), state({"size": remote_size(description="new")}), definitions(SIZE)
    )
    assert not report.has_drift


def test_archived_property_and_group() -> None:
    lock = lock_for(SIZE, groups=(GROUP,))
    report = find_drift(lock, state({}), definitions(SIZE, groups=(GROUP,)))
    assert {(i.kind.value, i.name, i.status) for i in report.items} == {
        ("property", "size", DriftStatus.ARCHIVED),
        ("group", "acme", DriftStatus.ARCHIVED),
    }


def test_without_definitions_pulled_fields_still_tell_no_drift() -> None:
    report = find_drift(lock_for(SIZE), state({"size": remote_size()}), None)
    assert report.items == ()


def test_definition_edited_since_apply_is_not_drift() -> None:
    edited = SIZE.model_copy(update={"label": "Size (edited)"})
    report = find_drift(lock_for(SIZE), state({"size": remote_size()}), definitions(edited))
    assert not report.has_drift


def test_cannot_tell_is_unchecked_not_drift() -> None:
    edited = SIZE.model_copy(update={"label": "Size (edited)"})
    report = find_drift(
        lock_for(SIZE), state({"size": remote_size(label="Other")}), definitions(edited)
    )
    [item] = report.items
    assert item.status is DriftStatus.UNCHECKED and "definition changed" in item.note
    assert not report.has_drift


def test_another_portals_lock_checks_nothing() -> None:
    lock = lock_for(SIZE)
    other = RemoteState(portal_id=7, objects={})
    assert find_drift(lock, other).checked == 0
