"""One comparable form for a definition and for HubSpot's JSON, and digests of those forms.

A *normalized* property or group is a plain dict keyed by HubSpot field names, holding only the
fields being compared, with HubSpot's server defaults filled in, so that two equal dicts mean
"nothing to change":

- a field absent from a definition is not managed and not compared;
- a missing key, a JSON ``null`` and the server default are the same value (``description`` "",
  ``hidden``/``formField``/``hasUniqueValue``/``externalOptions``/``showCurrencySymbol`` false,
  ``displayOrder`` -1, ``dataSensitivity`` non_sensitive, ``options`` []); any negative
  ``displayOrder`` is -1 ("after the positive values",
  docs/hubspot-api.md, "Display order");
- ``options`` are compared as a whole, by value and in display order: each option becomes
  ``{label, value, description, hidden}`` (description "" and hidden false by default), listed
  in the order HubSpot displays them, i.e. sorted by displayOrder (an option without one takes
  its position; a negative one goes after the others; ties are ordered by value). The displayOrder
  numbers themselves are dropped: 0,1,2 and 10,20,30 mean the same order;
- read-only metadata, timestamps, user ids and the order of HubSpot's lists never appear.

Digests are sha256 over canonical JSON (sorted keys, no whitespace) of a normalized form.
``remote_digest`` covers exactly ``PROPERTY_FIELDS`` of a HubSpot property (what a definition
can manage), normalized as above; it leaves out ``createdAt``, ``updatedAt``, ``archivedAt``,
``createdUserId``, ``updatedUserId``, ``archived``, ``calculated``, ``hubspotDefined``,
``modificationMetadata``, ``sensitiveDataCategories``, ``dateDisplayHint`` and any field unknown
here. ``remote_group_digest`` covers ``GROUP_FIELDS`` (name, label, displayOrder).

``displayOrder: -1`` on a property means "last in its group", and HubSpot stores it as a real
position (highest + 1). ``at_end`` tells which remote properties sit at the end of their group
behind only properties also wanted last; ``normalize_wanted`` then reads their position as -1,
so that a plan right after an apply is empty (docs/hubspot-api.md, "Display order"). Every
comparison of a definition with HubSpot (plan, drift, already-applied, adopt) goes through it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from hubprops.models import GroupDef, PropertyDef
from hubprops.rules import DEFAULTS, GROUP_FIELDS, OPTION_DEFAULTS, PROPERTY_FIELDS

__all__ = [
    "GROUP_FIELDS",
    "PROPERTY_FIELDS",
    "at_end",
    "definition_digest",
    "digest",
    "field_order",
    "normalize_definition",
    "normalize_options",
    "normalize_remote",
    "normalize_wanted",
    "option_order",
    "remote_digest",
    "remote_group_digest",
]


def field_order(field: str) -> tuple[int, str]:
    """Sort key showing fields as HubSpot documents them (``PROPERTY_FIELDS`` order); a dotted
    or bracketed path (``options[x].label``, ``options order``) sorts with its top field."""
    top = field.split("[", 1)[0].split(".", 1)[0].split(" ", 1)[0]
    index = PROPERTY_FIELDS.index(top) if top in PROPERTY_FIELDS else len(PROPERTY_FIELDS)
    return (index, field)


#: The canonical JSON writer, made once: ``json.dumps`` with these options builds a new encoder
#: per call, a third of the time of a small object's digest (a plan takes thousands). No
#: circular check: what is digested comes from JSON or is built from it, and is never circular.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False
)


def digest(obj: Any) -> str:
    """sha256 (hex) of the canonical JSON of ``obj``: sorted keys, no whitespace, UTF-8."""
    return hashlib.sha256(_CANONICAL.encode(obj).encode("utf-8")).hexdigest()


def option_order(options: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Options in HubSpot's display order: by displayOrder, a missing one being the option's
    position, negatives after the others. Options sharing a displayOrder are ordered by value:
    HubSpot's list order among them means nothing, so it must not make a diff."""

    def key(pair: tuple[int, Mapping[str, Any]]) -> tuple[bool, int, str, int]:
        index, option = pair
        order = option.get("displayOrder")
        order = index if order is None else int(order)
        return (order < 0, order, str(option.get("value")), index)

    return [option for _, option in sorted(enumerate(options), key=key)]


def normalize_options(options: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Options as compared: ``{label, value, description, hidden}`` in display order."""
    out: list[dict[str, Any]] = []
    for option in option_order(options or ()):
        item = {
            "label": option.get("label"),
            "value": option.get("value"),
            "description": option.get("description"),
            "hidden": option.get("hidden"),
        }
        for key, default in OPTION_DEFAULTS.items():
            if item[key] is None:
                item[key] = default
        out.append(item)
    return out


def _value(field: str, value: Any) -> Any:
    """One field's value in normalized form (defaults filled, displayOrder clamped)."""
    if value is None:
        value = DEFAULTS.get(field)
    if field == "options":
        return normalize_options(value)
    if field == "displayOrder" and isinstance(value, int) and value < 0:
        return -1
    return value


def normalize_definition(p: PropertyDef | GroupDef) -> dict[str, Any]:
    """The definition's managed fields (``managed_fields()``) in normalized form; a property
    or a group. A field set to null in a definition counts as not set."""
    managed = p.managed_fields()
    return {k: _value(k, v) for k, v in managed.items() if v is not None}


def normalize_remote(remote: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """HubSpot's property or group JSON projected on ``fields``, defaults filled, in
    normalized form."""
    return {f: _value(f, remote.get(f)) for f in fields}


def at_end(
    properties: Mapping[str, Mapping[str, Any]], wanted: Mapping[str, Mapping[str, Any]]
) -> frozenset[str]:
    """Names of HubSpot ``properties`` that are where ``displayOrder: -1`` puts them.

    ``wanted`` maps the names the definitions manage to their normalized definitions. A
    property counts when its definition asks for displayOrder -1 in the group HubSpot has it
    in, and no property the definitions leave alone comes after it in that group (a higher
    displayOrder, or a tie). HubSpot writes -1 as "highest + 1" at the time of the write, so
    managed properties written after it (wanted last too, at a given position, or anywhere)
    may follow it without moving it: "last" then means "after everything else", which is what
    a definition can ask for and what one apply can achieve. Properties HubSpot holds without a
    position (a negative displayOrder, e.g. some HubSpot-defined ones) come after nothing.
    """

    def wants_last(name: str, prop: Mapping[str, Any]) -> bool:
        want = wanted.get(name)
        if want is None or want.get("displayOrder") != -1:
            return False
        return bool(want.get("groupName", prop.get("groupName")) == prop.get("groupName"))

    by_group: dict[Any, dict[int, list[str]]] = {}
    for name, prop in properties.items():
        order = prop.get("displayOrder")
        if isinstance(order, int) and not isinstance(order, bool) and order >= 0:
            ties = by_group.setdefault(prop.get("groupName"), {})
            ties.setdefault(order, []).append(name)
    found: set[str] = set()
    for ties in by_group.values():
        for position in sorted(ties, reverse=True):
            names = ties[position]
            if any(n not in wanted for n in names):
                break
            found.update(n for n in names if wants_last(n, properties[n]))
    return frozenset(found)


def normalize_wanted(
    remote: Mapping[str, Any], wanted: Mapping[str, Any], last: Collection[str] = ()
) -> dict[str, Any]:
    """``normalize_remote(remote, wanted)`` (the fields a normalized definition ``wanted``
    manages), with the displayOrder of a property in ``last`` (``at_end``) read as -1."""
    out = normalize_remote(remote, wanted)
    if "displayOrder" in out and remote.get("name") in last:
        out["displayOrder"] = -1
    return out


def definition_digest(p: PropertyDef | GroupDef) -> str:
    """Digest of ``normalize_definition(p)``: what the lock records after apply. It equals
    ``digest(normalize_remote(remote, <the same fields>))`` when HubSpot matches."""
    return digest(normalize_definition(p))


def remote_digest(remote: Mapping[str, Any]) -> str:
    """Digest of a HubSpot property's meaningful content (``PROPERTY_FIELDS``, normalized);
    see the module docstring for what it leaves out. Used to tell a stale plan."""
    return digest(normalize_remote(remote, PROPERTY_FIELDS))


def remote_group_digest(remote: Mapping[str, Any]) -> str:
    """Digest of a HubSpot group's ``GROUP_FIELDS`` (``archived`` is left out)."""
    return digest(normalize_remote(remote, GROUP_FIELDS))
