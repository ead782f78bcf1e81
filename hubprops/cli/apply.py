"""``hubprops apply [PLAN]``: execute a saved plan, or plan, show, ask and apply."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import click

from hubprops.apply.applier import ApplyResult, apply_plan, needs_apply
from hubprops.cli._applyui import progress_reporter, sigint_sets
from hubprops.cli._common import (
    DEFAULT_DEFINITIONS,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    RemoteOptions,
    definitions_option,
    echo_err,
    error_boundary,
    lock_option,
    open_client,
    remote_options,
)
from hubprops.errors import ConfigError
from hubprops.lock.file import load_lock, save_lock
from hubprops.lock.guard import acquire
from hubprops.plan.types import Plan, PlanOptions
from hubprops.render.apply import render_failures, render_result_json, render_summary


@click.command()
@click.argument("plan_file", required=False, metavar="[PLAN]", type=click.Path(dir_okay=False))
@lock_option("Lock file to update.")
@definitions_option(default=None, note="not with PLAN")
@click.option("--auto-approve", is_flag=True, help="Apply without asking (no PLAN given).")
@click.option(
    "--object",
    "objects",
    multiple=True,
    metavar="T",
    help="Only these object types (repeatable; not with PLAN).",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Archive what the lock records but the definitions dropped (not with PLAN).",
)
@click.option(
    "--allow-destructive", is_flag=True, help="Include destructive changes (not with PLAN)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints the result (the original sync service's data object) on stdout; "
    "the plan and progress go to stderr.",
)
@remote_options
@error_boundary
def apply(
    plan_file: str | None,
    lock_path: str,
    directory: str | None,
    auto_approve: bool,
    objects: tuple[str, ...],
    prune: bool,
    allow_destructive: bool,
    fmt: str,
    remote: RemoteOptions,
) -> int:
    """Apply a saved PLAN exactly (refusing a stale, edited or other-portal plan), or, without
    PLAN, plan the definitions, show the plan, ask, and apply. Updates the lock after every
    step; Ctrl-C stops after the requests in flight."""
    if plan_file is not None:
        shaping = [
            n
            for n, v in (
                ("-d/--dir", directory),
                ("--object", objects),
                ("--prune", prune),
                ("--allow-destructive", allow_destructive),
            )
            if v
        ]
        if shaping:
            raise ConfigError(
                f"{', '.join(shaping)} cannot be used with a saved plan: apply executes the plan "
                "exactly as it was made (its options are recorded in it); make a new plan instead"
            )
    elif not auto_approve and not sys.stdin.isatty():
        raise ConfigError(
            "refusing to ask for approval: stdin is not a terminal. Use --auto-approve, or "
            "save a plan with `hubprops plan -o plan.json` and run `hubprops apply plan.json`"
        )
    with acquire(lock_path) as guard, open_client(remote) as client:
        for warning in guard.warnings:
            echo_err(f"warning: {warning}")
        if plan_file is not None:
            plan = _saved_plan(plan_file, remote)
            portal = remote.portal
        else:
            options = PlanOptions(objects=objects, prune=prune, allow_destructive=allow_destructive)
            plan = _fresh_plan(client, lock_path, directory, options, remote, fmt == "json")
            portal = plan.portal_id  # plan_against just read it (or took --portal)
            refused = None if auto_approve or not plan.has_changes else _ask()
            if refused is not None:
                echo_err("Apply cancelled: nothing was changed.")
                return refused
        lock = load_lock(lock_path)
        if not needs_apply(plan, lock):
            if fmt == "json":
                click.echo(render_result_json(None), nl=False)
            elif plan_file is not None:
                click.echo("No changes. Nothing to apply.")
            return EXIT_OK
        cancel = threading.Event()
        with progress_reporter(len(plan.changes)) as on_progress, sigint_sets(cancel):
            result = apply_plan(
                client,
                plan,
                lock,
                save=lambda lk: save_lock(lock_path, lk),
                cancel=cancel,
                on_progress=on_progress,
                portal_id=portal,
            )
    return _report(result, fmt)


def _ask() -> int | None:
    """Ask for approval: None if approved, else the exit code (130 for Ctrl-C at the prompt,
    1 for no or end of input; click turns both of those into Abort)."""
    try:
        return None if click.confirm("Apply these changes?", default=False) else EXIT_ERROR
    except click.exceptions.Abort as exc:
        echo_err("")
        return EXIT_INTERRUPTED if isinstance(exc.__context__, KeyboardInterrupt) else EXIT_ERROR


def _saved_plan(path: str, remote: RemoteOptions) -> Plan:
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


def _fresh_plan(
    client: Any,
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

    loaded = load_definitions(directory or DEFAULT_DEFINITIONS)
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
    click.echo(render_plan_text(encode(plan), color=stream.isatty()), nl=False, err=to_stderr)
    return plan


def _report(result: ApplyResult, fmt: str) -> int:
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
