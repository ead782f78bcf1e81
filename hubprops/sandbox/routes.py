"""Path -> handler: the CRM Properties v3 endpoints, account details and limits.

``/crm/v3/properties/...`` and the date-versioned ``/crm/properties/YYYY-MM/...`` are the same
API here. ``dispatch`` returns ``(status, json_body_or_None)`` or raises ``ApiError``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hubprops.sandbox.batch import batch_archive, batch_create, batch_read
from hubprops.sandbox.errors import ApiError, invalid
from hubprops.sandbox.store import CUSTOM_PROPERTY_LIMIT, OBJECT_TYPES, SENSITIVITIES, Store

_PREFIX = re.compile(r"^/crm/(?:v3/properties|properties/\d{4}-\d{2})/(.+)$")
ACCOUNT_DETAILS = "/account-info/v3/details"
LIMITS = "/crm/v3/limits/custom-properties"

Reply = tuple[int, Any]


def is_mutating(method: str, path: str) -> bool:
    """Whether a request may change state (the ones a lost response can follow)."""
    return method in ("POST", "PATCH", "DELETE", "PUT") and not path.rstrip("/").endswith(
        "/batch/read"
    )


def _flag(query: dict[str, str], key: str) -> bool:
    raw = query.get(key, "false").lower()
    if raw not in ("true", "false"):
        raise invalid(f"Query parameter {key} must be true or false, not '{query[key]}'")
    return raw == "true"


def _sensitivity(query: dict[str, str]) -> str:
    value = query.get("dataSensitivity", "non_sensitive")
    if value not in SENSITIVITIES:
        raise invalid(f"dataSensitivity must be one of {', '.join(SENSITIVITIES)}")
    return value


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8")) if body.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid(f"Invalid input JSON: {exc}") from None


def _no_route(method: str, path: str) -> ApiError:
    return ApiError(404, f"Unable to route {method} {path}", category="OBJECT_NOT_FOUND")


def account_details(portal_id: int) -> dict[str, Any]:
    """``GET /account-info/v3/details``."""
    return {
        "portalId": portal_id,
        "accountType": "STANDARD",
        "timeZone": "US/Eastern",
        "companyCurrency": "USD",
        "additionalCurrencies": [],
        "utcOffset": "-05:00",
        "utcOffsetMilliseconds": -18000000,
        "uiDomain": "app.hubspot.com",
        "dataHostingLocation": "na1",
    }


def custom_property_limits(store: Store) -> dict[str, Any]:
    """CustomPropertyLimitResponse: custom (not HubSpot-defined) active properties."""
    rows: list[dict[str, Any]] = []
    total = 0
    for ot, (type_id, singular, plural) in OBJECT_TYPES.items():
        usage = sum(
            1 for p in store.objects[ot]["properties"].values() if not p.get("hubspotDefined")
        )
        total += usage
        rows.append(
            {
                "objectTypeId": type_id,
                "singularLabel": singular,
                "pluralLabel": plural,
                "limit": CUSTOM_PROPERTY_LIMIT,
                "usage": usage,
                "percentage": round(100.0 * usage / CUSTOM_PROPERTY_LIMIT, 2),
            }
        )
    overall = CUSTOM_PROPERTY_LIMIT * len(rows)
    return {
        "byObjectType": rows,
        "overallLimit": overall,
        "overallUsage": total,
        "overallPercentage": round(100.0 * total / overall, 2),
    }


def dispatch(
    store: Store,
    method: str,
    path: str,
    query: dict[str, str],
    body: bytes,
    *,
    portal_id: int,
    max_batch: int,
) -> Reply:
    """Answer one authenticated, admitted request."""
    path = path.rstrip("/") or "/"
    if path == ACCOUNT_DETAILS and method == "GET":
        return 200, account_details(portal_id)
    if path == LIMITS and method == "GET":
        return 200, custom_property_limits(store)
    match = _PREFIX.match(path)
    if not match:
        raise _no_route(method, path)
    parts = match.group(1).split("/")
    ot, rest = parts[0], parts[1:]
    if rest == ["groups"]:
        if method == "GET":
            return 200, {"results": store.list_groups(ot)}
        if method == "POST":
            return 201, store.create_group(ot, _json(body))
    elif len(rest) == 2 and rest[0] == "groups":
        if method == "GET":
            return 200, store.get_group(ot, rest[1])
        if method == "PATCH":
            return 200, store.update_group(ot, rest[1], _json(body))
        if method == "DELETE":
            store.archive_group(ot, rest[1])
            return 204, None
    elif len(rest) == 2 and rest[0] == "batch" and method == "POST":
        if rest[1] == "create":
            return batch_create(store, ot, _json(body), max_batch)
        if rest[1] == "read":
            return batch_read(store, ot, _json(body), max_batch)
        if rest[1] == "archive":
            batch_archive(store, ot, _json(body), max_batch)
            return 204, None
    elif not rest:
        if method == "GET":
            found = store.list_properties(
                ot, archived=_flag(query, "archived"), sensitivity=_sensitivity(query)
            )
            return 200, {"results": found}
        if method == "POST":
            return 201, store.create_property(ot, _json(body))
    elif len(rest) == 1:
        name = rest[0]
        if method == "GET":
            prop = store.get_property(
                ot, name, archived=_flag(query, "archived"), sensitivity=_sensitivity(query)
            )
            return 200, prop
        if method == "PATCH":
            return 200, store.update_property(ot, name, _json(body))
        if method == "DELETE":
            store.archive_property(ot, name)
            return 204, None
    store.list_groups(ot)  # an unknown object type is a 400 before "no such route"
    raise ApiError(405, f"Method {method} is not allowed on {path}", category="METHOD_NOT_ALLOWED")
