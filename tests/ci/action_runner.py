"""Run the steps of ``action.yml`` as GitHub Actions would, on this machine.

Expressions ``${{ inputs.X }}``, ``${{ github.X }}`` and ``${{ steps.ID.outputs.X }}`` are
substituted; ``if:`` conditions of the shapes the action uses (``always()``, ``&&``, ``==``,
``!=`` against string literals) are evaluated; ``run:`` steps run in bash with the step's env
and working directory; the install step is skipped (the test venv already has hubprops), and
``actions/upload-artifact`` stores the file in the fake GitHub as GitHub would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.ci.fake_github import REPO, TOKEN, FakeGitHub

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_REF = re.compile(r"\b(inputs|github|steps)\.([\w.-]+)")


@dataclass
class Run:
    """One run of the action: each step's outcome and outputs, and the bash logs."""

    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    log: str = ""

    @property
    def failed(self) -> bool:
        return any(code != 0 for code in self.codes.values())


def _lookup(ref: str, name: str, ctx: dict[str, Any]) -> str:
    if ref == "steps":
        step, _, output = name.partition(".outputs.")
        return str(ctx["steps"].get(step, {}).get(output, ""))
    return str(ctx[ref].get(name, ""))


def _substitute(text: str, ctx: dict[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        inner = _REF.fullmatch(match.group(1))
        assert inner, f"unsupported expression {match.group(0)}"
        return _lookup(inner.group(1), inner.group(2), ctx)

    return _EXPR.sub(one, text)


def _condition(expr: str, ctx: dict[str, Any]) -> bool:
    expr = _EXPR.sub(lambda m: m.group(1), expr)
    python = _REF.sub(lambda m: repr(_lookup(m.group(1), m.group(2), ctx)), expr)
    python = python.replace("always()", "True").replace("&&", " and ").replace("||", " or ")
    return bool(eval(python, {"__builtins__": {}}, {}))


def run_action(
    fake: FakeGitHub,
    repo: Path,
    *,
    event_name: str,
    event: dict[str, Any],
    sha: str,
    inputs: dict[str, str] | None = None,
) -> Run:
    """Run every step of the action in ``repo`` for this event. As on GitHub, a pull-request
    run's artifacts belong to the pull request's head commit, not to ``sha`` (its merge ref)."""
    head_sha = (event.get("pull_request") or {}).get("head", {}).get("sha") or sha
    given = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    given.update(inputs or {})
    given["github-token"] = TOKEN
    event_file = repo.parent / "event.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    github = {"action_path": str(ROOT), "event_name": event_name, "token": TOKEN}
    ctx: dict[str, Any] = {"inputs": given, "github": github, "steps": {}}
    run = Run()
    base_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_API_URL": fake.url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_file),
        "GITHUB_SHA": sha,
        "GITHUB_SERVER_URL": "https://github.test",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_WORKSPACE": str(repo),
    }
    for step in ACTION["runs"]["steps"]:
        step_id = step.get("id", step["name"])
        if "if" in step and not _condition(step["if"], ctx):
            continue
        if run.failed and "always()" not in str(step.get("if", "")):
            continue
        if step_id == "install":
            continue
        if "uses" in step:
            assert step["uses"].startswith("actions/upload-artifact@"), step["uses"]
            with_ = {k: _substitute(str(v), ctx) for k, v in step["with"].items()}
            path = Path(with_["path"])
            fake.add_artifact(with_["name"], head_sha, {path.name: path.read_bytes()})
            run.codes[step_id] = 0
            continue
        output_file = repo.parent / f"output-{step_id}.txt"
        output_file.write_text("", encoding="utf-8")
        env = {k: _substitute(str(v), ctx) for k, v in (step.get("env") or {}).items()}
        workdir = repo / _substitute(step.get("working-directory", "."), ctx)
        proc = subprocess.run(
            ["bash", "-e", "-c", _substitute(step["run"], ctx)],
            cwd=workdir,
            env={**base_env, **env, "GITHUB_OUTPUT": str(output_file)},
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        run.log += proc.stdout + proc.stderr
        run.codes[step_id] = proc.returncode
        outputs = _parse_outputs(output_file.read_text(encoding="utf-8"))
        run.outputs[step_id] = outputs
        ctx["steps"][step_id] = outputs
    return run


def _parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's format: ``name=value`` lines and ``name<<DELIM`` ... ``DELIM`` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            value: list[str] = []
            for inner in lines:
                if inner == delim:
                    break
                value.append(inner)
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value_ = line.split("=", 1)
            outputs[name] = value_
    return outputs
