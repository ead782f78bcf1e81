"""What ``hubprops serve`` runs with: plain data, filled by the CLI from flags and environment
(nothing here reads the environment)."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from hubprops.definitions.cache import ParseCache
    from hubprops.hubspot import HubSpotClient
    from hubprops.sandbox import Sandbox

DEFAULT_DATABASE = ".hubprops/server.db"
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$", re.IGNORECASE)
_UNIT = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_every(text: str) -> float:
    """``"24h"`` -> 86400.0; ``30m``, ``90s``, ``2d``. Raises ValueError naming the form."""
    match = _EVERY.match(text)
    seconds = float(match.group(1)) * _UNIT[match.group(2).lower()] if match else 0.0
    if seconds <= 0:
        raise ValueError(f"'{text}' is not a duration such as 24h, 30m or 90s")
    return seconds


@dataclass(frozen=True)
class AuthSettings:
    """How tokens are verified: exactly one of ``secret`` (HS256), ``public_key`` (PEM text;
    RS256 or ES256 by its type) or ``jwks_url``; ``issuer``/``audience`` checked when set."""

    secret: str | None = None
    public_key: str | None = None
    jwks_url: str | None = None
    issuer: str | None = None
    audience: str | None = None
    #: An unknown ``kid`` refetches the JWKS at most this often (a key rotation is picked up,
    #: a flood of made-up kids does not hammer the IdP).
    jwks_cooldown_s: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.secret or self.public_key or self.jwks_url)


#: Builds a HubSpot client for one sync, given the transport wrapper that counts requests.
ClientFactory = Callable[
    [Callable[["httpx.BaseTransport"], "httpx.BaseTransport"]],
    AbstractContextManager["HubSpotClient"],
]


@dataclass
class ServerSettings:
    """Everything the app needs. ``hubspot_token`` is never logged nor stored; with
    ``sandbox`` (or a given ``sandbox_instance``) syncs go to the in-process emulator."""

    auth: AuthSettings
    definitions: str = "definitions"
    lock_path: str = "hubprops.lock.json"
    database: str = DEFAULT_DATABASE
    schedule_every: float | None = None
    sandbox: bool = False
    sandbox_state: str | None = ".hubprops/sandbox.json"
    sandbox_latency_ms: float = 0.0
    sandbox_instance: Sandbox | None = None
    #: The parse cache of definitions files (``hubprops serve`` passes the CLI's,
    #: ``HUBPROPS_CACHE_DIR``): a sync of unchanged files does not parse them again.
    parse_cache: ParseCache | None = None
    api_base: str = "https://api.hubapi.com"
    #: HubSpot API version the service's client speaks (hubprops.rules.API_VERSIONS).
    api_version: str = "2026-03"
    hubspot_token: str | None = field(default=None, repr=False)
    portal_id: int | None = None
    max_body_bytes: int = 1_000_000
    client_factory: ClientFactory | None = None
