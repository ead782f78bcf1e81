"""HubSpot's rate limits: a rolling window (TEN_SECONDLY_ROLLING) and an optional daily cap.

Choices (HubSpot does not document them): a request rejected with 429 does NOT count against
either limit, so a client that waits ``X-HubSpot-RateLimit-Interval-Milliseconds`` is served
again; requests rejected with 401 are not counted either (no app to charge). Every other
request counts, including injected 5xx faults. The daily count resets every 24 hours of the
sandbox clock (HubSpot resets at midnight in the account's time zone). No ``Retry-After`` is
sent unless asked for (``retry_after=True``); HubSpot's is unconfirmed.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

DAY_SECONDS = 86400.0


class RateLimiter:
    """Counts admitted requests; tells whether the next one is admitted and what headers say."""

    def __init__(
        self,
        limit: int,
        interval_s: float,
        daily_limit: int | None,
        clock: Callable[[], float],
        *,
        retry_after: bool = False,
    ) -> None:
        if limit < 1 or interval_s <= 0:
            raise ValueError("rate limit needs at least 1 request per a positive interval")
        self.limit = limit
        self.interval_s = interval_s
        self.daily_limit = daily_limit
        self.retry_after = retry_after
        self._clock = clock
        self._window: deque[float] = deque()
        self._day_start: float | None = None
        self._day_count = 0

    def _expire(self, now: float) -> None:
        while self._window and self._window[0] <= now - self.interval_s:
            self._window.popleft()
        if self._day_start is None or now - self._day_start >= DAY_SECONDS:
            self._day_start, self._day_count = now, 0

    @property
    def day_count(self) -> int:
        """Requests counted today."""
        return self._day_count

    def admit(self) -> str | None:
        """Count one request, or return the policy that rejects it (``TEN_SECONDLY_ROLLING``
        or ``DAILY``) without counting it."""
        now = self._clock()
        self._expire(now)
        if self.daily_limit is not None and self._day_count >= self.daily_limit:
            return "DAILY"
        if len(self._window) >= self.limit:
            return "TEN_SECONDLY_ROLLING"
        self._window.append(now)
        self._day_count += 1
        return None

    def headers(self, rejected_by: str | None = None) -> dict[str, str]:
        """The ``X-HubSpot-RateLimit-*`` headers for the current state."""
        now = self._clock()
        self._expire(now)
        out = {
            "X-HubSpot-RateLimit-Max": str(self.limit),
            "X-HubSpot-RateLimit-Remaining": str(max(0, self.limit - len(self._window))),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(round(self.interval_s * 1000)),
        }
        if self.daily_limit is not None:
            out["X-HubSpot-RateLimit-Daily"] = str(self.daily_limit)
            out["X-HubSpot-RateLimit-Daily-Remaining"] = str(
                max(0, self.daily_limit - self._day_count)
            )
        if rejected_by and self.retry_after:
            if rejected_by == "DAILY" and self._day_start is not None:
                wait = self._day_start + DAY_SECONDS - now
            else:
                wait = self._window[0] + self.interval_s - now if self._window else 0.0
            out["Retry-After"] = str(max(1, math.ceil(wait)))
        return out
