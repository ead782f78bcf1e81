"""A local emulator of HubSpot's CRM Properties API (v3 and the date versions) with searchable
records: what ``--sandbox`` runs against, what integration tests use, and what
``hubprops sandbox`` serves on loopback.

Public API::

    from hubprops.sandbox import Sandbox, SANDBOX_BASE_URL, serve
    sb = Sandbox(state_file=None, portal_id=12345678, token=None, rate_limit=(100, 10.0), ...)
    client = httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL)
    with serve(sb, port=0) as server:
        server.url                               # real HTTP on 127.0.0.1

It shares no code with ``hubprops.hubspot`` (the client) nor with the planner: it is an
independent reading of HubSpot's behaviour; docs/sandbox.md is the user's guide.

Endpoints: ``/crm/v3/properties/{objectType}`` list/create, ``/{name}`` read/PATCH/DELETE,
``/batch/create|read|archive``, ``/groups`` and ``/groups/{name}`` (the same under
``/crm/properties/{2025-09,2026-03,2026-09}[-beta]/``, with each version's differences, see
``versions.py``; other versions are 404), ``/account-info/{v3|version}/details`` and
``.../api-usage/daily/private-apps``, ``/crm/v3/limits/custom-properties`` and
``/crm/limits/{version}/custom-properties``, and records at ``/crm/v3/objects/{objectType}/``
and ``/crm/objects/{version}/{objectType}/`` (``search``, ``batch/read``, ``batch/update``).
Object types: every standard one by name or ``0-N`` id (``objecttypes.py``), and custom
objects by ``2-N`` or ``p{portalId}_{name}``. Scopes (403 MISSING_SCOPES), tiers, the
custom-property quota and displayOrder -1 rewriting: see docs/sandbox.md.

Where HubSpot is undocumented ([UNCONFIRMED] in API-FACTS), the sandbox is strict:

- batch create: inputs handled one by one; 201 when all succeed, else 207 with one
  StandardError per failed input (``context.name``); a taken name is OBJECT_ALREADY_EXISTS;
- batch size: at most 100 inputs (``max_batch``), 400 above; a batch archive naming a
  HubSpot-defined property is a 400 for the whole batch;
- a duplicate property name is 409 with category OBJECT_ALREADY_EXISTS and subCategory
  ``PropertyValidationError.PROPERTY_EXISTS`` (key on the 409);
- unknown body fields are 400 ("Unrecognized field"), including read-only ones such as
  ``hubspotDefined`` or ``modificationMetadata``;
- names must match ``^[a-z][a-z0-9_]*$`` (at most 100 characters); option values are unique;
- options are accepted on enumeration and bool only; a bool created without options gets
  Yes/true and No/false options; a missing option displayOrder becomes its position and a
  missing option ``hidden`` false (the spec marks it required);
- ``dataSensitivity`` filters single reads too (default non_sensitive: a sensitive property is
  404 unless asked for with ``?dataSensitivity=sensitive``);
- DELETE of a missing or already archived property is 404 (batch archive ignores them: 204);
- an archived property's name can be reused at once (``reserve_archived_names=True`` makes it
  a 400 PROPERTY_ARCHIVED_NAME_RESERVED instead);
- custom properties have no ``hubspotDefined`` key; HubSpot-defined ones have no user ids;
- every successful PATCH moves ``updatedAt``, even one that changes nothing;
- rate limits: 401 and 429 answers do not count; no Retry-After unless ``retry_after=True``;
  the daily count resets every 24 h of the sandbox clock;
- injected 502/504 answers carry an HTML body, 503 a JSON one (as gateways do).

Error messages are the sandbox's own words; clients must key on status and category.
"""

from __future__ import annotations

from hubprops.sandbox.core import Sandbox
from hubprops.sandbox.http import RunningServer, SandboxHTTPServer, serve
from hubprops.sandbox.responses import LoggedRequest, SandboxResponse

#: The base URL to pair with ``Sandbox.transport()``; ``.invalid`` never resolves.
SANDBOX_BASE_URL = "http://sandbox.hubprops.invalid"

__all__ = [
    "SANDBOX_BASE_URL",
    "LoggedRequest",
    "RunningServer",
    "Sandbox",
    "SandboxHTTPServer",
    "SandboxResponse",
    "serve",
]
