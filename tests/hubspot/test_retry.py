"""Backoff with full jitter (seeded) and the circuit breaker, on a fake clock."""

from __future__ import annotations

import random

import pytest

from hubprops.errors import RemoteUnavailable
from hubprops.hubspot import CircuitBreaker, RetryPolicy
from tests.helpers.clock import FakeClock


def test_backoff_is_full_jitter_under_an_exponential_ceiling() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0, rng=random.Random(7))
    reference = random.Random(7)
    for n in range(8):
        ceiling = min(4.0, 0.5 * 2**n)
        delay = policy.backoff(n)
        assert delay == reference.uniform(0.0, ceiling)
        assert 0.0 <= delay <= ceiling


def test_backoff_is_reproducible_with_a_seed() -> None:
    a = RetryPolicy(rng=random.Random(1))
    b = RetryPolicy(rng=random.Random(1))
    assert [a.backoff(n) for n in range(5)] == [b.backoff(n) for n in range(5)]


def test_circuit_opens_at_threshold_and_fails_fast(clock: FakeClock) -> None:
    breaker = CircuitBreaker(threshold=3, cooldown=30.0, clock=clock)
    for _ in range(2):
        breaker.failure()
    breaker.check("GET /x")  # two failures: still closed
    breaker.failure()
    assert breaker.is_open
    with pytest.raises(RemoteUnavailable) as info:
        breaker.check("PATCH /crm/v3/properties/contacts/a")
    assert str(info.value).startswith("circuit open after 3 consecutive failures")
    assert "not sending PATCH /crm/v3/properties/contacts/a" in str(info.value)


def test_a_success_resets_the_count(clock: FakeClock) -> None:
    breaker = CircuitBreaker(threshold=3, clock=clock)
    breaker.failure()
    breaker.failure()
    breaker.success()
    breaker.failure()
    breaker.failure()
    assert not breaker.is_open
    assert breaker.consecutive_failures == 2


def test_half_open_after_cooldown_lets_one_call_try(clock: FakeClock) -> None:
    breaker = CircuitBreaker(threshold=2, cooldown=30.0, clock=clock)
    breaker.failure()
    breaker.failure()
    clock.sleep(30.0)
    breaker.check("GET /a")  # the trial call
    with pytest.raises(RemoteUnavailable):
        breaker.check("GET /b")  # others still wait for the trial
    breaker.failure()  # the trial failed: open again for a full cooldown
    clock.sleep(29.0)
    with pytest.raises(RemoteUnavailable):
        breaker.check("GET /c")
    clock.sleep(1.0)
    breaker.check("GET /d")
    breaker.success()
    assert not breaker.is_open
    breaker.check("GET /e")
    assert breaker.times_opened == 2
