"""apply_plan (hubprops/applier.py) against the in-process sandbox: the full cycle, checks that
refuse before any write, order, batching, the lock after every step, partial failure, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hubprops.apply.applier import Progress, apply_plan
from hubprops.errors import StalePlan, WrongPortal
from hubprops.lock.file import Lock
from hubprops.models import lock_id
from hubprops.plan.types import Action, Kind
from hubprops.sandbox import Sandbox
from tests.helpers.apply import (
    REPO,
    LockFile,
    enum_prop,
    lock_errors,
    make_plan,
    many,
    names,
    per_object_type,
    prop,
    sandbox_client,
    write_definitions,
    writes,
)

GROUP = {"name": "ops", "label": "Ops"}


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(rate_limit=(1000, 10.0))


@pytest.fixture
def lockfile(tmp_path: Path) -> LockFile:
    return LockFile(tmp_path / "hubprops.lock.json")


def apply(sb: Sandbox, defs: Path, lockfile: LockFile, **plan_kw: object):  # type: ignore[no-untyped-def]
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock, **plan_kw)  # type: ignore[arg-type]
        return plan, apply_plan(client, plan, lock, save=lockfile.save)


def replan(sb: Sandbox, defs: Path, lockfile: LockFile, **plan_kw: object):  # type: ignore[no-untyped-def]
    with sandbox_client(sb) as client:
        return make_plan(client, defs, lockfile.load(), **plan_kw)  # type: ignore[arg-type]


def test_full_cycle_on_the_repo_definitions_then_plan_is_empty(
    sb: Sandbox, lockfile: LockFile
) -> None:
    defs = REPO / "definitions"
    plan, result = apply(sb, defs, lockfile)
    assert plan.has_changes
    assert result.ok, [f.message for f in result.failures]
    assert result.status == "completed"
    assert not replan(sb, defs, lockfile).has_changes

    raw = lockfile.raw()
    assert lock_errors(raw) == []
    portal = raw["portals"][str(sb.portal_id)]
    contacts = portal["objects"]["contacts"]
    created = next(c for c in plan.changes if c.action is Action.CREATE and c.kind is Kind.PROPERTY)
    entry = portal["objects"][created.object_type]["properties"][created.name]
    remote = next(p for p in sb.properties(created.object_type) if p["name"] == created.name)
    assert entry["id"] == lock_id(created.object_type, created.name)
    assert entry["createdAt"] == remote["createdAt"]
    assert entry["updatedAt"] == remote["updatedAt"]
    assert entry["sha256"] == created.after_digest
    assert entry["created_by_hubprops"] is True
    assert contacts["last_sync"]["status"] == "completed"
    assert portal["last_sync"]["status"] == "completed"
    assert sorted(portal["last_sync"]["object_types"]) == ["contacts", "leads"]
    summary = plan.summary
    total = portal["last_sync"]
    assert (total["created"], total["updated"], total["archived"]) == (
        summary["create"],
        summary["update"],
        summary["archive"],
    )
    assert total["unchanged"] == sum(plan.unchanged.values())


def test_40_creates_per_object_type_take_at_most_3_requests_each(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = tmp_path / "defs"
    write_definitions(defs, "contacts", many("c", 40, "ops"), [GROUP])
    write_definitions(defs, "leads", many("l", 40, "ops"), [GROUP])
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        sb.clear_requests()
        result = apply_plan(client, plan, lock, save=lockfile.save)
    assert result.ok
    calls = per_object_type(sb.requests)
    assert set(calls) == {"contacts", "leads"}
    for object_type, made in calls.items():
        assert len(made) <= 3, made
        assert f"POST /crm/properties/2026-03/{object_type}/batch/create" in made
    assert len(sb.requests) <= 7  # + the portal check
    assert len([p for p in sb.properties("contacts") if p["name"].startswith("c_")]) == 40


def test_stale_plan_is_refused_before_any_write(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = write_definitions(
        tmp_path / "defs", "contacts", [prop("alpha", "ops"), prop("beta", "ops")], [GROUP]
    )
    apply(sb, defs, lockfile)
    write_definitions(
        defs,
        "contacts",
        [prop("alpha", "ops", "Alpha 2"), prop("beta", "ops"), prop("gamma", "ops")],
        [GROUP],
    )
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        # someone edits alpha in HubSpot's UI and creates gamma by hand after the plan
        sb.put_property("contacts", {"name": "alpha", "label": "Changed by hand"})
        sb.put_property(
            "contacts",
            {
                "name": "gamma",
                "label": "Gamma",
                "type": "string",
                "fieldType": "text",
                "groupName": "ops",
            },
        )
        sb.clear_requests()
        before = lockfile.raw()
        with pytest.raises(StalePlan) as info:
            apply_plan(client, plan, lock, save=lockfile.save)
    message = str(info.value)
    assert "stale" in message
    assert "alpha" in message
    assert "gamma" in message
    assert writes(sb.requests) == []
    assert lockfile.raw() == before


def test_plan_for_another_portal_is_refused_naming_both(lockfile: LockFile, tmp_path: Path) -> None:
    defs = write_definitions(tmp_path / "defs", "contacts", [prop("alpha", "ops")], [GROUP])
    staging = Sandbox(portal_id=111)
    production = Sandbox(portal_id=222)
    with sandbox_client(staging) as client:
        plan = make_plan(client, defs, Lock())
    with sandbox_client(production) as client, pytest.raises(WrongPortal) as info:
        apply_plan(client, plan, Lock(), save=lockfile.save)
    assert "111" in str(info.value) and "222" in str(info.value)
    assert writes(production.requests) == []
    assert not lockfile.path.exists()


def test_destructive_change_applies_only_when_planned_with_allow_destructive(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    from hubprops.errors import DestructiveChangeBlocked

    defs = write_definitions(
        tmp_path / "defs", "contacts", [enum_prop("size", "ops", ["s", "m", "l"])], [GROUP]
    )
    apply(sb, defs, lockfile)
    write_definitions(defs, "contacts", [enum_prop("size", "ops", ["s", "m"])], [GROUP])
    with sandbox_client(sb) as client, pytest.raises(DestructiveChangeBlocked):
        make_plan(client, defs, lockfile.load())
    plan, result = apply(sb, defs, lockfile, allow_destructive=True)
    assert [c.destructive for c in plan.changes] == [True]
    assert result.ok
    size = next(p for p in sb.properties("contacts") if p["name"] == "size")
    assert [o["value"] for o in size["options"]] == ["s", "m"]


def test_prune_archives_dropped_properties_and_groups_after_their_properties(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    old = {"name": "old_group", "label": "Old"}
    defs = write_definitions(
        tmp_path / "defs",
        "contacts",
        [prop("keep", "ops"), prop("drop_a", "old_group"), prop("drop_b", "old_group")],
        [GROUP, old],
    )
    apply(sb, defs, lockfile, allow_destructive=True)
    write_definitions(defs, "contacts", [prop("keep", "ops")], [GROUP])
    kept = replan(sb, defs, lockfile)
    assert not kept.has_changes  # without --prune they are only listed as kept
    assert {k.name for k in kept.kept} >= {"drop_a", "drop_b"}
    sb.clear_requests()
    plan, result = apply(sb, defs, lockfile, prune=True, allow_destructive=True)
    assert result.ok, [f.message for f in result.failures]
    assert {c.name for c in plan.changes} == {"drop_a", "drop_b", "old_group"}
    assert "drop_a" in names(sb.properties("contacts", archived=True))
    assert "drop_a" not in names(sb.properties("contacts"))
    assert "old_group" not in names(sb.groups("contacts"))
    order = [f"{r.method} {r.path}" for r in writes(sb.requests)]
    assert order.index("POST /crm/properties/2026-03/contacts/batch/archive") < order.index(
        "DELETE /crm/properties/2026-03/contacts/groups/old_group"
    )
    entry = lockfile.raw()["portals"][str(sb.portal_id)]["objects"]["contacts"]
    assert set(entry["properties"]) == {"keep"}
    assert set(entry["groups"]) == {"ops"}
    assert entry["last_sync"]["archived"] == 3
    assert not replan(sb, defs, lockfile, prune=True, allow_destructive=True).has_changes


def test_partial_failure_keeps_going_and_replan_shows_only_the_rest(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = tmp_path / "defs"
    write_definitions(
        defs,
        "contacts",
        [
            prop("in_new_group", "fresh"),
            prop("in_ops", "ops"),
            prop("in_default", "contactinformation"),
        ],
        [GROUP, {"name": "fresh", "label": "Fresh"}],
    )
    write_definitions(defs, "leads", many("l", 3, "leadinformation"))
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        # between plan and apply someone makes group "fresh" with another label
        sb.put_group("contacts", {"name": "fresh", "label": "Someone else's", "displayOrder": -1})
        result = apply_plan(client, plan, lock, save=lockfile.save)
    assert result.status == "partial"
    assert not result.ok
    failed = {r.change.name: r for r in result.failures}
    assert set(failed) == {"fresh", "in_new_group"}
    assert failed["fresh"].status == "failed"
    assert failed["in_new_group"].status == "skipped"
    assert "group 'fresh' was not created" in failed["in_new_group"].message
    assert {"in_ops", "in_default", "l_000"} <= set(
        names(sb.properties("contacts")) + names(sb.properties("leads"))
    )
    raw = lockfile.raw()
    assert lock_errors(raw) == []
    portal = raw["portals"][str(sb.portal_id)]
    assert portal["objects"]["contacts"]["last_sync"]["status"] == "partial"
    assert portal["objects"]["contacts"]["last_sync"]["failed"] == 2
    assert portal["objects"]["leads"]["last_sync"]["status"] == "completed"
    assert "in_new_group" not in portal["objects"]["contacts"]["properties"]

    rest = replan(sb, defs, lockfile)
    assert {(c.kind.value, c.name) for c in rest.changes} == {
        ("group", "fresh"),
        ("property", "in_new_group"),
    }


def test_lock_on_disk_matches_hubspot_after_every_step(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = tmp_path / "defs"
    write_definitions(defs, "contacts", many("c", 30, "ops"), [GROUP])
    apply(sb, defs, lockfile)
    write_definitions(
        defs, "contacts", [*many("c", 30, "ops", " v2"), prop("extra", "ops")], [GROUP]
    )
    problems: list[str] = []

    def checked_save(lock: Lock) -> None:
        lockfile.save(lock)
        raw = lockfile.raw()
        problems.extend(lock_errors(raw))
        recorded = raw["portals"][str(sb.portal_id)]["objects"]["contacts"]["properties"]
        remote = {p["name"]: p for p in sb.properties("contacts")}
        for name, entry in recorded.items():
            if name not in remote:
                problems.append(f"{name} in the lock but not in HubSpot")
            elif entry["updatedAt"] > remote[name]["updatedAt"]:
                problems.append(f"{name}: lock ahead of HubSpot")

    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        saves_before = lockfile.saves
        result = apply_plan(client, plan, lock, save=checked_save)
    assert result.ok
    assert problems == []
    # begin + at most one per step (30 updates, one batch create; the writer coalesces steps
    # that finish during a save) + finish
    assert 2 <= lockfile.saves - saves_before <= 1 + 30 + 1 + 1
    final = lockfile.raw()["portals"][str(sb.portal_id)]["objects"]["contacts"]["properties"]
    remote = {p["name"]: p for p in sb.properties("contacts")}
    assert sorted(final) == sorted(n for n in remote if n.startswith("c_") or n == "extra")
    assert all(final[n]["updatedAt"] == remote[n]["updatedAt"] for n in final)


def test_progress_reports_every_change_once(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = write_definitions(tmp_path / "defs", "contacts", many("c", 5, "ops"), [GROUP])
    seen: list[Progress] = []
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        apply_plan(client, plan, lock, save=lockfile.save, on_progress=seen.append)
    assert [p.done for p in seen] == list(range(1, 7))
    assert {p.total for p in seen} == {6}
    assert sorted(p.result.change.name for p in seen) == sorted(c.name for c in plan.changes)


def test_cancel_stops_new_requests_records_what_ran_and_replan_shows_the_rest(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = tmp_path / "defs"
    write_definitions(defs, "contacts", many("c", 60, "ops"), [GROUP])
    apply(sb, defs, lockfile)
    write_definitions(defs, "contacts", many("c", 60, "ops", " v2"), [GROUP])
    cancel = threading.Event()

    def on_progress(progress: Progress) -> None:
        if progress.done >= 5:
            cancel.set()  # what the CLI's SIGINT handler does

    with sandbox_client(sb, max_workers=4) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        result = apply_plan(
            client, plan, lock, save=lockfile.save, cancel=cancel, on_progress=on_progress
        )
    applied = [r for r in result.results if r.status == "applied"]
    not_started = [r for r in result.results if r.status == "not_started"]
    assert result.interrupted
    assert result.status == "partial"
    assert 5 <= len(applied) < 60
    assert len(applied) + len(not_started) == 60
    raw = lockfile.raw()
    assert lock_errors(raw) == []
    assert raw["portals"][str(sb.portal_id)]["last_sync"]["status"] == "partial"
    rest = replan(sb, defs, lockfile)
    assert sorted(c.name for c in rest.changes) == sorted(r.change.name for r in not_started)


def test_daily_limit_stops_apply_and_reports_the_rest_as_not_started(
    lockfile: LockFile, tmp_path: Path
) -> None:
    sb = Sandbox(rate_limit=(1000, 10.0))
    defs = tmp_path / "defs"
    write_definitions(defs, "contacts", many("c", 20, "ops"), [GROUP])
    apply(sb, defs, lockfile)
    write_definitions(defs, "contacts", many("c", 20, "ops", " v2"), [GROUP])
    with sandbox_client(sb, max_workers=1) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        used = sum(r.status not in (401, 429) for r in sb.requests)
        sb.limiter.daily_limit = used + 2 + 5  # portal + list, then 5 PATCHes
        result = apply_plan(client, plan, lock, save=lockfile.save)
    assert result.stopped_because is not None
    assert "daily" in result.stopped_because.lower()
    assert not result.interrupted
    statuses = [r.status for r in result.results]
    assert statuses.count("applied") >= 1
    assert "not_started" in statuses
    assert result.status == "partial"


def test_cancel_before_the_first_write_leaves_hubspot_and_the_lock_alone(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = write_definitions(tmp_path / "defs", "contacts", many("c", 3, "ops"), [GROUP])
    cancel = threading.Event()
    cancel.set()
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        result = apply_plan(client, plan, lock, save=lockfile.save, cancel=cancel)
    assert result.interrupted
    assert {r.status for r in result.results} == {"not_started"}
    assert writes(sb.requests) == []
    assert not lockfile.path.exists()


def test_group_made_identically_since_the_plan_is_adopted(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = write_definitions(tmp_path / "defs", "contacts", [prop("a", "ops")], [GROUP])
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        sb.put_group("contacts", {**GROUP, "displayOrder": -1})  # the same group, by hand
        result = apply_plan(client, plan, lock, save=lockfile.save)
    assert result.ok, [f.message for f in result.failures]
    entry = lockfile.raw()["portals"][str(sb.portal_id)]["objects"]["contacts"]
    assert entry["groups"]["ops"]["created_by_hubprops"] is False
    assert entry["properties"]["a"]["created_by_hubprops"] is True
    assert names(sb.groups("contacts")).count("ops") == 1


def test_object_types_without_changes_get_a_completed_last_sync(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = tmp_path / "defs"
    write_definitions(defs, "contacts", [prop("a", "ops")], [GROUP])
    write_definitions(defs, "leads", [prop("b", "leadinformation")])
    apply(sb, defs, lockfile)
    write_definitions(defs, "contacts", [prop("a", "ops", "A v2")], [GROUP])
    plan, result = apply(sb, defs, lockfile)
    assert {c.object_type for c in plan.changes} == {"contacts"}
    leads = lockfile.raw()["portals"][str(sb.portal_id)]["objects"]["leads"]["last_sync"]
    assert leads["status"] == "completed"
    assert leads["unchanged"] == plan.unchanged["leads"] >= 1
    assert leads["timestamp"] == result.started_at


def test_in_sync_items_are_recorded_in_the_lock_without_calling_hubspot(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    from hubprops.models import PropertyDef
    from hubprops.normalize import digest, normalize_definition
    from hubprops.plan.types import InSync

    defs = write_definitions(tmp_path / "defs", "contacts", [{"name": "email", "label": "Email"}])
    email = next(p for p in sb.properties("contacts") if p["name"] == "email")
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        assert not plan.has_changes
        item = InSync(
            kind=Kind.PROPERTY,
            object_type="contacts",
            name="email",
            digest=digest(normalize_definition(PropertyDef(name="email", label="Email"))),
            created_at=email["createdAt"],
            updated_at=email["updatedAt"],
            hubspot_defined=True,
        )
        sb.clear_requests()
        result = apply_plan(
            client, plan.model_copy(update={"in_sync": (item,)}), lock, save=lockfile.save
        )
    assert result.ok
    assert result.recorded_in_sync == 1
    assert writes(sb.requests) == []
    raw = lockfile.raw()
    assert lock_errors(raw) == []
    entry = raw["portals"][str(sb.portal_id)]["objects"]["contacts"]["properties"]["email"]
    assert entry == {
        "id": "0-1/email",
        "createdAt": email["createdAt"],
        "updatedAt": email["updatedAt"],
        "sha256": item.digest,
        "created_by_hubprops": False,
        "hubspot_defined": True,
    }


def test_adopted_unchanged_properties_are_recorded_after_the_full_cycle(
    sb: Sandbox, lockfile: LockFile
) -> None:
    apply(sb, REPO / "definitions", lockfile)
    contacts = lockfile.raw()["portals"][str(sb.portal_id)]["objects"]["contacts"]
    assert {"email", "firstname", "lastname"} <= set(contacts["properties"])
    assert contacts["properties"]["email"]["created_by_hubprops"] is False


def test_adopted_property_that_is_updated_is_recorded_as_not_ours(
    sb: Sandbox, lockfile: LockFile, tmp_path: Path
) -> None:
    defs = write_definitions(
        tmp_path / "defs", "contacts", [{"name": "email", "label": "Work email"}]
    )
    plan, result = apply(sb, defs, lockfile)
    assert [(c.action, c.name) for c in plan.changes] == [(Action.UPDATE, "email")]
    assert result.ok
    entry = lockfile.raw()["portals"][str(sb.portal_id)]["objects"]["contacts"]["properties"]
    assert entry["email"]["created_by_hubprops"] is False
    assert entry["email"]["hubspot_defined"] is True
    email = next(p for p in sb.properties("contacts") if p["name"] == "email")
    assert email["label"] == "Work email"
    assert entry["email"]["updatedAt"] == email["updatedAt"]
