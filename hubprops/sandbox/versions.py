"""HubSpot's API versions as the sandbox serves them (API-FACTS section 11).

``v3`` is ``/crm/v3/properties/...``; the date versions are ``/crm/properties/{version}/...``
(``2025-09``, ``2026-03``, ``2026-09``, each also as ``{version}-beta``). Any other version is
a 404. Differences:

- ``2025-09`` and later: an option input needs ``displayOrder`` and ``hidden`` (v3: the sandbox
  fills them in); a group with no position (displayOrder -1) is answered without the key;
- ``2026-09``: batch create and batch read answer 200 only, failures in ``errors``/``numErrors``
  (v3 and the earlier dates: 207); ``currencyPropertyName``, ``numberDisplayHint``,
  ``textDisplayHint`` and ``showCurrencySymbol`` are refused in create/update bodies, and the
  first three are left out of answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REMOVED_2026_09 = frozenset({"currencyPropertyName", "numberDisplayHint", "textDisplayHint"})


@dataclass(frozen=True)
class ApiVersion:
    """What differs between versions of one API."""

    name: str
    batch_207: bool = True
    option_order_required: bool = False
    group_order_optional: bool = False
    removed_inputs: frozenset[str] = frozenset()
    removed_outputs: frozenset[str] = frozenset()


V3 = ApiVersion("v3")
_DATED = {
    "2025-09": ApiVersion("2025-09", option_order_required=True, group_order_optional=True),
    "2026-03": ApiVersion("2026-03", option_order_required=True, group_order_optional=True),
    "2026-09": ApiVersion(
        "2026-09",
        batch_207=False,
        option_order_required=True,
        group_order_optional=True,
        removed_inputs=_REMOVED_2026_09 | {"showCurrencySymbol"},
        removed_outputs=_REMOVED_2026_09,
    ),
}
VERSIONS: dict[str, ApiVersion] = {"v3": V3, **_DATED}
for _name, _version in list(_DATED.items()):
    VERSIONS[f"{_name}-beta"] = ApiVersion(**{**_version.__dict__, "name": f"{_name}-beta"})

#: /crm/v3/{api}/rest, /crm/{api}/{version}/rest, /account-info/{version}/rest
_CRM_V3 = re.compile(r"^/crm/v3/(properties|objects|limits)(/.*)?$")
_CRM_DATED = re.compile(r"^/crm/(properties|objects|limits)/([^/]+)(/.*)?$")
_ACCOUNT = re.compile(r"^/account-info/([^/]+)(/.*)?$")


@dataclass(frozen=True)
class Route:
    """A request path split into API area, version and the rest (``/contacts/x``)."""

    area: str
    version: ApiVersion | None
    version_name: str
    rest: str


def split_path(path: str) -> Route | None:
    """``/crm/properties/2026-03/contacts`` -> Route("properties", 2026-03, "/contacts");
    None when the path is none of the APIs. ``version`` is None for an unknown version."""
    match = _CRM_V3.match(path)
    if match:
        return Route(match.group(1), V3, "v3", match.group(2) or "")
    match = _CRM_DATED.match(path)
    if match:
        name = match.group(2)
        return Route(
            match.group(1), VERSIONS.get(name) if name != "v3" else None, name, match.group(3) or ""
        )
    match = _ACCOUNT.match(path)
    if match:
        name = match.group(1)
        return Route("account-info", VERSIONS.get(name), name, match.group(2) or "")
    return None


def version_of(path: str) -> str | None:
    """The version a request path names (``v3``, ``2026-03``, ...), or None."""
    route = split_path(path)
    return route.version_name if route else None
