"""The side-by-side benchmark's own parts: the state check that marks a contender wrong, the
minimum request count and the rate-limit floor; and (``-m benchmark``) one small real run."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.harness import (
    GROUP,
    REPO,
    check_state,
    definitions,
    minimum_requests,
    rate_floor,
)


def state_of(defs: dict[str, list[dict[str, object]]]) -> dict[str, object]:
    return {
        t: {"properties": copy.deepcopy(props), "archived": [], "groups": [GROUP]}
        for t, props in defs.items()
    }


def test_check_state_accepts_the_definitions_and_names_every_difference() -> None:
    defs = definitions(40, changed_every=10)
    assert check_state(state_of(defs), defs) == []
    state = state_of(defs)
    props = state["contacts"]["properties"]  # type: ignore[index]
    props[1]["label"] = "Wrong"
    props.append(dict(props[2]))  # a duplicate
    del props[3]
    state["leads"]["archived"] = ["x"]  # type: ignore[index]
    problems = check_state(state, defs)
    assert any(".label" in p for p in problems)
    assert any("duplicated" in p for p in problems)
    assert any("missing" in p for p in problems)
    assert any("archived" in p for p in problems)


def test_minimum_requests_and_the_rate_limit_floor() -> None:
    # 2 x 1,000: reads 2 per type; creates: a group and 10 batches of 100 per type
    assert minimum_requests(2000, "first") == 4 + 2 * 11
    assert minimum_requests(2000, "noop") == 4
    assert minimum_requests(2000, "change10") == 4 + 200
    assert rate_floor(2000, 100, 10.0, 0.1) == pytest.approx(190.1)
    assert rate_floor(50, 100, 10.0, 0.1) == pytest.approx(0.1)


@pytest.mark.benchmark
def test_a_small_side_by_side_run(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks",
            "--only",
            "sync",
            "--sizes",
            "40",
            "--contenders",
            "hubprops,naive-httpx",
            "--latency",
            "0",
            "--rate-limit",
            "1000/0.1",
            "--out",
            str(out),
        ],
        cwd=REPO,
        check=True,
        timeout=600,
    )
    rows = json.loads(out.with_suffix(".json").read_text())["sync"]
    assert {(r["contender"], r["status"]) for r in rows} == {
        ("hubprops", "ok"),
        ("naive-httpx", "ok"),
    }
    assert "| 40 | noop | hubprops | ok |" in out.with_suffix(".md").read_text()
