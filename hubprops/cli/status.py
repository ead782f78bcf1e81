"""``hubprops status [all|contacts|leads|TYPE]``: the last sync per object type, from the lock."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from hubprops.cli._common import EXIT_OK, _settings, error_boundary, lock_option, project_config
from hubprops.errors import ConfigError
from hubprops.lock.file import Lock, load_lock
from hubprops.lock.guard import running_holder
from hubprops.lock.status import choose_portal, status_data
from hubprops.models import canonical_object_type, object_type_id
from hubprops.render.status import (
    render_other_portals,
    render_status_json,
    render_status_text,
)
from hubprops.rules import OBJECT_TYPE_IDS


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
    if not Path(lock_path).is_file():
        raise ConfigError(
            f"no lock file {lock_path}: nothing was applied from here yet (`hubprops apply` "
            "writes it), or --lock / lock in hubprops.toml points at the wrong file"
        )
    lock = load_lock(lock_path)
    _check_sync_type(sync_type, lock)
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


def _check_sync_type(sync_type: str, lock: Lock) -> None:
    """An object type that is neither standard nor in the lock is a typo: name the nearest."""
    if sync_type.strip().lower() == "all":
        return
    known = set(OBJECT_TYPE_IDS)
    for entry in lock.portals.values():
        known |= {canonical_object_type(t) for t in entry.objects}
    name = canonical_object_type(sync_type)
    if name in known or name in {object_type_id(t) for t in known}:
        return
    close = difflib.get_close_matches(name.lower(), sorted(known), n=1, cutoff=0.6)
    hint = (
        f"; did you mean '{close[0]}'?" if close else f" (known: all, {', '.join(sorted(known))})"
    )
    raise ConfigError(f"unknown object type '{sync_type}'{hint}")


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
