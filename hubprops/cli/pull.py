"""``hubprops pull``: write definitions for the portal's custom properties and groups, and
record them in the lock as managed, so that ``validate`` passes and ``plan`` shows
``No changes.`` right after. The core is hubprops.definitions.pull; this reads and prints."""

from __future__ import annotations

from pathlib import Path

import click

from hubprops.cli._common import (
    EXIT_OK,
    RemoteOptions,
    definitions_option,
    echo_err,
    echo_out,
    error_boundary,
    lock_option,
    open_client,
    remote_options,
)
from hubprops.cli._remote import read_portal
from hubprops.definitions.legacy import default_schema_ref
from hubprops.definitions.loader import display_path
from hubprops.definitions.pull import PullOptions, plan_pull, record_pull, write_pull
from hubprops.lock.file import load_lock, save_lock


@click.command()
@click.option("--object", "objects", multiple=True, metavar="TYPE", help="Pull only this type.")
@definitions_option()
@click.option("--force", is_flag=True, help="Replace existing files.")
@click.option("--merge", is_flag=True, help="Add what existing files lack, keeping comments.")
@click.option(
    "--include",
    multiple=True,
    metavar="NAME",
    help="Also pull this HubSpot-defined property (repeat for more).",
)
@lock_option("Lock file to record the pulled properties in.")
@remote_options
@error_boundary
def pull(
    objects: tuple[str, ...],
    directory: str,
    force: bool,
    merge: bool,
    include: tuple[str, ...],
    lock_path: str,
    remote: RemoteOptions,
) -> int:
    """Write definitions for the portal's custom properties and groups."""
    if force and merge:
        raise click.UsageError("--force and --merge exclude each other")
    folder = Path(directory)
    notes: list[str] = []
    lock = load_lock(lock_path)  # an unreadable lock stops us before anything is written
    with open_client(remote) as client:
        state = read_portal(client, objects, portal_id=remote.portal, notes=notes)
    options = PullOptions(
        include=include,
        force=force,
        merge=merge,
        schema_ref=default_schema_ref(folder / "x.yaml"),
    )
    result = plan_pull(state, folder, options)
    write_pull(result)
    record_pull(lock, result, state)
    save_lock(lock_path, lock)
    for note in [*notes, *result.notes]:
        echo_err(f"note: {note}")
    lines = [
        f"{'merged into' if f.merged else 'wrote'} {display_path(f.path)}: "
        f"{len(f.properties)} properties, {len(f.groups)} groups\n"
        for f in result.files
    ]
    echo_out("".join(lines))
    others = sorted(p for p in lock.portals if p != str(state.portal_id))
    also = f" (it also records portal(s) {', '.join(others)})" if others else ""
    echo_err(
        f"Pulled {result.property_count} properties and {result.group_count} groups from portal "
        f"{state.portal_id}; recorded them in {lock_path}{also}. Next: hubprops validate, "
        "hubprops plan"
    )
    return EXIT_OK
