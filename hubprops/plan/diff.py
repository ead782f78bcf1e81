"""The planner's small pure helpers: the keyed differ, field-level diffs, destructiveness and
the PropertyCreate body of a definition (HubSpot's field rules are in ``hubprops.rules``).

``diff_keys`` is the whole differ: after normalization, two dicts keyed by name give added,
removed, modified and unchanged names in sorted order. ``field_diffs`` says which fields of a
modified one differ: scalar fields by comparison, options (and any other nested field) with
deepdiff, which names each option added, removed or changed. ``destructive_reasons`` decides,
in one place, whether a change may lose data, and says why in words a reviewer understands.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from hubprops.models import PropertyDef
from hubprops.normalize import field_order
from hubprops.plan.types import FieldDiff, Reason
from hubprops.rules import MULTI_VALUE_FIELD_TYPES

ORDER_FIELD = "options order"


@dataclass(frozen=True)
class KeyDiff:
    """Names only on the right (added), only on the left (removed), on both sides with
    different values (modified) or equal values (unchanged); each sorted."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    modified: tuple[str, ...]
    unchanged: tuple[str, ...]


def diff_keys(before: Mapping[str, Any], after: Mapping[str, Any]) -> KeyDiff:
    """Compare two dicts keyed by name, values already normalized."""
    common = sorted(before.keys() & after.keys())
    return KeyDiff(
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        modified=tuple(k for k in common if before[k] != after[k]),
        unchanged=tuple(k for k in common if before[k] == after[k]),
    )


def _view(normalized: Mapping[str, Any]) -> dict[str, Any]:
    """A normalized property with its options keyed by value (so that deepdiff names them)."""
    view = dict(normalized)
    if isinstance(view.get("options"), list):
        view["options"] = {
            str(o.get("value")): {k: v for k, v in o.items() if k != "value"}
            for o in view["options"]
        }
    return view


def _options_by_value(normalized: Mapping[str, Any]) -> dict[str, Any]:
    options = normalized.get("options")
    return {str(o.get("value")): o for o in options} if isinstance(options, list) else {}


@cache
def _deepdiff_options() -> dict[str, Any]:
    """deepdiff >= 8 reports a dict sharing under a third of its keys as one changed value
    (``threshold_to_diff_deeper``), which would hide which options were removed or added: always
    diff deeper. deepdiff 7 always did and does not know the option."""
    from deepdiff import DeepDiff

    known = inspect.signature(DeepDiff.__init__).parameters
    return {"threshold_to_diff_deeper": 0} if "threshold_to_diff_deeper" in known else {}


def field_diffs(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldDiff, ...]:
    """What differs between two normalized forms, one FieldDiff per field, sorted by field.

    Options get one entry per option (``options[<value>]`` added or removed, or
    ``options[<value>].<key>`` changed) plus ``options order`` when the options both sides have
    are listed in another order.
    """
    found: dict[str, FieldDiff] = {}
    nested: list[str] = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict | list) or isinstance(new, dict | list):
            if (key in before) != (key in after) or old != new:
                nested.append(key)
        elif (key in before) != (key in after) or type(old) is not type(new) or old != new:
            found[key] = FieldDiff(field=key, before=old, after=new)  # what deepdiff would say
    b_opts, a_opts = _options_by_value(before), _options_by_value(after)
    if nested:
        _nested_diffs(before, after, nested, b_opts, a_opts, found)
    if b_opts and a_opts:
        old_order = [v for v in b_opts if v in a_opts]
        new_order = [v for v in a_opts if v in b_opts]
        if old_order != new_order:
            found[ORDER_FIELD] = FieldDiff(field=ORDER_FIELD, before=old_order, after=new_order)
    return tuple(found[k] for k in sorted(found, key=field_order))


def _nested_diffs(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    fields: list[str],
    b_opts: Mapping[str, Any],
    a_opts: Mapping[str, Any],
    found: dict[str, FieldDiff],
) -> None:
    """deepdiff over the fields holding a list or a mapping (options): which options were
    added or removed, and which of their keys changed. Imported here: a plan whose changes
    touch scalar fields only (a label, a description) never pays for importing it."""
    from deepdiff import DeepDiff

    b_view, a_view = _view(before), _view(after)
    tree = DeepDiff(
        {k: b_view[k] for k in fields if k in b_view},
        {k: a_view[k] for k in fields if k in a_view},
        view="tree",
        **_deepdiff_options(),
    )
    for items in tree.values():
        for item in items:
            path = item.path(output_format="list")
            if not path:
                continue
            top = str(path[0])
            if top == "options" and len(path) >= 2:
                value = str(path[1])
                if len(path) == 2:
                    name = f"options[{value}]"
                    found[name] = FieldDiff(
                        field=name, before=b_opts.get(value), after=a_opts.get(value)
                    )
                else:
                    name = f"options[{value}].{path[2]}"
                    found[name] = FieldDiff(
                        field=name,
                        before=(b_opts.get(value) or {}).get(str(path[2])),
                        after=(a_opts.get(value) or {}).get(str(path[2])),
                    )
            else:
                found[top] = FieldDiff(field=top, before=before.get(top), after=after.get(top))


def destructive_reasons(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[str]:
    """Why a change from ``before`` to ``after`` (normalized forms) may lose data; [] if not.

    ``after`` None is an archive; ``before`` None a create (never destructive). Destructive:
    a type change, leaving a multi-value fieldType (checkbox), removing an option, archiving.
    """
    if before is None:
        return []
    if after is None:
        return [Reason.ARCHIVE_PROPERTY.say()]
    reasons: list[str] = []
    if "type" in after and before.get("type") != after["type"]:
        reasons.append(Reason.TYPE_CHANGE.say(before=before.get("type"), after=after["type"]))
    old_ft, new_ft = before.get("fieldType"), after.get("fieldType")
    if "fieldType" in after and old_ft in MULTI_VALUE_FIELD_TYPES and new_ft != old_ft:
        reasons.append(Reason.LEAVES_MULTI_VALUE.say(before=old_ft, after=new_ft))
    if "options" in after:
        kept = {o.get("value") for o in after["options"]}
        for option in before.get("options") or ():
            if option.get("value") not in kept:
                reasons.append(Reason.OPTION_REMOVED.say(value=option.get("value")))
    return reasons


def group_archive_reason() -> str:
    """The reason shown for archiving a group."""
    return Reason.ARCHIVE_GROUP.say()


def property_body(p: PropertyDef) -> dict[str, Any]:
    """The definition as a PropertyCreate body: its managed fields; each option with its
    displayOrder (its position unless given) and hidden (false unless given)."""
    body = {k: v for k, v in p.managed_fields().items() if v is not None}
    if "options" in body:
        body["options"] = [
            {"displayOrder": i, "hidden": False, **{k: v for k, v in o.items() if v is not None}}
            for i, o in enumerate(body["options"])
        ]
    return body
