"""The one fake clock of the tests: time moves only when told to, or when someone sleeps."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

#: The wall time at ``t == 0``.
EPOCH = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


class FakeClock:
    """A monotonic clock (call it: seconds as a float), a ``sleep`` that advances it and
    records what was slept, and a wall clock (``now()``) that moves with it. Thread-safe.

    ``t`` may be advanced directly (``clock.t += 10``) to let time pass without a sleep."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.t

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.t += max(seconds, 0.0)

    def now(self) -> datetime:
        """Wall time (UTC) matching ``t``."""
        return EPOCH + timedelta(seconds=self())
