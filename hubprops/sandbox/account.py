"""``/account-info/{v3|version}/details`` and ``.../api-usage/daily/private-apps``, and the
custom-property limits at ``/crm/v3/limits/custom-properties`` and
``/crm/limits/{version}/custom-properties`` (CustomPropertyLimitResponse, API-FACTS S3)."""

from __future__ import annotations

from typing import Any

from hubprops.sandbox.errors import ApiError
from hubprops.sandbox.store import Store


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


def daily_usage(limit: int | None, used: int, now_text: str) -> dict[str, Any]:
    """``GET /account-info/v3/api-usage/daily/private-apps``."""
    return {
        "results": [
            {
                "name": "api-calls-daily",
                "usageLimit": limit if limit is not None else 0,
                "currentUsage": used,
                "collectedAt": now_text,
                "fetchStatus": "SUCCESS",
            }
        ]
    }


def custom_property_limits(store: Store) -> dict[str, Any]:
    """CustomPropertyLimitResponse: custom (not HubSpot-defined) active properties per type."""
    rows: list[dict[str, Any]] = []
    total = 0
    limit = store.property_limit
    for t in store.types.all():
        props = store.objects[t.key]["properties"].values()
        usage = sum(1 for p in props if not p.get("hubspotDefined"))
        total += usage
        rows.append(
            {
                "objectTypeId": t.type_id,
                "singularLabel": t.singular,
                "pluralLabel": t.plural,
                "limit": limit,
                "usage": usage,
                "percentage": round(100.0 * usage / limit, 2) if limit else 100.0,
            }
        )
    overall = limit * len(rows)
    return {
        "byObjectType": rows,
        "overallLimit": overall,
        "overallUsage": total,
        "overallPercentage": round(100.0 * total / overall, 2) if overall else 100.0,
    }


def no_route(method: str, path: str) -> ApiError:
    return ApiError(404, f"Unable to route {method} {path}", category="OBJECT_NOT_FOUND")
