"""``hubprops drift``: read-only; has HubSpot moved away from what the lock recorded at the
last apply or pull? Lists each managed property or group changed or archived in HubSpot, field
by field. Exits 0 no drift, 2 drift, 1 error. The core is hubprops.plan.drift."""

from __future__ import annotations

import click

from hubprops.cli._common import (
    EXIT_CHANGES,
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
from hubprops.errors import ConfigError, DefinitionError
from hubprops.hubspot.endpoint import resolve_portal
from hubprops.lock.file import load_lock
from hubprops.models import Definitions
from hubprops.plan.drift import drift_types, find_drift
from hubprops.plan.remote import read_remote
from hubprops.render.drift import render_drift

FORMATS = ("text", "json", "markdown")


@click.command()
@click.option("--object", "objects", multiple=True, metavar="TYPE", help="Check only this type.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@definitions_option(note="used only to name the fields that changed")
@lock_option("Lock file: what hubprops recorded at the last apply.")
@remote_options
@error_boundary
def drift(
    objects: tuple[str, ...], fmt: str, directory: str, lock_path: str, remote: RemoteOptions
) -> int:
    """Show what someone changed or archived in HubSpot since the last apply (exit 2)."""
    lock = load_lock(lock_path)
    definitions = _definitions(directory)
    with open_client(remote) as client:
        portal = resolve_portal(client, remote.portal)
        types = drift_types(lock, portal, objects)
        if not types:
            recorded = ", ".join(sorted(lock.portals)) or "none"
            raise ConfigError(
                f"{lock_path} records nothing for portal {portal} (portals recorded: "
                f"{recorded}); run hubprops pull or apply first, or pick the portal with --env"
            )
        state = read_remote(client, types, portal_id=portal)
    report = find_drift(lock, state, definitions, types)
    echo_out(render_drift(report, fmt))
    return EXIT_CHANGES if report.has_drift else EXIT_OK


def _definitions(directory: str) -> Definitions | None:
    """The definitions when they load (they name the fields); drift works without them."""
    from hubprops.definitions.loader import load_definitions

    try:
        return load_definitions(directory, cache=parse_cache()).definitions
    except DefinitionError as exc:
        echo_err(f"note: definitions not used ({exc}); fields are named where the lock allows")
        return None
