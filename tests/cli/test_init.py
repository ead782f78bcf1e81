"""``hubprops init`` (hubprops/cli/init.py): init in an empty folder, then validate, then
plan --sandbox, with no other step; never overwrites; --sandbox gives the Stahla examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main

REPO = Path(__file__).resolve().parents[2]


def hubprops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_then_validate_then_plan_sandbox(empty: Path) -> None:
    result = hubprops("init")
    assert result.exit_code == 0, result.output
    assert "created definitions/contacts.yaml" in result.stdout
    assert (empty / ".gitignore").read_text() == ".hubprops/\n"
    schema = json.loads((empty / "schemas" / "definitions.schema.json").read_text())
    assert schema["title"]
    first = (empty / "definitions" / "leads.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/definitions.schema.json"
    assert hubprops("validate").exit_code == 0
    plan = hubprops("plan", "--sandbox")
    assert plan.exit_code == 0, plan.output
    assert plan.stdout.rstrip().endswith("No changes.")
    assert hubprops("fmt", "--check").exit_code == 0


def test_the_commented_example_is_a_valid_definition_once_uncommented(empty: Path) -> None:
    assert hubprops("init").exit_code == 0
    path = empty / "definitions" / "deals.yaml"
    lines = path.read_text().splitlines()
    body = [line[2:] if line.startswith("# ") and i > 4 else line for i, line in enumerate(lines)]
    path.write_text("\n".join(body) + "\n")
    result = hubprops("validate")
    assert result.exit_code == 0, result.output
    assert "1 property" in result.stdout and "1 group" in result.stdout


def test_init_refuses_to_overwrite_and_writes_nothing(empty: Path) -> None:
    (empty / "hubprops.toml").write_text("# mine\n")
    (empty / ".gitignore").write_text("node_modules/")
    result = hubprops("init")
    assert result.exit_code == 1
    assert "not replacing existing file(s)" in result.stderr and "hubprops.toml" in result.stderr
    assert (empty / "hubprops.toml").read_text() == "# mine\n"
    assert not (empty / "definitions").exists()


def test_gitignore_is_appended_to(empty: Path) -> None:
    (empty / ".gitignore").write_text("node_modules/")
    assert hubprops("init").exit_code == 0
    assert (empty / ".gitignore").read_text() == "node_modules/\n.hubprops/\n"


def test_init_sandbox_gives_the_stahla_examples(empty: Path) -> None:
    assert hubprops("init", "--sandbox", "repo").exit_code == 0
    for name in ("contacts.yaml", "leads.yaml"):
        ours = (REPO / "definitions" / name).read_text()
        assert (empty / "repo" / "definitions" / name).read_text() == ours


def test_init_writes_the_ci_workflows_the_examples_show(empty: Path) -> None:
    assert hubprops("init").exit_code == 0
    workflows = empty / ".github" / "workflows"
    examples = REPO / "examples" / "github"
    assert (workflows / "hubprops-plan.yml").read_text() == (examples / "pr-plan.yml").read_text()
    apply = (workflows / "hubprops-apply.yml").read_text()
    assert apply == (examples / "apply-on-merge.yml").read_text()
    assert "command: apply" in apply
