"""hubprops/plan/verify.py: a re-checksummed plan that does not do what ``show`` displays is
refused before any write (issue 17, item 1). Each test edits a real plan the way an attacker
or a careless hand would, recomputes the checksum, and applies it against the sandbox."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hubprops.apply.applier import apply_plan
from hubprops.errors import PlanFileError
from hubprops.lock.file import Lock
from hubprops.plan.file import checksum, decode, encode
from hubprops.sandbox import Sandbox
from tests.helpers.apply import (
    LockFile,
    enum_prop,
    make_plan,
    names,
    prop,
    sandbox_client,
    write_definitions,
    writes,
)

GROUP = {"name": "ops", "label": "Ops"}
Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(rate_limit=(1000, 10.0))


@pytest.fixture
def lockfile(tmp_path: Path) -> LockFile:
    return LockFile(tmp_path / "hubprops.lock.json")


def _plan_data(sb: Sandbox, defs: Path, lockfile: LockFile, **kw: Any) -> dict[str, Any]:
    with sandbox_client(sb) as client:
        return encode(make_plan(client, defs, lockfile.load(), **kw))


def _apply_edited(sb: Sandbox, lockfile: LockFile, data: dict[str, Any], edit: Edit) -> str:
    """Edit, re-checksum, decode (as `show` would) and apply; returns the refusal."""
    edited = copy.deepcopy(data)
    edit(edited)
    edited["checksum"] = checksum(edited)
    plan = decode(edited)  # `show` accepts it: the checksum matches
    sb.clear_requests()
    before = lockfile.raw() if lockfile.path.exists() else None
    with sandbox_client(sb) as client, pytest.raises(PlanFileError) as info:
        apply_plan(client, plan, lockfile.load(), save=lockfile.save)
    assert writes(sb.requests) == []
    assert (lockfile.raw() if lockfile.path.exists() else None) == before
    return str(info.value)


def _change(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in data["changes"] if c["name"] == name)


def _setup_existing(sb: Sandbox, tmp_path: Path, lockfile: LockFile) -> Path:
    """alpha (string) and size (enumeration a/b) exist and are managed."""
    defs = write_definitions(
        tmp_path / "defs",
        "contacts",
        [prop("alpha", "ops"), enum_prop("size", "ops", ["a", "b"])],
        [GROUP],
    )
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        result = apply_plan(client, make_plan(client, defs, lock), lock, save=lockfile.save)
    assert result.ok
    return defs


def test_edited_update_payload_is_refused_while_show_prints_the_old_diff(
    sb: Sandbox, tmp_path: Path, lockfile: LockFile
) -> None:
    defs = _setup_existing(sb, tmp_path, lockfile)
    write_definitions(
        defs, "contacts", [prop("alpha", "ops", "Alpha 2"), enum_prop("size", "ops", ["a", "b"])]
    )
    data = _plan_data(sb, defs, lockfile)

    def edit(d: dict[str, Any]) -> None:
        _change(d, "alpha")["payload"]["label"] = "Something else"

    message = _apply_edited(sb, lockfile, data, edit)
    assert "payload disagrees with what the plan shows in label" in message
    alpha = next(p for p in sb.properties("contacts") if p["name"] == "alpha")
    assert alpha["label"] == "Alpha"


def test_extra_field_in_payload_is_refused(sb: Sandbox, tmp_path: Path, lockfile: LockFile) -> None:
    defs = _setup_existing(sb, tmp_path, lockfile)
    write_definitions(
        defs, "contacts", [prop("alpha", "ops", "Alpha 2"), enum_prop("size", "ops", ["a", "b"])]
    )
    data = _plan_data(sb, defs, lockfile)

    def edit(d: dict[str, Any]) -> None:
        _change(d, "alpha")["payload"]["hidden"] = True

    assert "payload sends hidden" in _apply_edited(sb, lockfile, data, edit)


def test_type_change_marked_not_destructive_is_refused(
    sb: Sandbox, tmp_path: Path, lockfile: LockFile
) -> None:
    defs = _setup_existing(sb, tmp_path, lockfile)
    write_definitions(
        defs, "contacts", [prop("alpha", "ops", "Alpha 2"), enum_prop("size", "ops", ["a", "b"])]
    )
    data = _plan_data(sb, defs, lockfile)

    def edit(d: dict[str, Any]) -> None:
        change = _change(d, "alpha")
        change["after"]["type"] = "number"
        change["after"]["fieldType"] = "number"
        change["payload"].update(type="number", fieldType="number")
        change["diffs"] = [
            *change["diffs"],
            {"field": "type", "before": "string", "after": "number"},
        ]

    message = _apply_edited(sb, lockfile, data, edit)
    assert "marked destructive: false, but it is destructive" in message
    assert "without --allow-destructive" not in message or "destructive" in message


def test_destructive_change_in_a_plan_made_without_allow_destructive_is_refused(
    sb: Sandbox, tmp_path: Path, lockfile: LockFile
) -> None:
    defs = _setup_existing(sb, tmp_path, lockfile)
    write_definitions(
        defs, "contacts", [prop("alpha", "ops", "Alpha 2"), enum_prop("size", "ops", ["a", "b"])]
    )
    data = _plan_data(sb, defs, lockfile)
    # A genuine destructive change (option b removed) spliced into a plan made without the flag.
    write_definitions(defs, "contacts", [prop("alpha", "ops"), enum_prop("size", "ops", ["a"])])
    destructive = _plan_data(sb, defs, lockfile, allow_destructive=True)

    def edit(d: dict[str, Any]) -> None:
        d["changes"].append(_change(destructive, "size"))

    assert "made without --allow-destructive" in _apply_edited(sb, lockfile, data, edit)


def test_edited_before_that_hides_a_type_change_is_refused(
    sb: Sandbox, tmp_path: Path, lockfile: LockFile
) -> None:
    defs = _setup_existing(sb, tmp_path, lockfile)
    write_definitions(
        defs,
        "contacts",
        [
            prop("alpha", "ops", type="number", fieldType="number"),
            enum_prop("size", "ops", ["a", "b"]),
        ],
    )
    data = _plan_data(sb, defs, lockfile, allow_destructive=True)

    def edit(d: dict[str, Any]) -> None:
        change = _change(d, "alpha")
        change["before"]["type"] = "number"
        change["before"]["fieldType"] = "number"
        change["diffs"] = []
        change["reasons"] = []
        change["destructive"] = False
        d["options"]["allow_destructive"] = False

    assert "'before' is not HubSpot's current state" in _apply_edited(sb, lockfile, data, edit)


def test_archive_of_an_unmanaged_property_is_refused(
    sb: Sandbox, tmp_path: Path, lockfile: LockFile
) -> None:
    defs = _setup_existing(sb, tmp_path, lockfile)
    sb.put_property(
        "contacts",
        {
            "name": "by_hand",
            "label": "By hand",
            "type": "string",
            "fieldType": "text",
            "groupName": "ops",
        },
    )
    write_definitions(defs, "contacts", [prop("alpha", "ops")], [GROUP])  # size dropped
    data = _plan_data(sb, defs, lockfile, prune=True, allow_destructive=True)

    def edit(d: dict[str, Any]) -> None:
        change = _change(d, "size")
        change["name"] = "by_hand"
        found = next(p for p in sb.properties("contacts") if p["name"] == "by_hand")
        from hubprops.normalize import PROPERTY_FIELDS, normalize_remote, remote_digest

        change["before"] = normalize_remote(found, PROPERTY_FIELDS)
        change["before_digest"] = remote_digest(found)

    message = _apply_edited(sb, lockfile, data, edit)
    assert "the lock does not record it as managed" in message
    assert "by_hand" in names(sb.properties("contacts"))


def test_in_sync_item_that_does_not_exist_is_refused(
    sb: Sandbox, tmp_path: Path, lockfile: LockFile
) -> None:
    defs = _setup_existing(sb, tmp_path, lockfile)
    data = _plan_data(sb, defs, lockfile)

    def edit(d: dict[str, Any]) -> None:
        d["in_sync"].append(
            {
                "kind": "property",
                "objectType": "contacts",
                "name": "ghost",
                "digest": "0" * 64,
                "createdAt": None,
                "updatedAt": None,
                "hubspotDefined": False,
            }
        )

    assert "ghost: does not exist in HubSpot" in _apply_edited(sb, lockfile, data, edit)


def test_created_payload_for_another_name_is_refused(
    sb: Sandbox, tmp_path: Path, lockfile: LockFile
) -> None:
    defs = write_definitions(tmp_path / "defs", "contacts", [prop("alpha", "ops")], [GROUP])
    data = _plan_data(sb, defs, lockfile)

    def edit(d: dict[str, Any]) -> None:
        _change(d, "alpha")["payload"]["name"] = "sneaky"

    assert "payload names 'sneaky'" in _apply_edited(sb, lockfile, data, edit)
    assert "sneaky" not in names(sb.properties("contacts"))


def test_an_untouched_plan_with_explicit_option_orders_applies(
    sb: Sandbox, tmp_path: Path, lockfile: LockFile
) -> None:
    """The payload is compared in meaning: displayOrder 10/20 is the order the plan shows."""
    options = [
        {"label": "B", "value": "b", "displayOrder": 20},
        {"label": "A", "value": "a", "displayOrder": 10},
    ]
    size = {**enum_prop("size", "ops", ["a"]), "options": options, "displayOrder": -7}
    defs = write_definitions(tmp_path / "defs", "contacts", [size], [GROUP])
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = decode(encode(make_plan(client, defs, lock)))
        assert apply_plan(client, plan, lock, save=lockfile.save).ok


def test_every_kind_of_untouched_change_passes() -> None:
    """No false alarm: group create/update/archive and property create/update/archive."""
    from hubprops.lock.file import LockedGroup, LockedProperty
    from hubprops.plan.verify import verify_plan
    from tests.plan.test_file import GROUPS, remote_prop, remote_state, sample_plan

    made = decode(encode(sample_plan()))
    assert {(c.kind.value, c.action.value) for c in made.changes} == {
        (k, a) for k in ("property", "group") for a in ("create", "update", "archive")
    }
    lock = Lock()
    entry = lock.entry(7, "contacts")
    entry.properties["gone"] = LockedProperty(id="0-1/gone", sha256="0" * 64)
    entry.groups["old"] = LockedGroup(id="0-1/old", sha256="0" * 64)
    remote = remote_state({"upd": remote_prop("upd"), "gone": remote_prop("gone")}, GROUPS)
    verify_plan(made, lock, remote)
    # The same plan against a lock that records nothing: both archives are refused.
    with pytest.raises(PlanFileError) as info:
        verify_plan(made, Lock(), remote)
    assert str(info.value).count("the lock does not record it as managed") == 2
