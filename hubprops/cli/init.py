"""``hubprops init [DIR]``: a starter repository (definitions/, hubprops.toml, the definitions
schema for editors, ``.hubprops/`` in .gitignore). Never overwrites a file. The core is
hubprops.definitions.starter."""

from __future__ import annotations

import os
from pathlib import Path

import click

from hubprops.cli._common import (
    EXIT_OK,
    RemoteOptions,
    echo_err,
    echo_out,
    error_boundary,
    open_client,
    remote_options,
)
from hubprops.cli._remote import STANDARD_OBJECT_TYPES, read_portal
from hubprops.definitions.starter import starter_files, write_starter


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@remote_options
@error_boundary
def init(directory: Path, remote: RemoteOptions) -> int:
    """Start a hubprops repository in DIR (default: here)."""
    if remote.sandbox:
        files = starter_files((), stahla=True)
        how = "the Stahla examples (try them with --sandbox)"
    elif os.environ.get(remote.token_env):
        notes: list[str] = []
        with open_client(remote) as client:
            types = tuple(read_portal(client, (), portal_id=remote.portal, notes=notes).objects)
        for note in notes:
            echo_err(f"note: {note}")
        files = starter_files(types)
        how = "one commented example per object type this token can read"
    else:
        files = starter_files(STANDARD_OBJECT_TYPES)
        how = (
            f"one commented example per standard object type ({remote.token_env} is not set, "
            "so the portal was not asked which ones this token can read)"
        )
    written = write_starter(directory, files)
    echo_out("".join(f"created {(directory / p).as_posix()}\n" for p in written))
    where = "" if directory == Path(".") else f"cd {directory} && "
    echo_err(
        f"Started a hubprops repository with {how}. Next: {where}hubprops validate, then "
        "hubprops plan --sandbox (no account needed) or hubprops pull --merge (from your portal)."
    )
    return EXIT_OK
