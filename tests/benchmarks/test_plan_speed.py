"""Plan speed (``pytest -m benchmark -s tests/benchmarks/test_plan_speed.py``).

1,000 properties per object type for contacts and leads, 10 of them changed: the CPU time
(``time.process_time``) of the pure planner, of encoding + rendering, and of the whole read +
plan over the in-process sandbox. Target: under 2 s of CPU for the planner. Figures are
printed, never asserted; the change count and the request count are asserted.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from hubprops.hubspot import HubSpotClient
from hubprops.lock.file import Lock
from hubprops.models import Definitions, ObjectDefinitions, PropertyDef, RemoteObject, RemoteState
from hubprops.plan.file import encode
from hubprops.plan.planner import plan
from hubprops.plan.remote import plan_against
from hubprops.plan.types import PlanOptions
from hubprops.render.plan import render_plan_markdown, render_plan_text
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox

pytestmark = pytest.mark.benchmark
COUNT = 1000
TYPES = {"contacts": "contactinformation", "leads": "leadinformation"}


def body(i: int, group: str) -> dict[str, Any]:
    """A custom property definition; every third one an enumeration with 8 options."""
    prop: dict[str, Any] = {
        "name": f"prop_{i:04d}",
        "label": f"Property {i}",
        "type": "string",
        "fieldType": "text",
        "groupName": group,
        "description": f"Description of property {i}",
    }
    if i % 3 == 0:
        prop.update(
            type="enumeration",
            fieldType="select",
            options=[{"label": f"Option {k}", "value": f"opt_{k}"} for k in range(8)],
        )
    return prop


def as_hubspot(prop: dict[str, Any]) -> dict[str, Any]:
    """The property as HubSpot's list returns it: defaults, metadata, timestamps."""
    options = [
        {"description": "", "displayOrder": k, "hidden": False, **o}
        for k, o in enumerate(prop.get("options", []))
    ]
    return {
        "displayOrder": -1,
        "hidden": False,
        "formField": False,
        "calculated": False,
        "externalOptions": False,
        "hasUniqueValue": False,
        "dataSensitivity": "non_sensitive",
        "createdAt": "2024-01-01T00:00:00.000Z",
        "updatedAt": "2024-02-01T00:00:00.000Z",
        "createdUserId": "1",
        "updatedUserId": "1",
        "archived": False,
        "modificationMetadata": {
            "archivable": True,
            "readOnlyDefinition": False,
            "readOnlyValue": False,
        },
        **prop,
        "options": options,
    }


def scenario() -> tuple[Definitions, dict[str, list[dict[str, Any]]]]:
    """Definitions and HubSpot's properties; 10 changes: 4 labels, 4 options, 2 creates."""
    defined: dict[str, list[dict[str, Any]]] = {}
    remote: dict[str, list[dict[str, Any]]] = {}
    for t, group in TYPES.items():
        bodies = [body(i, group) for i in range(COUNT)]
        remote[t] = [as_hubspot(b) for b in bodies[: COUNT - 1]]  # the last one: a create
        for i in (1, 2):
            bodies[i] = {**bodies[i], "label": "Renamed"}
        for i in (3, 6):
            bodies[i] = {
                **bodies[i],
                "options": [*bodies[i]["options"], {"label": "New", "value": "new"}],
            }
        defined[t] = bodies
    definitions = Definitions(
        objects={
            t: ObjectDefinitions(
                object_type=t, properties=tuple(PropertyDef.model_validate(b) for b in bodies)
            )
            for t, bodies in defined.items()
        }
    )
    return definitions, remote


def test_plan_cpu_time() -> None:
    import deepdiff  # noqa: F401  (imported once per process by the CLI as well)

    definitions, remote = scenario()
    state = RemoteState(
        portal_id=1,
        objects={
            t: RemoteObject(
                object_type=t,
                properties={p["name"]: p for p in props},
                groups={TYPES[t]: {"name": TYPES[t], "label": "G", "displayOrder": 0}},
            )
            for t, props in remote.items()
        },
    )
    start = time.process_time()
    made = plan(definitions, state, Lock(), options=PlanOptions(), api_base="x")
    planner_cpu = time.process_time() - start
    assert made.summary == {"create": 2, "update": 8, "archive": 0}
    assert made.unchanged == {"contacts": COUNT - 5, "leads": COUNT - 5}
    start = time.process_time()
    data = encode(made)
    render_plan_text(data)
    render_plan_markdown(data)
    render_cpu = time.process_time() - start
    print(
        f"\nplan of {COUNT} properties x {len(TYPES)} object types, 10 changes: "
        f"planner {planner_cpu:.3f} s CPU (target < 2 s), encode + render {render_cpu:.3f} s CPU"
    )


def test_read_and_plan_over_the_sandbox_cpu_time() -> None:
    definitions, remote = scenario()
    sandbox = Sandbox(rate_limit=(1_000_000, 10.0))
    for t, props in remote.items():
        for prop in props:
            sandbox.put_property(t, prop)
    sandbox.clear_requests()
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sandbox.transport()) as client:
        start = time.process_time()
        made = plan_against(client, definitions, Lock(), options=PlanOptions(), api_base="x")
        cpu = time.process_time() - start
    assert made.summary == {"create": 2, "update": 8, "archive": 0}
    assert len(sandbox.requests) == 1 + 2 * len(TYPES)
    print(
        f"\nread + plan over the in-process sandbox (its JSON work included): {cpu:.3f} s CPU, "
        f"{len(sandbox.requests)} GET requests"
    )
