"""Reading HubSpot's state for a plan, at a constant number of calls per object type.

``read_remote`` makes, concurrently through ``client.map``: one portal lookup (skipped when the
portal id is given), and per object type one properties list and one groups list, plus one
properties list per extra dataSensitivity level asked for (HubSpot lists only non_sensitive
properties unless told otherwise). Lists are not paged, so the count does not grow with the
number of properties. ``plan_against`` is the one sequence shared by ``hubprops plan`` and
``hubprops apply`` without a plan file: portal, read, plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from hubprops.errors import DestructiveChangeBlocked, HubpropsError, RemoteError
from hubprops.hubspot.endpoint import check_segment, resolve_portal
from hubprops.lock.file import Lock
from hubprops.models import Definitions, RemoteObject, RemoteState, canonical_object_type
from hubprops.plan.planner import (
    check_object_types,
    named_object_types,
    object_types_in_scope,
    plan,
)
from hubprops.plan.planner import sensitivities as sensitivity_levels
from hubprops.plan.quota import check_quota, creates_by_type, parse_limits
from hubprops.plan.types import Plan, PlanOptions
from hubprops.rules import extra_sensitivities

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient


@dataclass(frozen=True)
class Read:
    """One list call: the properties (at ``sensitivity``, None for HubSpot's default level) or
    the groups of ``object_type``."""

    what: Literal["properties", "groups"]
    object_type: str
    sensitivity: str | None = None


def read_remote(
    client: HubSpotClient,
    object_types: Sequence[str],
    *,
    sensitivities: Sequence[str] = (),
    portal_id: int | None = None,
    look_up_portal: bool | None = None,
) -> RemoteState:
    """HubSpot's properties and groups of ``object_types`` (raw JSON keyed by name).

    ``sensitivities`` are extra dataSensitivity levels to list for every object type (the
    default level is always read). ``look_up_portal`` (by default: when ``portal_id`` is None)
    asks HubSpot for the portal alongside the lists, ``resolve_portal``'s way. Raises the first
    RemoteError met.
    """
    types = sorted({canonical_object_type(t) for t in object_types})
    levels = extra_sensitivities(sensitivities)
    reads: list[Read] = []
    for t in types:
        reads += [Read("properties", t), Read("groups", t)]
        reads += [Read("properties", t, level) for level in levels]
    return read_lists(client, reads, portal_id=portal_id, look_up_portal=look_up_portal)


def read_lists(
    client: HubSpotClient,
    reads: Sequence[Read],
    *,
    portal_id: int | None = None,
    look_up_portal: bool | None = None,
) -> RemoteState:
    """Make ``reads`` and, when ``look_up_portal`` (by default: when ``portal_id`` is None),
    one portal lookup concurrently (``resolve_portal``: a given ``portal_id`` is checked
    against HubSpot's answer, and stands in when HubSpot will not say); the state holds every
    object type read. Plan and apply's staleness check both read this way. Raises the first
    RemoteError met, the portal's first."""
    look_up = portal_id is None if look_up_portal is None else look_up_portal
    calls: list[Read | None] = [None] if look_up else []
    calls += reads

    def fetch(call: Read | None) -> int | list[dict[str, Any]]:
        if call is None:
            return resolve_portal(client, portal_id)
        if call.what == "groups":
            return client.list_groups(call.object_type)
        return client.list_properties(call.object_type, data_sensitivity=call.sensitivity)

    properties: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    portal = portal_id
    for call, outcome in zip(calls, client.map(fetch, calls), strict=True):
        if outcome.error is not None:
            raise outcome.error
        if not outcome.started:
            raise RemoteError("reading HubSpot was cancelled before it finished")
        if call is None:
            portal = outcome.value if isinstance(outcome.value, int) else portal
            continue
        target = groups if call.what == "groups" else properties
        for item in outcome.value if isinstance(outcome.value, list) else ():
            if isinstance(item.get("name"), str):
                target[call.object_type][item["name"]] = item
    if portal is None:  # pragma: no cover - the portal call either answered or raised
        raise HubpropsError("HubSpot did not say which portal this token is for")
    types = sorted({r.object_type for r in reads})
    # Built from the dicts just read, whose shape is known: validating would copy every
    # property of every object type once more (about 50 ms per 2,000 properties).
    return RemoteState.model_construct(
        portal_id=portal,
        objects={
            t: RemoteObject.model_construct(
                object_type=t, properties=dict(properties[t]), groups=dict(groups[t])
            )
            for t in types
        },
    )


def plan_against(
    client: HubSpotClient,
    definitions: Definitions,
    lock: Lock,
    *,
    options: PlanOptions,
    api_base: str,
    portal_id: int | None = None,
    created_at: str | None = None,
    impact: bool | None = None,
    estimate: bool = False,
) -> Plan:
    """Plan ``definitions`` against the portal behind ``client``: 1 call for the portal
    (``resolve_portal``: ``portal_id`` only fills in when HubSpot will not say) made together
    with ``read_remote`` of the object types the definitions (or ``--object``) name, so that a
    plan waits for one round trip, not two; then, only when the lock of that portal records
    object types the definitions no longer name, one more read of those. When the plan creates
    properties, 1 call for HubSpot's custom-property limits (``quota.check_quota`` refuses a
    plan passing them).

    ``impact`` True counts the records behind each destructive change (one search each,
    ``plan.impact``), False marks them "not counted", None (the default) leaves them alone.
    ``estimate`` adds ``plan.estimate`` (reading the daily budget left when the plan has
    changes and HubSpot's headers did not say) and refuses a plan over that budget."""
    for given in options.objects:  # before any request (`--object ..` is not a path)
        check_segment(canonical_object_type(given))
    check_object_types(options.objects, definitions, lock)
    named = named_object_types(definitions, options)
    for object_type in named:
        check_segment(object_type)
    # Only definitions say which extra sensitivity levels to list; the lock's other types get
    # the same levels (a locked property may be sensitive).
    levels = sensitivity_levels(definitions, named)
    remote = read_remote(
        client, named, sensitivities=levels, portal_id=portal_id, look_up_portal=True
    )
    portal = remote.portal_id
    types = object_types_in_scope(definitions, lock, portal, options)
    more = [t for t in types if t not in remote.objects]
    if more:
        for object_type in more:  # a lock key, too, becomes a URL path
            check_segment(object_type)
        rest = read_remote(client, more, sensitivities=levels, portal_id=portal)
        remote = RemoteState.model_construct(
            portal_id=portal, objects={**remote.objects, **rest.objects}
        )
    try:
        made = plan(
            definitions,
            remote,
            lock,
            options=options,
            api_base=api_base,
            created_at=created_at,
            api_version=client.api_version,
        )
    except DestructiveChangeBlocked as exc:
        if not impact or not isinstance(exc.plan, Plan):
            raise
        # The blocked plan a reviewer reads says how many records each change touches.
        _refuse_with_impact(client, exc, exc.plan)
    if creates_by_type(made):  # one more request, only when the plan creates properties
        check_quota(made, parse_limits(client.custom_property_limits()))
    if impact is not None and any(c.destructive for c in made.changes):  # only those count
        from hubprops.hubspot.records import Records
        from hubprops.plan.impact import count_impact, skip_impact

        made = count_impact(Records(client), made) if impact else skip_impact(made)
    if estimate:
        made = _estimated(client, made)
    return made


def _refuse_with_impact(client: HubSpotClient, exc: DestructiveChangeBlocked, made: Plan) -> None:
    from hubprops.hubspot.records import Records
    from hubprops.plan.impact import count_impact

    counted = count_impact(Records(client), made)
    changes = sum(1 for c in made.changes if c.destructive)
    raise DestructiveChangeBlocked(exc.reasons, changes=changes, plan=counted) from None


def _estimated(client: HubSpotClient, made: Plan) -> Plan:
    from hubprops.hubspot.records import daily_remaining
    from hubprops.plan.estimate import check_budget
    from hubprops.plan.estimate import estimate as estimate_of

    limiter = client.limiter
    found = estimate_of(
        made,
        max_requests=limiter.max_requests,
        interval=limiter.interval,
        daily_remaining=daily_remaining(client) if made.has_changes else None,
        batch_size=client.batch_size,
    )
    made = made.model_copy(update={"estimate": found})
    check_budget(made)
    return made
