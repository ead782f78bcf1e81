"""A real ``hubprops apply`` killed (SIGKILL) or interrupted (SIGINT) mid-apply, talking over
loopback to a real ``hubprops sandbox --state F --latency 50`` process: the lock stays valid,
a new plan shows only what is left, nothing is duplicated, and the next apply finishes."""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hubprops.lock.guard import running_holder
from tests.helpers.apply import lock_errors, many, write_definitions
from tests.reliability.procs import (
    duplicates,
    plan_json,
    portal_objects,
    remote_properties,
    run,
    sandbox_server,
    start,
    wait_for_lock,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
]
TYPES = ("contacts", "leads")
GROUP = {"name": "ops", "label": "Ops"}


def write_all(folder: Path, count: int, suffix: str = "") -> None:
    for object_type in TYPES:
        prefix = object_type[0]
        write_definitions(folder, object_type, many(prefix, count, "ops", suffix), [GROUP])


def updated_so_far(lock: dict[str, Any]) -> int:
    objects = portal_objects(lock) if lock.get("portals") else {}
    return sum((o.get("last_sync") or {}).get("updated", 0) for o in objects.values())


def updated_in_hubspot(url: str) -> set[tuple[str, str]]:
    return {
        (t, p["name"])
        for t in TYPES
        for p in remote_properties(url, t)
        if p["label"].endswith(" v2")
    }


def settled(read: Callable[[], set[tuple[str, str]]]) -> set[tuple[str, str]]:
    """Read until two reads agree: a PATCH that reached the server just before the kill is
    still served (and committed) by it afterwards, so the first read may be a moment early."""
    last = read()
    for _ in range(50):
        time.sleep(0.2)
        now = read()
        if now == last:
            return now
        last = now
    raise AssertionError("HubSpot (the sandbox) kept changing after the apply was killed")


def check_converges(url: str, cwd: Path, count: int) -> None:
    """The next apply takes over the stale guard, finishes; then nothing is left or doubled."""
    final = run(url, cwd, "apply", "--auto-approve")
    assert final.returncode == 0, final.stdout + final.stderr
    assert not plan_json(url, cwd)["changes"]
    lock = json.loads((cwd / "hubprops.lock.json").read_text())
    assert lock_errors(lock) == []
    for object_type in TYPES:
        remote = remote_properties(url, object_type)
        assert duplicates(remote) == []
        assert remote_properties(url, object_type, archived=True) == []
        mine = [p for p in remote if p["name"].startswith(object_type[0] + "_")]
        assert len(mine) == count
        entry = portal_objects(lock)[object_type]
        # The lock records exactly what HubSpot holds: properties whose create was acknowledged
        # just before the kill are adopted through Plan.in_sync by the final apply.
        assert set(entry["properties"]) == {p["name"] for p in mine}
        assert entry["last_sync"]["status"] == "completed"


def test_sigkill_during_updates(tmp_path: Path) -> None:
    count = 30
    lock_path = tmp_path / "hubprops.lock.json"
    write_all(tmp_path / "definitions", count)
    with sandbox_server(tmp_path / "state.json", "--latency", "50", "--rate-limit", "50/2") as url:
        first = run(url, tmp_path, "apply", "--auto-approve")
        assert first.returncode == 0, first.stdout + first.stderr
        digests = {
            (t, n): e["sha256"]
            for t, o in portal_objects(json.loads(lock_path.read_text())).items()
            for n, e in o["properties"].items()
        }
        write_all(tmp_path / "definitions", count, " v2")
        proc = start(url, tmp_path, "apply", "--auto-approve")
        try:
            wait_for_lock(lock_path, lambda d: updated_so_far(d) >= 5)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL

        lock = json.loads(lock_path.read_text())
        assert lock_errors(lock) == []
        assert all(o["last_sync"]["status"] == "in_progress" for o in portal_objects(lock).values())
        done_in_hubspot = settled(lambda: updated_in_hubspot(url))
        recorded = {
            (t, n)
            for t, o in portal_objects(lock).items()
            for n, e in o["properties"].items()
            if e["sha256"] != digests[(t, n)]
        }
        assert len(recorded) >= 5
        assert recorded <= done_in_hubspot  # the lock never claims what HubSpot lacks
        plan = plan_json(url, tmp_path)
        planned = {(c["objectType"], c["name"]) for c in plan["changes"]}
        assert {c["action"] for c in plan["changes"]} == {"update"}
        assert planned == set(digests) - done_in_hubspot  # exactly the rest
        assert 0 < len(planned) < 2 * count
        check_converges(url, tmp_path, count)


def test_sigkill_during_creates(tmp_path: Path) -> None:
    count = 60
    lock_path = tmp_path / "hubprops.lock.json"
    write_all(tmp_path / "definitions", count)
    with sandbox_server(tmp_path / "state.json", "--latency", "50") as url:
        proc = start(url, tmp_path, "apply", "--auto-approve")
        try:
            # the groups are recorded: the batch creates are about to go or in flight
            wait_for_lock(
                lock_path,
                lambda d: (
                    any(o.get("groups") for o in portal_objects(d).values())
                    if d.get("portals")
                    else False
                ),
            )
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        lock = json.loads(lock_path.read_text())
        assert lock_errors(lock) == []
        existing = {(t, p["name"]) for t in TYPES for p in remote_properties(url, t)}
        for object_type, entry in portal_objects(lock).items():
            assert {(object_type, n) for n in entry["properties"]} <= existing
        plan = plan_json(url, tmp_path)
        for change in plan["changes"]:
            assert (change["objectType"], change["name"]) not in existing
            assert change["action"] == "create"
        check_converges(url, tmp_path, count)


def test_sigint_stops_cleanly_writes_the_lock_and_exits_130(tmp_path: Path) -> None:
    count = 30
    lock_path = tmp_path / "hubprops.lock.json"
    write_all(tmp_path / "definitions", count)
    with sandbox_server(tmp_path / "state.json", "--latency", "50", "--rate-limit", "40/2") as url:
        assert run(url, tmp_path, "apply", "--auto-approve").returncode == 0
        write_all(tmp_path / "definitions", count, " v2")
        proc = start(url, tmp_path, "apply", "--auto-approve")
        try:
            wait_for_lock(lock_path, lambda d: updated_so_far(d) >= 3)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == 130, out + err
        assert "Apply interrupted" in out
        lock = json.loads(lock_path.read_text())
        assert lock_errors(lock) == []
        (portal,) = lock["portals"].values()
        assert portal["last_sync"]["status"] == "partial"
        assert running_holder(tmp_path / "hubprops.lock.json") is None
        done = {
            (t, p["name"])
            for t in TYPES
            for p in remote_properties(url, t)
            if p["label"].endswith(" v2")
        }
        recorded = {(t, n) for t, o in portal_objects(lock).items() for n in o["properties"]}
        plan = plan_json(url, tmp_path)
        assert {(c["objectType"], c["name"]) for c in plan["changes"]} == recorded - done
        check_converges(url, tmp_path, count)
