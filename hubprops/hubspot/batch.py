"""Results of batch calls and of ``HubSpotClient.map``, chunking, and the thread-pool runner.

``run_map`` keeps at most ``max_workers`` calls in flight and submits the next item only when
one finishes, so it can stop starting new work the moment the circuit opens or the cancel
flag is set (Ctrl-C): calls in flight finish, the rest are reported as not started.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
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
class Outcome(Generic[R]):
    """The fate of one item of ``HubSpotClient.map``.

    ``started`` is False iff the item was never attempted (cancelled, or the circuit was open;
    then ``error`` says why, or is None after a cancel). When started, exactly one of
    ``value`` (what the function returned) and ``error`` (what it raised) is meaningful.
    """

    item: Any
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
    cancel: threading.Event | None = None,
) -> list[Outcome[R]]:
    """Run ``fn`` over ``items`` on a thread pool; one Outcome per item, in input order.

    Ctrl-C (in the main thread): calls in flight finish; the rest are not started. If a
    ``cancel`` event was given it is set and the outcomes are returned (the caller records what
    ran); without one, KeyboardInterrupt is raised once the calls in flight are done. A second
    Ctrl-C raises at once.
    """
    outcomes: list[Outcome[R] | None] = [None] * len(items)
    stop = cancel if cancel is not None else threading.Event()
    queue = iter(range(len(items)))
    workers = max(1, min(max_workers, len(items) or 1))
    with (
        _ctrl_c_sets(stop) as interrupted,
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hubprops") as pool,
    ):
        pending: dict[Future[R], int] = {}

        def fill() -> None:
            while len(pending) < workers and not stop.is_set() and not circuit.is_open:
                index = next(queue, None)
                if index is None:
                    return
                pending[pool.submit(fn, items[index])] = index

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
    skipped_error = _circuit_error(circuit) if not stop.is_set() else None
    result = [
        o if o is not None else Outcome(items[i], error=skipped_error, started=False)
        for i, o in enumerate(outcomes)
    ]
    if interrupted and cancel is None:
        raise KeyboardInterrupt
    return result


class _Flag:
    """Truthy once set; what ``_ctrl_c_sets`` yields."""

    def __init__(self) -> None:
        self.value = False

    def __bool__(self) -> bool:
        return self.value


@contextmanager
def _ctrl_c_sets(stop: threading.Event) -> Iterator[_Flag]:
    """While the block runs in the main thread, Ctrl-C (SIGINT) sets ``stop`` instead of
    raising KeyboardInterrupt wherever the main thread happens to be (which could lose track
    of a call already started); a second Ctrl-C raises as usual. Only when Python's default
    handler is in place: a caller's own handler (the CLI's) is left alone."""
    flag = _Flag()

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        if flag:
            raise KeyboardInterrupt
        flag.value = True
        stop.set()

    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield flag  # the caller (e.g. the CLI) handles Ctrl-C itself, or it is ignored
        return
    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread: no signal arrives here anyway
        yield flag
        return
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _circuit_error(circuit: CircuitBreaker) -> RemoteError:
    return RemoteUnavailable(
        f"not started: the circuit opened after {circuit.consecutive_failures} consecutive "
        "failures talking to HubSpot; run again later (apply is resumable)"
    )
