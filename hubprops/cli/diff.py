"""``hubprops diff --env A --env B`` (or ``--portal A --portal B``): compare two portals'
custom properties and groups directly, no definitions needed. Exits 0 same, 2 different, 1
error. Each side is an environment of hubprops.toml (``--portal ID`` picks the environment
with that portal_id); each token must belong to its environment's portal."""

from __future__ import annotations

from contextlib import ExitStack

import click

from hubprops.cli._common import (
    EXIT_CHANGES,
    EXIT_OK,
    RemoteOptions,
    _settings,
    echo_out,
    error_boundary,
    open_client,
    project_config,
)
from hubprops.cli._remote import read_portal
from hubprops.errors import ConfigError
from hubprops.plan.compare import compare_portals
from hubprops.render.diff import render_diff

FORMATS = ("text", "json", "markdown")


@click.command()
@click.option("--env", "envs", multiple=True, metavar="NAME", help="An environment (give two).")
@click.option("--portal", "portals", multiple=True, type=int, metavar="ID", help="Or a portal id.")
@click.option("--object", "objects", multiple=True, metavar="TYPE", help="Compare only this type.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@error_boundary
def diff(
    envs: tuple[str, ...], portals: tuple[int, ...], objects: tuple[str, ...], fmt: str
) -> int:
    """Compare two portals' custom properties and groups (exit 2 when they differ)."""
    names = [*envs, *(_env_of(p) for p in portals)]
    if len(names) != 2:
        raise click.UsageError("give exactly two portals: --env A --env B (or --portal ID twice)")
    if names[0] == names[1]:
        raise click.UsageError(f"both sides are environment {names[0]!r}; name two different ones")
    sides = [_remote(n) for n in names]
    with ExitStack() as stack:
        states = []
        for remote in sides:
            client = stack.enter_context(open_client(remote))
            portal = client.get_portal_id()
            if remote.portal is not None and portal != remote.portal:
                raise ConfigError(
                    f"the token in {remote.token_env} is for portal {portal}, but environment "
                    f"{remote.environment!r} is portal {remote.portal}"
                )
            states.append(read_portal(client, objects, portal_id=portal))
    comparison = compare_portals(states[0], states[1], names=(names[0], names[1]))
    echo_out(render_diff(comparison, fmt))
    return EXIT_CHANGES if comparison.differ else EXIT_OK


def _env_of(portal: int) -> str:
    config = project_config()
    found = [e.name for e in config.environments.values() if e.portal_id == portal]
    if not found:
        raise ConfigError(
            f"no environment of {config.path or 'hubprops.toml'} has portal_id {portal}; "
            "add an [environments.NAME] table with portal_id and token_env"
        )
    return found[0]


def _remote(env_name: str) -> RemoteOptions:
    settings = _settings(env_name=env_name)
    return RemoteOptions(
        api_base=settings.api_base,
        portal=settings.portal_id,
        sandbox=False,
        api_version=settings.api_version,
        token_env=settings.token_env,
        environment=settings.environment,
    )
