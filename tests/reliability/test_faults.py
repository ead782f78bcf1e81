"""Apply through injected faults (seeded): 20% 5xx answers and 20% lost answers (committed,
then the connection drops). Apply converges, nothing is duplicated, the lock matches HubSpot."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubprops.apply.applier import apply_plan
from hubprops.sandbox import Sandbox
from tests.helpers.apply import (
    LockFile,
    enum_prop,
    fast_retry,
    lock_errors,
    make_plan,
    many,
    sandbox_client,
    write_definitions,
)

GROUPS = [{"name": "ops", "label": "Ops"}, {"name": "sales_ops", "label": "Sales Ops"}]


def definitions(folder: Path, suffix: str = "") -> Path:
    for object_type in ("contacts", "leads"):
        p = object_type[0]
        props = [
            *many(p, 40, "ops", suffix),
            *many(f"{p}s", 10, "sales_ops", suffix),
            enum_prop(f"{p}_tier", "ops", ["gold", "silver"] + (["bronze"] if suffix else [])),
        ]
        write_definitions(folder, object_type, props, GROUPS)
    return folder


def converge(sb: Sandbox, defs: Path, lockfile: LockFile, seed: int) -> list[str]:
    """Plan and apply until a plan is empty, each round with a new client, as a user re-running
    ``hubprops apply`` would (a streak of faults may open the circuit breaker and end a round
    early: that round is partial and the next one resumes). Returns each round's status."""
    statuses: list[str] = []
    for round_ in range(6):
        with sandbox_client(sb, retry=fast_retry(seed + round_)) as client:
            lock = lockfile.load()
            plan = make_plan(client, defs, lock)
            if not plan.has_changes:
                return statuses
            result = apply_plan(client, plan, lock, save=lockfile.save)
            statuses.append(result.status)
            assert lock_errors(lockfile.raw()) == []
    raise AssertionError(f"apply did not converge: {statuses}")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_faults_and_lost_answers_converge_without_duplicates(tmp_path: Path, seed: int) -> None:
    sb = Sandbox(rate_limit=(100000, 10.0), fault_rate=0.2, lost_response_rate=0.2, seed=seed)
    lockfile = LockFile(tmp_path / "hubprops.lock.json")
    defs = definitions(tmp_path / "defs")
    assert converge(sb, defs, lockfile, seed)  # at least one round ran
    definitions(defs, " v2")  # now every property is an update (options grow: not destructive)
    assert converge(sb, defs, lockfile, seed)

    lost = [r for r in sb.requests if r.lost]
    faults = [r for r in sb.requests if r.status >= 500]
    assert lost, "the seed should have lost some answers"
    assert faults, "the seed should have injected some 5xx"
    raw = lockfile.raw()
    assert lock_errors(raw) == []
    portal = raw["portals"][str(sb.portal_id)]
    for object_type in ("contacts", "leads"):
        remote = sb.properties(object_type)
        names = [p["name"] for p in remote]
        assert len(names) == len(set(names)), "a property was duplicated"
        assert sb.properties(object_type, archived=True) == []
        ours = (object_type[0], object_type[0] + "s")
        mine = {p["name"]: p for p in remote if p["name"].split("_")[0] in ours}
        assert len(mine) == 51
        assert all(p["label"].endswith(" v2") for p in mine.values() if p["type"] == "string")
        recorded = portal["objects"][object_type]["properties"]
        assert set(recorded) == set(mine)
        for name, entry in recorded.items():
            assert entry["updatedAt"] <= mine[name]["updatedAt"]
