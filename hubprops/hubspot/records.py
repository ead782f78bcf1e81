"""Records of an object type: count and search (``POST .../search``), read and update in batches.

HubSpot's search endpoints have their own limit, about 5 requests per second per token, answered
429 "You have reached your secondly limit." without rate-limit headers, and searches also count
against the app's normal window (API-FACTS section 11). So every search goes through a
``SearchLimiter``: it waits for the search window (5 per second) and then for the client's own
limiter, and a 429 holds back only the searches. Retries, backoff and error translation are the
client's (``Requester``); searches get their own circuit breaker, so a failing search index
cannot stop an apply's property writes.

Object-API paths are built in one place, ``objects_path``, which takes the API version
(``v3`` -> ``/crm/v3/objects/{type}``, a date version -> ``/crm/objects/{V}/{type}``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from hubprops.errors import RemoteError
from hubprops.hubspot._http import Answer, Requester
from hubprops.hubspot.ratelimit import RateLimiter
from hubprops.hubspot.retry import CircuitBreaker

if TYPE_CHECKING:
    from hubprops.hubspot.client import HubSpotClient

#: HubSpot's search limit per token (API-FACTS section 11).
SEARCH_PER_SECOND = 5
#: Records per search page and per batch update (batch endpoints take at most 100 inputs).
PAGE_SIZE = 100
BATCH_UPDATE_SIZE = 100

Filter = dict[str, Any]


def objects_path(object_type: str, tail: str = "", *, api_version: str = "v3") -> str:
    """The object API path of ``object_type`` (``tail`` like ``search`` or ``batch/update``)."""
    base = (
        f"/crm/v3/objects/{quote(object_type, safe='')}"
        if api_version == "v3"
        else f"/crm/objects/{quote(api_version, safe='')}/{quote(object_type, safe='')}"
    )
    return f"{base}/{tail}" if tail else base


def _version_of(client: HubSpotClient) -> str:
    """The API version the client speaks (``v3`` until the client records one)."""
    version = getattr(client, "api_version", None)
    return version if isinstance(version, str) and version else "v3"


class SearchLimiter(RateLimiter):
    """The search window (``SEARCH_PER_SECOND`` per second) in front of the client's limiter.

    ``acquire`` waits for both; ``observe`` tunes the client's limiter (search answers carry no
    rate-limit headers, other answers do); a 429 on a search holds back only the searches.
    """

    def __init__(self, main: RateLimiter, per_second: int = SEARCH_PER_SECOND, **kw: Any) -> None:
        kw.setdefault("safety", 0)
        kw.setdefault("pad", 0.05)
        super().__init__(per_second, 1.0, **kw)
        self.main = main

    def acquire(self) -> float:
        super().acquire()
        return self.main.acquire()

    def observe(self, headers: Mapping[str, str], sent_at: float | None = None) -> None:
        self.main.observe(headers, sent_at)

    def throttled(self, sent_at: float | None = None, retry_after: float | None = None) -> None:
        super().throttled(None, retry_after)


@dataclass(frozen=True)
class Page:
    """One search page: the records (``{id, properties}``), HubSpot's ``total`` and the cursor
    of the next page (None on the last)."""

    results: tuple[dict[str, Any], ...]
    total: int
    after: str | None


def has_property(name: str) -> Filter:
    return {"propertyName": name, "operator": "HAS_PROPERTY"}


def not_has_property(name: str) -> Filter:
    return {"propertyName": name, "operator": "NOT_HAS_PROPERTY"}


def any_of(name: str, values: Sequence[str]) -> Filter:
    """Records holding one of ``values`` (on a checkbox: any one of their values)."""
    if len(values) == 1:
        return {"propertyName": name, "operator": "EQ", "value": values[0]}
    return {"propertyName": name, "operator": "IN", "values": list(values)}


class Records:
    """Record calls for one client (one portal). ``api_version`` picks the paths (default: the
    client's own ``api_version`` when it has one, else ``v3``)."""

    def __init__(
        self,
        client: HubSpotClient,
        *,
        api_version: str | None = None,
        search_limiter: RateLimiter | None = None,
    ) -> None:
        self.client = client
        self.api_version = api_version or _version_of(client)
        req = client._req
        self.search_limiter = search_limiter or SearchLimiter(
            client.limiter, clock=client.retry.clock, sleep=client.retry.sleep
        )
        self._search = Requester(
            req.http,
            req.base_url,
            self.search_limiter,
            client.retry,
            CircuitBreaker(
                client.retry.circuit_threshold, client.retry.circuit_cooldown, client.retry.clock
            ),
            client.stats,
        )

    def _path(self, object_type: str, tail: str) -> str:
        return objects_path(object_type, tail, api_version=self.api_version)

    @staticmethod
    def _ok(answer: Answer) -> dict[str, Any]:
        if not 200 <= answer.status < 300:
            raise answer.error()
        return answer.json()

    def search(
        self,
        object_type: str,
        filters: Sequence[Filter],
        *,
        limit: int = PAGE_SIZE,
        after: str | None = None,
        properties: Sequence[str] = (),
        sort_by_id: bool = False,
    ) -> Page:
        """One search request: the records matching every filter (one filter group)."""
        body: dict[str, Any] = {
            "filterGroups": [{"filters": list(filters)}],
            "limit": limit,
            "properties": list(properties),
        }
        if after is not None:
            body["after"] = after
        if sort_by_id:
            body["sorts"] = [{"propertyName": "hs_object_id", "direction": "ASCENDING"}]
        data = self._ok(self._search.send("POST", self._path(object_type, "search"), json=body))
        total = data.get("total")
        results = data.get("results")
        if not isinstance(total, int) or not isinstance(results, list):
            raise RemoteError(
                f"search on {object_type} answered without total and results", status=200
            )
        following = ((data.get("paging") or {}).get("next") or {}).get("after")
        return Page(
            tuple(r for r in results if isinstance(r, dict)),
            total,
            str(following) if following is not None else None,
        )

    def count(self, object_type: str, filters: Sequence[Filter]) -> int:
        """How many records match: one search with ``limit: 1``, read from ``total``."""
        return self.search(object_type, filters, limit=1).total

    def batch_update(self, object_type: str, inputs: Sequence[dict[str, Any]]) -> None:
        """``batch/update`` of at most ``BATCH_UPDATE_SIZE`` records (``{id, properties}``)."""
        if len(inputs) > BATCH_UPDATE_SIZE:
            raise ValueError(f"at most {BATCH_UPDATE_SIZE} records per batch update")
        path = self._path(object_type, "batch/update")
        answer = self.client._req.send("POST", path, json={"inputs": list(inputs)})
        data = self._ok(answer)
        errors = data.get("errors")
        if isinstance(errors, list) and errors:
            first = errors[0] if isinstance(errors[0], dict) else {}
            raise RemoteError(
                f"batch update of {object_type} records failed for {len(errors)} input(s): "
                f"{first.get('message', 'no message')}",
                status=answer.status,
            )


def pages_for(records: int, page_size: int = PAGE_SIZE) -> int:
    """Search pages needed to walk ``records`` results (one page even when there are none)."""
    return max(1, math.ceil(records / page_size))


def daily_remaining(client: HubSpotClient, *, api_version: str | None = None) -> int | None:
    """Requests left today: from the rate-limit headers the client has seen, else from
    ``GET /account-info/{version}/api-usage/daily/private-apps`` (``usageLimit -
    currentUsage``); None when HubSpot reports neither (or refuses the usage call)."""
    seen = client.limiter.figures().get("daily_remaining")
    if isinstance(seen, int):
        return seen
    version = quote(api_version or _version_of(client), safe="")
    path = f"/account-info/{version}/api-usage/daily/private-apps"
    try:
        answer = client._req.send("GET", path)
    except RemoteError:
        return None
    if answer.status != 200:
        return None
    results = answer.json().get("results")
    left: list[int] = []
    for item in results if isinstance(results, list) else ():
        limit, used = (item or {}).get("usageLimit"), (item or {}).get("currentUsage")
        if isinstance(limit, int) and isinstance(used, int) and limit > 0:
            left.append(max(0, limit - used))
    return min(left) if left else None
