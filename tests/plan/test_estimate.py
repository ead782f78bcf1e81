"""The estimate (hubprops/plan/estimate.py): equal to the requests apply then sends, over several
plans on the sandbox; a plan over the daily budget left is refused with the numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubprops.apply.applier import apply_plan
from hubprops.definitions.loader import load_definitions
from hubprops.errors import PlanError
from hubprops.hubspot import HubSpotClient
from hubprops.lock.file import Lock
from hubprops.models import Definitions, ObjectDefinitions
from hubprops.plan.estimate import seconds_at
from hubprops.plan.remote import plan_against
from hubprops.plan.types import Plan, PlanOptions
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.plan.test_impact import trip_definition, trip_property

REPO = Path(__file__).resolve().parents[2]
ALLOW = PlanOptions(allow_destructive=True, prune=True)


def client_for(sb: Sandbox) -> HubSpotClient:
    return HubSpotClient(SANDBOX_BASE_URL, "t", transport=sb.transport(), batch_size=7)


def planned(sb: Sandbox, definitions: Definitions, lock: Lock) -> Plan:
    with client_for(sb) as c:
        return plan_against(
            c, definitions, lock, options=ALLOW, api_base="x", impact=True, estimate=True
        )


def applied_requests(sb: Sandbox, made: Plan, lock: Lock) -> int:
    sb.clear_requests()
    with client_for(sb) as c:
        result = apply_plan(c, made, lock, save=lambda _: None)
    assert result.ok, result.failures
    return len(sb.requests)


def test_estimate_equals_what_apply_sends_over_several_plans() -> None:
    sb = Sandbox(portal_id=515, rate_limit=(100_000, 10.0), search_rate_limit=(1000, 1.0))
    sb.put_property("contacts", trip_property())
    sb.seed_records(50, ["contacts"])
    repo = load_definitions(REPO / "definitions").definitions
    lock = Lock()
    steps = [
        repo,  # group creates, batched property creates (7 per batch) on two object types
        Definitions(objects={**repo.objects, **trip_definition(("city", "lake")).objects}),
        Definitions(objects={"contacts": ObjectDefinitions(object_type="contacts")}),
    ]
    seen = []
    for definitions in steps:
        made = planned(sb, definitions, lock)
        assert made.has_changes and made.estimate is not None
        assert applied_requests(sb, made, lock) == made.estimate.requests
        seen.append(made.estimate.by_kind)
        lock = lock_after(sb, definitions, lock)
    assert any("group writes" in k for k in seen) and any("property writes" in k for k in seen)


def lock_after(sb: Sandbox, definitions: Definitions, lock: Lock) -> Lock:
    """The lock as apply left it: apply again a fresh plan with the lock saved this time."""
    saved: list[Lock] = [lock]
    with client_for(sb) as c:
        made = plan_against(c, definitions, lock, options=ALLOW, api_base="x")
        apply_plan(c, made, lock, save=saved.append)
    return saved[-1]


def test_no_changes_cost_nothing() -> None:
    sb = Sandbox(portal_id=516)
    made = planned(sb, Definitions(), Lock())
    assert made.estimate is not None and made.estimate.requests == 0


def test_plan_over_the_daily_budget_is_refused_with_the_numbers() -> None:
    sb = Sandbox(portal_id=517, daily_limit=12)
    repo = load_definitions(REPO / "definitions").definitions
    with pytest.raises(PlanError, match=r"needs about \d+ requests but the portal has \d+ left"):
        planned(sb, repo, Lock())


def test_within_budget_shows_what_is_left() -> None:
    sb = Sandbox(portal_id=518, daily_limit=10_000)
    made = planned(sb, load_definitions(REPO / "definitions").definitions, Lock())
    assert made.estimate is not None
    assert made.estimate.daily_remaining is not None
    assert 9_900 < made.estimate.daily_remaining < 10_000


def test_seconds_at_the_rate_limit() -> None:
    assert seconds_at(100, 0, 100, 10.0) == 0.0
    assert seconds_at(250, 0, 100, 10.0) == 20.0
    assert seconds_at(10, 11, 100, 10.0) == 2.0
