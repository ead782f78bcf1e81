"""Is what HubSpot holds what we sent? Used when a write's answer was lost.

A create whose answer was lost and whose retry meets 409 "already exists" is read back and
compared with what was sent: equal means our first attempt was applied (success, never a
duplicate and never a false failure); different means someone else owns that name (Conflict,
never a false success). Only the fields we sent are compared; options by value, each with the
fields sent for it (HubSpot adds displayOrder, hidden and description defaults of its own to
options that leave them out).
"""

from __future__ import annotations

from typing import Any

from hubprops.errors import Conflict
from hubprops.rules import GROUP_FIELDS


def _is_empty(value: Any) -> bool:
    """A value HubSpot may leave out of its answer: false, "", null, [] or {} (not 0)."""
    return value is None or value is False or value == "" or value == [] or value == {}


def _options_key(options: Any) -> list[tuple[str, str]]:
    if not isinstance(options, list):
        return []
    return sorted(
        (str(o.get("value")), str(o.get("label"))) for o in options if isinstance(o, dict)
    )


def _field_differs(key: str, want: Any, remote: dict[str, Any]) -> bool:
    """Does ``remote`` hold something else than ``want`` for ``key``?

    Lenient only where HubSpot may answer differently for the same definition: a missing key
    for an empty default, and any position for a displayOrder of -1 ("after the others").
    """
    if key == "displayOrder" and want == -1:
        return False
    if key not in remote and _is_empty(want):
        return False  # HubSpot omits some defaults (docs/hubspot-api.md, "Server defaults")
    return bool(remote.get(key) != want)


def _option_differences(want: Any, have: Any) -> list[str]:
    """Options compared by value: the same values, each with the label and every other
    field that was sent for it (description, hidden, displayOrder)."""
    sent = [o for o in want if isinstance(o, dict)] if isinstance(want, list) else []
    held = [o for o in have if isinstance(o, dict)] if isinstance(have, list) else []
    remote = {str(o.get("value")): o for o in held}
    if sorted(str(o.get("value")) for o in sent) != sorted(remote):
        return [f"options: sent {_options_key(want)}, HubSpot has {_options_key(have)}"]
    out: list[str] = []
    for option in sent:
        value = str(option.get("value"))
        for key in sorted(option):
            if key != "value" and _field_differs(key, option[key], remote[value]):
                out.append(
                    f"options[{value!r}].{key}: sent {option[key]!r}, "
                    f"HubSpot has {remote[value].get(key)!r}"
                )
    return out


def differences(sent: dict[str, Any], remote: dict[str, Any]) -> list[str]:
    """The fields of ``sent`` that ``remote`` does not hold, as readable lines."""
    out: list[str] = []
    for key in sorted(sent):
        want = sent[key]
        if key == "options":
            out.extend(_option_differences(want, remote.get(key)))
        elif _field_differs(key, want, remote):
            out.append(f"{key}: sent {want!r}, HubSpot has {remote.get(key)!r}")
    return out


def require_same(
    kind: str,
    name: str,
    sent: dict[str, Any],
    remote: dict[str, Any] | None,
    what: str,
    *,
    update: bool = False,
) -> dict[str, Any]:
    """Return ``remote`` if it holds what was sent, else raise Conflict naming the differences.

    ``kind`` is "property" or "group"; ``what`` names the call whose answer was lost;
    ``update`` says it was a PATCH (``remote`` is then the retried PATCH's answer).
    """
    if remote is None:
        raise Conflict(
            f"{what}: HubSpot said {kind} {name!r} already exists after our earlier attempt's "
            f"answer was lost, but reading it back found nothing; run plan again",
            status=409,
        )
    diffs = differences(sent, remote)
    if diffs and update:
        raise Conflict(
            f"{what}: our earlier attempt's answer was lost and the retried update left "
            f"{kind} {name!r} with other values than we sent (is someone else changing it at "
            "the same time?); run plan again",
            status=409,
            details=diffs,
        )
    if diffs:
        raise Conflict(
            f"{what}: {kind} {name!r} already exists in HubSpot with other values than ours "
            "(made by someone else?); run plan again to adopt or rename it",
            status=409,
            details=diffs,
        )
    return remote


def group_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The part of a group create body that reconciliation compares: name, label, order."""
    return {k: body[k] for k in GROUP_FIELDS if k in body}
