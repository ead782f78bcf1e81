"""The one-apply-at-a-time guard (hubprops/lock/guard.py): a kernel lock plus who holds it."""

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
from hubprops.lock.guard import Guard, Holder, acquire, guard_path, read_holder, running_holder


def test_acquire_writes_pid_host_and_start_then_release_clears_it(tmp_path: Path) -> None:
    lock = tmp_path / "hubprops.lock.json"
    with acquire(lock, now=lambda: "2024-01-15T10:30:00Z") as guard:
        path = guard_path(lock)
        assert path == tmp_path / ".hubprops" / "hubprops.lock.json.inprogress"
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert raw == {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": "2024-01-15T10:30:00Z",
        }
        assert running_holder(lock) == guard.holder
        assert guard.warnings == []
    assert read_holder(path) is None
    assert running_holder(lock) is None
    assert not lock.exists()  # the guard never creates the lock itself
    with acquire(lock):  # and it can be taken again
        pass


def test_second_apply_fails_at_once_naming_pid_and_host(tmp_path: Path) -> None:
    lock = tmp_path / "hubprops.lock.json"
    with acquire(lock), pytest.raises(LockError) as info:
        acquire(lock, pid=os.getpid() + 1)
    message = str(info.value)
    assert "another apply is running" in message
    assert f"pid {os.getpid()}" in message
    assert socket.gethostname() in message


def test_a_guard_file_without_its_kernel_lock_blocks_nothing(tmp_path: Path) -> None:
    """What a crashed apply leaves behind (any content) is not a running apply."""
    lock = tmp_path / "lock.json"
    guard_path(lock).parent.mkdir()
    for content in ("", "{", json.dumps({"pid": 1, "host": "ci-runner-7", "started_at": "x"})):
        guard_path(lock).write_text(content)
        assert running_holder(lock) is None
        with acquire(lock) as guard:
            assert read_holder(guard.path) == guard.holder


def test_the_guard_folder_ignores_itself_in_git(tmp_path: Path) -> None:
    """CI commits the lock after an apply; the guard file beside it must never show up."""
    with acquire(tmp_path / "hubprops.lock.json"):
        pass
    ignore = tmp_path / ".hubprops" / ".gitignore"
    assert ignore.read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_a_holder_still_writing_its_name_is_reported_as_starting(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    with acquire(lock) as guard:
        guard.path.write_text("")
        with pytest.raises(LockError, match="another apply is starting"):
            acquire(lock)


def test_release_leaves_a_guard_that_is_no_longer_ours(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    guard = acquire(lock)
    other = Holder(pid=1, host="elsewhere", started_at="x")
    guard.path.write_text(json.dumps(other.__dict__))
    guard.release()
    assert read_holder(guard.path) == other
    assert running_holder(lock) is None  # the lock was released all the same


def test_only_one_of_many_concurrent_applies_gets_the_guard(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    start = threading.Barrier(8)
    won: list[int] = []
    refused: list[int] = []
    held: list[Guard] = []  # a guard is held as long as its object lives

    def attempt(i: int) -> None:
        start.wait()
        try:
            held.append(acquire(lock, pid=os.getpid(), host="same-host", now=lambda: str(i)))
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
    held[0].release()


def test_the_kernel_releases_the_guard_of_a_sigkilled_apply(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    code = (
        "import sys, time\n"
        "from hubprops.lock.guard import acquire\n"
        f"guard = acquire({str(lock)!r})\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(LockError, match=f"pid {proc.pid}"):
            acquire(lock)
        holder = running_holder(lock)
        assert holder is not None and holder.pid == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
    assert running_holder(lock) is None
    with acquire(lock) as guard:
        assert guard.warnings == []
        assert read_holder(guard.path) == guard.holder
