"""``/crm/v3/properties/...`` and ``/crm/properties/{version}/...``: properties, groups, batch.

Answers are shaped per version (``versions.py``): 2026-09 leaves out the fields it removed and
answers batch create/read 200 with ``errors``; date versions answer a group that has no
position (displayOrder -1) without ``displayOrder``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hubprops.sandbox.batch import batch_archive, batch_create, batch_read
from hubprops.sandbox.errors import ApiError, invalid
from hubprops.sandbox.store import SENSITIVITIES, Store
from hubprops.sandbox.versions import ApiVersion

Reply = tuple[int, Any]
_SURROGATE = re.compile("[\ud800-\udfff]")


def flag(query: dict[str, str], key: str) -> bool:
    raw = query.get(key, "false").lower()
    if raw not in ("true", "false"):
        raise invalid(f"Query parameter {key} must be true or false, not '{query[key]}'")
    return raw == "true"


def _sensitivity(query: dict[str, str]) -> str:
    value = query.get("dataSensitivity", "non_sensitive")
    if value not in SENSITIVITIES:
        raise invalid(f"dataSensitivity must be one of {', '.join(SENSITIVITIES)}")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _lone_surrogate(data: Any) -> bool:
    """Whether any key or string in ``data`` holds a lone surrogate (``"\\ud800"``): such a
    string has no UTF-8 form, so it could be neither answered nor saved."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_json(body: bytes) -> Any:
    """The request body as JSON, or a 400 VALIDATION_ERROR (never a 500) for anything HubSpot
    would refuse: bad UTF-8 or JSON, NaN/Infinity, nesting too deep, integers too long, lone
    surrogates."""
    if not body.strip():
        return None
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except RecursionError:
        raise invalid("Invalid input JSON: nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError, ints over 4300 digits
        raise invalid(f"Invalid input JSON: {exc}") from None
    if _lone_surrogate(data):
        raise invalid(
            "Invalid input JSON: a string holds a lone UTF-16 surrogate (\\ud800-\\udfff)"
        )
    return data


def show_property(prop: dict[str, Any], version: ApiVersion) -> dict[str, Any]:
    if not version.removed_outputs:
        return prop
    return {k: v for k, v in prop.items() if k not in version.removed_outputs}


def show_group(group: dict[str, Any], version: ApiVersion) -> dict[str, Any]:
    if version.group_order_optional and group.get("displayOrder") == -1:
        return {k: v for k, v in group.items() if k != "displayOrder"}
    return group


def _show_batch(status: int, payload: dict[str, Any], version: ApiVersion) -> Reply:
    payload = {**payload, "results": [show_property(p, version) for p in payload["results"]]}
    return (200 if status == 207 and not version.batch_207 else status), payload


def handle(
    store: Store,
    version: ApiVersion,
    method: str,
    rest: str,
    query: dict[str, str],
    body: bytes,
    max_batch: int,
) -> Reply:
    """Answer one properties-API request; ``rest`` is the path after the version."""
    parts = rest.strip("/").split("/") if rest.strip("/") else []
    if not parts:
        raise ApiError(404, f"Unable to route {method} {rest}", category="OBJECT_NOT_FOUND")
    ot, rest_parts = parts[0], parts[1:]
    if rest_parts == ["groups"]:
        if method == "GET":
            return 200, {"results": [show_group(g, version) for g in store.list_groups(ot)]}
        if method == "POST":
            return 201, show_group(store.create_group(ot, parse_json(body)), version)
    elif len(rest_parts) == 2 and rest_parts[0] == "groups":
        name = rest_parts[1]
        if method == "GET":
            return 200, show_group(store.get_group(ot, name), version)
        if method == "PATCH":
            return 200, show_group(store.update_group(ot, name, parse_json(body)), version)
        if method == "DELETE":
            store.archive_group(ot, name)
            return 204, None
    elif len(rest_parts) == 2 and rest_parts[0] == "batch" and method == "POST":
        if rest_parts[1] == "create":
            return _show_batch(*batch_create(store, ot, parse_json(body), max_batch, version),
                               version)  # fmt: skip
        if rest_parts[1] == "read":
            return _show_batch(*batch_read(store, ot, parse_json(body), max_batch), version)
        if rest_parts[1] == "archive":
            batch_archive(store, ot, parse_json(body), max_batch)
            return 204, None
    elif not rest_parts:
        if method == "GET":
            found = store.list_properties(
                ot, archived=flag(query, "archived"), sensitivity=_sensitivity(query)
            )
            return 200, {"results": [show_property(p, version) for p in found]}
        if method == "POST":
            return 201, show_property(store.create_property(ot, parse_json(body), version),
                                      version)  # fmt: skip
    elif len(rest_parts) == 1:
        name = rest_parts[0]
        if method == "GET":
            prop = store.get_property(
                ot, name, archived=flag(query, "archived"), sensitivity=_sensitivity(query)
            )
            return 200, show_property(prop, version)
        if method == "PATCH":
            updated = store.update_property(ot, name, parse_json(body), version)
            return 200, show_property(updated, version)
        if method == "DELETE":
            store.archive_property(ot, name)
            return 204, None
    store.list_groups(ot)  # an unknown object type is a 400 before "no such route"
    raise ApiError(405, f"Method {method} is not allowed on {rest}", category="METHOD_NOT_ALLOWED")
