"""Reading a portal for the commands that start from HubSpot rather than from definitions
(pull, drift, diff): which object types, and the portal id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hubprops.errors import RemoteError
from hubprops.hubspot.endpoint import resolve_portal
from hubprops.models import RemoteState, canonical_object_type
from hubprops.plan.remote import read_remote
from hubprops.rules import OBJECT_TYPE_IDS

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient

#: What pull and diff read when no --object is given: HubSpot's standard object types.
STANDARD_OBJECT_TYPES: tuple[str, ...] = tuple(sorted(OBJECT_TYPE_IDS))


def read_portal(
    client: HubSpotClient,
    objects: Sequence[str],
    *,
    portal_id: int | None,
    notes: list[str] | None = None,
) -> RemoteState:
    """HubSpot's properties and groups of ``objects`` (all standard types when empty). With no
    --object, a type the token may not read (403) is skipped and noted, not an error."""
    portal = resolve_portal(client, portal_id)
    if objects:
        return read_remote(client, [canonical_object_type(t) for t in objects], portal_id=portal)
    states = []
    for object_type in STANDARD_OBJECT_TYPES:
        try:
            states.append(read_remote(client, [object_type], portal_id=portal))
        except RemoteError as exc:
            if exc.status != 403:
                raise
            if notes is not None:
                notes.append(f"{object_type}: skipped, this token may not read it ({exc})")
    return RemoteState(
        portal_id=portal, objects={t: o for s in states for t, o in s.objects.items()}
    )
