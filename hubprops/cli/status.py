"""``hubprops status [all|contacts|leads|TYPE]``: the last sync per object type, from the lock."""

from __future__ import annotations

import click

from hubprops.cli._common import EXIT_OK, error_boundary, lock_option
from hubprops.lock.file import load_lock
from hubprops.lock.guard import running_holder
from hubprops.lock.status import choose_portal, status_data
from hubprops.render.status import render_status_json, render_status_text


@click.command()
@click.argument("sync_type", default="all", metavar="[all|contacts|leads|TYPE]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints the status endpoint's data object.",
)
@lock_option("Lock file to read.")
@click.option("--portal", type=int, default=None, help="Portal id (default: most recently synced).")
@error_boundary
def status(sync_type: str, fmt: str, lock_path: str, portal: int | None) -> int:
    """Show the last sync per object type, as recorded in the lock file. Needs no token."""
    lock = load_lock(lock_path)
    data = status_data(lock, sync_type, portal)
    if fmt == "json":
        click.echo(render_status_json(data), nl=False)
        return EXIT_OK
    chosen = choose_portal(lock, portal)
    text = render_status_text(
        data,
        portal_id=chosen,
        lock_path=lock_path,
        portal_count=len(lock.portals) if portal is None else 1,
        apply_running=running_holder(lock_path) is not None,
    )
    click.echo(text, nl=False)
    return EXIT_OK
