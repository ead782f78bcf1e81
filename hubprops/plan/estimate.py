"""Estimate: what applying a plan will cost, counted from the plan alone, before any write.

``estimate`` counts the requests ``hubprops apply PLAN`` sends, by kind, following what apply
does (``apply/applier.py``, ``apply/stages.py``, ``apply/rename.py``): the portal lookup, the
re-reads of the staleness check (one properties list per object type with property changes or
in-sync properties and per extra dataSensitivity level; one groups list per object type with
group updates, archives or in-sync groups), the re-lists before every 100 updates of an object
type, one request per group change and per property update, one
``batch/create`` or ``batch/archive`` per object type and ``batch_size`` properties, and per
rename one create, the search pages and batch updates of the copy (``impact.records`` values,
100 per page), one verifying count and one archive. A test compares it with what apply sends.

``seconds_at_rate_limit`` is the least time those requests take at the portal's rate limit as
HubSpot's headers reported it during the plan's own reads (``Max`` per ``Interval``), searches
also at 5 per second. ``check_budget`` refuses a plan that needs more requests than the daily
budget left (``X-HubSpot-RateLimit-Daily-Remaining``, or the daily usage endpoint).
"""

from __future__ import annotations

import math
from collections import Counter

from hubprops.errors import PlanError
from hubprops.hubspot.records import BATCH_UPDATE_SIZE, PAGE_SIZE, SEARCH_PER_SECOND
from hubprops.plan.types import Action, Estimate, Kind, Plan

#: Requests per rename besides the copy's pages and batch updates: create, verify, archive.
RENAME_CONSTANT = 3


def _staleness_reads(plan: Plan) -> int:
    """The lists apply re-reads to check the plan still holds (``read_for_staleness``)."""
    calls: set[tuple[str, str, str | None]] = set()
    for synced in plan.in_sync:
        what = "properties" if synced.kind is Kind.PROPERTY else "groups"
        calls.add((synced.object_type, what, None))
    for change in plan.changes:
        if change.kind is Kind.PROPERTY:
            calls.add((change.object_type, "properties", None))
            for side in (change.before, change.after):
                level = (side or {}).get("dataSensitivity")
                if level and level != "non_sensitive":
                    calls.add((change.object_type, "properties", str(level)))
        elif change.action is not Action.CREATE:
            calls.add((change.object_type, "groups", None))
    return len(calls)


def rename_requests(records: int | None) -> tuple[int, int]:
    """(search pages, batch updates) of copying ``records`` values (None counts as 0)."""
    n = records or 0
    return max(1, math.ceil(n / PAGE_SIZE)), math.ceil(n / BATCH_UPDATE_SIZE)


def _freshness_reads(plan: Plan) -> int:
    """Re-lists before updates (``apply.stages.Freshness``): one per object type after every
    ``REREAD_EVERY`` updates (those due after ``REREAD_SECONDS`` cannot be known in advance)."""
    from hubprops.apply.cadence import REREAD_EVERY

    updates = Counter(
        c.object_type for c in plan.changes if c.kind is Kind.PROPERTY and c.action is Action.UPDATE
    )
    return sum((n - 1) // REREAD_EVERY for n in updates.values())


def count_requests(plan: Plan, *, batch_size: int = 100) -> Counter[str]:
    """Requests ``apply`` sends for ``plan``, by kind: the portal lookup (always: apply asks
    HubSpot even with ``--portal``), the staleness reads, the writes, a rename's copy."""
    kinds: Counter[str] = Counter()
    if not plan.changes:
        return kinds
    kinds["reads"] = 1 + _staleness_reads(plan) + _freshness_reads(plan)
    batched: Counter[tuple[str, Action]] = Counter()
    for change in plan.changes:
        if change.kind is Kind.GROUP:
            kinds["group writes"] += 1
        elif change.action is Action.UPDATE:
            kinds["property writes"] += 1
        elif change.action is Action.RENAME:
            pages, updates = rename_requests(change.impact.records if change.impact else None)
            kinds["property writes"] += 2  # create the new property, archive the old one
            kinds["searches"] += pages + 1  # the copy's pages, then the verifying count
            kinds["record updates"] += updates
        else:
            batched[(change.object_type, change.action)] += 1
    for count in batched.values():
        kinds["property writes"] += math.ceil(count / max(1, batch_size))
    return kinds


def seconds_at(requests: int, searches: int, max_requests: int, interval: float) -> float:
    """The least time ``requests`` take at ``max_requests`` per ``interval`` (the first window
    is free), searches also at ``SEARCH_PER_SECOND``."""
    windows = max(0, math.ceil(requests / max(1, max_requests)) - 1)
    search_time = max(0, searches - 1) / SEARCH_PER_SECOND
    return round(max(windows * interval, search_time), 1)


def estimate(
    plan: Plan,
    *,
    max_requests: int,
    interval: float,
    daily_remaining: int | None,
    batch_size: int = 100,
) -> Estimate:
    """The plan's ``Estimate`` at the given rate limit (see the module docstring)."""
    kinds = count_requests(plan, batch_size=batch_size)
    total = sum(kinds.values())
    return Estimate(
        requests=total,
        by_kind=dict(sorted(kinds.items())),
        seconds_at_rate_limit=seconds_at(total, kinds["searches"], max_requests, interval),
        rate_limit={"max": max_requests, "interval_s": interval},
        daily_remaining=daily_remaining,
    )


def check_budget(plan: Plan) -> None:
    """PlanError when the plan needs more requests than the portal's daily budget left."""
    est = plan.estimate
    if est is None or est.daily_remaining is None or est.requests <= est.daily_remaining:
        return
    raise PlanError(
        f"refusing: applying this plan needs about {est.requests:,} requests but the portal has "
        f"{est.daily_remaining:,} left today (X-HubSpot-RateLimit-Daily-Remaining); the daily "
        "limit resets at midnight in the portal's time zone: plan again after that, or split "
        "the change with --object"
    )
