"""Is what HubSpot holds what we sent? Used when a write's answer was lost.

A create whose answer was lost and whose retry meets 409 "already exists" is read back and
compared with what was sent: equal means our first attempt was applied (success, never a
duplicate and never a false failure); different means someone else owns that name (Conflict).
Only the fields we sent are compared; options by value and label (HubSpot adds displayOrder,
hidden and description defaults of its own).
"""

from __future__ import annotations

from typing import Any

from hubprops.errors import Conflict

GROUP_FIELDS = ("name", "label", "displayOrder")
_EMPTY: tuple[Any, ...] = (False, "", None, [], {})


def _options_key(options: Any) -> list[tuple[str, str]]:
    if not isinstance(options, list):
        return []
    return sorted(
        (str(o.get("value")), str(o.get("label"))) for o in options if isinstance(o, dict)
    )


def differences(sent: dict[str, Any], remote: dict[str, Any]) -> list[str]:
    """The fields of ``sent`` that ``remote`` does not hold, as readable lines."""
    out: list[str] = []
    for key in sorted(sent):
        want = sent[key]
        have = remote.get(key)
        if key == "options":
            if _options_key(want) != _options_key(have):
                out.append(f"options: sent {_options_key(want)}, HubSpot has {_options_key(have)}")
            continue
        if key == "displayOrder" and want == -1:
            continue  # -1 means "after the others": HubSpot may answer with the position it chose
        if key not in remote and want in _EMPTY:
            continue  # HubSpot omits some defaults (API-FACTS section 3)
        if have != want:
            out.append(f"{key}: sent {want!r}, HubSpot has {have!r}")
    return out


def require_same(
    kind: str, name: str, sent: dict[str, Any], remote: dict[str, Any] | None, what: str
) -> dict[str, Any]:
    """Return ``remote`` if it holds what was sent, else raise Conflict naming the differences.

    ``kind`` is "property" or "group"; ``what`` names the call whose answer was lost.
    """
    if remote is None:
        raise Conflict(
            f"{what}: HubSpot said {kind} {name!r} already exists after our earlier attempt's "
            f"answer was lost, but reading it back found nothing; run plan again",
            status=409,
        )
    diffs = differences(sent, remote)
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
