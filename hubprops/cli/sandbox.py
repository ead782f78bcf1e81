"""``hubprops sandbox``: serve the HubSpot-compatible emulator over HTTP on loopback.

Prints one line with the URL, then serves until Ctrl-C (exit 0). Point any HubSpot client at
it: ``HUBPROPS_API_BASE=http://127.0.0.1:8765 HUBSPOT_ACCESS_TOKEN=anything hubprops plan``.
"""

from __future__ import annotations

import errno

import click

from hubprops.cli._common import EXIT_OK, error_boundary
from hubprops.errors import ConfigError


def _rate(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[int, float] | None:
    if value is None:
        return None
    count, _, seconds = value.partition("/")
    try:
        parsed = (int(count), float(seconds))
    except ValueError:
        parsed = (0, 0.0)
    if parsed[0] < 1 or parsed[1] <= 0:
        raise click.BadParameter(f"'{value}' is not N/SECONDS, e.g. 100/10 or 190/10")
    return parsed


def _bind_hint(exc: OSError) -> str:
    """What went wrong binding, and what to do about it."""
    what = exc.strerror or str(exc)
    if exc.errno == errno.EADDRINUSE or exc.errno == errno.EACCES:
        return f"{what}; choose another --port (0 picks a free one)"
    if exc.errno == errno.EAFNOSUPPORT:
        return f"{what}; this machine has no IPv6: use an IPv4 --host such as 127.0.0.1"
    return f"{what}; --host must be an address of this machine (127.0.0.1, ::1, 0.0.0.0, ::)"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="0: any."
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Keep the portal in this JSON file across restarts (default: in memory only).",
)
@click.option(
    "--rate-limit",
    default=None,
    callback=_rate,
    help="Rolling window N/SECONDS (TEN_SECONDLY_ROLLING); default: the tier's, else 100/10.",
)
@click.option(
    "--daily-limit",
    type=click.IntRange(min=1),
    default=None,
    help="Daily cap (default: the tier's, else none).",
)
@click.option(
    "--tier",
    type=click.Choice(["free", "starter", "professional", "enterprise", "api-add-on"]),
    default=None,
    help="HubSpot tier: sets the rate limit, daily limit and custom-property quota.",
)
@click.option(
    "--custom-property-limit",
    type=click.IntRange(min=1),
    default=None,
    help="Custom properties per object type (default: the tier's, else 1000).",
)
@click.option(
    "--keep-display-order-minus-one",
    is_flag=True,
    help="Keep displayOrder -1 as given (HubSpot rewrites it to the last position).",
)
@click.option(
    "--custom-object",
    "custom_objects",
    multiple=True,
    help="Declare a custom object type NAME (2-N, p{portalId}_NAME); repeatable.",
)
@click.option(
    "--scopes",
    default=None,
    help="Comma list of the scopes every token has (default: all; else 403 MISSING_SCOPES).",
)
@click.option(
    "--records",
    type=click.IntRange(min=0),
    default=0,
    help="Seed each object type with N records (kept in --state).",
)
@click.option(
    "--latency", type=click.FloatRange(min=0), default=0.0, help="Delay per request, in ms."
)
@click.option(
    "--fault-rate", type=click.FloatRange(0, 1), default=0.0, help="Share of 502/503/504."
)
@click.option(
    "--lost-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Share of changes committed whose response is dropped.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the faults.")
@click.option(
    "--token",
    default=None,
    help="Accept only this bearer token (default: any non-empty one); required off loopback.",
)
@click.option(
    "--portal-id",
    type=click.IntRange(min=1),
    default=None,
    help="Portal id (default: the --state file's, else 12345678).",
)
@click.option("--retry-after", is_flag=True, help="Send Retry-After on 429 (HubSpot: unsure).")
@click.option("--empty", is_flag=True, help="Start without HubSpot-defined seed data.")
@error_boundary
def sandbox(
    host: str,
    port: int,
    state_file: str | None,
    rate_limit: tuple[int, float] | None,
    daily_limit: int | None,
    tier: str | None,
    custom_property_limit: int | None,
    keep_display_order_minus_one: bool,
    custom_objects: tuple[str, ...],
    scopes: str | None,
    records: int,
    latency: float,
    fault_rate: float,
    lost_rate: float,
    seed: int,
    token: str | None,
    portal_id: int | None,
    retry_after: bool,
    empty: bool,
) -> int:
    """Run a local HubSpot CRM API: properties, records search (no account needed)."""
    from hubprops.sandbox import Sandbox, SandboxHTTPServer
    from hubprops.sandbox.http import exposure_problem, is_loopback

    if token is not None and not token.strip():
        raise ConfigError("hubprops sandbox: --token must not be empty")
    problem = exposure_problem(host, token)
    if problem is not None:
        raise ConfigError(f"hubprops sandbox: {problem}")

    scope_list = None if scopes is None else [s.strip() for s in scopes.split(",") if s.strip()]
    try:
        emulator = Sandbox(
            state_file=state_file,
            portal_id=portal_id,
            token=token,
            rate_limit=rate_limit,
            daily_limit=daily_limit,
            latency_ms=latency,
            fault_rate=fault_rate,
            lost_response_rate=lost_rate,
            seed=seed,
            seed_data=not empty,
            retry_after=retry_after,
            tier=tier,
            custom_property_limit=custom_property_limit,
            keep_display_order_minus_one=keep_display_order_minus_one,
            custom_objects=custom_objects,
            scopes=scope_list,
            records=records,
        )
    except ValueError as exc:
        raise ConfigError(f"hubprops sandbox: {exc}") from None
    try:
        server = SandboxHTTPServer(emulator, host, port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {_bind_hint(exc)}") from None
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}, not loopback: anyone who can reach this machine "
            "can use the sandbox with the --token",
            err=True,
        )
    with server:
        where = f"state in {state_file}" if state_file else "in memory"
        click.echo(
            f"hubprops sandbox listening on {server.url} (portal {emulator.portal_id}, {where}); "
            "Ctrl-C to stop"
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("hubprops sandbox stopped", err=True)
    return EXIT_OK
