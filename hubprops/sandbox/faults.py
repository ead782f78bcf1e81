"""Seeded fault injection: 5xx answers with no state change, and lost responses.

``fault_rate`` is the chance that a request is answered 502, 503 or 504 before anything is
done; ``lost_response_rate`` the chance that a successful mutating request (create, update,
archive, batch create or archive, group changes) is committed and then its response is lost.
Draws come from one ``random.Random(seed)`` and happen only when the rate is above zero, so a
run with the same seed and the same request order injects the same faults.
"""

from __future__ import annotations

import random

FAULT_STATUSES = (502, 503, 504)


class Faults:
    """The fault plan of one sandbox. Not thread-safe: call it under the sandbox lock."""

    def __init__(self, fault_rate: float, lost_response_rate: float, seed: int) -> None:
        for name, rate in (("fault_rate", fault_rate), ("lost_response_rate", lost_response_rate)):
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {rate}")
        self.fault_rate = fault_rate
        self.lost_response_rate = lost_response_rate
        self._rng = random.Random(seed)

    def server_error(self) -> int | None:
        """A 5xx status to answer with instead of handling the request, or None."""
        if self.fault_rate > 0 and self._rng.random() < self.fault_rate:
            return self._rng.choice(FAULT_STATUSES)
        return None

    def lose_response(self) -> bool:
        """Whether to drop the response of a committed mutating request."""
        return self.lost_response_rate > 0 and self._rng.random() < self.lost_response_rate
