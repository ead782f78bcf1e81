"""The plan file: round trip, schema, and one test per refusal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from hubprops.errors import (
    ChecksumMismatch,
    PlanFileError,
    StalePlan,
    UnsupportedFormatVersion,
    WrongPortal,
)
from hubprops.lock.file import Lock
from hubprops.models import (
    Definitions,
    GroupDef,
    ObjectDefinitions,
    OptionDef,
    PropertyDef,
    RemoteObject,
    RemoteState,
)
from hubprops.plan.file import (
    FORMAT_VERSION,
    check_portal,
    check_stale,
    checksum,
    decode,
    encode,
    plan_schema,
    read_plan,
    write_plan,
)
from hubprops.plan.planner import plan
from hubprops.plan.types import Plan, PlanOptions

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "plan.schema.json"


def remote_prop(name: str, **over: Any) -> dict[str, Any]:
    base = {
        "name": name,
        "label": name,
        "type": "enumeration",
        "fieldType": "select",
        "groupName": "g",
        "options": [{"label": "A", "value": "a", "displayOrder": 0}],
        "updatedAt": "2024-01-01T00:00:00Z",
    }
    return {**base, **over}


def remote_state(props: dict[str, dict[str, Any]], groups: dict[str, Any]) -> RemoteState:
    return RemoteState(
        portal_id=7,
        objects={"contacts": RemoteObject(object_type="contacts", properties=props, groups=groups)},
    )


GROUPS = {"g": {"name": "g", "label": "G"}, "old": {"name": "old", "label": "Old"}}


def sample_plan() -> Plan:
    """One change of every kind: group create/update/archive, property create/update/archive."""
    from hubprops.lock.file import LockedGroup, LockedProperty

    options = (OptionDef(label="A", value="a"), OptionDef(label="B", value="b"))
    props = (
        PropertyDef(name="new", label="New", type="string", fieldType="text", groupName="g"),
        PropertyDef(name="upd", label="Updated", options=options),
    )
    groups = (GroupDef(name="g", label="Gee"), GroupDef(name="made", label="Made"))
    definitions = Definitions(
        objects={
            "contacts": ObjectDefinitions(object_type="contacts", properties=props, groups=groups)
        }
    )
    lock = Lock()
    entry = lock.entry(7, "contacts")
    entry.properties["gone"] = LockedProperty(id="0-1/gone", sha256="0" * 64)
    entry.groups["old"] = LockedGroup(id="0-1/old", sha256="0" * 64)
    remote = remote_state({"upd": remote_prop("upd"), "gone": remote_prop("gone")}, GROUPS)
    return plan(
        definitions,
        remote,
        lock,
        options=PlanOptions(prune=True, allow_destructive=True),
        api_base="https://api.hubapi.com",
        created_at="2024-06-01T00:00:00Z",
    )


def only_json_values(value: Any) -> bool:
    """True when ``value`` is made of what ``json.loads`` gives: dicts with string keys,
    lists (not tuples), strings, ints, floats, booleans and None."""
    if type(value) is dict:
        return all(type(k) is str and only_json_values(v) for k, v in value.items())
    if type(value) is list:
        return all(only_json_values(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


def test_round_trip_and_schema(tmp_path: Path) -> None:
    original = sample_plan()
    assert {c.action.value for c in original.changes} == {"create", "update", "archive"}
    data = encode(original)
    Draft202012Validator.check_schema(plan_schema())
    Draft202012Validator(plan_schema()).validate(data)
    assert data["format_version"] == FORMAT_VERSION
    assert data["summary"] == {"create": 2, "update": 2, "archive": 2}
    assert data["checksum"] == checksum(data)
    assert only_json_values(data)  # the checksum is over what a reader of the file sees
    assert decode(json.loads(json.dumps(data))) == original
    path = tmp_path / "plan.json"
    write_plan(path, original)
    text = path.read_text()
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert read_plan(path) == original


def test_schema_file_is_reachable_from_the_root_symlink() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == plan_schema()


def resealed(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "checksum": checksum(data)}


def test_edited_plan_is_refused() -> None:
    data = encode(sample_plan())
    data["changes"][0]["payload"]["label"] = "Sneaky"
    with pytest.raises(
        ChecksumMismatch, match=r"edited after it was written \(checksum mismatch\)"
    ):
        decode(data)


def test_unsupported_format_version() -> None:
    data = encode(sample_plan())
    with pytest.raises(UnsupportedFormatVersion, match="format_version 2 is not supported"):
        decode(resealed({**data, "format_version": 2}))


def test_missing_checksum_and_not_an_object() -> None:
    data = encode(sample_plan())
    del data["checksum"]
    with pytest.raises(PlanFileError, match="no checksum"):
        decode(data)
    with pytest.raises(PlanFileError, match="expected a JSON object"):
        decode([1, 2])


def test_schema_violation_is_refused_even_with_a_valid_checksum() -> None:
    data = encode(sample_plan())
    data["changes"][0]["action"] = "destroy"
    with pytest.raises(PlanFileError, match="invalid plan at changes/0/action"):
        decode(resealed(data))


def test_unreadable_and_non_json_files(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="cannot read plan file"):
        read_plan(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(PlanFileError, match="not JSON"):
        read_plan(bad)


def test_check_portal() -> None:
    p = sample_plan()
    check_portal(p, 7)
    with pytest.raises(
        WrongPortal, match="plan was made for portal 7, this token is for portal 456"
    ):
        check_portal(p, 456)


def current_state() -> RemoteState:
    return remote_state({"upd": remote_prop("upd"), "gone": remote_prop("gone")}, GROUPS)


def test_fresh_plan_is_not_stale() -> None:
    check_stale(sample_plan(), current_state())
    # timestamps, user ids and list order moving is not a change
    moved = remote_prop("upd", updatedAt="2030-01-01T00:00:00Z", updatedUserId="5")
    check_stale(sample_plan(), remote_state({"upd": moved, "gone": remote_prop("gone")}, GROUPS))


def test_stale_plan_names_what_moved() -> None:
    props = {"upd": remote_prop("upd", label="Edited by hand"), "new": remote_prop("new")}
    groups = {"g": {"name": "g", "label": "Changed"}, "made": {"name": "made", "label": "M"}}
    with pytest.raises(StalePlan) as info:
        check_stale(sample_plan(), remote_state(props, groups))
    assert set(info.value.moved) == {
        "group contacts.made to create now exists in HubSpot",
        'group contacts.g changed in HubSpot since the plan was made (label: "G" -> "Changed")',
        "property contacts.new to create now exists in HubSpot",
        "property contacts.upd changed in HubSpot since the plan was made "
        '(label: "upd" -> "Edited by hand")',
        "property contacts.gone to archive no longer exists in HubSpot",
        "group contacts.old to archive no longer exists in HubSpot",
    }
    assert "stale" in str(info.value)


def test_stale_plan_says_when_hubspot_moved_a_field_the_definition_leaves_alone() -> None:
    props = {"upd": remote_prop("upd", hidden=True), "gone": remote_prop("gone")}
    with pytest.raises(StalePlan) as info:
        check_stale(sample_plan(), remote_state(props, GROUPS))
    assert info.value.moved == (
        "property contacts.upd changed in HubSpot since the plan was made "
        "(in a field the definitions do not set)",
    )


def test_object_types_not_read_are_not_checked() -> None:
    check_stale(sample_plan(), RemoteState(portal_id=7))


# -- signing (HUBPROPS_PLAN_KEY) -------------------------------------------------------------
KEY = b"ci-secret-key"


def test_signed_plan_round_trips_and_an_unsigned_or_resigned_one_is_refused(
    tmp_path: Path,
) -> None:
    from hubprops.plan.signing import sign

    path = tmp_path / "plan.json"
    write_plan(path, sample_plan(), key=KEY)
    data = json.loads(path.read_text())
    assert data["signature"] == sign(data, KEY)
    assert Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).is_valid(data)
    assert read_plan(path, key=KEY) == read_plan(path)  # the signature changes nothing else

    with pytest.raises(PlanFileError, match="signature does not match"):
        read_plan(path, key=b"another key")

    # Edited and re-checksummed (what the plain checksum cannot catch): refused with the key.
    data["changes"][0]["payload"]["label"] = "Edited"
    data["checksum"] = checksum(data)
    path.write_text(json.dumps(data))
    read_plan(path)  # without a key only the checksum is checked
    with pytest.raises(PlanFileError, match="signature does not match"):
        read_plan(path, key=KEY)

    write_plan(path, sample_plan())  # unsigned
    with pytest.raises(PlanFileError, match="not signed"):
        read_plan(path, key=KEY)


def test_cli_signs_with_the_key_from_the_environment_and_apply_checks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from hubprops.cli import main
    from tests.helpers.apply import prop, write_definitions

    monkeypatch.chdir(tmp_path)
    write_definitions(
        tmp_path / "definitions",
        "contacts",
        [prop("alpha", "ops")],
        [{"name": "ops", "label": "Ops"}],
    )
    run = CliRunner().invoke
    monkeypatch.setenv("HUBPROPS_PLAN_KEY", "k1")
    assert run(main, ["plan", "--sandbox", "-o", "plan.json"]).exit_code == 0
    assert "signature" in json.loads((tmp_path / "plan.json").read_text())
    monkeypatch.setenv("HUBPROPS_PLAN_KEY", "k2")
    refused = run(main, ["apply", "--sandbox", "plan.json"])
    assert refused.exit_code == 1
    assert "signature does not match" in refused.output
    monkeypatch.setenv("HUBPROPS_PLAN_KEY", "k1")
    applied = run(main, ["apply", "--sandbox", "plan.json"])
    assert applied.exit_code == 0, applied.output


# -- issue 17, items 6 and 7: what read_plan refuses cleanly ------------------------------------
@pytest.mark.timeout(20)
def test_fifo_device_and_oversized_plan_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from hubprops import fsutil

    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    with pytest.raises(PlanFileError, match="not a regular file"):
        read_plan(fifo)
    with pytest.raises(PlanFileError, match="not a regular file"):
        read_plan("/dev/zero")
    big = tmp_path / "big.json"
    big.write_text(" " * 2048)
    with pytest.raises(fsutil.FileRefused, match="larger than"):
        fsutil.read_regular(big, limit=1024)


def test_deeply_nested_plan_and_nan_are_clean_errors(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("[" * 10000 + "]" * 10000)
    with pytest.raises(PlanFileError, match="nested too deeply"):
        read_plan(path)
    path.write_text('{"format_version": NaN}')
    with pytest.raises(PlanFileError, match="NaN"):
        read_plan(path)
