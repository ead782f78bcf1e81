"""A cache of parsed definitions files, keyed by their bytes: an unchanged file is not parsed
and checked again.

Parsing a YAML file with the position of every key (:mod:`hubprops.definitions.positions`) and
checking it against the schema costs about 0.15 s per 1,000 properties, most of a plan's time on
a big folder. Both are pure functions of the file's bytes (and of hubprops' own code), so their
result is stored under ``sha256(code fingerprint, syntax, bytes)`` in a folder of the user's
cache (the CLI passes ``$HUBPROPS_CACHE_DIR``, else ``$XDG_CACHE_HOME/hubprops``, else
``~/.cache/hubprops``). An entry is JSON (never pickle: a cache file can only ever give back
data); one that cannot be read or does not match is a miss and is parsed again. Documents
holding values JSON cannot carry exactly (a YAML timestamp, binary, a set) are not cached.
The cache keeps its newest :data:`MAX_ENTRIES` files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hubprops import __version__
from hubprops.definitions.positions import (
    SHALLOW_DEPTH,
    DuplicateKey,
    JsonPath,
    LazyPositions,
    ParsedDocument,
    Position,
)

__all__ = ["MAX_ENTRIES", "CachedFile", "Check", "ParseCache"]

#: Files kept; the oldest (by last use) go first.
MAX_ENTRIES = 256
_FORMAT = 2
#: The modules whose code decides what a file parses and checks to.
_CODE = ("positions.py", "parse.py", "loader.py", "schema.py", "cache.py", "../fastschema.py")

#: A schema or text problem of one file, without the file: line, column, path, message, severity.
Check = tuple[int, int, str, str, str]


@dataclass(frozen=True)
class CachedFile:
    """What a file parsed to, and its per-file problems (None: not computed)."""

    parsed: ParsedDocument
    checks: tuple[Check, ...]


@cache
def _fingerprint() -> str:
    """hubprops' version and the bytes of the code and schema that parse and check a file: an
    editable install that changes them never reads an entry the old code wrote."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{_FORMAT}:{__version__}".encode())
    schema = here.parent / "schemas" / "definitions.schema.json"
    for path in [*(here / name for name in _CODE), schema]:
        with contextlib.suppress(OSError):
            h.update(path.read_bytes())
    return h.hexdigest()


class ParseCache:
    """Parsed definitions files under ``directory`` (created on first write, mode 0700)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def key(self, raw: bytes, syntax: str) -> str:
        """The entry name of a file's bytes read as ``syntax`` ("yaml" or "json")."""
        h = hashlib.sha256(_fingerprint().encode())
        h.update(syntax.encode())
        h.update(b"\0")
        h.update(raw)
        return h.hexdigest()

    def get(self, key: str) -> CachedFile | None:
        """The entry, or None when it is missing, unreadable or not ours."""
        path = self.directory / f"{key}.json"
        try:
            text = path.read_text(encoding="utf-8")
            entry = json.loads(text)
            if entry.get("key") != key:
                return None
            found = _decode(entry)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # last use, for pruning
        return found

    def put(self, key: str, found: CachedFile) -> bool:
        """Store an entry (atomically: a reader sees all of it or nothing). False when the
        document cannot be stored exactly, or the folder cannot be written (never an error:
        the cache only ever saves time)."""
        try:
            _exact(found.parsed.data)
            text = json.dumps({"key": key, **_encode(found)}, ensure_ascii=False)
        except (TypeError, ValueError, RecursionError):
            return False
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=self.directory)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, self.directory / f"{key}.json")
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            self._prune()
        except OSError:
            return False
        return True

    def _prune(self) -> None:
        entries = list(self.directory.glob("*.json"))
        if len(entries) <= MAX_ENTRIES:
            return
        by_age = sorted(entries, key=lambda p: _mtime(p))
        for old in by_age[: len(entries) - MAX_ENTRIES]:
            with contextlib.suppress(OSError):
                old.unlink()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _exact(value: Any) -> None:
    """TypeError unless ``value`` is made only of what JSON gives back unchanged."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if not all(type(k) is str for k in item):
                raise TypeError("a key that is not a string")
            pending.extend(item.values())
        elif type(item) is list:
            pending.extend(item)
        elif item is not None and type(item) not in (str, int, float, bool):
            raise TypeError(f"{type(item).__name__} is not JSON")


def _encode(found: CachedFile) -> dict[str, Any]:
    parsed = found.parsed
    shallow = [(p, at) for p, at in parsed.positions.items() if len(p) <= SHALLOW_DEPTH]
    deep = [(p, at) for p, at in parsed.positions.items() if len(p) > SHALLOW_DEPTH]
    return {
        "data": parsed.data,
        "positions": [[list(p), line, column] for p, (line, column) in shallow],
        # a JSON text inside the entry: reading the entry skips over it as one string, and it
        # is parsed only when a problem must be located (LazyPositions)
        "deep_positions": json.dumps(
            [[list(p), line, column] for p, (line, column) in deep], ensure_ascii=False
        ),
        "duplicates": [
            [list(d.path), d.line, d.column, d.first_line] for d in parsed.duplicate_keys
        ],
        "checks": [list(c) for c in found.checks],
    }


def _decode(entry: dict[str, Any]) -> CachedFile:
    deep_text = entry["deep_positions"]
    if not isinstance(deep_text, str):
        raise TypeError("deep_positions is not a JSON text")
    positions = LazyPositions(_positions(entry["positions"]), lambda: _deep(deep_text))
    duplicates = [
        DuplicateKey(tuple(path), line, column, first)
        for path, line, column, first in entry["duplicates"]
    ]
    checks = tuple(
        (int(line), int(column), str(path), str(message), str(severity))
        for line, column, path, message, severity in entry["checks"]
    )
    return CachedFile(ParsedDocument(entry["data"], positions, duplicates), checks)


def _positions(rows: list[Any]) -> dict[JsonPath, Position]:
    return {tuple(path): (line, column) for path, line, column in rows}


def _deep(text: str) -> dict[JsonPath, Position]:
    """The deep positions of an entry read earlier. The entry's key matched, so its text is
    what ``_encode`` wrote; should it be damaged all the same, the problem is located at its
    item (or the file's start) rather than the run failing."""
    try:
        return _positions(json.loads(text))
    except (ValueError, TypeError, RecursionError):
        return {}
