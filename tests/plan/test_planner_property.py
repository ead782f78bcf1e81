"""Property-based: whatever the definitions, applying a plan's payloads leaves nothing to plan,
and reordering HubSpot's lists (or renumbering option displayOrders in the same order) never
makes a diff.

Each example starts a fresh sandbox, optionally pre-creates a different version of some
properties (so that updates are exercised too), plans, sends every payload through the client,
and plans again.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubprops.hubspot import HubSpotClient
from hubprops.lock.file import Lock
from hubprops.models import (
    Definitions,
    GroupDef,
    ObjectDefinitions,
    PropertyDef,
    RemoteObject,
    RemoteState,
)
from hubprops.plan.remote import plan_against, read_remote
from hubprops.plan.types import Action, Kind, Plan, PlanOptions
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox

SHAPES = [
    ("string", "text"),
    ("string", "textarea"),
    ("number", "number"),
    ("date", "date"),
    ("datetime", "date"),
    ("bool", "booleancheckbox"),
    ("enumeration", "select"),
    ("enumeration", "radio"),
    ("enumeration", "checkbox"),
]
OPTIONS = PlanOptions(allow_destructive=True)
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=10
)
maybe_bool = st.none() | st.booleans()


@st.composite
def option_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    values = draw(st.lists(text, min_size=1, max_size=5, unique=True))
    options = []
    for value in values:
        option: dict[str, Any] = {"label": draw(text), "value": value}
        for key, strategy in (
            ("description", st.none() | text | st.just("")),
            ("hidden", maybe_bool),
            ("displayOrder", st.none() | st.integers(-2, 9)),
        ):
            item = draw(strategy)
            if item is not None:
                option[key] = item
        options.append(option)
    return options


@st.composite
def property_bodies(draw: st.DrawFn, name: str, groups: list[str]) -> dict[str, Any]:
    type_, field_type = draw(st.sampled_from(SHAPES))
    body: dict[str, Any] = {
        "name": name,
        "label": draw(text),
        "type": type_,
        "fieldType": field_type,
        "groupName": draw(st.sampled_from(groups)),
    }
    for key, strategy in (
        ("description", st.none() | text | st.just("")),
        ("hidden", maybe_bool),
        ("formField", maybe_bool),
        ("displayOrder", st.none() | st.integers(-3, 20)),
    ):
        value = draw(strategy)
        if value is not None:
            body[key] = value
    if type_ == "enumeration":
        body["options"] = draw(option_lists())
    return body


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, Any] | None, list[Any]]:
    group: dict[str, Any] | None = None
    if draw(st.booleans()):
        group = {"name": "generated", "label": draw(text)}
        order = draw(st.none() | st.integers(-1, 9))
        if order is not None:
            group["displayOrder"] = order
    groups = ["contactinformation"] + ([group["name"]] if group else [])
    names = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), max_size=6, unique=True)
    )
    names = [n for n in names if n not in ("email", "firstname", "lastname", "phone")]
    bodies = [draw(property_bodies(n, groups)) for n in names]
    # an older version of some of them already in HubSpot (same type: a create, not a clash)
    before = [
        draw(
            property_bodies(b["name"], ["contactinformation"]).filter(
                lambda o, b=b: o["type"] == b["type"]
            )
        )
        if draw(st.booleans())
        else None
        for b in bodies
    ]
    return bodies, group, before


def definitions(bodies: list[dict[str, Any]], group: dict[str, Any] | None) -> Definitions:
    props = tuple(PropertyDef.model_validate(b) for b in bodies)
    groups = (GroupDef.model_validate(group),) if group else ()
    return Definitions(
        objects={
            "contacts": ObjectDefinitions(object_type="contacts", properties=props, groups=groups)
        }
    )


def apply(client: HubSpotClient, plan: Plan) -> None:
    for c in plan.changes:
        assert c.action is not Action.ARCHIVE
        body = c.payload or {}
        if c.kind is Kind.GROUP:
            if c.action is Action.CREATE:
                client.create_group(c.object_type, body)
            else:
                client.update_group(c.object_type, c.name, body)
        elif c.action is Action.CREATE:
            client.create_property(c.object_type, body)
        else:
            client.update_property(c.object_type, c.name, body)


def shuffled(state: RemoteState, rnd: random.Random) -> RemoteState:
    """The same meaning: lists in another order, option displayOrders renumbered in order."""
    objects = {}
    for t, obj in state.objects.items():
        props = {}
        for name in rnd.sample(list(obj.properties), len(obj.properties)):
            prop = dict(obj.properties[name])
            options = [
                {
                    **o,
                    "displayOrder": o["displayOrder"] * 10 + 5
                    if o["displayOrder"] >= 0
                    else o["displayOrder"],
                }
                for o in prop.get("options", [])
            ]
            prop["options"] = rnd.sample(options, len(options))
            props[name] = prop
        groups = {n: obj.groups[n] for n in rnd.sample(list(obj.groups), len(obj.groups))}
        objects[t] = RemoteObject(object_type=t, properties=props, groups=groups)
    return RemoteState(portal_id=state.portal_id, objects=objects)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), seed=st.integers(0, 2**16))
def test_after_apply_the_next_plan_is_empty(scenario: Any, seed: int) -> None:
    bodies, group, before = scenario
    d = definitions(bodies, group)
    sandbox = Sandbox(rate_limit=(1_000_000, 10.0))
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client:
        for old in before:
            if old is not None:
                client.create_property("contacts", old)
        first = plan_against(client, d, Lock(), options=OPTIONS, api_base=SANDBOX_BASE_URL)
        apply(client, first)
        second = plan_against(client, d, Lock(), options=OPTIONS, api_base=SANDBOX_BASE_URL)
        assert second.changes == (), [c.diffs for c in second.changes]
        state = read_remote(client, ["contacts"])
    from hubprops.plan.planner import plan

    again = plan(d, shuffled(state, random.Random(seed)), Lock(), options=OPTIONS, api_base="x")
    assert again.changes == ()
    assert again.unchanged == second.unchanged
