"""displayOrder -1 ("last in its group"): HubSpot stores a real position (highest + 1); the
planner, drift, already-applied and the lock must read that position back as -1."""

from __future__ import annotations

from typing import Any

from hubprops.hubspot import HubSpotClient
from hubprops.lock.file import Lock
from hubprops.models import Definitions, ObjectDefinitions, PropertyDef
from hubprops.normalize import at_end, normalize_wanted
from hubprops.plan.file import already_applied
from hubprops.plan.remote import plan_against, read_remote
from hubprops.plan.types import Action, PlanOptions
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.plan.test_planner_property import apply

OPTIONS = PlanOptions(allow_destructive=True)


def _prop(name: str, **kw: Any) -> PropertyDef:
    body = {
        "name": name,
        "label": name.title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
        "displayOrder": -1,
        **kw,
    }
    return PropertyDef.model_validate(body)


def _defs(*props: PropertyDef) -> Definitions:
    return Definitions(
        objects={"contacts": ObjectDefinitions(object_type="contacts", properties=props)}
    )


def test_properties_wanted_last_read_back_as_minus_one_and_the_next_plan_is_empty() -> None:
    sandbox = Sandbox(rate_limit=(1_000_000, 10.0))
    defs = _defs(_prop("aa"), _prop("bb"), _prop("cc", displayOrder=-3))
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client:
        first = plan_against(client, defs, Lock(), options=OPTIONS, api_base=SANDBOX_BASE_URL)
        assert [c.action for c in first.changes] == [Action.CREATE] * 3
        apply(client, first)
        stored = {p["name"]: p["displayOrder"] for p in sandbox.properties("contacts")}
        assert min(stored[n] for n in ("aa", "bb")) >= 0  # HubSpot rewrote -1
        assert already_applied(first, read_remote(client, ["contacts"]))
        second = plan_against(client, defs, Lock(), options=OPTIONS, api_base=SANDBOX_BASE_URL)
        assert second.changes == ()
        # a label change alone does not send displayOrder again
        third_defs = _defs(_prop("aa", label="Changed"), _prop("bb"), _prop("cc"))
        third = plan_against(client, third_defs, Lock(), options=OPTIONS, api_base=SANDBOX_BASE_URL)
        assert [(c.name, c.payload) for c in third.changes] == [("aa", {"label": "Changed"})]


def test_a_property_behind_one_not_wanted_last_is_moved() -> None:
    sandbox = Sandbox(rate_limit=(1_000_000, 10.0))
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client:
        client.create_property("contacts", _prop("aa").managed_fields())
        client.create_property("contacts", _prop("zz", displayOrder=None).managed_fields())
        plan = plan_against(client, _defs(_prop("aa")), Lock(), options=OPTIONS, api_base="x")
        assert [(c.name, c.payload) for c in plan.changes] == [("aa", {"displayOrder": -1})]
        apply(client, plan)
        again = plan_against(client, _defs(_prop("aa")), Lock(), options=OPTIONS, api_base="x")
        assert again.changes == ()


def test_at_end_rules() -> None:
    props = {
        "a": {"name": "a", "groupName": "g", "displayOrder": 3},
        "b": {"name": "b", "groupName": "g", "displayOrder": 7},
        "c": {"name": "c", "groupName": "g", "displayOrder": 7},
        "d": {"name": "d", "groupName": "h", "displayOrder": 1},
    }
    last = {"displayOrder": -1}
    assert at_end(props, {"b": last, "c": last, "a": last}) == {"a", "b", "c"}
    assert at_end(props, {"b": last}) == frozenset()  # tied with c, which is not managed
    assert at_end(props, {"b": last, "c": {"displayOrder": 7}}) == {"b"}
    assert at_end(props, {"a": last, "c": {}}) == frozenset()  # b is not managed
    assert at_end(props, {"b": last, "c": last}) == {"b", "c"}
    assert at_end(props, {"d": {"displayOrder": -1, "groupName": "g"}}) == frozenset()
    assert at_end(props, {"d": last}) == {"d"}
    assert normalize_wanted(props["d"], last, {"d"}) == {"displayOrder": -1}
    assert normalize_wanted(props["d"], last, set()) == {"displayOrder": 1}
