"""HubSpot's rules as data, written once for the client side, and the checks that use them.

Every fact about HubSpot that the client side needs lives here, with where it comes from
(``docs/hubspot-api.md``), and the rest of the code asks this module: object types and their
ids, the fields a definition can manage, HubSpot's server defaults, type/fieldType pairs,
what PATCH can and cannot change, the groups every portal has, limits and the dataSensitivity
levels. The sandbox (``hubprops/sandbox``) keeps its own copy on purpose, so that an emulator
sharing our understanding cannot hide our mistakes; ``tests/test_rules.py`` compares the two and
lists the intended differences.

- A create needs name, label, type, fieldType and groupName (PropertyCreate's required fields).
- Some fields are absent from PropertyUpdate (``NOT_PATCHABLE``): fixed when the property is
  created.
- A property whose ``modificationMetadata.readOnlyDefinition`` is true (HubSpot-defined ones)
  lets only ``READ_ONLY_DEFINITION_EDITABLE`` change, plus ``options`` when ``readOnlyOptions``
  is false.

Each check returns problems as sentences a user can act on (the caller adds file:line).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: HubSpot's standard object types: name -> objectTypeId (docs/hubspot-api.md, "Object types";
#: HubSpot's "object type ids" table). Custom objects are ``2-N`` or ``p{portalId}_{name}``.
OBJECT_TYPE_IDS: Mapping[str, str] = {
    "contacts": "0-1",
    "companies": "0-2",
    "deals": "0-3",
    "tickets": "0-5",
    "products": "0-7",
    "line_items": "0-8",
    "quotes": "0-14",
    "communications": "0-18",
    "feedback_submissions": "0-19",
    "tasks": "0-27",
    "notes": "0-46",
    "meetings": "0-47",
    "calls": "0-48",
    "emails": "0-49",
    "invoices": "0-53",
    "marketing_events": "0-54",
    "subscriptions": "0-69",
    "goal_targets": "0-74",
    "payments": "0-101",
    "postal_mail": "0-116",
    "orders": "0-123",
    "leads": "0-136",
    "carts": "0-142",
    "services": "0-162",
    "courses": "0-410",
    "listings": "0-420",
    "appointments": "0-421",
}
#: The object types ``pull`` and ``init`` read when no --object is given (the CRM's main ones).
CORE_OBJECT_TYPES: tuple[str, ...] = ("companies", "contacts", "deals", "leads", "tickets")
#: A custom object type: its id (``2-N``) or fully qualified name (``p{portalId}_{name}``).
CUSTOM_OBJECT_TYPE = re.compile(r"^(2-[0-9]+|p[0-9]+_[a-z][a-z0-9_]*)$")


def is_custom_object_type(value: str) -> bool:
    """True iff ``value`` names a custom object type (``2-N`` or ``p{portalId}_{name}``)."""
    return bool(CUSTOM_OBJECT_TYPE.match(value.strip().lower()))


#: Every field a property definition can manage, in HubSpot's names (PropertyCreate's fields),
#: in the order HubSpot documents them.
PROPERTY_FIELDS: tuple[str, ...] = (
    "name",
    "label",
    "type",
    "fieldType",
    "groupName",
    "description",
    "options",
    "displayOrder",
    "hidden",
    "formField",
    "hasUniqueValue",
    "calculationFormula",
    "externalOptions",
    "referencedObjectType",
    "dataSensitivity",
    "showCurrencySymbol",
    "numberDisplayHint",
    "textDisplayHint",
    "currencyPropertyName",
)
#: Every field a group definition can manage (PropertyGroupCreate).
GROUP_FIELDS: tuple[str, ...] = ("name", "label", "displayOrder")

#: dataSensitivity levels. HubSpot lists only ``DEFAULT_SENSITIVITY`` properties unless a list
#: or read asks for another level (docs/hubspot-api.md, "Sensitive properties").
SENSITIVITIES: tuple[str, ...] = ("non_sensitive", "sensitive", "highly_sensitive")
DEFAULT_SENSITIVITY = "non_sensitive"

#: HubSpot's value for a field a create leaves out (docs/hubspot-api.md, "Server defaults").
#: Fields not listed have no default: a missing one is None.
DEFAULTS: Mapping[str, Any] = {
    "description": "",
    "options": [],
    "displayOrder": -1,
    "hidden": False,
    "formField": False,
    "hasUniqueValue": False,
    "externalOptions": False,
    "showCurrencySymbol": False,
    "dataSensitivity": DEFAULT_SENSITIVITY,
}
#: The same for each option of a property.
OPTION_DEFAULTS: Mapping[str, Any] = {"description": "", "hidden": False}

#: type -> the fieldTypes HubSpot pairs with it (docs/hubspot-api.md, "Types and field types").
FIELD_TYPES: Mapping[str, frozenset[str]] = {
    "bool": frozenset({"booleancheckbox", "calculation_equation"}),
    "enumeration": frozenset(
        {"booleancheckbox", "checkbox", "radio", "select", "calculation_equation"}
    ),
    "date": frozenset({"date"}),
    "datetime": frozenset({"date"}),
    "string": frozenset(
        {"file", "text", "textarea", "calculation_equation", "html", "phonenumber"}
    ),
    "number": frozenset({"number", "calculation_equation"}),
    "phone_number": frozenset({"phonenumber"}),
}
#: fieldTypes that hold several values per record; leaving them keeps only one value.
MULTI_VALUE_FIELD_TYPES = frozenset({"checkbox"})

#: What HubSpot needs to create a property, besides its name.
REQUIRED_ON_CREATE = ("label", "type", "fieldType", "groupName")
#: Absent from PropertyUpdate: fixed when the property is created.
NOT_PATCHABLE = frozenset(
    {"name", "hasUniqueValue", "dataSensitivity", "externalOptions", "referencedObjectType"}
)
#: What may change on a property whose modificationMetadata.readOnlyDefinition is true (plus
#: options when readOnlyOptions is false).
READ_ONLY_DEFINITION_EDITABLE = frozenset(
    {"label", "description", "groupName", "displayOrder", "hidden", "formField"}
)

#: Property groups HubSpot creates in every portal, by object type: a property may use them
#: without declaring them. Seen in portals, not documented by HubSpot (docs/hubspot-api.md,
#: "Default groups"); any other undeclared group is only a warning.
DEFAULT_GROUPS: Mapping[str, frozenset[str]] = {
    "contacts": frozenset(
        {
            "contactinformation",
            "emailinformation",
            "conversioninformation",
            "socialmediainformation",
            "analyticsinformation",
            "sales_properties",
        }
    ),
    "leads": frozenset({"leadinformation", "lead_activity", "lead_pipeline"}),
    "companies": frozenset({"companyinformation", "socialmediainformation"}),
    "deals": frozenset({"dealinformation"}),
    "tickets": frozenset({"ticketinformation"}),
}

#: HubSpot's documented limits (docs/hubspot-api.md, "Limits").
MAX_UNIQUE_VALUE_PROPERTIES = 10
MAX_OPTIONS = 5000
MAX_OPTION_CHARS = 3000


def extra_sensitivities(levels: Iterable[str | None]) -> tuple[str, ...]:
    """The levels in ``levels`` that need their own list call (all but the default), sorted."""
    return tuple(sorted({lv for lv in levels if lv and lv != DEFAULT_SENSITIVITY}))


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def create_problems(t: str, name: str, after: Mapping[str, Any]) -> list[str]:
    """Why the normalized definition ``after`` cannot be created (missing required fields)."""
    missing = [f for f in REQUIRED_ON_CREATE if f not in after]
    if not missing:
        return []
    return [
        f"cannot create {t} property {name!r}: missing {', '.join(missing)} (HubSpot needs "
        "name, label, type, fieldType and groupName to create a property)"
    ]


def update_problems(
    t: str,
    name: str,
    found: Mapping[str, Any],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    changed: Sequence[str],
) -> list[str]:
    """Why HubSpot would refuse changing ``changed`` fields of ``found`` (HubSpot's JSON) from
    ``before`` to ``after`` (normalized forms)."""
    problems: list[str] = []
    hubspot_defined = bool(found.get("hubspotDefined"))
    way_out = (
        "match HubSpot's value (HubSpot-defined properties cannot be archived)"
        if hubspot_defined
        else "archive it and recreate it under another name, or match HubSpot's value"
    )
    for f in (f for f in changed if f in NOT_PATCHABLE):
        problems.append(
            f"{f} of {t} property {name!r} cannot be changed after creation "
            f"(HubSpot has {_js(before.get(f))}, the definition says {_js(after[f])}); {way_out}"
        )
    meta = found.get("modificationMetadata") or {}
    if meta.get("readOnlyDefinition"):
        editable = set(READ_ONLY_DEFINITION_EDITABLE)
        if meta.get("readOnlyOptions") is False:
            editable.add("options")
        for f in (f for f in changed if f not in editable and f not in NOT_PATCHABLE):
            problems.append(
                f"{f} of HubSpot-defined {t} property {name!r} is read-only "
                f"(HubSpot has {_js(before.get(f))}, the definition says {_js(after[f])}); "
                f"remove {f} from the definition or match HubSpot's value"
            )
    return problems


#: HubSpot API versions hubprops speaks (docs/hubspot-api.md): date-versioned ones, and the
#: legacy v3 that HubSpot stops supporting in September 2027.
API_VERSIONS = ("2026-03", "2026-09", "v3")
DEFAULT_API_VERSION = "2026-03"

#: API versions whose OptionInput requires ``displayOrder`` and ``hidden`` (v3 fills them in).
OPTION_ORDER_REQUIRED = frozenset({"2026-03", "2026-09"})
#: Property fields an API version refuses in request bodies (docs/hubspot-api.md, "API
#: versions"): 2026-09 dropped the display hints and the currency fields.
REMOVED_PROPERTY_FIELDS: Mapping[str, tuple[str, ...]] = {
    "2026-09": (
        "currencyPropertyName",
        "numberDisplayHint",
        "textDisplayHint",
        "showCurrencySymbol",
    ),
}


def api_paths(api_version: str) -> dict[str, str]:
    """The path prefixes of one API version: ``properties`` (add ``/{objectType}``),
    ``account`` (add ``/details``) and ``limits`` (add ``/custom-properties``)."""
    if api_version == "v3":
        return {
            "properties": "/crm/v3/properties",
            "account": "/account-info/v3",
            "limits": "/crm/v3/limits",
        }
    return {
        "properties": f"/crm/properties/{api_version}",
        "account": f"/account-info/{api_version}",
        "limits": f"/crm/limits/{api_version}",
    }


def outgoing_options(options: Any, api_version: str) -> Any:
    """Options as sent under ``api_version``: from 2026-03 each carries ``displayOrder`` (its
    position unless given) and ``hidden`` (false unless given)."""
    if api_version not in OPTION_ORDER_REQUIRED or not isinstance(options, list):
        return options
    return [
        {"displayOrder": i, "hidden": False, **o} if isinstance(o, dict) else o
        for i, o in enumerate(options)
    ]


#: The private-app scope each kind of call needs, per object type ``{o}`` (its name, or
#: ``custom`` for a custom object): HubSpot accepts any one scope of a list (API-FACTS section
#: 7; docs/hubspot-api.md, "Scopes"). Reads also accept the object's record scopes.
SCOPES: Mapping[str, tuple[str, ...]] = {
    "properties.read": ("crm.schemas.{o}.read", "crm.objects.{o}.read"),
    "properties.write": ("crm.schemas.{o}.write",),
    "records.read": ("crm.objects.{o}.read",),
    "records.write": ("crm.objects.{o}.write",),
    "limits.read": ("crm.objects.{o}.read", "crm.schemas.{o}.read"),
}
#: Object types whose scopes differ from ``SCOPES``: HubSpot has no lead schema scope.
SCOPE_EXCEPTIONS: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("leads", "properties.read"): ("crm.objects.leads.read",),
    ("leads", "properties.write"): ("crm.objects.leads.write",),
}
#: What is not confirmed about a scope, said with it.
SCOPE_NOTES: Mapping[tuple[str, str], str] = {
    ("leads", "properties.write"): (
        "HubSpot documents no scope for writing lead properties; its spec lists only "
        "crm.objects.leads.write, which is unconfirmed for property writes"
    ),
}
_PATH = re.compile(
    r"^/crm/(?:v3/(?P<area3>properties|objects)|(?P<area>properties|objects)/[^/]+)/(?P<t>[^/]+)"
    r"(?P<rest>/.*)?$"
)


def scope_object(object_type: str) -> str:
    """The object part of a scope name: ``contacts``, ``line_items``, or ``custom``."""
    value = object_type.strip().lower()
    names = {v: k for k, v in OBJECT_TYPE_IDS.items()}
    if value in OBJECT_TYPE_IDS:
        return value
    return names.get(value, "custom")


def scopes_for(object_type: str, need: str) -> tuple[tuple[str, ...], str | None]:
    """The scopes (any one is enough) that ``need`` (a ``SCOPES`` key) takes for
    ``object_type``, and what about them is unconfirmed (or None)."""
    o = scope_object(object_type)
    found = SCOPE_EXCEPTIONS.get((o, need)) or tuple(s.format(o=o) for s in SCOPES[need])
    return found, SCOPE_NOTES.get((o, need))


def scopes_for_request(method: str, path: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """What a request to ``path`` needs: (a description like "writing contacts properties",
    the scopes, a note), or None when the path names no object type."""
    match = _PATH.match(path.split("?", 1)[0])
    if match is None:
        return None
    area = match.group("area3") or match.group("area")
    object_type = match.group("t")
    rest = match.group("rest") or ""
    reads = method == "GET" or rest.endswith("/batch/read") or rest.endswith("/search")
    kind = "properties" if area == "properties" else "records"
    need = f"{kind}.{'read' if reads else 'write'}"
    scopes, note = scopes_for(object_type, need)
    what = f"{'reading' if reads else 'writing'} {object_type} {kind}"
    return what, scopes, note
