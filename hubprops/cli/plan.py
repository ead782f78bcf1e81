"""``hubprops plan``: diff the definitions against the live portal, print the plan, save it.

Reads the definitions and the lock, makes a constant number of GET requests per object type
(``hubprops.plan.remote.plan_against``), prints the plan as text, Markdown or JSON, and with
``-o FILE`` saves it for ``hubprops apply FILE``. Exits 0 (also with changes, unless
``--detailed-exitcode``: then 2 when there are changes), 1 on any error.
"""

from __future__ import annotations

import os
import shlex
import sys
from typing import Any

import click

from hubprops.cli._common import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    RemoteOptions,
    definitions_option,
    echo_err,
    echo_out,
    error_boundary,
    lock_option,
    open_client,
    parse_cache,
    remote_options,
)
from hubprops.cli._term import use_color
from hubprops.cli.lint import lint_gate
from hubprops.definitions.loader import load_definitions
from hubprops.errors import ConfigError, DestructiveChangeBlocked
from hubprops.lock.file import DEFAULT_LOCK_PATH, Lock, load_lock
from hubprops.models import Definitions
from hubprops.plan.file import encode, write_encoded
from hubprops.plan.signing import key_from
from hubprops.plan.types import Plan, PlanOptions
from hubprops.render.blocked import render_blocked
from hubprops.render.plan import render_plan

FORMATS = ("text", "json", "markdown")


@click.command()
@definitions_option()
@click.option("-o", "--out", type=click.Path(dir_okay=False), help="Save the plan to this file.")
@click.option(
    "--object",
    "objects",
    multiple=True,
    metavar="TYPE",
    help="Plan only this object type (contacts, leads, 0-1, a custom type); repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: Terraform-style, for a terminal; markdown: a pull-request comment (summary "
    "table, a collapsible section per object type); json: the plan file's content.",
)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when the plan has changes.")
@click.option(
    "--prune",
    is_flag=True,
    help="Archive what the lock records but the definitions no longer define.",
)
@click.option("--allow-destructive", is_flag=True, help="Include changes that may lose data.")
@click.option("--no-lint", is_flag=True, help="Skip the error-level lint rules of hubprops.toml.")
@click.option(
    "--no-impact", is_flag=True, help="Do not count the records behind destructive changes."
)
@lock_option("Lock file: what hubprops manages in each portal.")
@remote_options
@error_boundary(json_errors=True)
def plan(
    directory: str,
    out: str | None,
    objects: tuple[str, ...],
    fmt: str,
    detailed_exitcode: bool,
    prune: bool,
    allow_destructive: bool,
    no_lint: bool,
    no_impact: bool,
    lock_path: str,
    remote: RemoteOptions,
) -> int:
    """Show what apply would change in HubSpot, and save it with -o."""
    options = PlanOptions(objects=objects, prune=prune, allow_destructive=allow_destructive)
    try:
        # Load once: the lint gate and the plan share the definitions and the lock.
        loaded = load_definitions(directory, cache=parse_cache())
        lock = load_lock(lock_path)
        if not no_lint:
            lint_gate(directory, lock_path, definitions=loaded.definitions, lock=lock)
        for warning in loaded.warnings:
            echo_err(str(warning))
        made = _make_plan(loaded.definitions, lock, options, remote, impact=not no_impact)
        made = _recording_definitions(made, directory)
        data = encode(made, key=key_from(os.environ))  # once: saved and shown
        if out:
            _save(out, data)
    except DestructiveChangeBlocked as exc:
        if not isinstance(exc.plan, Plan):
            raise
        # a pull request must show the riskiest plan of all: render it in full, reasons on top
        echo_out(render_blocked(encode(exc.plan), exc.reasons, fmt, color=use_color(sys.stdout)))
        echo_err(f"error: {exc}" + (f"\nThe plan was not saved to {out}." if out else ""))
        return EXIT_ERROR
    echo_out(render_plan(data, fmt, color=use_color(sys.stdout)))
    if out:
        hint = _apply_hint(out, lock_path, remote)
        echo_err(f"Saved the plan to {out}. To apply exactly this plan: {hint}")
    return EXIT_CHANGES if detailed_exitcode and made.has_changes else EXIT_OK


def _apply_hint(out: str, lock_path: str, remote: RemoteOptions) -> str:
    """The apply command for this plan, with the options it was made with that apply needs."""
    words = ["hubprops", "apply"]
    words += ["--sandbox"] if remote.sandbox else []
    words += ["--portal", str(remote.portal)] if remote.portal is not None else []
    words += ["--lock", lock_path] if lock_path != DEFAULT_LOCK_PATH else []
    return " ".join(shlex.quote(w) for w in [*words, out])


def _make_plan(
    definitions: Definitions,
    lock: Lock,
    options: PlanOptions,
    remote: RemoteOptions,
    *,
    impact: bool,
) -> Plan:
    from hubprops.plan.remote import plan_against

    with open_client(remote) as client:
        return plan_against(
            client,
            definitions,
            lock,
            options=options,
            api_base=client.base_url,
            portal_id=remote.portal,
            impact=impact,
            estimate=True,
        )


def _recording_definitions(made: Plan, directory: str) -> Plan:
    """``made`` saying where its definitions were: `apply PLAN` holds the plan to them."""
    from hubprops.plan.origin import recorded_path

    return made.model_copy(update={"definitions": recorded_path(directory, os.getcwd())})


def _save(out: str, data: dict[str, Any]) -> None:
    try:
        write_encoded(out, data)
    except OSError as exc:
        raise ConfigError(f"cannot write the plan to {out}: {exc.strerror or exc}") from exc
