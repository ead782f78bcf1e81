"""The concurrency guard: one apply at a time per lock file.

``acquire(lock_path)`` takes a kernel lock (``filelock``, ``flock`` on POSIX) on
``.hubprops/<lock>.inprogress`` beside the lock without waiting, then writes
``{pid, host, started_at}`` into that file so that a second apply can say who holds it: it
fails at once with a ``LockError`` naming that pid and host. The kernel releases the lock when
the holding process ends in any way (exit, crash, SIGKILL), so a guard is never stale and
nothing has to be taken over; the file itself stays (emptied on release), its content
meaningful only while its lock is held.

A server helper calls ``acquire`` and ``running_holder`` too, so that a CLI apply and a server
sync against the same lock file exclude each other.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from hubprops.clock import utc_now
from hubprops.errors import LockError

SUFFIX = ".inprogress"


@dataclass(frozen=True)
class Holder:
    """Who holds a guard: process id, host name, and when it started (UTC, ISO 8601)."""

    pid: int
    host: str
    started_at: str

    def describe(self) -> str:
        return f"pid {self.pid} on host {self.host} (started {self.started_at})"


@dataclass
class Guard:
    """A held guard; release it (or use it as a context manager) when apply ends. The kernel
    lock lives as long as this object: a guard dropped without release is released too.

    ``warnings`` is kept for callers that print it; the kernel lock leaves nothing to warn
    about, so it is always empty."""

    path: Path
    holder: Holder
    lock: FileLock
    warnings: list[str] = field(default_factory=list)
    released: bool = False

    def release(self) -> None:
        """Empty the guard file and release the kernel lock."""
        if self.released:
            return
        self.released = True
        try:
            if read_holder(self.path) == self.holder:
                with contextlib.suppress(OSError):
                    _write(self.path, "")
        finally:
            self.lock.release()

    def __enter__(self) -> Guard:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


#: The guard file's folder beside the lock: hidden, and ignored by git through its own
#: ``.gitignore`` (the guard file outlives each apply, emptied, and must not show in
#: ``git status`` or be committed along with the lock by CI).
GUARD_DIR = ".hubprops"


def guard_path(lock_path: str | os.PathLike[str]) -> Path:
    """``dir/hubprops.lock.json`` -> ``dir/.hubprops/hubprops.lock.json.inprogress``."""
    p = Path(lock_path)
    return p.parent / GUARD_DIR / (p.name + SUFFIX)


def _make_guard_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        with contextlib.suppress(OSError):  # only a convenience for git users
            ignore.write_text("# made by hubprops: nothing here belongs in git\n*\n", "utf-8")


def read_holder(path: Path) -> Holder | None:
    """The holder recorded in a guard file; None when absent, empty or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Holder(pid=int(raw["pid"]), host=str(raw["host"]), started_at=str(raw["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: Path, text: str) -> None:
    """Replace the guard file's content in place (the kernel lock is on this very file, so it
    is not replaced by rename)."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def _held(path: Path) -> bool:
    """Whether some process holds the kernel lock on ``path`` (tried without waiting)."""
    probe = FileLock(path, timeout=0)
    try:
        probe.acquire()
    except Timeout:
        return True
    probe.release()
    return False


def acquire(
    lock_path: str | os.PathLike[str],
    *,
    pid: int | None = None,
    host: str | None = None,
    now: Callable[[], str] = utc_now,
) -> Guard:
    """Take the guard of ``lock_path`` or raise ``LockError`` naming who holds it."""
    path = guard_path(lock_path)
    me = Holder(
        pid=os.getpid() if pid is None else pid,
        host=socket.gethostname() if host is None else host,
        started_at=now(),
    )
    try:
        _make_guard_dir(path.parent)
    except OSError as exc:
        raise LockError(
            f"cannot create the guard folder {path.parent}: {exc.strerror or exc}"
        ) from exc
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:  # before OSError: filelock's Timeout is one
        holder = read_holder(path)
        if holder is None:
            raise LockError(
                f"another apply is starting against this lock file (guard file {path}); "
                "wait for it to finish"
            ) from None
        raise LockError(
            f"another apply is running against this lock file: {holder.describe()}; "
            f"wait for it to finish (guard file {path})"
        ) from None
    except OSError as exc:  # ENAMETOOLONG, EACCES, a read-only folder: not "busy"
        raise LockError(f"cannot take the apply guard {path}: {exc.strerror or exc}") from exc
    try:
        _write(path, json.dumps({"pid": me.pid, "host": me.host, "started_at": me.started_at}))
    except BaseException:
        lock.release()
        raise
    return Guard(path, me, lock)


def running_holder(lock_path: str | os.PathLike[str]) -> Holder | None:
    """The apply that holds this lock's guard right now; None if none does."""
    path = guard_path(lock_path)
    holder = read_holder(path)
    if holder is None or not _held(path):
        return None
    return holder
