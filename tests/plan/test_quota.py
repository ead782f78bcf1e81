"""The custom-property quota: plan reads HubSpot's limits (one request, only when it creates
properties) and refuses, before any write, a plan whose creates would pass them."""

from __future__ import annotations

import pytest

from hubprops.errors import PlanError
from hubprops.hubspot import HubSpotClient
from hubprops.lock.file import Lock
from hubprops.models import Definitions, ObjectDefinitions, PropertyDef
from hubprops.plan.quota import Quota, parse_limits
from hubprops.plan.remote import plan_against
from hubprops.plan.types import PlanOptions
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox


def _prop(name: str) -> dict[str, str]:
    return {
        "name": name,
        "label": name.title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "leadinformation",
    }


def _defs(*names: str) -> Definitions:
    props = tuple(PropertyDef.model_validate(_prop(n)) for n in names)
    return Definitions(objects={"leads": ObjectDefinitions(object_type="leads", properties=props)})


def test_a_plan_passing_the_limit_is_refused_with_the_numbers_before_any_write() -> None:
    sandbox = Sandbox(custom_property_limit=3, rate_limit=(1_000_000, 10.0))
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client:
        client.create_property("leads", _prop("old_one"))
        client.create_property("leads", _prop("old_two"))
        before = len(sandbox.requests)
        with pytest.raises(PlanError) as info:
            plan_against(
                client, _defs("new_a", "new_b"), Lock(), options=PlanOptions(), api_base="x"
            )
    message = str(info.value)
    assert "leads: 2 of 3 custom properties used; this plan creates 2 (1 over" in message
    after = sandbox.requests[before:]
    assert all(r.method == "GET" for r in after)
    assert [r.path for r in after][-1] == "/crm/limits/2026-03/custom-properties"


def test_a_plan_within_the_limit_reads_it_once_and_a_plan_without_creates_not_at_all() -> None:
    sandbox = Sandbox(custom_property_limit=3, rate_limit=(1_000_000, 10.0))
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client:
        made = plan_against(
            client, _defs("a", "b", "c"), Lock(), options=PlanOptions(), api_base="x"
        )
        assert len(made.changes) == 3
        limits = [r for r in sandbox.requests if "limits" in r.path]
        assert len(limits) == 1
        for change in made.changes:
            client.create_property("leads", change.payload or {})
        seen = len(sandbox.requests)
        again = plan_against(
            client, _defs("a", "b", "c"), Lock(), options=PlanOptions(), api_base="x"
        )
    assert again.changes == ()
    assert not [r for r in sandbox.requests[seen:] if "limits" in r.path]


def test_parse_limits_keeps_rows_with_numbers() -> None:
    assert parse_limits([{"objectTypeId": "0-136", "limit": 1000, "usage": 990}, {"x": 1}]) == {
        "0-136": Quota(limit=1000, usage=990)
    }
