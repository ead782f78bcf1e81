"""Thread-safe counters of what a client did: for tests, benchmarks and the apply summary."""

from __future__ import annotations

import threading
from typing import Any

from hubprops.hubspot.ratelimit import RateLimiter

COUNTERS = (
    "requests",
    "retries",
    "throttled",
    "server_errors",
    "network_errors",
    "reconciled",
    "circuit_open_rejections",
)


class ClientStats:
    """Counters shared by all threads of one client.

    ``requests``: attempts sent (retries included), ``by_method`` the same per HTTP method;
    ``retries``: attempts repeated after a 429, 5xx or network failure; ``throttled``: 429s
    seen; ``server_errors``: 5xx seen; ``network_errors``: timeouts and connection failures;
    ``reconciled``: writes whose lost answer was found applied (a create met 409 and read back
    equal, an archive met 404); ``circuit_open_rejections``: calls refused by the open circuit.
    ``limiter`` holds the rate limiter's own figures.
    """

    def __init__(self, limiter: RateLimiter) -> None:
        self._lock = threading.Lock()
        self._limiter = limiter
        self._counts: dict[str, int] = dict.fromkeys(COUNTERS, 0)
        self._by_method: dict[str, int] = {}

    def add(self, counter: str, n: int = 1) -> None:
        """Add ``n`` to one of ``COUNTERS``."""
        with self._lock:
            self._counts[counter] += n

    def sent(self, method: str) -> None:
        """Count one attempt of ``method``."""
        with self._lock:
            self._counts["requests"] += 1
            self._by_method[method] = self._by_method.get(method, 0) + 1

    @property
    def requests(self) -> int:
        return self._counts["requests"]

    @property
    def retries(self) -> int:
        return self._counts["retries"]

    @property
    def throttled(self) -> int:
        return self._counts["throttled"]

    @property
    def server_errors(self) -> int:
        return self._counts["server_errors"]

    @property
    def network_errors(self) -> int:
        return self._counts["network_errors"]

    @property
    def reconciled(self) -> int:
        return self._counts["reconciled"]

    @property
    def circuit_open_rejections(self) -> int:
        return self._counts["circuit_open_rejections"]

    @property
    def by_method(self) -> dict[str, int]:
        with self._lock:
            return dict(self._by_method)

    @property
    def limiter(self) -> dict[str, Any]:
        return self._limiter.figures()

    def snapshot(self) -> dict[str, Any]:
        """Every counter, ``by_method`` and ``limiter``, as one plain dict."""
        with self._lock:
            out: dict[str, Any] = dict(self._counts)
            out["by_method"] = dict(self._by_method)
        out["limiter"] = self._limiter.figures()
        return out

    def __repr__(self) -> str:
        return f"ClientStats({self.snapshot()!r})"
