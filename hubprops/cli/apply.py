"""``hubprops apply [PLAN]``: execute a saved plan, or plan, show, ask and apply."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from hubprops.apply.applier import apply_plan, needs_apply
from hubprops.cli._applyui import (
    ask,
    check_arguments,
    fresh_plan,
    plan_version,
    progress_reporter,
    report,
    saved_plan,
    sigint_sets,
)
from hubprops.cli._common import (
    RemoteOptions,
    configured_definitions,
    definitions_option,
    echo_err,
    error_boundary,
    lock_option,
    open_client,
    parse_cache,
    remote_options,
)
from hubprops.lock.file import load_lock, save_lock
from hubprops.lock.guard import acquire
from hubprops.plan.types import Plan, PlanOptions


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
    step; Ctrl-C stops after the requests in flight.

    With PLAN, when the definitions folder it was made from is here, a plan whose definitions
    changed since is refused as stale, and one that does not match them (edited) is refused.
    Without that folder (CI applying a downloaded plan), set HUBPROPS_PLAN_KEY to refuse
    unsigned or edited plans (docs/ci.md)."""
    shaping = {"-d/--dir": directory, "--object": objects, "--prune": prune}
    check_arguments(plan_file, auto_approve, {**shaping, "--allow-destructive": allow_destructive})
    cancel = threading.Event()
    saved = saved_plan(plan_file, remote) if plan_file is not None else None
    if saved is not None:  # before any request: the plan must be what its definitions say
        _hold_to_definitions(saved)
    if plan_file is not None and saved is not None:  # apply speaks the plan's API version
        remote = plan_version(plan_file, saved, remote)
    with acquire(lock_path), open_client(remote, cancel=cancel) as client:
        if saved is not None:
            plan = saved
            portal = remote.portal
        else:
            options = PlanOptions(objects=objects, prune=prune, allow_destructive=allow_destructive)
            plan = fresh_plan(client, lock_path, directory, options, remote, fmt == "json")
            portal = plan.portal_id  # plan_against just read it (or took --portal)
            refused = None if auto_approve or not plan.has_changes else ask()
            if refused is not None:
                echo_err("Apply cancelled: nothing was changed.")
                return refused
        lock = load_lock(lock_path)
        if not needs_apply(plan, lock):
            return report(None, fmt, saved=plan_file is not None)
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
    return report(result, fmt)


def _hold_to_definitions(plan: Plan) -> None:
    """Check a saved plan against the definitions it was made from (``hubprops.plan.origin``):
    at the folder it records, else at the configured one (so that deleting or redirecting the
    field does not skip the check). Neither there (a CI job with no checkout): nothing to
    check; ``HUBPROPS_PLAN_KEY`` signing is the defence then."""
    from hubprops.definitions.loader import load_definitions
    from hubprops.plan.origin import check_definitions

    configured = configured_definitions()
    for where in dict.fromkeys(w for w in (plan.definitions, configured) if w):
        if _exists(where):
            loaded = load_definitions(where, cache=parse_cache())
            check_definitions(plan, loaded.definitions, where)
            return


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except (OSError, ValueError):  # a NUL byte, a name too long: the plan's path is not there
        return False
