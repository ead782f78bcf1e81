"""The one-apply-at-a-time guard (hubprops/lockguard.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from hubprops.errors import LockError
from hubprops.lock.guard import Holder, acquire, guard_path, pid_alive, read_holder


def dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    pid = int(proc.stdout)
    assert not pid_alive(pid)
    return pid


def test_acquire_writes_pid_host_and_start_then_release_removes_it(tmp_path: Path) -> None:
    lock = tmp_path / "hubprops.lock.json"
    with acquire(lock, now=lambda: "2024-01-15T10:30:00Z") as guard:
        path = guard_path(lock)
        assert path == tmp_path / "hubprops.lock.json.inprogress"
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert raw == {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": "2024-01-15T10:30:00Z",
        }
        assert guard.warnings == []
    assert not path.exists()
    assert not lock.exists()  # the guard never creates the lock itself


def test_second_apply_fails_at_once_naming_pid_and_host(tmp_path: Path) -> None:
    lock = tmp_path / "hubprops.lock.json"
    with acquire(lock), pytest.raises(LockError) as info:
        acquire(lock, pid=os.getpid() + 1)
    message = str(info.value)
    assert "another apply is running" in message
    assert f"pid {os.getpid()}" in message
    assert socket.gethostname() in message


def test_stale_guard_of_a_dead_process_on_this_host_is_taken_over(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    pid = dead_pid()
    guard_path(lock).write_text(
        json.dumps({"pid": pid, "host": socket.gethostname(), "started_at": "2024-01-15T10:30:00Z"})
    )
    with acquire(lock) as guard:
        assert len(guard.warnings) == 1
        assert f"pid {pid}" in guard.warnings[0]
        assert "stale" in guard.warnings[0]
        assert read_holder(guard.path) == guard.holder
    assert not guard_path(lock).exists()
    assert list(tmp_path.iterdir()) == []  # no temp or aside files left behind


def test_guard_held_on_another_host_is_never_taken_over(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    path = guard_path(lock)
    path.write_text(json.dumps({"pid": dead_pid(), "host": "ci-runner-7", "started_at": "x"}))
    with pytest.raises(LockError) as info:
        acquire(lock)
    assert "ci-runner-7" in str(info.value)
    assert f"delete {path}" in str(info.value)
    assert path.exists()


def test_unreadable_guard_is_reported_not_removed(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    guard_path(lock).write_text("")
    with pytest.raises(LockError, match="cannot be read"):
        acquire(lock)
    assert guard_path(lock).exists()


def test_release_leaves_a_guard_that_is_no_longer_ours(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    guard = acquire(lock)
    other = Holder(pid=1, host="elsewhere", started_at="x")
    guard.path.write_text(json.dumps(other.__dict__))
    guard.release()
    assert read_holder(guard.path) == other


def test_only_one_of_many_concurrent_applies_gets_the_guard(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    start = threading.Barrier(8)
    won: list[int] = []
    refused: list[int] = []

    def attempt(i: int) -> None:
        start.wait()
        try:
            acquire(lock, pid=os.getpid(), host="same-host", now=lambda: str(i))
            won.append(i)
        except LockError:
            refused.append(i)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    assert len(refused) == 7


def test_guard_of_a_sigkilled_apply_is_taken_over(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    code = (
        "import sys, time\n"
        "from hubprops.lock.guard import acquire\n"
        f"acquire({str(lock)!r})\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(LockError, match=f"pid {proc.pid}"):
            acquire(lock)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
    with acquire(lock) as guard:
        assert any(f"pid {proc.pid}" in w for w in guard.warnings)
