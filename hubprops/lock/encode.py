"""The lock file's text, produced fast: exactly the bytes of ``fsutil.dumps_pretty`` (pretty,
key-sorted JSON, two-space indent, non-ASCII kept, final newline), which stays the contract.

``json.dumps`` with ``indent`` runs the standard library's pure-Python encoder, about 45 ms for
a lock of 2,000 properties, and apply saves the lock after every step. Two things make the same
bytes cheaper:

- ``fsutil.dumps_pretty`` walks the structure once, with the C string escaper, about twice as
  fast (anything it does not know, such as a non-string key, falls back to ``json.dumps``);
- ``LockEncoder`` remembers the text of every recorded property and group by identity, so a
  save re-encodes only the ones that changed since the last save. That is sound only for locks
  whose recorded properties and groups are replaced, never changed in place: apply's recorder
  works that way and attaches an encoder to its snapshots (``lock.file.attach``);
  ``save_lock`` of any other lock encodes everything.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hubprops.fsutil import UnusualValue, dumps_pretty, encode_pretty

if TYPE_CHECKING:
    from pydantic import BaseModel


class _Leaf:
    """A recorded property or group inside the document, encoded through the cache."""

    __slots__ = ("model",)

    def __init__(self, model: BaseModel) -> None:
        self.model = model


#: id(model) -> (model, indent, text); the model is kept so that its id is not reused.
_Cache = dict[int, tuple[Any, str, str]]


def _leaf(model: BaseModel, ind: str, old: _Cache | None, new: _Cache | None) -> str:
    key = id(model)
    hit = old.get(key) if old is not None else None
    if hit is not None and hit[0] is model and hit[1] == ind:
        text = hit[2]
    else:
        parts: list[str] = []
        encode_pretty(_dump(model), ind, parts)
        text = "".join(parts)
    if new is not None:
        new[key] = (model, ind, text)
    return text


def _leaves(old: _Cache, new: _Cache) -> Callable[[Any, str], str]:
    """``encode_pretty``'s hook for the recorded properties and groups (``_Leaf``)."""

    def leaf(value: Any, ind: str) -> str:
        if type(value) is not _Leaf:
            raise UnusualValue
        return _leaf(value.model, ind, old, new)

    return leaf


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


class LockEncoder:
    """The text of successive states of one lock, re-encoding only the recorded properties
    and groups that are new objects since the last call (thread-safe)."""

    def __init__(self) -> None:
        self._cache: _Cache = {}
        self._mutex = threading.Lock()

    def text(self, lock: Any) -> str:
        """Exactly ``dumps_pretty(lock.to_json())`` for a ``lock.file.Lock`` (typed Any: this
        module sits below the lock model)."""
        doc = _dump_except(lock, "portals")
        doc["portals"] = {
            key: {
                **_dump_except(portal, "objects"),
                "objects": {
                    object_type: {
                        **_dump_except(entry, "properties", "groups"),
                        "properties": {n: _Leaf(p) for n, p in entry.properties.items()},
                        "groups": {n: _Leaf(g) for n, g in entry.groups.items()},
                    }
                    for object_type, entry in portal.objects.items()
                },
            }
            for key, portal in lock.portals.items()
        }
        with self._mutex:
            new: _Cache = {}
            out: list[str] = []
            try:
                encode_pretty(doc, "", out, _leaves(self._cache, new))
            except UnusualValue:
                self._cache = {}
                return dumps_pretty(lock.to_json())
            self._cache = new
        out.append("\n")
        return "".join(out)


def _dump_except(model: BaseModel, *fields: str) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=set(fields))
