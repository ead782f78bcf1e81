"""Plan, apply and batch answers on every API version hubprops speaks (2026-03, 2026-09, v3):
the same definitions converge to the same portal, and a batch with a failing input reports
it whether HubSpot answers 207 (v3, 2026-03) or 200 with errors (2026-09)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubprops.apply.applier import apply_plan
from hubprops.errors import ValidationFailed
from hubprops.lock.file import Lock
from hubprops.rules import API_VERSIONS
from hubprops.sandbox import Sandbox
from tests.helpers.apply import enum_prop, make_plan, prop, sandbox_client, write_definitions


@pytest.mark.parametrize("api_version", API_VERSIONS)
def test_plan_apply_then_nothing_to_do(tmp_path: Path, api_version: str) -> None:
    sandbox = Sandbox(rate_limit=(100_000, 10.0))
    folder = write_definitions(
        tmp_path / "defs",
        "contacts",
        [
            prop("hp_note", "hp_group"),
            prop("hp_last", "hp_group", displayOrder=-1),
            enum_prop("hp_tier", "hp_group", ["gold", "silver"]),
        ],
        groups=[{"name": "hp_group", "label": "HP"}],
    )
    lock = Lock()
    with sandbox_client(sandbox, api_version=api_version) as client:
        plan = make_plan(client, folder, lock)
        assert plan.api_version == api_version
        result = apply_plan(client, plan, lock, save=lambda lk: None)
        assert result.ok, result
        assert make_plan(client, folder, lock).changes == ()
    portal = lock.portals[str(sandbox.portal_id)]
    assert portal.last_sync is not None and portal.last_sync.api_version == api_version
    assert {r.api_version for r in sandbox.requests} == {api_version}
    tier = next(p for p in sandbox.properties("contacts") if p["name"] == "hp_tier")
    assert [(o["value"], o["displayOrder"]) for o in tier["options"]] == [
        ("gold", 0),
        ("silver", 1),
    ]


@pytest.mark.parametrize("api_version", API_VERSIONS)
def test_a_batch_with_a_failing_input_reports_it(api_version: str) -> None:
    sandbox = Sandbox()
    good, bad = prop("hp_good", "contactinformation"), prop("hp_bad", "no_such_group")
    with sandbox_client(sandbox, api_version=api_version) as client:
        result = client.create_properties("contacts", [good, bad])
    assert [r["name"] for r in result.results] == ["hp_good"]
    assert [e.name for e in result.errors] == ["hp_bad"]
    assert isinstance(result.errors[0].error, ValidationFailed)
    status = next(r.status for r in sandbox.requests if r.path.endswith("/batch/create"))
    assert status == (200 if api_version == "2026-09" else 207)
