"""``POST .../objects/{objectType}/search``: filterGroups, sorts, properties, paging, total.

Filter groups are ORed, the filters in a group ANDed (at most 5 groups, 6 filters per group,
18 in all). Operators: EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY,
NOT_HAS_PROPERTY, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN. String comparisons ignore case. On a
multi-select (checkbox) enumeration EQ, IN and CONTAINS_TOKEN match any one of the record's
``;``-separated values ([UNCONFIRMED] on HubSpot). A filter or sort on a property that does not
exist (or is archived) is a 400. ``limit`` 1..200 (default 10); ``after`` is an offset; a page
beyond 10,000 results is a 400.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from hubprops.sandbox.errors import detail, invalid
from hubprops.sandbox.records import SYSTEM, RecordStore, system_values

MAX_LIMIT = 200
MAX_RESULTS = 10_000
OPERATORS = frozenset(
    {
        "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
        "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
    }
)  # fmt: skip


def _num(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value.lower()


def _cmp(a: str, b: str) -> int:
    x, y = _num(a), _num(b)
    if type(x) is not type(y):
        x, y = str(x), str(y)
    return (x > y) - (x < y)  # type: ignore[operator]


def _sort_key(value: str | None) -> tuple[int, float, str]:
    if value is None:
        return (2, 0.0, "")
    parsed = _num(value)
    return (0, parsed, "") if isinstance(parsed, float) else (1, 0.0, parsed)


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^\w@.*-]+", text.lower()) if t]


def _match(op: str, have: str | None, f: dict[str, Any], multi: bool) -> bool:
    if op == "HAS_PROPERTY":
        return have is not None
    if op == "NOT_HAS_PROPERTY":
        return have is None
    if op.startswith("NOT_") or op == "NEQ":
        positive = {"NEQ": "EQ", "NOT_IN": "IN", "NOT_CONTAINS_TOKEN": "CONTAINS_TOKEN"}[op]
        return not _match(positive, have, f, multi)
    if have is None:
        return False
    parts = have.split(";") if multi else [have]
    value = str(f.get("value", ""))
    if op == "EQ":
        return any(_cmp(p, value) == 0 for p in parts)
    if op == "IN":
        wanted = [str(v) for v in f.get("values") or []]
        return any(_cmp(p, w) == 0 for p in parts for w in wanted)
    if op == "CONTAINS_TOKEN":
        pattern = value.lower()
        return any(fnmatch.fnmatchcase(t, pattern) for p in parts for t in [*_tokens(p), p.lower()])
    if op == "BETWEEN":
        return _cmp(have, value) >= 0 and _cmp(have, str(f.get("highValue", ""))) <= 0
    order = _cmp(have, value)
    return {"LT": order < 0, "LTE": order <= 0, "GT": order > 0, "GTE": order >= 0}[op]


def _check_filters(groups: Any, active: dict[str, Any]) -> list[list[dict[str, Any]]]:
    if groups is None:
        return []
    if not isinstance(groups, list) or len(groups) > 5:
        raise invalid("filterGroups must be a list of at most 5 groups")
    out, total = [], 0
    for gi, group in enumerate(groups):
        filters = group.get("filters") if isinstance(group, dict) else None
        if not isinstance(filters, list) or len(filters) > 6:
            raise invalid(f"filterGroups[{gi}] needs 'filters': a list of at most 6 filters")
        total += len(filters)
        for fi, f in enumerate(filters):
            where = f"filterGroups[{gi}].filters[{fi}]"
            if not isinstance(f, dict) or f.get("operator") not in OPERATORS:
                raise invalid(f"{where}: unknown operator", [detail("operator", where)])
            name = f.get("propertyName")
            if name not in active and name not in SYSTEM:
                raise invalid(
                    f"{where}: property '{name}' does not exist",
                    [detail(f"no property '{name}'", where, "PROPERTY_DOESNT_EXIST")],
                )
        out.append(filters)
    if total > 18:
        raise invalid("at most 18 filters in all filterGroups")
    return out


def search(
    records: RecordStore, object_type: str, body: Any, active: dict[str, Any]
) -> dict[str, Any]:
    """One search request -> ``{total, results, paging?}``."""
    if not isinstance(body, dict):
        raise invalid("Invalid input JSON: expected a search request object")
    limit = body.get("limit", 10)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 <= limit <= MAX_LIMIT:
        raise invalid(f"limit must be an integer from 0 to {MAX_LIMIT}")
    try:
        after = int(body.get("after") or 0)
    except (TypeError, ValueError):
        raise invalid("after must be a paging cursor from a previous answer") from None
    if after + limit > MAX_RESULTS:
        raise invalid(f"Search results are limited to {MAX_RESULTS} per query")
    groups = _check_filters(body.get("filterGroups"), active)
    names = body.get("properties")
    if names is not None and not (
        isinstance(names, list) and all(isinstance(n, str) for n in names)
    ):
        raise invalid("properties must be a list of property names")
    multi = {n for n, p in active.items() if p["fieldType"] == "checkbox"}
    query = str(body.get("query") or "").lower()
    found: list[tuple[str, dict[str, str]]] = []
    for record_id, row in records.rows(object_type).items():
        values = {**row["properties"], **system_values(object_type, record_id, row)}
        if query and not any(query in v.lower() for v in values.values()):
            continue
        if groups and not any(
            all(
                _match(f["operator"], values.get(f["propertyName"]), f, f["propertyName"] in multi)
                for f in filters
            )
            for filters in groups
        ):
            continue
        found.append((record_id, values))
    for sort in reversed(body.get("sorts") or []):
        key = sort.get("propertyName") if isinstance(sort, dict) else sort
        if key not in active and key not in SYSTEM:
            raise invalid(f"cannot sort on unknown property '{key}'")
        desc = isinstance(sort, dict) and sort.get("direction") == "DESCENDING"
        found.sort(key=lambda rv: _sort_key(rv[1].get(str(key))), reverse=desc)
    page = found[after : after + limit]
    out: dict[str, Any] = {
        "total": len(found),
        "results": [records.present(object_type, rid, names, active) for rid, _ in page],
    }
    if after + limit < len(found) and limit > 0:
        out["paging"] = {"next": {"after": str(after + limit)}}
    return out
