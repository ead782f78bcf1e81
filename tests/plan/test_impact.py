"""Impact counts (hubprops/plan/impact.py) on the sandbox with records: one search per
destructive change, exact counts, unknown (never a failed plan) when search is refused or fails."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from hubprops.hubspot import HubSpotClient, RetryPolicy
from hubprops.lock.file import Lock
from hubprops.models import Definitions, ObjectDefinitions, OptionDef, PropertyDef
from hubprops.plan.impact import count_impact
from hubprops.plan.remote import plan_against
from hubprops.plan.types import Plan, PlanOptions
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox

VALUES = ("beach", "city", "mountain", "lake")
ALLOW = PlanOptions(allow_destructive=True)


def trip_property(values: tuple[str, ...] = VALUES, **extra: Any) -> dict[str, Any]:
    return {
        "name": "trip",
        "label": "Trip",
        "type": "enumeration",
        "fieldType": "select",
        "groupName": "contactinformation",
        "options": [
            {"label": v.title(), "value": v, "displayOrder": i, "hidden": False}
            for i, v in enumerate(values)
        ],
        **extra,
    }


def trip_definition(values: tuple[str, ...], **extra: Any) -> Definitions:
    prop = PropertyDef.model_validate(
        {
            **trip_property(),
            "options": [OptionDef(label=v.title(), value=v) for v in values],
            **extra,
        }
    )
    return Definitions(
        objects={"contacts": ObjectDefinitions(object_type="contacts", properties=(prop,))}
    )


@pytest.fixture(scope="module")
def seeded() -> Sandbox:
    sb = Sandbox(portal_id=4242, rate_limit=(100_000, 10.0), search_rate_limit=(1000, 1.0))
    sb.put_property("contacts", trip_property())
    sb.seed_records(2000, ["contacts"])
    return sb


def holding(sb: Sandbox, value: str | None) -> int:
    """Direct count over the sandbox's records (value None: any value)."""
    rows = sb.records.rows(sb.store.resolve("contacts"))
    have = [r["properties"].get("trip") for r in rows.values()]
    return sum(1 for h in have if h is not None and (value is None or h == value))


@pytest.fixture
def client(seeded: Sandbox) -> Iterator[HubSpotClient]:
    seeded.clear_requests()
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=seeded.transport()) as c:
        yield c


def searches(sb: Sandbox) -> int:
    return sum(1 for r in sb.requests if r.path.endswith("/search"))


def make(client: HubSpotClient, definitions: Definitions, impact: bool | None = True) -> Plan:
    return plan_against(
        client, definitions, Lock(), options=ALLOW, api_base="x", portal_id=4242, impact=impact
    )


def test_removed_option_counts_exactly_the_records_holding_it(
    seeded: Sandbox, client: HubSpotClient
) -> None:
    made = make(client, trip_definition(("city", "mountain", "lake")))
    (change,) = made.changes
    assert change.impact is not None
    assert holding(seeded, "beach") > 0
    assert change.impact.records == holding(seeded, "beach")
    assert f"{holding(seeded, 'beach'):,} contacts hold 'beach'" == change.impact.note
    assert searches(seeded) == 1


def test_two_removed_options_are_one_search(seeded: Sandbox, client: HubSpotClient) -> None:
    made = make(client, trip_definition(("city", "mountain")))
    impact = made.changes[0].impact
    assert impact is not None
    assert impact.records == holding(seeded, "beach") + holding(seeded, "lake")
    assert searches(seeded) == 1


def test_type_change_counts_every_record_with_a_value(
    seeded: Sandbox, client: HubSpotClient
) -> None:
    defs = Definitions(
        objects={
            "contacts": ObjectDefinitions(
                object_type="contacts",
                properties=(
                    PropertyDef(
                        name="trip",
                        label="Trip",
                        type="string",
                        fieldType="text",
                        groupName="contactinformation",
                    ),
                ),
            )
        }
    )
    impact = make(client, defs).changes[0].impact
    assert impact is not None and impact.records == holding(seeded, None)


def test_no_destructive_change_costs_no_search(seeded: Sandbox, client: HubSpotClient) -> None:
    made = make(client, trip_definition(VALUES, label="Trip taken"))
    assert made.changes and not made.changes[0].destructive
    assert made.changes[0].impact is None
    assert searches(seeded) == 0


def test_no_impact_sends_no_search(seeded: Sandbox, client: HubSpotClient) -> None:
    made = make(client, trip_definition(("city",)), impact=False)
    impact = made.changes[0].impact
    assert impact is not None and impact.records is None and "--no-impact" in impact.note
    assert searches(seeded) == 0


def test_missing_record_scope_is_unknown_and_planning_succeeds() -> None:
    sb = Sandbox(portal_id=4242, scopes=["crm.schemas.contacts.read", "crm.schemas.contacts.write"])
    sb.put_property("contacts", trip_property())
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sb.transport()) as c:
        made = make(c, trip_definition(("city",)))
    impact = made.changes[0].impact
    assert impact is not None and impact.records is None
    assert "crm.objects.contacts.read" in impact.note


def test_search_storm_and_5xx_are_unknown_after_retries(seeded: Sandbox) -> None:
    inner = seeded.transport()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/search"):
            if len(calls) % 2:
                calls.append(503)
                return httpx.Response(503, json={"status": "error", "message": "down"})
            calls.append(429)
            return httpx.Response(
                429,
                json={
                    "status": "error",
                    "message": "You have reached your secondly limit.",
                    "errorType": "RATE_LIMIT",
                    "policyName": "SECONDLY",
                },
            )
        return inner.handle_request(request)

    calls: list[int] = []
    retry = RetryPolicy(sleep=lambda s: None, max_retries=2, max_throttle_retries=2)
    with HubSpotClient(
        SANDBOX_BASE_URL, "t", transport=httpx.MockTransport(handler), retry=retry
    ) as c:
        made = make(c, trip_definition(("city",)))
    impact = made.changes[0].impact
    assert impact is not None and impact.records is None
    assert impact.note.startswith("unknown: counting failed")
    assert len(calls) > 1  # retried before giving up


def test_count_impact_leaves_plans_without_destructive_changes_alone(
    client: HubSpotClient,
) -> None:
    from hubprops.hubspot.records import Records

    empty = make(client, trip_definition(VALUES), impact=None)
    assert count_impact(Records(client), empty) == empty
