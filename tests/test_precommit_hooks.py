""".pre-commit-hooks.yaml: a valid manifest, and pre-commit itself running hubprops-validate
in a temporary git repository.

The hook runs as a ``repo: local`` hook built from the manifest's own entry (``language:
system``, hubprops from this checkout): offline and reliable, where ``language: python`` would
have pre-commit pip-install hubprops and its dependencies into a fresh environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit not installed")


def hook(hook_id: str) -> dict[str, Any]:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    found: dict[str, Any] = next(h for h in hooks if h["id"] == hook_id)
    return found


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = load_manifest(str(MANIFEST))
    assert [h["id"] for h in hooks] == ["hubprops-validate", "hubprops-fmt", "hubprops-lint"]
    entries = {h["id"]: h["entry"] for h in hooks}
    assert entries == {
        "hubprops-validate": "hubprops validate",
        "hubprops-fmt": "hubprops fmt",
        "hubprops-lint": "hubprops lint",
    }


def git(cwd: Path, *args: str) -> None:
    ident = ["-c", "user.name=Dev", "-c", "user.email=dev@example.test"]
    subprocess.run(["git", *ident, *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    work = tmp_path / "repo"
    work.mkdir()
    git(work, "init", "-q")
    shutil.copytree(ROOT / "definitions", work / "definitions")
    local = {key: hook("hubprops-validate")[key] for key in ("id", "name", "entry", "files")}
    local |= {"types_or": hook("hubprops-validate")["types_or"], "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (work / "notes.yaml").write_text("not: [a, definition\n", encoding="utf-8")
    git(work, "add", ".")
    return work


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PATH": f"{PRE_COMMIT.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--color", "never", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_hook_passes_on_valid_definitions_and_ignores_other_yaml(repo: Path) -> None:
    done = pre_commit(repo, "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "hubprops validate" in done.stdout and "Passed" in done.stdout


def test_hook_fails_on_a_broken_definition_with_file_and_line(repo: Path) -> None:
    path = repo / "definitions" / "contacts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("type: enumeration", "type: enumerashun", 1), encoding="utf-8")
    git(repo, "add", ".")
    done = pre_commit(repo, "--files", "definitions/contacts.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert "definitions/contacts.yaml:" in done.stdout
    assert "enumerashun" in done.stdout
