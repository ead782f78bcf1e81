"""``hubprops show`` (hubprops/cli/show.py): prints a saved plan as plan printed it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan of the repo's definitions against a fresh sandbox, saved as plan.json."""
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    monkeypatch.chdir(tmp_path)
    result = hubprops("plan", "--sandbox", "-o", "plan.json")
    assert result.exit_code == 0, result.output
    return tmp_path / "plan.json"


def hubprops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_show_prints_exactly_what_plan_printed(saved: Path, fmt: str) -> None:
    planned = hubprops("plan", "--sandbox", "-o", "again.json", "--format", fmt)
    assert planned.exit_code == 0, planned.output
    shown = hubprops("show", "again.json", "--format", fmt)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == planned.stdout
    if fmt == "json":
        assert json.loads(shown.stdout) == json.loads(Path("again.json").read_text())
    else:
        assert shown.stdout.rstrip().endswith("Plan: 40 to create, 0 to update, 0 to archive.")


def test_edited_plan_is_refused(saved: Path) -> None:
    data = json.loads(saved.read_text())
    data["changes"][0]["payload"]["label"] = "Changed by hand"
    saved.write_text(json.dumps(data))
    result = hubprops("show", str(saved))
    assert result.exit_code == 1
    assert "edited" in result.stderr and "checksum" in result.stderr
    as_json = hubprops("show", str(saved), "--format", "json")
    assert as_json.exit_code == 1
    assert "checksum mismatch" in json.loads(as_json.stdout)["error"]


def test_unreadable_plan(tmp_path: Path) -> None:
    missing = hubprops("show", str(tmp_path / "nope.json"))
    assert missing.exit_code == 1
    assert "cannot read plan file" in missing.stderr
    (tmp_path / "junk.json").write_text("hello")
    junk = hubprops("show", str(tmp_path / "junk.json"))
    assert junk.exit_code == 1
    assert "not JSON" in junk.stderr


def test_other_format_version(saved: Path) -> None:
    data = json.loads(saved.read_text())
    data["format_version"] = 99
    saved.write_text(json.dumps(data))
    result = hubprops("show", str(saved))
    assert result.exit_code == 1
    assert "format_version 99 is not supported" in result.stderr
