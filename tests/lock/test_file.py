"""The lock model (hubprops/lockfile.py) and its schema (schemas/lock.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from hubprops.errors import LockError, UnsupportedFormatVersion
from hubprops.lock.file import (
    FORMAT_VERSION,
    LastSync,
    Lock,
    LockedGroup,
    LockedProperty,
    load_lock,
    save_lock,
)

SCHEMA_PATH = Path(__file__).parents[2] / "hubprops" / "schemas" / "lock.schema.json"
DIGEST = "a" * 64


def lock_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def full_lock() -> Lock:
    lock = Lock()
    contacts = lock.entry(12345678, "contacts")
    contacts.properties["what_service_do_you_need_"] = LockedProperty(
        id="0-1/what_service_do_you_need_",
        createdAt="2024-01-15T10:30:00.123Z",
        updatedAt="2024-01-15T10:30:00.123Z",
        sha256=DIGEST,
        created_by_hubprops=True,
    )
    contacts.properties["email"] = LockedProperty(
        id="0-1/email", sha256=DIGEST, hubspot_defined=True
    )
    contacts.groups["stahla"] = LockedGroup(
        id="0-1/stahla", sha256=DIGEST, created_by_hubprops=True
    )
    contacts.last_sync = LastSync(
        timestamp="2024-01-15T10:30:00Z", status="completed", duration_s=2.4, created=8
    )
    lock.portal(12345678).last_sync = LastSync(
        timestamp="2024-01-15T10:30:00Z",
        status="partial",
        duration_s=2.4,
        failed=1,
        object_types=["contacts", "leads"],
    )
    return lock


def test_schema_is_valid_2020_12() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_schema_is_reachable_through_the_root_symlink() -> None:
    root_copy = Path(__file__).parents[2] / "schemas" / "lock.schema.json"
    assert root_copy.read_text(encoding="utf-8") == SCHEMA_PATH.read_text(encoding="utf-8")


def test_saved_lock_validates_against_schema_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "hubprops.lock.json"
    lock = full_lock()
    save_lock(path, lock)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert list(lock_validator().iter_errors(raw)) == []
    assert load_lock(path).to_json() == lock.to_json()


def test_saved_lock_is_pretty_key_sorted_json(tmp_path: Path) -> None:
    path = tmp_path / "lock.json"
    save_lock(path, full_lock())
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"
    # absent values are left out, not written as null
    assert "null" not in text


def test_empty_lock_validates() -> None:
    assert list(lock_validator().iter_errors(Lock().to_json())) == []


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d.update(format_version=2), "format_version"),
        (lambda d: d["portals"].update({"abc": {}}), "portals"),
        (
            lambda d: d["portals"]["12345678"]["objects"]["contacts"]["properties"]["email"].pop(
                "sha256"
            ),
            "sha256",
        ),
        (
            lambda d: d["portals"]["12345678"]["objects"]["contacts"]["last_sync"].update(
                status="done"
            ),
            "status",
        ),
        (
            lambda d: d["portals"]["12345678"]["objects"]["contacts"]["properties"]["email"].update(
                id="email"
            ),
            "id",
        ),
        (
            lambda d: d["portals"]["12345678"]["objects"]["contacts"]["last_sync"].update(
                timestamp="yesterday"
            ),
            "timestamp",
        ),
    ],
)
def test_schema_rejects_broken_locks(mutate: Any, where: str) -> None:
    data = full_lock().to_json()
    mutate(data)
    errors = list(lock_validator().iter_errors(data))
    assert errors, f"a lock with a broken {where} should not validate"


def test_missing_lock_file_is_an_empty_lock(tmp_path: Path) -> None:
    assert load_lock(tmp_path / "nope.json").portals == {}


def test_unreadable_lock_is_a_lock_error(tmp_path: Path) -> None:
    path = tmp_path / "lock.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(LockError, match="cannot read lock file"):
        load_lock(path)


def test_other_format_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lock.json"
    path.write_text(json.dumps({"format_version": FORMAT_VERSION + 1, "portals": {}}))
    with pytest.raises(UnsupportedFormatVersion, match="format_version"):
        load_lock(path)


def test_invalid_lock_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "lock.json"
    contacts: dict[str, object] = {"properties": {"x": {}}}
    bad = {"format_version": 1, "portals": {"1": {"objects": {"contacts": contacts}}}}
    path.write_text(json.dumps(bad))
    with pytest.raises(LockError, match=r"portals\.1\.objects\.contacts\.properties\.x"):
        load_lock(path)
