"""The lock file's text, produced fast: exactly the bytes of ``fsutil.dumps_pretty`` (pretty,
key-sorted JSON, two-space indent, non-ASCII kept, final newline), which stays the contract.

``json.dumps`` with ``indent`` runs the standard library's pure-Python encoder, about 45 ms for
a lock of 2,000 properties, and apply saves the lock after every step. Two things make the same
bytes cheaper:

- ``dumps_pretty`` walks the structure once, with the C string escaper, about twice as fast
  (anything it does not know, such as a non-string key, falls back to ``json.dumps``);
- ``LockEncoder`` remembers the text of every recorded property and group by identity, so a
  save re-encodes only the ones that changed since the last save. That is sound only for locks
  whose recorded properties and groups are replaced, never changed in place: apply's recorder
  works that way and attaches an encoder to its snapshots (``lock.file.attach``);
  ``save_lock`` of any other lock encodes everything.
"""

from __future__ import annotations

import json
import threading
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

_INF = float("inf")


class _Unusual(Exception):
    """Something ``_encode`` does not handle exactly like ``json.dumps``."""


class _Leaf:
    """A recorded property or group inside the document, encoded through the cache."""

    __slots__ = ("model",)

    def __init__(self, model: BaseModel) -> None:
        self.model = model


#: id(model) -> (model, indent, text); the model is kept so that its id is not reused.
_Cache = dict[int, tuple[Any, str, str]]


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return float.__repr__(value)


def _encode(obj: Any, ind: str, out: list[str], old: _Cache | None, new: _Cache | None) -> None:
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
                raise _Unusual
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
                _encode(value, inner, out, old, new)
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
            _encode(value, inner, out, old, new)
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
    elif t is _Leaf:
        out.append(_leaf(obj.model, ind, old, new))
    else:
        raise _Unusual


def _leaf(model: BaseModel, ind: str, old: _Cache | None, new: _Cache | None) -> str:
    key = id(model)
    hit = old.get(key) if old is not None else None
    if hit is not None and hit[0] is model and hit[1] == ind:
        text = hit[2]
    else:
        parts: list[str] = []
        _encode(_dump(model), ind, parts, None, None)
        text = "".join(parts)
    if new is not None:
        new[key] = (model, ind, text)
    return text


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def dumps_pretty(obj: Any) -> str:
    """``json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\\n"``, faster."""
    out: list[str] = []
    try:
        _encode(obj, "", out, None, None)
    except _Unusual:
        return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    out.append("\n")
    return "".join(out)


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
                _encode(doc, "", out, self._cache, new)
            except _Unusual:
                self._cache = {}
                return dumps_pretty(lock.to_json())
            self._cache = new
        out.append("\n")
        return "".join(out)


def _dump_except(model: BaseModel, *fields: str) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=set(fields))
