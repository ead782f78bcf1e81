"""Atomic file writes: a reader (or a crash) never sees a half-written plan, lock or state."""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and ``os.replace``.

    The temp file is fsynced before the rename, so after a crash ``path`` holds either the old
    content or the new one, never a mix. Missing parent folders are created. A symlink is
    written through (its target is replaced, the link stays); one that points nowhere (broken,
    or a loop) is refused with FileRefused.
    """
    target = write_target(Path(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_target(path: Path) -> Path:
    """``path``, or the file a symlink at ``path`` points to; FileRefused for a broken link or
    a link loop (writing would silently create a file elsewhere, or fail obscurely)."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise FileRefused(
            errno.ELOOP, "a symlink that points nowhere (broken, or a loop); fix or remove it"
        ) from exc


def dumps_pretty(obj: Any) -> str:
    """Pretty, key-sorted JSON with a final newline: the form of every file hubprops writes.

    Exactly ``json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\\n"``, made
    about twice as fast (the standard library runs its pure-Python encoder whenever ``indent``
    is given): see ``encode_pretty``. Anything it does not handle exactly like ``json.dumps``
    (a key that is not a string, a subclass of dict) falls back to ``json.dumps``."""
    out: list[str] = []
    try:
        encode_pretty(obj, "", out)
    except UnusualValue:
        return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    out.append("\n")
    return "".join(out)


class UnusualValue(Exception):
    """A value ``encode_pretty`` does not write exactly as ``json.dumps`` would."""


_INF = float("inf")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return float.__repr__(value)


def encode_pretty(
    obj: Any, ind: str, out: list[str], leaf: Callable[[Any, str], str] | None = None
) -> None:
    """Append the pretty JSON of ``obj`` (at indent ``ind``) to ``out``: the bytes of
    ``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)``, with C's string escaper.
    ``leaf(value, indent)`` gives the text of a value of another type (the lock's cached
    entries); without it, or when it raises, UnusualValue."""
    t = type(obj)
    if t is str:
        out.append(encode_basestring(obj))
    elif t is dict:
        if not obj:
            out.append("{}")
            return
        inner = ind + "  "
        sep = "{\n" + inner
        for key, value in sorted(obj.items()):
            if type(key) is not str:
                raise UnusualValue
            out.append(sep)
            out.append(encode_basestring(key))
            out.append(": ")
            kind = type(value)
            if kind is str:  # the common leaves inline: this loop is the hot path
                out.append(encode_basestring(value))
            elif kind is bool:
                out.append("true" if value else "false")
            elif value is None:
                out.append("null")
            else:
                encode_pretty(value, inner, out, leaf)
            sep = ",\n" + inner
        out.append("\n" + ind + "}")
    elif t is list:
        if not obj:
            out.append("[]")
            return
        inner = ind + "  "
        sep = "[\n" + inner
        for value in obj:
            out.append(sep)
            encode_pretty(value, inner, out, leaf)
            sep = ",\n" + inner
        out.append("\n" + ind + "]")
    elif t is bool:
        out.append("true" if obj else "false")
    elif t is int:
        out.append(int.__repr__(obj))
    elif t is float:
        out.append(_float(obj))
    elif obj is None:
        out.append("null")
    elif leaf is not None:
        out.append(leaf(obj, ind))
    else:
        raise UnusualValue


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> None:
    """``atomic_write`` of ``dumps_pretty(obj)``."""
    atomic_write(path, dumps_pretty(obj))


#: The most hubprops reads from one plan, lock or definitions file (far above any real one).
MAX_READ_BYTES = 64 * 1024 * 1024


class FileRefused(OSError):
    """A path hubprops will not read: not a regular file (a FIFO, a device, a folder), or larger
    than it reads. ``strerror`` says which, as ``OSError`` handlers expect."""


def read_regular(path: str | os.PathLike[str], *, limit: int = MAX_READ_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``limit``.

    A FIFO is opened without blocking and refused, as is a device (``/dev/zero``) or a folder;
    a file over ``limit`` bytes is refused without reading past the limit. Other failures are
    the OSError ``open`` raises (missing, permission denied, symlink loop)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise FileRefused(errno.EINVAL, f"{what} (a FIFO, device or folder is never read)")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileRefused(errno.EFBIG, f"larger than {limit // (1024 * 1024)} MiB")
        return b"".join(chunks)
    finally:
        os.close(fd)


def remove_stale_temps(path: str | os.PathLike[str], *, older_than: float = 60.0) -> list[Path]:
    """Delete the temp files ``atomic_write`` leaves beside ``path`` when killed (SIGKILL,
    power loss) between writing and renaming: ``.<name>.*.tmp`` older than ``older_than``
    seconds (a younger one may belong to a writer at work). Returns what was removed."""
    target = Path(path)
    removed: list[Path] = []
    now = time.time()
    try:
        candidates = list(target.parent.glob(f".{glob.escape(target.name)}.*.tmp"))
    except OSError:
        return removed
    for tmp in candidates:
        try:
            info = tmp.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime >= older_than:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    return removed
