"""``HubSpotClient.map``: order, per-item errors, bounded concurrency, cancel, open circuit."""

from __future__ import annotations

import _thread
import json
import signal
import threading
import time
from typing import Any

import httpx
import pytest

from hubprops.errors import NotFound, RemoteUnavailable, ServerError
from hubprops.hubspot import RetryPolicy
from hubprops.hubspot.batch import chunked
from tests.helpers.clock import FakeClock
from tests.hubspot.conftest import ClientFactory


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"results": []})


def test_outcomes_keep_input_order_and_hold_errors(mock_client: ClientFactory) -> None:
    client = mock_client(ok, max_workers=4)

    def work(n: int) -> int:
        time.sleep(0.001 * (10 - n))  # finish out of order
        if n % 3 == 0:
            raise NotFound(f"no {n}", status=404)
        return n * n

    outcomes = client.map(work, list(range(10)))
    assert [o.item for o in outcomes] == list(range(10))
    assert [o.value for o in outcomes if o.ok] == [n * n for n in range(10) if n % 3]
    assert [str(o.error) for o in outcomes if not o.ok] == ["no 0", "no 3", "no 6", "no 9"]
    assert all(o.started for o in outcomes)


def test_never_more_calls_in_flight_than_workers(mock_client: ClientFactory) -> None:
    client = mock_client(ok, max_workers=3)
    lock = threading.Lock()
    running = peak = 0

    def work(_: int) -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.005)
        with lock:
            running -= 1

    client.map(work, list(range(12)))
    assert 1 < peak <= 3


def test_cancel_lets_calls_in_flight_finish_and_starts_no_more(mock_client: ClientFactory) -> None:
    client = mock_client(ok, max_workers=2)
    cancel = threading.Event()
    started: list[int] = []

    def work(n: int) -> int:
        started.append(n)
        if n == 3:
            cancel.set()  # Ctrl-C arrives while item 3 runs
        return n

    outcomes = client.map(work, list(range(20)), cancel=cancel)
    assert outcomes[3].ok and outcomes[3].value == 3  # in flight: finished
    not_started = [o for o in outcomes if not o.started]
    assert len(not_started) >= 20 - 5
    assert all(o.error is None and not o.ok for o in not_started)
    assert len(started) == 20 - len(not_started)


def test_open_circuit_stops_new_work(mock_client: ClientFactory, clock: FakeClock) -> None:
    def failing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"message": "down"})

    client = mock_client(
        failing,
        max_workers=1,
        retry=RetryPolicy(max_retries=2, circuit_threshold=6, sleep=clock.sleep, clock=clock),
    )
    outcomes = client.map(lambda n: client.list_groups("contacts"), list(range(10)))
    assert [type(o.error) for o in outcomes[:2]] == [ServerError, ServerError]
    rest = outcomes[2:]
    assert all(not o.started for o in rest)
    assert all(isinstance(o.error, RemoteUnavailable) for o in rest)
    assert "circuit opened after 6 consecutive failures" in str(rest[0].error)
    assert client.stats.requests == 6  # two calls of three attempts, then nothing


def test_chunked_respects_the_cap() -> None:
    assert [list(c) for c in chunked(list(range(7)), 3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []
    with pytest.raises(ValueError):
        list(chunked([1], 0))


def test_batch_create_is_chunked_to_the_batch_size(mock_client: ClientFactory) -> None:
    seen: list[int] = []

    def batch(request: httpx.Request) -> httpx.Response:
        inputs = json.loads(request.content)["inputs"]
        seen.append(len(inputs))
        return httpx.Response(201, json={"status": "COMPLETE", "results": inputs})

    client = mock_client(batch, batch_size=100)
    bodies = [{"name": f"p{i}"} for i in range(250)]
    result = client.create_properties("contacts", bodies)
    assert sorted(seen) == [50, 100, 100]
    assert result.ok
    assert sorted(r["name"] for r in result.results) == sorted(b["name"] for b in bodies)


def _interrupting(at: int) -> Any:
    def work(n: int) -> int:
        if n == at:
            _thread.interrupt_main()  # what Ctrl-C does: KeyboardInterrupt in the main thread
            time.sleep(0.3)  # still in flight when the main thread notices
        return n

    return work


def test_ctrl_c_finishes_calls_in_flight_and_sets_cancel(mock_client: ClientFactory) -> None:
    """The CLI's handler (cli/_applyui.sigint_sets) sets the event the client was given."""
    from hubprops.cli._applyui import sigint_sets

    cancel = threading.Event()
    client = mock_client(ok, max_workers=2, cancel=cancel)
    with sigint_sets(cancel):
        outcomes = client.map(_interrupting(1), list(range(50)))
    assert cancel.is_set()
    assert outcomes[1].ok and outcomes[1].value == 1  # in flight when Ctrl-C came: finished
    assert not outcomes[-1].started
    assert outcomes[-1].error is None  # cancelled, not refused by the circuit
    assert [o.item for o in outcomes if o.started] == list(
        range(len([o for o in outcomes if o.started]))
    )


def test_the_clients_cancel_event_stops_every_map(mock_client: ClientFactory) -> None:
    cancel = threading.Event()
    client = mock_client(ok, max_workers=1, cancel=cancel)

    def work(n: int) -> int:
        if n == 2:
            cancel.set()
        return n

    outcomes = client.map(work, list(range(10)))
    assert [o.item for o in outcomes if o.started] == [0, 1, 2]
    per_call = threading.Event()
    per_call.set()
    assert not any(o.started for o in mock_client(ok).map(work, [5, 6], cancel=per_call))


def test_ctrl_c_without_a_cancel_flag_raises_after_calls_in_flight(
    mock_client: ClientFactory,
) -> None:
    client = mock_client(ok, max_workers=2)
    finished: list[int] = []

    def work(n: int) -> int:
        result: int = _interrupting(1)(n)
        finished.append(n)
        return result

    with pytest.raises(KeyboardInterrupt):
        client.map(work, list(range(50)))
    assert 1 in finished and len(finished) < 50


def test_the_client_installs_no_ctrl_c_handler(mock_client: ClientFactory) -> None:
    client = mock_client(ok, max_workers=2)
    cancel = threading.Event()
    calls: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
    try:
        client.map(_interrupting(1), list(range(5)), cancel=cancel)
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert calls == [signal.SIGINT]
    assert not cancel.is_set()  # the caller's handler decides what Ctrl-C means
