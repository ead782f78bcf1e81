"""Rename speed on the sandbox (``pytest -m benchmark -s tests/benchmarks/test_rename_speed.py``).

A rename of a property held by about 1,500 contacts, at HubSpot's limits (100 requests per 10 s,
5 searches per second) with 50 ms latency: the requests are at most ceil(records / 100) batch
updates + the search pages + a constant (asserted), and the time is printed beside the least the
rate limits allow (the plan's ``estimate.seconds_at_rate_limit``; figures never asserted).
"""

from __future__ import annotations

import math
import time
from collections import Counter

import pytest

from hubprops.apply.applier import apply_plan
from hubprops.lock.file import Lock
from tests.apply.test_rename import client_for, make_plan, seeded, values

pytestmark = pytest.mark.benchmark


def test_rename_of_1500_records_against_the_rate_limit_minimum() -> None:
    sb = seeded(1900, search_rate_limit=(5, 1.0), rate_limit=(100, 10.0), latency_ms=50)
    held = len(values(sb, "old_trip"))
    made = make_plan(sb, Lock())
    assert made.estimate is not None
    sb.clear_requests()
    start = time.perf_counter()
    with client_for(sb) as c:
        result = apply_plan(c, made, Lock(), save=lambda _: None)
    took = time.perf_counter() - start
    assert result.ok, result.failures
    kinds = Counter(
        "search"
        if r.path.endswith("/search")
        else "update"
        if "batch/update" in r.path
        else "other"
        for r in sb.requests
    )
    pages = math.ceil(held / 100)
    assert kinds["update"] <= pages
    assert kinds["search"] <= pages + 1
    assert kinds["other"] <= 5
    print(
        f"\nrename of {held} records: {len(sb.requests)} requests ({dict(kinds)}), "
        f"{took:.1f} s; rate-limit minimum {made.estimate.seconds_at_rate_limit:.1f} s "
        f"(estimate {made.estimate.requests} requests), 429s: "
        f"{sum(1 for r in sb.requests if r.status == 429)}"
    )
