"""``hubprops serve``: the original sync HTTP API (needs ``pip install 'hubprops[server]'``).

FastAPI and uvicorn are imported only here, when the command runs. JWT settings come from the
environment (HUBPROPS_JWT_SECRET / _PUBLIC_KEY / _JWKS_URL, _ISSUER, _AUDIENCE); without a key
the server refuses to start. SIGTERM lets a running sync finish its requests in flight and
record a partial result before the process exits.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from hubprops.cli._common import (
    EXIT_ERROR,
    EXIT_OK,
    RemoteOptions,
    definitions_option,
    echo_err,
    error_boundary,
    lock_option,
    parse_cache,
    remote_options,
)
from hubprops.errors import ConfigError

EXTRA_HINT = "hubprops serve needs the server extra: pip install 'hubprops[server]'"
JWT_ENV = {
    "secret": "HUBPROPS_JWT_SECRET",
    "public_key": "HUBPROPS_JWT_PUBLIC_KEY",
    "jwks_url": "HUBPROPS_JWT_JWKS_URL",
    "issuer": "HUBPROPS_JWT_ISSUER",
    "audience": "HUBPROPS_JWT_AUDIENCE",
}


def _has_extra() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("fastapi", "uvicorn", "jwt"))


def _public_key(value: str | None) -> str | None:
    """PEM text, or the path of a file holding it."""
    if not value or "-----BEGIN" in value:
        return value
    try:
        return Path(value).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{JWT_ENV['public_key']}: cannot read {value}: {exc.strerror}") from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@definitions_option(note="read afresh at every sync")
@lock_option("Lock file the syncs update.")
@click.option(
    "--database",
    default=".hubprops/server.db",
    show_default=True,
    help="SQLite file of the audit log and sync history (created and migrated on start).",
)
@click.option(
    "--schedule-every",
    default=None,
    metavar="DURATION",
    help="Sync all every DURATION (24h, 30m, 90s); user 'scheduler' in the audit log.",
)
@click.option(
    "--sandbox-latency",
    type=click.FloatRange(min=0),
    default=0.0,
    hidden=True,
    help="Delay per sandbox request, in ms (for demos and tests).",
)
@remote_options
@error_boundary
def serve(
    host: str,
    port: int,
    directory: str,
    lock_path: str,
    database: str,
    schedule_every: str | None,
    sandbox_latency: float,
    remote: RemoteOptions,
) -> int:
    """Serve the original sync HTTP API (JWT-protected) over plan + apply."""
    if not _has_extra():
        echo_err(f"error: {EXTRA_HINT}")
        return EXIT_ERROR
    from hubprops.server import AuthSettings, ServerSettings, create_app, parse_every

    every = None
    if schedule_every is not None:
        try:
            every = parse_every(schedule_every)
        except ValueError as exc:
            raise ConfigError(f"--schedule-every: {exc}") from None
    token = os.environ.get(remote.token_env)
    if not remote.sandbox and not token:
        raise ConfigError(
            f"no HubSpot token: set {remote.token_env}, or use --sandbox to serve against the "
            "emulator"
        )
    env = {k: os.environ.get(v) or None for k, v in JWT_ENV.items()}
    auth = AuthSettings(
        secret=env["secret"],
        public_key=_public_key(env["public_key"]),
        jwks_url=env["jwks_url"],
        issuer=env["issuer"],
        audience=env["audience"],
    )
    settings = ServerSettings(
        auth=auth,
        definitions=directory,
        lock_path=lock_path,
        database=database,
        schedule_every=every,
        sandbox=remote.sandbox,
        sandbox_state=remote.sandbox_state,
        sandbox_latency_ms=sandbox_latency,
        api_base=remote.api_base,
        hubspot_token=token,
        portal_id=remote.portal,
        api_version=remote.api_version,
        parse_cache=parse_cache(),
    )
    try:
        app = create_app(settings)
    except ValueError as exc:
        raise ConfigError(f"refusing to start: {exc}") from None
    _log_to_stderr()
    _run(app, host, port)
    return EXIT_OK


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("hubprops.server", "hubprops.server.access"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logger.handlers[:] = [handler]


def _run(app: Any, host: str, port: int) -> None:
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            app.state.stop()  # a running sync stops starting requests; in-flight ones finish
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="info")
    Server(config).run()
