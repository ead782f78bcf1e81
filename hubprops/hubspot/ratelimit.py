"""A client-side rolling-window rate limiter, tuned from HubSpot's own headers.

HubSpot limits a private app to ``Max`` requests per rolling ``Interval`` (100 per 10 s on Free
and Starter, 190 on Professional and Enterprise; docs/hubspot-api.md, "Rate limits") and says
so on every response in ``X-HubSpot-RateLimit-Max``, ``-Remaining`` and ``-Interval-Milliseconds``.

The limiter keeps the send times of the requests in the current window (sorted). A request may
go when fewer than ``capacity`` (``Max`` minus a small ``safety`` margin) were sent in the last
``Interval`` (plus a small time ``pad``, because HubSpot counts arrival times, ours are send
times). So a client at full speed sends exactly as fast as the window allows and should almost
never see a 429.

The pad only has to cover how much later HubSpot may count a request than we sent it, and a
request reaches HubSpot before its answer reaches us. So a request answered after a round trip
shorter than the pad leaves our count that round trip (plus ``PAD_MARGIN``) after ``Interval``,
not the whole pad after it; an unanswered one (still out, or lost to a network failure) and a
phantom keep the whole pad. On a fast link the limiter wastes less of each window, never more.

The server is trusted over our own count: when a response says fewer requests remain than we
think (another process uses the same app, or our clock and HubSpot's disagree), "phantom" sends
are added at that request's send time, so the window fills up as HubSpot sees it. A 429 fills
the window entirely, so the retry waits until it frees up (at most one ``Interval``).

Clock and sleep are injected, so tests run on a fake clock. One limiter serves one portal: all
object types and all threads of one client share it.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

DEFAULT_MAX = 100
DEFAULT_INTERVAL = 10.0

HEADER_MAX = "x-hubspot-ratelimit-max"
HEADER_REMAINING = "x-hubspot-ratelimit-remaining"
HEADER_INTERVAL = "x-hubspot-ratelimit-interval-milliseconds"
HEADER_DAILY_REMAINING = "x-hubspot-ratelimit-daily-remaining"
#: Added to a request's round trip when that sets its pad (clock and scheduling noise).
PAD_MARGIN = 0.02


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


class RateLimiter:
    """Rolling-window limiter: ``acquire()`` before each request, ``observe()`` after it.

    ``max_requests`` per ``interval`` seconds is the starting point (HubSpot's documented
    default); ``safety`` requests are held back from each window and ``pad`` (a fraction of the
    interval) is added to it. Both margins exist because the server counts arrival times.
    """

    def __init__(
        self,
        max_requests: int = DEFAULT_MAX,
        interval: float = DEFAULT_INTERVAL,
        *,
        safety: int = 1,
        pad: float = 0.02,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_requests < 1 or interval <= 0:
            raise ValueError("a rate limit needs max_requests >= 1 and interval > 0")
        self._max = max_requests
        self._interval = interval
        self._safety = safety
        self._pad = pad
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._sends: list[float] = []  # sorted send times in the window, phantoms included
        self._waits = 0
        self._wait_seconds = 0.0
        self._phantoms = 0
        self._retunes = 0
        self._daily_remaining: int | None = None
        self._blocked_until = float("-inf")
        # send time -> the pads of the requests sent then that were answered (round trip +
        # margin, when shorter than the full pad); every other send keeps the full pad.
        self._short_pads: dict[float, list[float]] = {}

    # -- configuration as tuned so far -------------------------------------------------------
    @property
    def max_requests(self) -> int:
        """Requests per window, as HubSpot last said (or the starting value)."""
        return self._max

    @property
    def interval(self) -> float:
        """Window length in seconds, as HubSpot last said (or the starting value)."""
        return self._interval

    @property
    def capacity(self) -> int:
        """How many sends the limiter lets into one window: ``Max`` minus the safety margin."""
        return max(1, self._max - self._safety)

    @property
    def window(self) -> float:
        """The window the limiter counts over: ``Interval`` plus the pad."""
        return self._interval * (1.0 + self._pad)

    # -- the two calls around every request ---------------------------------------------------
    def acquire(self) -> float:
        """Block until a request may be sent; record it and return its send time (a ticket)."""
        waited = False
        while True:
            with self._lock:
                now = self._clock()
                self._prune(now)
                expiries = self._expiries(now)
                in_window = len(expiries)
                if now >= self._blocked_until and in_window < self.capacity:
                    bisect.insort(self._sends, now)
                    return now
                if now < self._blocked_until:
                    delay = self._blocked_until - now
                else:
                    # The send that must leave the window before this one may go.
                    expires = expiries[in_window - self.capacity]
                    delay = max(expires - now, 0.0) + 1e-6
                if not waited:
                    self._waits += 1
                    waited = True
                self._wait_seconds += delay
            self._sleep(delay)

    def _expiries(self, now: float) -> list[float]:
        """When each send still counted at ``now`` leaves the count, sorted (``_lock`` held)."""
        full = self._interval * self._pad
        start = bisect.bisect_right(self._sends, now - self.window)
        out: list[float] = []
        taken: dict[float, int] = {}
        for sent in self._sends[start:]:
            pads = self._short_pads.get(sent)
            pad = full
            if pads:
                used = taken.get(sent, 0)
                if used < len(pads):
                    pad, taken[sent] = min(pads[used], full), used + 1
            expiry = sent + self._interval + pad
            if expiry > now:
                out.append(expiry)
        out.sort()
        return out

    def observe(self, headers: Mapping[str, str], sent_at: float | None = None) -> None:
        """Re-tune from a response's rate-limit headers; trust the server's ``Remaining``.

        ``sent_at`` is the ticket ``acquire()`` returned for that request: the server's count
        (``Max - Remaining``) is compared with ours in the window ending then.
        """
        lowered = {k.lower(): v for k, v in headers.items()}
        max_h = _header_int(lowered, HEADER_MAX)
        interval_ms = _header_int(lowered, HEADER_INTERVAL)
        remaining = _header_int(lowered, HEADER_REMAINING)
        daily = _header_int(lowered, HEADER_DAILY_REMAINING)
        with self._lock:
            if sent_at is not None:
                self._answered(sent_at)
            if daily is not None:
                self._daily_remaining = daily
            if max_h and max_h != self._max:
                self._max = max_h
                self._retunes += 1
            if interval_ms and interval_ms / 1000.0 != self._interval:
                self._interval = interval_ms / 1000.0
                self._retunes += 1
            if remaining is not None and sent_at is not None:
                self._trust_server(self._max - remaining, sent_at)

    def throttled(self, sent_at: float | None = None, retry_after: float | None = None) -> None:
        """HubSpot answered 429 on the rolling window: hold every thread back.

        With ``retry_after`` (seconds), no request goes before it has passed; without it the
        window is treated as full at ``sent_at``, so the next ``acquire()`` waits until it
        frees (at most one interval).
        """
        with self._lock:
            now = self._clock()
            if retry_after is not None:
                self._blocked_until = max(self._blocked_until, now + retry_after)
                return
            self._trust_server(self._max, now if sent_at is None else sent_at)

    def _answered(self, sent_at: float) -> None:
        """The request sent at ``sent_at`` was answered now: it reached HubSpot by now."""
        trip = self._clock() - sent_at + PAD_MARGIN
        if trip >= self._interval * self._pad:
            return
        i = bisect.bisect_left(self._sends, sent_at)
        if i < len(self._sends) and self._sends[i] == sent_at:
            self._short_pads.setdefault(sent_at, []).append(trip)

    def _trust_server(self, server_used: int, at: float) -> None:
        """Add phantom sends at ``at`` so that our count is at least ``server_used``.

        HubSpot counted at some moment between ``at`` (our send) and now (its answer), so it
        may include our sends up to now: only a count above all of those means traffic that
        is not ours (other threads' requests in flight are not foreign).
        """
        now = self._clock()
        if at <= now - self.window:
            return  # too old to say anything about the current window
        lo = bisect.bisect_right(self._sends, at - self.window)
        deficit = server_used - (len(self._sends) - lo)
        for _ in range(max(deficit, 0)):
            bisect.insort(self._sends, at)
            self._phantoms += 1

    def _prune(self, now: float) -> None:
        cut = bisect.bisect_right(self._sends, now - self.window)
        if cut:
            for sent in self._sends[:cut]:
                self._short_pads.pop(sent, None)
            del self._sends[:cut]

    # -- figures ------------------------------------------------------------------------------
    def figures(self) -> dict[str, Any]:
        """A snapshot for stats and benchmarks: limits as tuned, waits, phantoms, daily left."""
        with self._lock:
            return {
                "max": self._max,
                "interval_s": self._interval,
                "capacity": self.capacity,
                "waits": self._waits,
                "wait_seconds": round(self._wait_seconds, 3),
                "phantoms": self._phantoms,
                "retunes": self._retunes,
                "daily_remaining": self._daily_remaining,
            }

    def __repr__(self) -> str:
        return f"RateLimiter(max_requests={self._max}, interval={self._interval})"
