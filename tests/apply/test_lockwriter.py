"""hubprops/apply/lockwriter.py: the lock saved behind the apply, newest state winning, and
an apply that keeps its requests in flight while a slow save is under way (issue 16)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hubprops.apply.applier import apply_plan
from hubprops.apply.lockwriter import LockWriter, snapshot
from hubprops.errors import LockError
from hubprops.fsutil import dumps_pretty
from hubprops.hubspot import HubSpotClient
from hubprops.lock.encode import LockEncoder
from hubprops.lock.file import Lock, LockedProperty, Migration, load_lock, lock_text
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from hubprops.sandbox.core import SandboxResponse
from hubprops.sandbox.transport import sandbox_transport
from tests.helpers.apply import TOKEN, LockFile, make_plan, many, sandbox_client, write_definitions

GROUP = {"name": "ops", "label": "Ops"}


def _prop(n: int) -> LockedProperty:
    return LockedProperty(id=f"0-1/p{n}", sha256=f"{n:064d}", createdAt="2026-01-01T00:00:00Z")


def _count(lock: Lock) -> int:
    return len(lock.entry(1, "contacts").properties)


def test_steps_during_a_save_are_coalesced_into_one_save_of_the_newest_state() -> None:
    live = Lock()
    mutex = threading.Lock()
    in_save, release = threading.Event(), threading.Event()
    saved: list[int] = []

    def take() -> Lock:
        with mutex:
            return snapshot(live)

    def slow_save(lock: Lock) -> None:
        in_save.set()
        assert release.wait(10)
        saved.append(_count(lock))

    writer = LockWriter(slow_save, take)
    with mutex:
        live.entry(1, "contacts").properties["p0"] = _prop(0)
    writer.changed()
    assert in_save.wait(10)  # the first save is under way, holding a snapshot of 1 property
    for n in range(1, 50):  # 49 steps while it lasts: none waits for the disk
        with mutex:
            live.entry(1, "contacts").properties[f"p{n}"] = _prop(n)
        writer.changed()
    release.set()
    writer.flush()
    writer.close()
    assert saved == [1, 50]  # the 49 steps in one save, of the newest state
    assert writer.saves == 2


def test_a_failed_save_is_raised_by_flush_and_stops_the_apply() -> None:
    told: list[BaseException] = []

    def failing(lock: Lock) -> None:
        raise LockError("hubprops.lock.json: cannot write the lock file: disk full")

    writer = LockWriter(failing, Lock, on_error=told.append)
    writer.changed()
    with pytest.raises(LockError, match="disk full"):
        writer.flush()
    writer.changed()  # later steps are not saved, and the error stays
    with pytest.raises(LockError):
        writer.flush()
    writer.close()
    assert len(told) == 1 and isinstance(writer.error, LockError)


def test_a_snapshot_does_not_see_later_steps_and_saves_the_same_bytes() -> None:
    live = Lock()
    entry = live.entry(1, "contacts")
    for n in range(5):
        entry.properties[f"p{n}"] = _prop(n)
    entry.migrations = {"new": Migration.model_validate({"from": "old"})}
    encoder = LockEncoder()
    before = dumps_pretty(live.to_json())
    snap = snapshot(live, encoder)
    assert lock_text(snap) == before
    entry.properties["p9"] = _prop(9)  # later steps: a new property, a rename's progress
    del entry.properties["p0"]
    entry.migrations["new"].copied = 100
    assert lock_text(snap) == before
    later = snapshot(live, encoder)
    assert lock_text(later) == dumps_pretty(live.to_json())  # only p9 encoded afresh


def test_an_apply_with_a_slow_save_keeps_its_requests_in_flight(tmp_path: Path) -> None:
    """Saves take 0.3 s and requests 20 ms: a save in the request path (the old way) would let
    at most one request per worker finish during a save; the writer lets all of them go on."""
    sb = Sandbox(rate_limit=(100000, 10.0))
    defs = tmp_path / "defs"
    lockfile = LockFile(tmp_path / "hubprops.lock.json")
    write_definitions(defs, "contacts", many("c", 40, "ops"), [GROUP])
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        assert apply_plan(client, make_plan(client, defs, lock), lock, save=lockfile.save).ok
    write_definitions(defs, "contacts", many("c", 40, "ops", " v2"), [GROUP])

    sb.latency_ms = 20.0
    counter = threading.Lock()
    in_flight = most = 0
    saving = threading.Event()
    done_while_saving: list[int] = [0]
    per_save: list[int] = []

    def handle(method: str, path: str, query, headers, body) -> SandboxResponse:  # type: ignore[no-untyped-def]
        nonlocal in_flight, most
        with counter:
            in_flight += 1
            most = max(most, in_flight)
        try:
            return sb.handle(method, path, query, headers, body)
        finally:
            with counter:
                in_flight -= 1
                if saving.is_set() and method == "PATCH":
                    done_while_saving[0] += 1

    def slow_save(lock: Lock) -> None:
        with counter:
            done_while_saving[0] = 0
        saving.set()
        threading.Event().wait(0.3)
        saving.clear()
        with counter:
            per_save.append(done_while_saving[0])
        lockfile.save(lock)

    with HubSpotClient(
        SANDBOX_BASE_URL, TOKEN, transport=sandbox_transport(handle), max_workers=4
    ) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        assert len(plan.changes) == 40
        saves_before = lockfile.saves
        result = apply_plan(client, plan, lock, save=slow_save)
    assert result.ok
    assert most == 4  # every worker had a request out
    assert max(per_save) >= 12  # many PATCHes finished while one save was under way
    assert lockfile.saves - saves_before < 1 + 40 + 1  # steps were coalesced
    final = load_lock(lockfile.path).entry(sb.portal_id, "contacts").properties
    remote = {p["name"]: p for p in sb.properties("contacts")}
    assert all(
        final[f"c_{i:03d}"].updated_at == remote[f"c_{i:03d}"]["updatedAt"] for i in range(40)
    )
    assert all(remote[f"c_{i:03d}"]["label"].endswith(" v2") for i in range(40))


def test_a_change_after_close_is_a_clear_error_not_a_hang() -> None:
    saved: list[Lock] = []
    writer = LockWriter(saved.append, Lock)
    writer.changed()
    writer.close()
    assert len(saved) == 1  # close wrote what was announced
    writer.changed()
    with pytest.raises(RuntimeError, match="closed"):
        writer.flush()
