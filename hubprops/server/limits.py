"""The details of two documented error answers: HubSpot's rate limit (429) and definitions
that do not validate (400)."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from hubprops.errors import DailyLimitReached, DefinitionError, RemoteError

#: HubSpot's rolling window when the limiter has not said otherwise (docs/hubspot-api.md,
#: "Rate limits").
DEFAULT_WINDOW_S = 10.0
_INDEX = re.compile(r"^(?:properties)?\[(\d+)\]")


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def rate_limit_details(exc: RemoteError | None, limiter: dict[str, Any] | None) -> dict[str, Any]:
    """``retry_after`` (seconds), ``remaining_requests`` and ``reset_time`` (UTC). A daily
    limit resets at midnight in the portal's time zone, which the API does not tell: the next
    UTC midnight is given as the earliest sensible retry."""
    now = datetime.now(timezone.utc)
    daily = isinstance(exc, DailyLimitReached) or (
        exc is None and limiter is not None and limiter.get("daily_remaining") == 0
    )
    if daily:
        reset = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        window = float((limiter or {}).get("interval_s") or DEFAULT_WINDOW_S)
        reset = now + timedelta(seconds=window)
    details: dict[str, Any] = {
        "retry_after": max(1, math.ceil((reset - now).total_seconds())),
        "remaining_requests": 0,
        "reset_time": _iso(reset),
        "policy": "DAILY" if daily else "TEN_SECONDLY_ROLLING",
    }
    if exc is not None:
        details["message"] = str(exc)
    return details


def validation_details(exc: DefinitionError) -> dict[str, Any]:
    """``property_name`` (of the first property in error, when one is named) and every
    problem as ``file:line: path: message``."""
    errors = [d for d in exc.diagnostics if d.severity == "error"] or list(exc.diagnostics)
    name = None
    for diag in errors:
        name = _property_name(diag.file, diag.path)
        if name:
            break
    return {"property_name": name, "validation_errors": [str(d) for d in errors]}


def _property_name(file: str, path: str) -> str | None:
    """The ``name`` of the property a diagnostic path points into (best effort)."""
    match = _INDEX.match(path or "")
    if not match:
        return None
    try:
        doc = yaml.safe_load(Path(file).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, ValueError):
        return None
    items = doc.get("properties") if isinstance(doc, dict) else doc
    index = int(match.group(1))
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        value = items[index].get("name")
        return value if isinstance(value, str) else None
    return None
