"""``hubprops fmt``: lay out definitions files canonically, comments kept.

Key order as HubSpot lists fields, 2-space YAML, one option per line (hubprops.definitions.writer).
``--check`` changes nothing, lists the files that would change and exits 1 if any would;
``--convert`` also turns the original service's ``contact.json`` / ``lead.json`` into native YAML.
Files that are not valid YAML are skipped with a note (``validate`` reports them).
"""

from __future__ import annotations

from pathlib import Path

import click

from hubprops.cli._common import (
    EXIT_ERROR,
    EXIT_OK,
    definitions_option,
    echo_err,
    echo_out,
    error_boundary,
)
from hubprops.definitions.fmt import apply_outcome, format_file
from hubprops.definitions.loader import display_path, find_definition_files


@click.command()
@definitions_option(note="ignored when FILEs are given")
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would change.")
@click.option("--convert", is_flag=True, help="Rewrite contact.json/lead.json arrays as YAML.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@error_boundary
def fmt(directory: str, check: bool, convert: bool, files: tuple[Path, ...]) -> int:
    """Lay out definitions files canonically (comments and blank lines kept)."""
    paths = list(files) or find_definition_files(directory)
    changed: list[str] = []
    for path in paths:
        outcome = format_file(path, convert=convert)
        shown = display_path(path)
        if outcome.skipped:
            where = f"{shown}:{outcome.line}" if outcome.line else shown
            echo_err(f"{where}: skipped: {outcome.skipped}")
            continue
        if not outcome.changes:
            continue
        if outcome.target != path:
            shown = f"{shown} -> {display_path(outcome.target)}"
        changed.append(shown)
        if not check:
            apply_outcome(outcome)
    verb = "would reformat" if check else "reformatted"
    echo_out("".join(f"{verb} {name}\n" for name in changed))
    if check and changed:
        echo_err(f"{len(changed)} file(s) would change; run hubprops fmt to lay them out")
        return EXIT_ERROR
    echo_err(f"{len(changed)} file(s) {verb}, {len(paths) - len(changed)} left as they were")
    return EXIT_OK
