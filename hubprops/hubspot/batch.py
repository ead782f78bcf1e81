"""Results of batch calls and of ``HubSpotClient.map``, chunking, and the thread-pool runner.

``run_map`` keeps at most ``max_workers`` calls in flight and submits the next item only when
one finishes, so it can stop starting new work the moment the circuit opens or a cancel event
is set (the CLI sets one on Ctrl-C): calls in flight finish, the rest are reported as not
started. Signals are the CLI's business; nothing here installs a handler.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from hubprops.errors import RemoteError, RemoteUnavailable
from hubprops.hubspot.retry import CircuitBreaker

_POLL_SECONDS = 0.2

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ItemError:
    """One input of a batch call that failed: the property ``name`` and the typed error."""

    name: str
    error: RemoteError


@dataclass(frozen=True)
class BatchResult:
    """What a chunked batch call achieved: HubSpot's objects for the inputs that succeeded
    (reconciled ones included) and one ``ItemError`` per input that did not."""

    results: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True iff no input failed."""
        return not self.errors


@dataclass(frozen=True)
class Outcome(Generic[T, R]):
    """The fate of one item of ``HubSpotClient.map``.

    ``started`` is False iff the item was never attempted (cancelled, or the circuit was open;
    then ``error`` says why, or is None after a cancel). When started, exactly one of
    ``value`` (what the function returned) and ``error`` (what it raised) is meaningful.
    """

    item: T
    value: R | None = None
    error: Exception | None = None
    started: bool = True

    @property
    def ok(self) -> bool:
        """True iff the item ran and raised nothing."""
        return self.started and self.error is None


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size`` (HubSpot's batch cap)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def run_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    max_workers: int,
    circuit: CircuitBreaker,
    cancel: Sequence[threading.Event] = (),
) -> list[Outcome[T, R]]:
    """Run ``fn`` over ``items`` on a thread pool; one Outcome per item, in input order.

    Once any event of ``cancel`` is set, or the circuit opens, no new item starts: calls in
    flight finish and the rest are reported as not started. A KeyboardInterrupt in the calling
    thread also waits for the calls in flight, then propagates.
    """
    outcomes: list[Outcome[T, R] | None] = [None] * len(items)
    queue = iter(range(len(items)))
    workers = max(1, min(max_workers, len(items) or 1))

    def cancelled() -> bool:
        return any(event.is_set() for event in cancel)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hubprops") as pool:
        pending: dict[Future[R], int] = {}

        def fill() -> None:
            while len(pending) < workers and not cancelled() and not circuit.is_open:
                index = next(queue, None)
                if index is None:
                    return
                pending[pool.submit(fn, items[index])] = index

        try:
            fill()
            while pending:
                done, _ = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    exc = future.exception()
                    outcomes[index] = (
                        Outcome(items[index], error=exc)
                        if isinstance(exc, Exception)
                        else Outcome(items[index], value=future.result())
                    )
                fill()
        except KeyboardInterrupt:
            wait(pending)  # the calls in flight finish (a second Ctrl-C stops this wait)
            raise
    skipped_error = _circuit_error(circuit) if not cancelled() else None
    return [
        o if o is not None else Outcome(items[i], error=skipped_error, started=False)
        for i, o in enumerate(outcomes)
    ]


def _circuit_error(circuit: CircuitBreaker) -> RemoteError:
    return RemoteUnavailable(
        f"not started: the circuit opened after {circuit.consecutive_failures} consecutive "
        "failures talking to HubSpot; run again later (apply is resumable)"
    )
