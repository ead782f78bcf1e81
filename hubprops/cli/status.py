"""``hubprops status [all|contacts|leads|TYPE]``: the last sync per object type, from the lock."""

from __future__ import annotations

import click

from hubprops.cli._common import EXIT_OK, _settings, error_boundary, lock_option, project_config
from hubprops.lock.file import Lock, load_lock
from hubprops.lock.guard import running_holder
from hubprops.lock.status import choose_portal, status_data
from hubprops.render.status import (
    render_other_portals,
    render_status_json,
    render_status_text,
)


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
@click.option(
    "--env", "env_name", default=None, metavar="NAME", help="The portal of this environment."
)
@error_boundary
def status(
    sync_type: str, fmt: str, lock_path: str, portal: int | None, env_name: str | None
) -> int:
    """Show the last sync per object type, as recorded in the lock file. Needs no token."""
    if env_name is not None:
        portal = _settings(env_name=env_name, portal_id=portal).portal_id
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
    if portal is None:
        text += render_other_portals(_others(lock, chosen))
    click.echo(text, nl=False)
    return EXIT_OK


def _others(lock: Lock, chosen: str | None) -> list[tuple[str, str | None, str | None, int]]:
    """Every portal of the lock but ``chosen``, with its environment name from hubprops.toml."""
    names = {str(e.portal_id): e.name for e in project_config().environments.values()}
    out = []
    for portal_id, entry in sorted(lock.portals.items()):
        if portal_id == chosen:
            continue
        last = (
            f"{entry.last_sync.status} at {entry.last_sync.timestamp}" if entry.last_sync else None
        )
        count = sum(len(o.properties) for o in entry.objects.values())
        out.append((portal_id, names.get(portal_id), last, count))
    return out
