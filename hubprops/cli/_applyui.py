"""Terminal plumbing of ``hubprops apply``: the progress bar and the Ctrl-C handler."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from hubprops.apply.applier import Progress
from hubprops.cli._common import echo_err
from hubprops.render.apply import render_progress


@contextmanager
def progress_reporter(total: int) -> Iterator[Callable[[Progress], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="Applying", file=sys.stderr) as bar:

        def step(progress: Progress) -> None:
            bar.update(1)
            if progress.result.status in ("failed", "skipped"):
                click.echo("\n" + render_progress(progress), err=True)

        yield step


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
