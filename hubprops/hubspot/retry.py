"""Retry policy (exponential backoff with full jitter) and the circuit breaker.

What is retried, decided in ``_http.py``: 500/502/503/504, timeouts and connection errors (up
to ``max_retries`` times, with backoff) and 429 on the rolling window (up to
``max_throttle_retries`` times, waiting for the window instead of backing off). A 429 ``DAILY``
and every other 4xx are final.

Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): the n-th retry sleeps a
uniform random time in ``[0, min(max_delay, base_delay * 2**n)]``, so many threads that failed
together do not come back together. The ``Random`` is injectable for reproducible tests.

The circuit breaker counts consecutive failed attempts (5xx, timeouts, network errors) across
all threads of one client; any answer that is not such a failure resets it. At ``threshold``
the circuit opens: calls fail fast with ``RemoteUnavailable`` instead of adding load to a
failing HubSpot, and ``HubSpotClient.map`` stops starting new work. After ``cooldown`` seconds
one more attempt is let through; a success closes the circuit, a failure re-opens it.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from hubprops.errors import RemoteUnavailable

RETRY_STATUSES = frozenset({500, 502, 503, 504})


@dataclass
class RetryPolicy:
    """How hard the client tries before giving up; every knob has a safe default."""

    max_retries: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_throttle_retries: int = 10
    max_retry_after: float = 60.0
    circuit_threshold: int = 10
    circuit_cooldown: float = 30.0
    rng: random.Random = field(default_factory=random.Random)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _rng_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def backoff(self, retry_number: int) -> float:
        """Seconds to sleep before retry ``retry_number`` (0-based): full jitter."""
        ceiling = min(self.max_delay, self.base_delay * (2.0**retry_number))
        with self._rng_lock:
            return self.rng.uniform(0.0, ceiling)


class CircuitBreaker:
    """Consecutive-failure breaker shared by all threads of one client (thread-safe)."""

    def __init__(
        self,
        threshold: int = 10,
        cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False
        self.times_opened = 0

    @property
    def is_open(self) -> bool:
        """True while calls fail fast (the cooldown after opening has not run out)."""
        with self._lock:
            return self._opened_at is not None and (
                self._trial_running or self._clock() < self._opened_at + self.cooldown
            )

    @property
    def consecutive_failures(self) -> int:
        """Failed attempts in a row, across threads, since the last success."""
        return self._failures

    def check(self, what: str) -> None:
        """Raise ``RemoteUnavailable`` if the circuit is open; ``what`` names the call."""
        with self._lock:
            if self._opened_at is None:
                return
            if not self._trial_running and self._clock() >= self._opened_at + self.cooldown:
                self._trial_running = True  # half-open: this one call may try
                return
            failures = self._failures
        raise RemoteUnavailable(
            f"circuit open after {failures} consecutive failures talking to HubSpot; "
            f"not sending {what}. HubSpot is failing or unreachable: check "
            "https://status.hubspot.com and your network, then run again "
            "(apply is resumable: what was done is in the lock file)"
        )

    def success(self) -> None:
        """An answer that is not a server or network failure: close the circuit."""
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def abandon(self) -> None:
        """A call ended with neither an answer nor a network failure (an unexpected error,
        Ctrl-C): if it was the half-open trial, let the next call try instead of staying open."""
        with self._lock:
            self._trial_running = False

    def failure(self) -> None:
        """A 5xx, timeout or network error: count it, open the circuit at the threshold."""
        with self._lock:
            self._failures += 1
            if self._trial_running or (
                self._opened_at is None and self._failures >= self.threshold
            ):
                self._opened_at = self._clock()
                self._trial_running = False
                self.times_opened += 1
