"""Client throughput against HubSpot's rate limit: ``pytest -m benchmark -s tests/benchmarks``.

The sandbox answers with 100 ms latency and a 20-per-2-s rolling limit; 200 PATCHes are then
allowed about 20 s. The figure that matters is ``ratio`` = elapsed / 20 s (goal: <= 1.3) with
"a handful" of 429s at most. Tests assert only call counts and correctness; the timing is printed.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from hubprops.hubspot import HubSpotClient
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox, serve

TOKEN = "benchmark-token"


def prop(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "label": name,
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
    }


def report(
    title: str, client: HubSpotClient, sandbox: Sandbox, elapsed: float, ideal: float
) -> None:
    statuses = [r.status for r in sandbox.requests]
    print(
        f"\n{title}: {elapsed:.2f} s, ideal {ideal:.1f} s, ratio {elapsed / ideal:.3f}; "
        f"{len(statuses)} requests, {statuses.count(429)} x 429; "
        f"stats {client.stats.snapshot()}"
    )


@pytest.mark.benchmark
def test_200_patches_at_20_per_2s_with_100ms_latency() -> None:
    sandbox = Sandbox(token=TOKEN, rate_limit=(20, 2.0), latency_ms=100)
    names = [f"bench_{i:03d}" for i in range(200)]
    for name in names:
        sandbox.put_property("contacts", prop(name))
    with HubSpotClient(SANDBOX_BASE_URL, TOKEN, transport=sandbox.transport()) as client:
        start = time.monotonic()
        outcomes = client.map(
            lambda n: client.update_property("contacts", n, {"label": f"L {n}"}), names
        )
        elapsed = time.monotonic() - start
    report("200 PATCHes, 20/2s, 100 ms latency, 8 workers", client, sandbox, elapsed, 20.0)
    assert all(o.ok for o in outcomes)
    labels = {p["name"]: p["label"] for p in sandbox.properties("contacts")}
    assert all(labels[n] == f"L {n}" for n in names)
    assert client.stats.by_method["PATCH"] == 200 + client.stats.throttled


@pytest.mark.benchmark
def test_500_batch_creates_over_loopback_http() -> None:
    sandbox = Sandbox(token=TOKEN, rate_limit=(20, 2.0), latency_ms=100)
    with serve(sandbox, port=0) as server, HubSpotClient(server.url, TOKEN) as client:
        start = time.monotonic()
        result = client.create_properties("contacts", [prop(f"made_{i:03d}") for i in range(500)])
        elapsed = time.monotonic() - start
    report("500 creates as 5 batch calls over HTTP", client, sandbox, elapsed, 0.1)
    assert result.ok and len(result.results) == 500
    assert client.stats.by_method == {"POST": 5}
