"""``hubprops validate [-d DIR]... [FILE]...``: offline schema and semantic checks.

Needs no token and no network. Checks the given folders and files together (one object type may
span several files), by default the definitions folder of hubprops.toml or ``definitions/``; a
pre-commit hook passes the changed files. Prints every problem as ``path:line:col: message``
(sorted by file and line), warnings included; exits 0 when valid (warnings do not fail), 1
otherwise.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

import click

from hubprops.cli._common import (
    DEFAULT_DEFINITIONS,
    EXIT_ERROR,
    EXIT_OK,
    error_boundary,
    parse_cache,
    project_config,
    silence_stdout,
)
from hubprops.definitions.loader import load_definitions_from
from hubprops.errors import DefinitionError, Diagnostic
from hubprops.models import Definitions


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True), metavar="[FILE]...")
@click.option(
    "-d",
    "--dir",
    "directories",
    multiple=True,
    metavar="DIR",
    help="Definitions folder (every *.yaml, *.yml, *.json under it) or a single file; "
    f"repeatable. [default: {DEFAULT_DEFINITIONS}, or definitions in hubprops.toml, "
    "unless FILEs are given]",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per problem and a summary; json: the list of diagnostics (file, "
    "line, column, path, message, severity).",
)
@error_boundary
def validate(files: tuple[str, ...], directories: tuple[str, ...], output_format: str) -> int:
    """Check definitions against the schema and HubSpot's rules, offline.

    FILEs and -d folders are checked together, so a pre-commit hook can pass the files it
    changed: `hubprops validate definitions/contacts.yaml definitions/leads.yaml`."""
    paths = [*directories, *files] or [_default_directory()]
    shown = ", ".join(_shown(p) for p in paths)
    verb = "is" if len(paths) == 1 else "are"
    try:
        loaded = load_definitions_from(paths, cache=parse_cache())
    except DefinitionError as exc:
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        summary = f"{shown} {verb} invalid: {errors} error(s)"
        return _report(exc.diagnostics, summary, output_format, EXIT_ERROR)
    summary = f"{shown} {verb} valid: {_summary(loaded.definitions)}"
    return _report(loaded.warnings, summary, output_format, EXIT_OK)


def _default_directory() -> str:
    return project_config().definitions or DEFAULT_DEFINITIONS


def _report(diagnostics: Sequence[Diagnostic], summary: str, output_format: str, code: int) -> int:
    """Print the diagnostics (and the summary line in text); return ``code`` even when the
    reader left early (``hubprops validate | head``): invalid definitions never exit 0."""
    try:
        _print(diagnostics, output_format)
        if output_format == "text":
            click.echo(summary)
    except BrokenPipeError:
        silence_stdout()
    return code


def _print(diagnostics: Sequence[Diagnostic], output_format: str) -> None:
    ordered = sorted(diagnostics, key=lambda d: (d.file, d.line, d.column, d.path))
    if output_format == "json":
        click.echo(json.dumps([dataclasses.asdict(d) for d in ordered], indent=2))
        return
    for diag in ordered:
        click.echo(str(diag))


def _shown(directory: str) -> str:
    directory = directory or "."  # -d "" is the current folder, not "/"
    try:
        is_folder = Path(directory).is_dir() and not directory.endswith("/")
    except OSError:  # a path the file system refuses: the diagnostics say so
        is_folder = False
    return f"{directory}/" if is_folder else directory


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _summary(definitions: Definitions) -> str:
    objects = definitions.objects.values()
    return ", ".join(
        (
            _count(len(definitions.files), "file"),
            _count(len(definitions.objects), "object type"),
            _count(sum(len(o.properties) for o in objects), "property", "properties"),
            _count(sum(len(o.groups) for o in objects), "group"),
        )
    )
