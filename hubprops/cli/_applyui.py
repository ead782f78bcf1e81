"""Terminal plumbing of ``hubprops apply``: argument checks, the fresh or saved plan, the
approval prompt, the progress bar, the Ctrl-C handler and the final report."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

from hubprops.apply.applier import ApplyResult, Progress
from hubprops.cli._common import (
    API_VERSION_ENV,
    DEFAULT_DEFINITIONS,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    RemoteOptions,
    echo_err,
    parse_cache,
)
from hubprops.cli._term import use_color
from hubprops.errors import ConfigError
from hubprops.lock.file import load_lock
from hubprops.plan.types import Plan, PlanOptions
from hubprops.render.apply import (
    render_failures,
    render_progress,
    render_result_json,
    render_summary,
)

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient


def check_arguments(plan_file: str | None, auto_approve: bool, shaping: dict[str, object]) -> None:
    """Refuse plan-shaping options with a saved plan, and asking without a terminal."""
    if plan_file is not None:
        given = [name for name, value in shaping.items() if value]
        if given:
            raise ConfigError(
                f"{', '.join(given)} cannot be used with a saved plan: apply executes the plan "
                "exactly as it was made (its options are recorded in it); make a new plan instead"
            )
    elif not auto_approve and not sys.stdin.isatty():
        raise ConfigError(
            "refusing to ask for approval: stdin is not a terminal. Use --auto-approve, or "
            "save a plan with `hubprops plan -o plan.json` and run `hubprops apply plan.json`"
        )


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


def ask() -> int | None:
    """Ask for approval: None if approved, else the exit code (130 for Ctrl-C at the prompt,
    1 for no or end of input; click turns both of those into Abort)."""
    try:
        return None if click.confirm("Apply these changes?", default=False) else EXIT_ERROR
    except click.exceptions.Abort as exc:
        echo_err("")
        return EXIT_INTERRUPTED if isinstance(exc.__context__, KeyboardInterrupt) else EXIT_ERROR


def saved_plan(path: str, remote: RemoteOptions) -> Plan:
    from hubprops.plan.file import read_plan
    from hubprops.plan.signing import key_from
    from hubprops.sandbox import SANDBOX_BASE_URL

    plan = read_plan(path, key=key_from(os.environ))
    made_on_sandbox = plan.api_base == SANDBOX_BASE_URL
    if made_on_sandbox != remote.sandbox:
        where = "the sandbox" if made_on_sandbox else plan.api_base
        hint = "add --sandbox" if made_on_sandbox else "drop --sandbox"
        raise ConfigError(f"{path} was made against {where}: {hint} to apply it")
    return plan


def plan_version(path: str, plan: Plan, remote: RemoteOptions) -> RemoteOptions:
    """``remote`` speaking the saved plan's API version; an explicit --api-version (or
    HUBPROPS_API_VERSION) naming another one is refused, naming both."""
    if plan.api_version is None or plan.api_version == remote.api_version:
        return remote
    if remote.api_version_given:
        raise ConfigError(
            f"{path} was made with HubSpot API version {plan.api_version}, but --api-version "
            f"(or {API_VERSION_ENV}) says {remote.api_version}: apply speaks the plan's "
            f"version; drop --api-version, or make a new plan with --api-version "
            f"{remote.api_version}"
        )
    return replace(remote, api_version=plan.api_version)


def fresh_plan(
    client: HubSpotClient,
    lock_path: str,
    directory: str | None,
    options: PlanOptions,
    remote: RemoteOptions,
    to_stderr: bool,
) -> Plan:
    from hubprops.definitions.loader import load_definitions
    from hubprops.plan.file import encode
    from hubprops.plan.remote import plan_against
    from hubprops.render.plan import render_plan_text

    loaded = load_definitions(directory or DEFAULT_DEFINITIONS, cache=parse_cache())
    for warning in loaded.warnings:
        echo_err(str(warning))
    plan = plan_against(
        client,
        loaded.definitions,
        load_lock(lock_path),
        options=options,
        api_base=client.base_url,
        portal_id=remote.portal,
    )
    stream = sys.stderr if to_stderr else sys.stdout
    click.echo(render_plan_text(encode(plan), color=use_color(stream)), nl=False, err=to_stderr)
    return plan


def report(result: ApplyResult | None, fmt: str, *, saved: bool = False) -> int:
    """Print the result (None: nothing to apply; ``saved``: a plan file was given) and return
    the exit code."""
    if result is None:
        if fmt == "json":
            click.echo(render_result_json(None), nl=False)
        elif saved:
            click.echo("No changes. Nothing to apply.")
        return EXIT_OK
    if result.already_applied:  # a CI re-run of an apply that succeeded
        if fmt == "json":
            click.echo(render_result_json(None), nl=False)
        else:
            click.echo("This plan is already applied.")
        return EXIT_OK
    failures = render_failures(result)
    if failures:
        echo_err(failures.rstrip("\n"))
    if fmt == "json":
        click.echo(render_result_json(result), nl=False)
    else:
        click.echo(render_summary(result), nl=False)
    if result.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_OK if result.ok else EXIT_ERROR
