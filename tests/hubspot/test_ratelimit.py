"""The rolling-window limiter on a fake clock: window, re-tuning, trusting the server, 429s."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubprops.hubspot import RateLimiter
from tests.helpers.clock import FakeClock

HEADERS_20_PER_2S = {
    "X-HubSpot-RateLimit-Max": "20",
    "X-HubSpot-RateLimit-Interval-Milliseconds": "2000",
}


def limiter(clock: FakeClock, **kw: float) -> RateLimiter:
    return RateLimiter(clock=clock, sleep=clock.sleep, **kw)  # type: ignore[arg-type]


def test_starts_at_hubspots_documented_100_per_10s(clock: FakeClock) -> None:
    lim = limiter(clock)
    assert (lim.max_requests, lim.interval) == (100, 10.0)
    for _ in range(lim.capacity):
        lim.acquire()
    assert clock.slept == []  # 99 requests go at once (one held back as safety margin)
    start = clock.t
    lim.acquire()
    assert clock.t - start == pytest.approx(10.0 * 1.02, abs=1e-3)


def test_retunes_from_hubspot_headers(clock: FakeClock) -> None:
    lim = limiter(clock)
    lim.observe(HEADERS_20_PER_2S)
    assert (lim.max_requests, lim.interval, lim.capacity) == (20, 2.0, 19)
    assert lim.figures()["retunes"] == 2


def test_ignores_broken_headers(clock: FakeClock) -> None:
    lim = limiter(clock)
    lim.observe({"X-HubSpot-RateLimit-Max": "lots", "X-HubSpot-RateLimit-Remaining": "-3"})
    assert (lim.max_requests, lim.interval) == (100, 10.0)


def test_trusts_server_remaining_over_its_own_count(clock: FakeClock) -> None:
    lim = limiter(clock)
    lim.observe(HEADERS_20_PER_2S)
    ticket = lim.acquire()  # we count 1, HubSpot says 15 are used (another process?)
    lim.observe({**HEADERS_20_PER_2S, "X-HubSpot-RateLimit-Remaining": "5"}, ticket)
    for _ in range(4):  # 15 used, capacity 19: four more may go now
        lim.acquire()
    assert clock.slept == []
    lim.acquire()
    assert len(clock.slept) == 1


def test_does_not_loosen_when_server_counts_fewer(clock: FakeClock) -> None:
    lim = limiter(clock)
    lim.observe(HEADERS_20_PER_2S)
    tickets = [lim.acquire() for _ in range(10)]
    lim.observe({**HEADERS_20_PER_2S, "X-HubSpot-RateLimit-Remaining": "19"}, tickets[-1])
    for _ in range(9):
        lim.acquire()
    assert clock.slept == []
    lim.acquire()
    assert clock.slept  # still 19 in the window: it waits


def test_throttled_without_retry_after_waits_for_the_window(clock: FakeClock) -> None:
    lim = limiter(clock)
    lim.observe(HEADERS_20_PER_2S)
    ticket = lim.acquire()
    lim.throttled(ticket)
    start = clock.t
    lim.acquire()
    waited = clock.t - start
    assert 0 < waited <= 2.0 * 1.02 + 1e-3  # bounded by one interval (plus the pad)


def test_throttled_with_retry_after_holds_everyone_that_long(clock: FakeClock) -> None:
    lim = limiter(clock)
    lim.throttled(lim.acquire(), retry_after=3.0)
    start = clock.t
    lim.acquire()
    assert clock.t - start == pytest.approx(3.0)


def test_full_speed_is_close_to_what_the_limit_allows(clock: FakeClock) -> None:
    lim = limiter(clock)
    lim.observe(HEADERS_20_PER_2S)
    start = clock.t
    for _ in range(200):
        lim.acquire()
    elapsed = clock.t - start
    # 200 at 20 per 2 s: the 200th may go after 9 full windows (18 s); margins cost a little.
    assert 18.0 <= elapsed <= 18.0 * 1.3


@settings(max_examples=60, deadline=None)
@given(
    max_requests=st.integers(1, 30),
    interval=st.floats(0.5, 5.0),
    gaps=st.lists(st.floats(0.0, 0.5), min_size=1, max_size=120),
)
def test_never_more_than_max_in_any_window(
    max_requests: int, interval: float, gaps: list[float]
) -> None:
    clock = FakeClock()
    lim = RateLimiter(max_requests, interval, clock=clock, sleep=clock.sleep)
    sends = []
    for gap in gaps:
        clock.sleep(gap)
        sends.append(lim.acquire())
    for i, t in enumerate(sends):
        in_window = [s for s in sends[: i + 1] if s > t - interval]
        assert len(in_window) <= max_requests


def test_other_threads_requests_in_flight_are_not_foreign(clock: FakeClock) -> None:
    lim = limiter(clock)
    lim.observe(HEADERS_20_PER_2S)
    first = lim.acquire()
    for _ in range(4):  # four more threads send before the first answer arrives
        clock.sleep(0.01)
        lim.acquire()
    # HubSpot counted all five by the time it answered the first: nothing foreign.
    lim.observe({**HEADERS_20_PER_2S, "X-HubSpot-RateLimit-Remaining": "15"}, first)
    for _ in range(14):  # capacity 19, five sent: fourteen more go at once
        lim.acquire()
    assert clock.slept == [0.01] * 4
    lim.acquire()
    assert len(clock.slept) == 5  # the twentieth waits


def test_an_answered_request_leaves_the_window_a_round_trip_after_the_interval(
    clock: FakeClock,
) -> None:
    """HubSpot counts arrivals; a request arrives before its answer comes back, so its round
    trip bounds how much later than our send HubSpot may count it."""
    lim = limiter(clock)
    for _ in range(lim.capacity):
        ticket = lim.acquire()
        clock.t += 0.05
        lim.observe({}, ticket)  # answered after 50 ms
    start = clock.t
    lim.acquire()  # the first send leaves 10 s + 50 ms + margin after it was made
    assert clock.t - start == pytest.approx(10.07 - 99 * 0.05, abs=1e-3)


def test_an_unanswered_request_keeps_the_full_pad(clock: FakeClock) -> None:
    lim = limiter(clock, max_requests=2)  # one request per window
    lim.acquire()  # never answered (a network failure, or still out)
    start = clock.t
    ticket = lim.acquire()
    assert clock.t - start == pytest.approx(10.2, abs=1e-3)
    lim.observe({}, ticket)  # answered at once
    start = clock.t
    lim.acquire()
    assert clock.t - start == pytest.approx(10.0 + 0.02, abs=1e-3)
