"""Terminal plumbing of ``hubprops apply``: the progress bar and the Ctrl-C handler."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from hubprops.apply.applier import Progress
from hubprops.cli._common import echo_err
from hubprops.render.apply import render_progress

#: Without a terminal, a progress line at least this often (seconds), so CI logs show life.
PROGRESS_EVERY = 10.0


@contextmanager
def progress_reporter(total: int) -> Iterator[Callable[[Progress], None] | None]:
    """On a terminal, a progress bar on stderr; without one, ``Applying... 120/400 changes,
    30s elapsed`` lines at the first write and every ``PROGRESS_EVERY`` seconds. Both print a
    line per failure as it happens. Changes left not started (Ctrl-C, a halted apply) do not advance
    either, so an interrupted apply never shows 100%."""
    if not sys.stderr.isatty():
        with _progress_lines(total) as step:
            yield step
        return
    with click.progressbar(length=total, label="Applying", file=sys.stderr) as bar:

        def step(progress: Progress) -> None:
            if progress.result.status == "not_started":
                return
            bar.update(1)
            if progress.result.status in ("failed", "skipped"):
                click.echo("\n" + render_progress(progress), err=True)

        yield step


@contextmanager
def _progress_lines(total: int) -> Iterator[Callable[[Progress], None]]:
    start = time.monotonic()
    done = [0]
    stop = threading.Event()

    def line() -> None:
        elapsed = int(time.monotonic() - start)
        echo_err(f"Applying... {done[0]}/{total} changes, {elapsed}s elapsed")

    def tick() -> None:
        while not stop.wait(PROGRESS_EVERY):
            line()

    def step(progress: Progress) -> None:
        if progress.result.status == "not_started":
            return
        done[0] += 1
        if done[0] == 1:  # the first write: a plan refused before it printed nothing here
            line()
        if progress.result.status in ("failed", "skipped"):
            echo_err(render_progress(progress))

    ticker = threading.Thread(target=tick, name="hubprops-progress", daemon=True)
    ticker.start()
    try:
        yield step
    finally:
        stop.set()
        ticker.join()


@contextmanager
def sigint_sets(cancel: threading.Event) -> Iterator[None]:
    """First Ctrl-C: set ``cancel`` (requests in flight finish, the lock is written);
    a second one aborts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        echo_err(
            "\nInterrupted: finishing the requests in flight, then writing the lock "
            "(Ctrl-C again to abort at once)"
        )

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
