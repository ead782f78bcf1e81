"""The non-destructive part of a plan: what an unattended sync (``hubprops serve``, a
scheduler) may apply without a person reviewing it.

A plan made with ``allow_destructive=True`` holds every change; ``split_destructive`` keeps the
safe ones in a plan that records ``allow_destructive=False`` and returns the others, each with
the reason it was held back and the way through (review it with ``hubprops plan
--allow-destructive``). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from hubprops.plan.types import Change, Plan

REVIEW_HINT = "review with hubprops plan --allow-destructive"


@dataclass(frozen=True)
class HeldBack:
    """A destructive change that was not applied, and why (for display)."""

    change: Change
    reason: str


def split_destructive(plan: Plan) -> tuple[Plan, tuple[HeldBack, ...]]:
    """``plan`` without its destructive changes, and those changes with their reasons."""
    safe = tuple(c for c in plan.changes if not c.destructive)
    held = tuple(HeldBack(c, held_back_reason(c)) for c in plan.changes if c.destructive)
    options = plan.options.model_copy(update={"allow_destructive": False})
    return plan.model_copy(update={"changes": safe, "options": options}), held


def held_back_reason(change: Change) -> str:
    """``option 'x' removed: records may keep orphan values: review with hubprops plan
    --allow-destructive``."""
    why = "; ".join(change.reasons) or "destructive change"
    return f"{why}: {REVIEW_HINT}"
