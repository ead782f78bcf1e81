"""Where requests go and whose portal it is: checked before any request that matters.

``check_api_base``, ``check_token`` and ``check_segment`` refuse at once, as configuration
errors, what would otherwise be sent (a token in clear over http, ``..`` as a URL path) or
retried for seconds as a network error (a malformed URL, a token ending in a line break).

``resolve_portal`` decides the portal once: HubSpot's account details win whenever the token
can read them; ``--portal`` only fills in when it cannot (a token without the scope), and a
``--portal`` that disagrees with HubSpot is refused naming both, so a plan for one portal is
never applied to another and recorded under the first.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Protocol
from urllib.parse import urlsplit

from hubprops.errors import ConfigError, NotFound, PermissionDenied, RemoteError, WrongPortal


class PortalReader(Protocol):
    """What ``resolve_portal`` needs of a client (the HubSpotClient; a Protocol so that this
    module, which the client imports, does not import it back)."""

    def get_portal_id(self) -> int: ...


__all__ = ["check_api_base", "check_segment", "check_token", "resolve_portal", "scrub"]


def resolve_portal(client: PortalReader, given: int | None) -> int:
    """The portal behind ``client``: HubSpot's answer when it gives one (WrongPortal if
    ``given`` differs), else ``given``. Without ``given``, HubSpot's refusal is raised."""
    try:
        actual = client.get_portal_id()
    except (PermissionDenied, NotFound):
        if given is None:
            raise
        return given
    except RemoteError as exc:  # answered, but without a portalId
        if given is None or type(exc) is not RemoteError:
            raise
        return given
    if given is not None and given != actual:
        raise WrongPortal(
            f"--portal {given} does not match the portal this token is for ({actual}); "
            f"drop --portal, or use the token of portal {given}"
        )
    return actual


#: Loopback hosts: the only ones plain http may reach without --insecure-http.
_LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})
#: The shortest token hubprops accepts. HubSpot's private app tokens are ~44 characters
#: (``pat-na1-<uuid>``); a one-letter "token" is a mistake, and scrubbing it from messages would
#: blank out every occurrence of that letter.
MIN_TOKEN_LENGTH = 8
#: An object type or name that can be one URL path segment.
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_api_base(url: str, *, insecure_http: bool = False) -> str:
    """``url`` without a trailing slash, or ConfigError at once (a malformed base would
    otherwise be retried as a network error). https anywhere; plain http only to loopback, or
    anywhere with ``insecure_http`` (a lab proxy): the bearer token would travel in clear."""
    parts = urlsplit(url.strip()) if url else None
    host = parts.hostname if parts is not None else None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise ConfigError(
            f"--api-base {url!r} is not an http(s) URL (e.g. https://api.hubapi.com, or "
            "http://127.0.0.1:8765 for a local sandbox)"
        )
    if parts.scheme == "http" and not insecure_http and not _is_loopback(host):
        raise ConfigError(
            f"--api-base {url!r} is plain http to {host}, which would send the HubSpot token "
            "in clear; use https, or --insecure-http for a proxy in a lab"
        )
    return url.strip().rstrip("/")


def check_token(token: str) -> str:
    """``token`` if it can be a HubSpot token, else ConfigError (never showing the token):
    printable ASCII without spaces or line breaks, at least ``MIN_TOKEN_LENGTH`` long."""
    if not all("!" <= ch <= "~" for ch in token):
        raise ConfigError(
            "HUBSPOT_ACCESS_TOKEN holds a space, a line break or a non-ASCII character; "
            "copy the private app token again (value not shown)"
        )
    if len(token) < MIN_TOKEN_LENGTH:
        raise ConfigError(
            f"HUBSPOT_ACCESS_TOKEN is shorter than {MIN_TOKEN_LENGTH} characters: not a "
            "HubSpot token; copy the private app token again (value not shown)"
        )
    return token


def check_segment(value: str, what: str = "object type") -> str:
    """``value`` if it is safe as one URL path segment (``..`` or ``a/b`` are not), else
    ConfigError: checked before any request is built from it."""
    if not _SEGMENT.fullmatch(value):
        raise ConfigError(
            f"{value!r} is not a valid {what} (letters, digits, '_' and '-'; e.g. contacts, "
            "0-1, 2-1234567)"
        )
    return value


def scrub(text: str, token: str | None) -> str:
    """``text`` with ``token`` replaced by ``***``. A token shorter than ``MIN_TOKEN_LENGTH``
    was never sent (``check_token``), so it is not looked for: scrubbing ``e`` would mangle the
    message without protecting anything."""
    if token and len(token) >= MIN_TOKEN_LENGTH and token in text:
        return text.replace(token, "***")
    return text
