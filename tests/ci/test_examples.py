"""examples/github/ workflows and action.yml agree: every input a workflow passes exists, and
every ``${{ inputs.X }}`` the action reads is declared."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ci.action_runner import ACTION, ROOT

WORKFLOWS = sorted((ROOT / "examples" / "github").glob("*.yml"))


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job["steps"]]


def test_there_are_the_four_example_workflows() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"pr-plan.yml", "apply-on-merge.yml", "drift.yml", "matrix.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_uses_the_action_with_declared_inputs(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    ours = [s for s in _steps(workflow) if "/hubprops@" in str(s.get("uses", ""))]
    assert ours, f"{path.name} does not use the hubprops action"
    for step in ours:
        unknown = set(step.get("with") or {}) - set(ACTION["inputs"])
        assert not unknown, f"{path.name}: unknown inputs {unknown}"
        command = (step.get("with") or {}).get("command", "auto")
        assert command in ("auto", "plan", "apply", "drift")


def test_action_reads_only_declared_inputs() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= set(ACTION["inputs"]), used - set(ACTION["inputs"])
    assert {"command", "working-directory", "environment", "api-version"} <= set(ACTION["inputs"])
