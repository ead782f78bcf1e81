"""Apply: execute a saved plan's changes against HubSpot, stage by stage, recording each result.

``applier`` checks the plan (portal, staleness) and runs it; ``stages`` sends each stage's
requests (groups, batched creates, concurrent updates, archives); ``recorder`` turns results
into the lock, written after every step, so a crash leaves a lock that matches HubSpot.

The names below are loaded on first use (PEP 562), so that importing one submodule (``plan``
reads ``stages.REREAD_EVERY`` for its estimate) does not import the whole applier.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hubprops.apply.applier import ApplyResult, apply_plan, needs_apply
    from hubprops.apply.recorder import ChangeResult, Progress

__all__ = ["ApplyResult", "ChangeResult", "Progress", "apply_plan", "needs_apply"]

_HOME = {
    "ApplyResult": "hubprops.apply.applier",
    "apply_plan": "hubprops.apply.applier",
    "needs_apply": "hubprops.apply.applier",
    "ChangeResult": "hubprops.apply.recorder",
    "Progress": "hubprops.apply.recorder",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
