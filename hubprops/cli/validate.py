"""``hubprops validate``: offline schema and semantic checks of a definitions folder.

Needs no token and no network. Prints every problem as ``path:line:col: message`` (sorted by
file and line), warnings included; exits 0 when valid (warnings do not fail), 1 otherwise.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

import click

from hubprops.cli._common import (
    EXIT_ERROR,
    EXIT_OK,
    definitions_option,
    error_boundary,
    silence_stdout,
)
from hubprops.definitions.loader import load_definitions
from hubprops.errors import DefinitionError, Diagnostic
from hubprops.models import Definitions


@click.command()
@definitions_option()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints the list of diagnostics (file, line, column, path, message, severity).",
)
@error_boundary
def validate(directory: str, output_format: str) -> int:
    """Check definitions against the schema and HubSpot's rules, offline."""
    try:
        loaded = load_definitions(directory)
    except DefinitionError as exc:
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        summary = f"{_shown(directory)} is invalid: {errors} error(s)"
        return _report(exc.diagnostics, summary, output_format, EXIT_ERROR)
    summary = f"{_shown(directory)} is valid: {_summary(loaded.definitions)}"
    return _report(loaded.warnings, summary, output_format, EXIT_OK)


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
