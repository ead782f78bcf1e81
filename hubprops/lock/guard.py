"""The concurrency guard: one apply at a time per lock file.

``acquire(lock_path)`` creates ``<lock>.inprogress`` holding ``{pid, host, started_at}``. The file
is written in full to a temp file first and then hard-linked into place, which fails atomically if
the name exists (like ``O_EXCL``, but a reader never sees a half-written file). A second apply
against the same lock then fails at once with a ``LockError`` naming the pid and host that hold it.

Stale guards: a guard left behind by a process that died (SIGKILL, power loss) would block every
later apply. When the holder is on this host and its pid is no longer alive, the guard is taken
over and a warning says so. A guard held on another host is never taken over (we cannot see that
process): the message says how to remove it once you are sure nothing runs there.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

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
    """A held guard; release it (or use it as a context manager) when apply ends.

    ``warnings`` says whether a stale guard was taken over on the way in.
    """

    path: Path
    holder: Holder
    warnings: list[str] = field(default_factory=list)
    released: bool = False

    def release(self) -> None:
        """Remove the guard file, only if it is still ours."""
        if self.released:
            return
        self.released = True
        current = read_holder(self.path)
        if current == self.holder:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def __enter__(self) -> Guard:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def guard_path(lock_path: str | os.PathLike[str]) -> Path:
    """``hubprops.lock.json`` -> ``hubprops.lock.json.inprogress``."""
    p = Path(lock_path)
    return p.with_name(p.name + SUFFIX)


def _utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host (POSIX; assumed alive elsewhere)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def read_holder(path: Path) -> Holder | None:
    """The holder recorded in a guard file; None when absent or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Holder(pid=int(raw["pid"]), host=str(raw["host"]), started_at=str(raw["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _create(path: Path, holder: Holder) -> bool:
    """Create the guard with its full content; False if it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"pid": holder.pid, "host": holder.host, "started_at": holder.started_at})
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a filesystem without hard links: O_EXCL, content written right after
            try:
                excl = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(excl, "w", encoding="utf-8") as fh:
                fh.write(data + "\n")
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _take_over(path: Path, stale: Holder | None) -> bool:
    """Move a stale guard aside; False if someone else replaced it meanwhile."""
    aside = path.with_name(f"{path.name}.stale.{os.getpid()}")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return True  # its owner released it meanwhile
    moved = read_holder(aside)
    if moved != stale:
        # Another apply took it over between our read and our move: put theirs back.
        with contextlib.suppress(OSError):
            os.link(aside, path)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(aside)
        return False
    aside.unlink()
    return True


def acquire(
    lock_path: str | os.PathLike[str],
    *,
    pid: int | None = None,
    host: str | None = None,
    now: Callable[[], str] = _utc_now,
    is_alive: Callable[[int], bool] = pid_alive,
) -> Guard:
    """Take the guard of ``lock_path`` or raise ``LockError`` naming who holds it."""
    path = guard_path(lock_path)
    me = Holder(
        pid=os.getpid() if pid is None else pid,
        host=socket.gethostname() if host is None else host,
        started_at=now(),
    )
    warnings: list[str] = []
    for _ in range(3):
        if _create(path, me):
            return Guard(path, me, warnings)
        holder = read_holder(path)
        if holder is not None and (holder.host != me.host or is_alive(holder.pid)):
            raise LockError(_held_message(path, holder, me))
        if holder is None and path.exists():
            raise LockError(
                f"{path} exists but cannot be read: another apply may be starting. "
                "If no apply is running, delete that file and try again."
            )
        if not _take_over(path, holder):
            continue
        if holder is not None:
            warnings.append(
                f"taking over a stale apply guard left by {holder.describe()}: "
                "that process no longer runs (it was killed or crashed); "
                "the lock file holds every step it completed"
            )
    current = read_holder(path)
    raise LockError(_held_message(path, current, me) if current else f"cannot take {path}")


def _held_message(path: Path, holder: Holder, me: Holder) -> str:
    text = f"another apply is running against this lock file: {holder.describe()}; wait for it"
    if holder.host != me.host:
        text += (
            f". It runs on another host, so hubprops cannot tell whether it is still alive: "
            f"if you are sure it is not, delete {path} and try again"
        )
    else:
        text += f" to finish (guard file {path})"
    return text


def running_holder(lock_path: str | os.PathLike[str]) -> Holder | None:
    """The apply that holds this lock's guard and may still run; None if none does (no guard, or
    a stale guard of a dead process on this host)."""
    holder = read_holder(guard_path(lock_path))
    if holder is None:
        return None
    if holder.host == socket.gethostname() and not pid_alive(holder.pid):
        return None
    return holder
