"""What became of each change of an apply: the types the recorder, the stages and the
renderers share, and the sync status they add up to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from hubprops.lock.file import SyncStatus
from hubprops.plan.types import Change

#: applied: HubSpot acknowledged it. failed: HubSpot (or the network) refused it. skipped: not
#: attempted because something it depends on failed. not_started: apply stopped first (Ctrl-C,
#: circuit breaker, a fatal error such as the daily limit).
ResultStatus = Literal["applied", "failed", "skipped", "not_started"]


@dataclass(frozen=True)
class ChangeResult:
    """What became of one planned change; ``message`` is HubSpot's message or our reason."""

    change: Change
    status: ResultStatus
    message: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One change's fate as a worker saw it; ``response`` is HubSpot's object for applied
    creates and updates; ``adopted`` marks a create that found an identical existing object."""

    change: Change
    status: ResultStatus
    message: str = ""
    details: tuple[str, ...] = ()
    response: dict[str, Any] | None = None
    adopted: bool = False


@dataclass(frozen=True)
class Progress:
    """One step finished: ``done`` of ``total`` changes have a result; ``result`` is the last."""

    done: int
    total: int
    result: ChangeResult


def sync_status(applied: int, failed: int, not_started: int) -> SyncStatus:
    """completed: nothing left undone; failed: something failed and nothing was applied;
    partial: anything else (some applied, or stopped before the end)."""
    if failed == 0 and not_started == 0:
        return "completed"
    if applied == 0 and not_started == 0:
        return "failed"
    return "partial"
