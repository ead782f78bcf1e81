"""Optional plan signing for CI: an HMAC-SHA256 over the plan, keyed by a secret only CI holds.

The checksum catches accidents; anyone can recompute it. With a key (``HUBPROPS_PLAN_KEY`` in
CI, read by the CLI and passed in here), ``hubprops plan -o FILE`` adds ``signature``: the hex
HMAC-SHA256 of the canonical JSON (sorted keys, no whitespace, UTF-8) of every key of the plan
file but ``checksum`` and ``signature``. With the key set, ``hubprops apply`` refuses a plan that
is unsigned or whose signature does not match: only a plan that CI itself wrote, unedited, is
applied. Without a key, a signature is ignored (it cannot be checked).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from hubprops.errors import PlanFileError

#: The environment variable the CLI reads the key from (never written anywhere).
KEY_ENV = "HUBPROPS_PLAN_KEY"
#: Plan file keys the signature does not cover.
UNSIGNED_KEYS = frozenset({"checksum", "signature"})


def _canonical(data: dict[str, Any]) -> bytes:
    body = {k: v for k, v in data.items() if k not in UNSIGNED_KEYS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


def sign(data: dict[str, Any], key: bytes) -> str:
    """The signature of a plan file's JSON object ``data`` under ``key``."""
    return hmac.new(key, _canonical(data), hashlib.sha256).hexdigest()


def check_signature(data: dict[str, Any], key: bytes, *, source: str = "plan file") -> None:
    """PlanFileError unless ``data`` carries the signature ``sign(data, key)`` gives."""
    given = data.get("signature")
    if not isinstance(given, str):
        raise PlanFileError(
            f"{source}: plan is not signed, and {KEY_ENV} is set: apply only plans that "
            f"`hubprops plan -o FILE` wrote with the same {KEY_ENV}"
        )
    if not hmac.compare_digest(given, sign(data, key)):
        raise PlanFileError(
            f"{source}: plan signature does not match (edited, or signed with another key); "
            f"make a new plan with `hubprops plan -o FILE` and the same {KEY_ENV}"
        )


def key_from(environ: Mapping[str, str]) -> bytes | None:
    """The signing key in ``environ`` (the CLI passes ``os.environ``), None when unset or
    empty."""
    value = environ.get(KEY_ENV, "")
    return value.encode("utf-8", "surrogateescape") if value else None
