"""Renames that keep values (hubprops/apply/rename.py, plan/renames.py) on the sandbox: 1,500+
records holding the old property, every value moved, the old one archived, the next plan
empty, the requests within ceil(records / 100) updates + pages + a constant, and equal to the
plan's estimate. ``RecordingSandbox`` keeps every batch update's body (the request log has no
bodies) so that a test can tell that no record was written twice."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

import pytest

from hubprops.apply.applier import apply_plan
from hubprops.hubspot import HubSpotClient
from hubprops.lock.file import Lock
from hubprops.models import Definitions, ObjectDefinitions, RenameDef
from hubprops.plan.remote import plan_against
from hubprops.plan.types import Action, Plan, PlanOptions
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from hubprops.sandbox.responses import SandboxResponse
from tests.plan.test_impact import trip_property

ALLOW = PlanOptions(allow_destructive=True)


class RecordingSandbox(Sandbox):
    """A sandbox that also keeps the record ids of every batch update it answered 200."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.updated: list[str] = []

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> SandboxResponse:
        answer = super().handle(method, path, query, headers, body)
        if path.endswith("/batch/update") and answer.status == 200:
            self.updated.extend(str(i["id"]) for i in json.loads(body)["inputs"])
        return answer


def seeded(records: int = 1900, **kw: Any) -> RecordingSandbox:
    kw.setdefault("search_rate_limit", (1000, 1.0))
    kw.setdefault("rate_limit", (100_000, 10.0))
    sb = RecordingSandbox(portal_id=606, **kw)
    sb.put_property("contacts", trip_property(name="old_trip"))
    sb.seed_records(records, ["contacts"])
    return sb


def values(sb: Sandbox, name: str) -> dict[str, str]:
    rows = sb.records.rows(sb.store.resolve("contacts"))
    return {rid: r["properties"][name] for rid, r in rows.items() if name in r["properties"]}


def rename_definitions() -> Definitions:
    rename = RenameDef.model_validate({"from": "old_trip", "to": "trip_kind"})
    return Definitions(
        objects={"contacts": ObjectDefinitions(object_type="contacts", renames=(rename,))}
    )


def client_for(sb: Sandbox) -> HubSpotClient:
    return HubSpotClient(SANDBOX_BASE_URL, "t", transport=sb.transport())


def make_plan(sb: Sandbox, lock: Lock) -> Plan:
    with client_for(sb) as c:
        return plan_against(
            c, rename_definitions(), lock, options=ALLOW, api_base="x", impact=True, estimate=True
        )


def test_rename_moves_every_value_archives_the_old_one_and_leaves_no_change() -> None:
    sb = seeded()
    before = values(sb, "old_trip")
    assert len(before) >= 1500
    made = make_plan(sb, Lock())
    (change,) = made.changes
    assert change.action is Action.RENAME and change.rename_from == "old_trip"
    assert change.impact is not None and change.impact.records == len(before)
    assert made.estimate is not None

    saved: list[Lock] = []
    sb.clear_requests()
    with client_for(sb) as c:
        result = apply_plan(c, made, Lock(), save=saved.append)
    assert result.ok, result.failures
    assert values(sb, "trip_kind") == before
    assert "old_trip" not in sb.store.objects[sb.store.resolve("contacts")]["properties"]
    assert sorted(Counter(sb.updated).values())[-1] == 1  # no record written twice
    entry = saved[-1].portals["606"].objects["contacts"]
    assert "trip_kind" in entry.properties and "old_trip" not in entry.properties
    assert not entry.migrations

    kinds = Counter(
        "search"
        if r.path.endswith("/search")
        else "update"
        if "batch/update" in r.path
        else "other"
        for r in sb.requests
    )
    pages = math.ceil(len(before) / 100)
    assert kinds["update"] == pages
    assert kinds["search"] == pages + 1
    assert kinds["other"] <= 5  # portal, staleness read, create, archive
    assert len(sb.requests) == made.estimate.requests

    again = make_plan(sb, saved[-1])
    assert not again.has_changes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ({"from": "a_x", "to": "a_x"}, "renamed to itself"),
        ([{"from": "a_x", "to": "b_x"}, {"from": "c_x", "to": "b_x"}], "two renames to 'b_x'"),
        ([{"from": "a_x", "to": "b_x"}, {"from": "b_x", "to": "c_x"}], "rename chain"),
    ],
)
def test_bad_renames_are_located_errors(tmp_path: Any, text: Any, expected: str) -> None:
    from hubprops.definitions.loader import load_definitions
    from hubprops.errors import DefinitionError

    renames = text if isinstance(text, list) else [text]
    (tmp_path / "c.yaml").write_text(
        "objectType: contacts\nrenames:\n"
        + "".join(f"  - from: {r['from']}\n    to: {r['to']}\n" for r in renames)
    )
    with pytest.raises(DefinitionError) as info:
        load_definitions(tmp_path)
    text_out = "\n".join(str(d) for d in info.value.diagnostics)
    assert expected in text_out and "c.yaml:" in text_out


def test_renamed_but_still_defined_is_a_located_error(tmp_path: Any) -> None:
    from hubprops.definitions.loader import load_definitions
    from hubprops.errors import DefinitionError

    (tmp_path / "c.yaml").write_text(
        "objectType: contacts\nproperties:\n  - name: a_x\n    label: A\n    type: string\n"
        "    fieldType: text\n    groupName: contactinformation\n"
        "renames:\n  - from: a_x\n    to: b_x\n"
    )
    with pytest.raises(DefinitionError) as info:
        load_definitions(tmp_path)
    (found,) = info.value.diagnostics
    assert str(found).startswith(f"{found.file}:9:") and "still defined" in str(found)


def test_missing_and_hubspot_defined_sources_are_located_plan_errors() -> None:
    from hubprops.errors import PlanError

    sb = Sandbox(portal_id=607)
    sb.put_property("contacts", trip_property(name="old_trip", hubspotDefined=True))
    for source in ("nope_x", "old_trip"):
        rename = RenameDef.model_validate({"from": source, "to": "trip_kind"})
        defs = Definitions(
            objects={"contacts": ObjectDefinitions(object_type="contacts", renames=(rename,))}
        )
        with client_for(sb) as c, pytest.raises(PlanError, match="renames: "):
            plan_against(c, defs, Lock(), options=ALLOW, api_base="x")


def test_target_with_another_type_is_a_plan_error() -> None:
    from hubprops.errors import PlanError

    sb = Sandbox(portal_id=608)
    sb.put_property("contacts", trip_property(name="old_trip"))
    sb.put_property(
        "contacts",
        {
            "name": "trip_kind",
            "label": "T",
            "type": "string",
            "fieldType": "text",
            "groupName": "contactinformation",
        },
    )
    with client_for(sb) as c, pytest.raises(PlanError, match="already exists in HubSpot with type"):
        plan_against(c, rename_definitions(), Lock(), options=ALLOW, api_base="x")


def test_apply_refuses_a_rename_whose_parts_disagree() -> None:
    from hubprops.errors import PlanFileError

    sb = seeded(50)
    sb.put_property("contacts", trip_property(name="other_trip"))
    made = make_plan(sb, Lock())
    edited = made.model_copy(
        update={"changes": (made.changes[0].model_copy(update={"rename_from": "other_trip"}),)}
    )
    with client_for(sb) as c, pytest.raises(PlanFileError, match=r"stale|do what it shows"):
        apply_plan(c, edited, Lock(), save=lambda _: None)
    assert values(sb, "old_trip") and not values(sb, "trip_kind")
