"""The client against a misbehaving sandbox: rate limits, 5xx faults, lost answers, outages."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from hubprops.errors import DailyLimitReached, RemoteUnavailable, ServerError
from hubprops.hubspot import HubSpotClient, RateLimiter, RetryPolicy
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.helpers.clock import FakeClock
from tests.hubspot.conftest import TEST_TOKEN


def prop(name: str, label: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "label": label or name.title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
    }


def fake_time_client(sandbox: Sandbox, clock: FakeClock, **kw: Any) -> HubSpotClient:
    return HubSpotClient(
        SANDBOX_BASE_URL,
        TEST_TOKEN,
        transport=sandbox.transport(),
        limiter=RateLimiter(clock=clock, sleep=clock.sleep),
        retry=RetryPolicy(sleep=clock.sleep, clock=clock, rng=random.Random(0)),
        **kw,
    )


def test_200_patches_at_20_per_2s_stay_under_the_limit(clock: FakeClock) -> None:
    sandbox = Sandbox(rate_limit=(20, 2.0), clock=clock, sleep=clock.sleep)
    names = [f"p{i:03d}" for i in range(200)]
    for name in names:
        sandbox.put_property("contacts", prop(name))
    with fake_time_client(sandbox, clock, max_workers=1) as client:
        start = clock.t
        outcomes = client.map(
            lambda n: client.update_property("contacts", n, {"label": f"New {n}"}), names
        )
        elapsed = clock.t - start
    assert all(o.ok for o in outcomes)
    labels = {p["name"]: p["label"] for p in sandbox.properties("contacts")}
    assert all(labels[n] == f"New {n}" for n in names)
    assert [r.status for r in sandbox.requests].count(429) == 0
    assert client.stats.requests == 200 and client.stats.by_method == {"PATCH": 200}
    # On the sandbox's (fake) clock: 200 at 20 per 2 s allow 20 s; the limiter needs <= 1.3x.
    assert elapsed <= 1.3 * 20.0


def test_limiter_trusts_the_server_when_another_process_shares_the_limit(
    clock: FakeClock,
) -> None:
    sandbox = Sandbox(rate_limit=(10, 1.0), clock=clock, sleep=clock.sleep)
    with fake_time_client(sandbox, clock) as other:
        for _ in range(6):
            other.list_groups("contacts")  # another process spends 6 of the 10
    with fake_time_client(sandbox, clock, max_workers=1) as client:
        client.map(lambda _: client.list_groups("contacts"), list(range(25)))
    assert client.stats.throttled == 0
    assert [r.status for r in sandbox.requests].count(429) == 0  # HubSpot never had to refuse
    assert client.stats.requests == 25


def test_rolling_429_waits_for_retry_after_then_succeeds(clock: FakeClock) -> None:
    sandbox = Sandbox(rate_limit=(3, 4.0), clock=clock, sleep=clock.sleep, retry_after=True)
    auth = {"Authorization": f"Bearer {TEST_TOKEN}"}
    with httpx.Client(transport=sandbox.transport(), base_url=SANDBOX_BASE_URL) as other:
        for _ in range(3):  # another process, with no limiter, fills the window
            other.get("/crm/v3/properties/contacts/groups", headers=auth)
    with fake_time_client(sandbox, clock) as client:
        start = clock.t
        assert client.get_portal_id() == sandbox.portal_id
        assert client.stats.throttled == 1 and client.stats.retries == 1
        assert clock.t - start >= 4.0  # Retry-After ("4") was honoured
    assert [r.status for r in sandbox.requests][-2:] == [429, 200]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_faults_and_lost_answers_still_apply_every_change_once(seed: int) -> None:
    sandbox = Sandbox(fault_rate=0.2, lost_response_rate=0.2, seed=seed, token=TEST_TOKEN)
    for i in range(20):
        sandbox.put_property("contacts", prop(f"old_{i:02d}"))
    # A write fails 36% of the time here (20% 5xx, then 20% of the rest lost); 12 retries make
    # a call that never gets through a one-in-a-million event, so the test is not flaky.
    retry = RetryPolicy(
        max_retries=12, base_delay=0.0005, circuit_threshold=25, rng=random.Random(seed)
    )
    with HubSpotClient(
        SANDBOX_BASE_URL,
        TEST_TOKEN,
        transport=sandbox.transport(),
        max_workers=4,
        batch_size=10,
        retry=retry,
    ) as client:
        batch = client.create_properties("contacts", [prop(f"bulk_{i:02d}") for i in range(30)])
        singles = client.map(
            lambda n: client.create_property("contacts", prop(n)),
            [f"one_{i:02d}" for i in range(10)],
        )
        updates = client.map(
            lambda n: client.update_property("contacts", n, {"label": f"Updated {n}"}),
            [f"old_{i:02d}" for i in range(15)],
        )
        groups = client.map(
            lambda n: client.create_group("contacts", {"name": n, "label": n.upper()}),
            ["g_a", "g_b", "g_c"],
        )
        archives = client.map(
            lambda n: client.archive_property("contacts", n), ["old_15", "old_16"]
        )
        client.archive_properties("contacts", ["old_17", "old_18", "old_19"])
    assert batch.ok, batch.errors
    assert len(batch.results) == 30
    for outcomes in (singles, updates, groups, archives):
        assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]

    active = {p["name"]: p for p in sandbox.properties("contacts")}
    archived = [p["name"] for p in sandbox.properties("contacts", archived=True)]
    expected_new = [f"bulk_{i:02d}" for i in range(30)] + [f"one_{i:02d}" for i in range(10)]
    assert all(active[n]["label"] == n.title() for n in expected_new)
    assert all(active[f"old_{i:02d}"]["label"] == f"Updated old_{i:02d}" for i in range(15))
    assert sorted(archived) == [f"old_{i}" for i in range(15, 20)]  # each archived once
    assert {"g_a", "g_b", "g_c"} <= {g["name"] for g in sandbox.groups("contacts")}

    stats = client.stats
    assert stats.server_errors > 0 and stats.network_errors > 0
    assert stats.retries == stats.server_errors + stats.network_errors
    assert stats.reconciled > 0
    lost = sum(r.lost for r in sandbox.requests)
    assert lost == stats.network_errors  # every lost answer was noticed and retried


def test_circuit_opens_and_map_stops_starting_work(clock: FakeClock) -> None:
    sandbox = Sandbox(fault_rate=1.0, clock=clock, sleep=clock.sleep)
    with fake_time_client(sandbox, clock, max_workers=1) as client:
        outcomes = client.map(
            lambda n: client.update_property("contacts", n, {"label": "x"}),
            [f"p{i}" for i in range(20)],
        )
    assert len(sandbox.requests) == 10  # threshold 10: 6 attempts, then 4, then fail fast
    assert isinstance(outcomes[0].error, ServerError)
    assert isinstance(outcomes[1].error, RemoteUnavailable)
    assert str(outcomes[1].error).startswith("circuit open after 10 consecutive failures")
    assert all(not o.started for o in outcomes[2:])
    assert client.circuit.is_open


def test_daily_limit_from_the_sandbox_stops_at_once(clock: FakeClock) -> None:
    sandbox = Sandbox(daily_limit=3, clock=clock, sleep=clock.sleep)
    with fake_time_client(sandbox, clock) as client:
        for _ in range(3):
            client.list_groups("contacts")
        assert client.stats.limiter["daily_remaining"] == 0
        with pytest.raises(DailyLimitReached, match=r"daily API limit .* \(429 DAILY\)"):
            client.list_groups("contacts")
    assert [r.status for r in sandbox.requests] == [200, 200, 200, 429]
