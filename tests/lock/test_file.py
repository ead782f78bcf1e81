"""The lock model (hubprops/lockfile.py) and its schema (schemas/lock.schema.json)."""

from __future__ import annotations

import json
import os
import time
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


# -- issue 17: items 6, 7, 8 (lock folder), 10 ------------------------------------------------
def _valid_lock() -> dict[str, object]:
    entry = {"id": "0-1/x", "sha256": "a" * 64}
    objects = {"contacts": {"properties": {"x": entry}}}
    return {"format_version": 1, "portals": {"123": {"objects": objects}}}


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["portals"]["123"]["objects"]["contacts"]["properties"]["x"].update(sha256="zz"),
        lambda d: d["portals"].update(abc=d["portals"].pop("123")),
    ],
    ids=["sha256-zz", "portal-key-abc"],
)
def test_lock_breaking_its_schema_is_refused(tmp_path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "lock.json"
    data = _valid_lock()
    load_lock_ok = tmp_path / "ok.json"
    load_lock_ok.write_text(json.dumps(data))
    load_lock(load_lock_ok)
    edit(data)
    path.write_text(json.dumps(data))
    with pytest.raises(LockError, match="invalid lock file"):
        load_lock(path)


def test_lock_with_nan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lock.json"
    path.write_text('{"format_version": 1, "portals": {}, "x": NaN}')
    with pytest.raises(LockError, match="NaN"):
        load_lock(path)


def test_deeply_nested_lock_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "lock.json"
    path.write_text("[" * 10000 + "]" * 10000)
    with pytest.raises(LockError, match="nested too deeply"):
        load_lock(path)


@pytest.mark.timeout(20)
def test_fifo_or_device_as_lock_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "lock.json"
    os.mkfifo(fifo)
    with pytest.raises(LockError, match="not a regular file"):
        load_lock(fifo)
    with pytest.raises(LockError, match="not a regular file"):
        load_lock("/dev/zero")


def test_symlinked_lock_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "hubprops.lock.json"
    real.parent.mkdir()
    real.write_text(json.dumps(_valid_lock()))
    link = tmp_path / "hubprops.lock.json"
    link.symlink_to(real)
    lock = load_lock(link)
    lock.portal(999)
    save_lock(link, lock)
    assert link.is_symlink()
    assert "999" in json.loads(real.read_text())["portals"]


def test_dangling_or_looping_lock_symlink_is_an_error(tmp_path: Path) -> None:
    dangling = tmp_path / "a.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    loop = tmp_path / "b.json"
    loop.symlink_to(loop)
    for path in (dangling, loop):
        with pytest.raises(LockError, match="points nowhere"):
            load_lock(path)
        with pytest.raises(LockError, match="points nowhere"):
            save_lock(path, Lock())
    assert not (tmp_path / "nowhere.json").exists()


def test_unwritable_lock_folder_is_a_lock_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(LockError, match="cannot write the lock file"):
        save_lock(blocker / "hubprops.lock.json", Lock())


def test_leftover_temp_files_are_removed_on_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "hubprops.lock.json"
    save_lock(path, Lock())
    old = tmp_path / ".hubprops.lock.json.abc123.tmp"
    old.write_text("{half")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    young = tmp_path / ".hubprops.lock.json.def456.tmp"
    young.write_text("{writing")
    load_lock(path)
    assert not old.exists()
    assert young.exists()  # may belong to a writer at work
