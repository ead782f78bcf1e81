"""The one wall-clock helper: UTC timestamps as the plan, lock and guard files write them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal


def utc_now(timespec: Literal["seconds", "milliseconds"] = "seconds") -> str:
    """Now in UTC, ISO 8601 with a ``Z``: ``2026-03-01T12:00:00Z`` (or ``...00.123Z``)."""
    return datetime.now(timezone.utc).isoformat(timespec=timespec).replace("+00:00", "Z")
