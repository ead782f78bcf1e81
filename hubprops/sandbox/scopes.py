"""Scopes: which a request needs (any one of them is enough) and HubSpot's 403 when a token has
none of them (API-FACTS section 7; the body is the sandbox's reading of HubSpot's
MISSING_SCOPES answers).

- property and group reads (and property batch read): ``crm.schemas.{o}.read`` or ``.write``,
  or ``crm.objects.{o}.read`` or ``.write``;
- property and group writes: ``crm.schemas.{o}.write`` (leads: ``crm.objects.leads.write``, no
  lead schema scope exists);
- records search and batch read: ``crm.objects.{o}.read`` or ``.write``; batch update: ``.write``;
- limits: any ``crm.objects.*`` or ``crm.schemas.*`` read or write scope; account info: none.

``{o}`` is the object type's name (``contacts``, ``line_items``, ...) or ``custom``.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from hubprops.sandbox.errors import ApiError
from hubprops.sandbox.objecttypes import ObjectTypes
from hubprops.sandbox.versions import split_path

SCOPES_LINK = "https://developers.hubspot.com/scopes"


def token_key(token: str) -> str:
    """How a token is named in the state file's ``tokenScopes`` (never the token itself)."""
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def required(method: str, path: str, types: ObjectTypes) -> list[str] | None:
    """The scopes of which a request needs one, or None when it needs none (or is unroutable:
    the handler answers that)."""
    route = split_path(path.rstrip("/"))
    if route is None or route.version is None or route.area == "account-info":
        return None
    if route.area == "limits":
        return ["crm.objects.*.read", "crm.schemas.*.read"]
    parts = route.rest.strip("/").split("/")
    try:
        t = types.resolve(parts[0])
    except ApiError:
        return None
    o = t.scope_name
    tail = "/".join(parts[1:])
    if route.area == "objects":
        if tail == "batch/update":
            return [f"crm.objects.{o}.write"]
        return [f"crm.objects.{o}.read", f"crm.objects.{o}.write"]
    if method == "GET" or tail == "batch/read":
        return [f"crm.schemas.{o}.read", f"crm.schemas.{o}.write",
                f"crm.objects.{o}.read", f"crm.objects.{o}.write"]  # fmt: skip
    return ["crm.objects.leads.write"] if o == "leads" else [f"crm.schemas.{o}.write"]


def granted(need: list[str], have: frozenset[str]) -> bool:
    """Whether ``have`` holds one of ``need`` (``*`` in a needed scope matches any object)."""
    for scope in need:
        if "*" in scope:
            head, tail = scope.split("*", 1)
            if any(h.startswith(head) and h.endswith(tail) for h in have):
                return True
        elif scope in have:
            return True
    return False


def missing_scopes_body(need: list[str], correlation_id: str | None = None) -> dict[str, Any]:
    """HubSpot's 403 MISSING_SCOPES body."""
    return {
        "status": "error",
        "message": "This app hasn't been granted all required scopes to make this call. "
        f"Read more about required scopes here: {SCOPES_LINK}.",
        "correlationId": correlation_id or str(uuid.uuid4()),
        "errors": [
            {
                "message": "One or more of the following scopes are required.",
                "context": {"requiredGranularScopes": need},
            }
        ],
        "links": {"scopes": SCOPES_LINK},
        "category": "MISSING_SCOPES",
    }
