"""fsutil.dumps_pretty and hubprops/lock/encode.py: the fast text is byte for byte the pretty
JSON of the file contract (``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)``), for
any JSON value and for the lock, cached or not."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hubprops.fsutil import dumps_pretty
from hubprops.lock.encode import LockEncoder
from hubprops.lock.file import (
    LastSync,
    Lock,
    LockedGroup,
    LockedProperty,
    Migration,
    attach,
    lock_text,
)

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_json: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def standard(value: Any) -> str:
    """The contract's bytes, from the standard library's encoder."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@settings(max_examples=300, deadline=None)
@given(_json)
def test_dumps_pretty_is_the_standard_pretty_json(value: Any) -> None:
    assert dumps_pretty(value) == standard(value)


def test_what_it_does_not_know_falls_back_to_json_dumps() -> None:
    odd = {"a": {1: "int key"}, "b": (1, 2)}
    assert dumps_pretty(odd) == json.dumps(odd, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _lock() -> Lock:
    lock = Lock.model_validate({"format_version": 1, "portals": {}, "note": {"x": [1, None]}})
    entry = lock.entry(62515, "contacts")
    entry.properties["é_name"] = LockedProperty(
        id="0-1/é_name", sha256="a" * 64, options={"b": "B", "a": "Ä"}, createdAt="t"
    )
    entry.properties["plain"] = LockedProperty.model_validate(
        {"id": "0-1/plain", "sha256": "b" * 64, "custom": {"kept": True}}
    )
    entry.groups["ops"] = LockedGroup(id="0-1/ops", sha256="c" * 64, created_by_hubprops=True)
    entry.migrations = {"plain": Migration.model_validate({"from": "old", "copied": 3})}
    entry.last_sync = LastSync(timestamp="2026-01-01T00:00:00Z", status="partial", duration_s=1.5)
    lock.entry(62515, "0-136")  # empty maps
    lock.portal(99).last_sync = LastSync(
        timestamp="t", status="completed", object_types=["contacts"], api_version="2026-03"
    )
    return lock


def test_lock_text_with_and_without_an_encoder_is_the_contract_text() -> None:
    lock = _lock()
    want = standard(lock.to_json())
    assert lock_text(lock) == want
    encoder = LockEncoder()
    assert lock_text(attach(lock, encoder)) == want
    assert lock_text(lock) == want  # from the cache


def test_the_encoder_re_encodes_a_replaced_property() -> None:
    lock = _lock()
    encoder = LockEncoder()
    attach(lock, encoder)
    lock_text(lock)
    entry = lock.entry(62515, "contacts")
    entry.properties["plain"] = LockedProperty(id="0-1/plain", sha256="d" * 64)
    del entry.groups["ops"]
    assert lock_text(lock) == standard(lock.to_json())
