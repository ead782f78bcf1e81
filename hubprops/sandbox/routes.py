"""Path -> handler: properties, objects (records), limits and account info, per API version.

``dispatch`` returns ``(status, json_body_or_None)`` or raises ``ApiError``. The areas live in
``properties_routes`` (properties, groups, batch), ``objects_routes`` (search, batch read and
update of records) and ``account`` (details, daily usage, custom-property limits). A version
that does not exist (``/crm/properties/2026-04/...``) is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hubprops.sandbox import objects_routes, properties_routes
from hubprops.sandbox.account import account_details, custom_property_limits, daily_usage, no_route
from hubprops.sandbox.errors import ApiError
from hubprops.sandbox.records import RecordStore
from hubprops.sandbox.store import Store
from hubprops.sandbox.versions import split_path

Reply = tuple[int, Any]


@dataclass
class Context:
    """What a handler may use besides the request."""

    store: Store
    records: RecordStore
    portal_id: int
    max_batch: int
    daily_limit: int | None = None
    daily_used: int = 0


def is_mutating(method: str, path: str) -> bool:
    """Whether a request may change state (the ones a lost response can follow)."""
    tail = path.rstrip("/")
    return method in ("POST", "PATCH", "DELETE", "PUT") and not (
        tail.endswith("/batch/read") or tail.endswith("/search")
    )


def dispatch(ctx: Context, method: str, path: str, query: dict[str, str], body: bytes) -> Reply:
    """Answer one authenticated, admitted request."""
    path = path.rstrip("/") or "/"
    route = split_path(path)
    if route is None:
        raise no_route(method, path)
    if route.version is None:
        raise ApiError(
            404,
            f"API version '{route.version_name}' does not exist for {route.area}",
            category="OBJECT_NOT_FOUND",
        )
    if route.area == "properties":
        return properties_routes.handle(
            ctx.store, route.version, method, route.rest, query, body, ctx.max_batch
        )
    if route.area == "objects":
        return objects_routes.handle(
            ctx.store, ctx.records, route.version, method, route.rest, query, body, ctx.max_batch
        )
    if method == "GET" and route.area == "limits" and route.rest == "/custom-properties":
        return 200, custom_property_limits(ctx.store)
    if method == "GET" and route.area == "account-info" and route.rest == "/details":
        return 200, account_details(ctx.portal_id)
    if method == "GET" and route.rest == "/api-usage/daily/private-apps":
        return 200, daily_usage(ctx.daily_limit, ctx.daily_used, ctx.store.now_text())
    raise no_route(method, path)
