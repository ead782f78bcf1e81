"""--api-version end to end on the sandbox: plan records it, apply speaks the plan's version
and refuses an explicit other one, the lock records it, and 2026-09 refuses removed fields."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.lock.file import load_lock
from hubprops.plan.file import read_plan

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HUBPROPS_API_VERSION", raising=False)
    return tmp_path


def hubprops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_plan_records_the_default_version_and_apply_speaks_it(project: Path) -> None:
    made = hubprops("plan", "--sandbox", "-o", "plan.json")
    assert made.exit_code == 0, made.output
    assert read_plan("plan.json").api_version == "2026-03"
    assert json.loads(Path("plan.json").read_text())["api_version"] == "2026-03"
    applied = hubprops("apply", "plan.json", "--sandbox")
    assert applied.exit_code == 0, applied.output
    portal = next(iter(load_lock("hubprops.lock.json").portals.values()))
    assert portal.last_sync is not None and portal.last_sync.api_version == "2026-03"
    again = hubprops("plan", "--sandbox")
    assert again.exit_code == 0 and "No changes" in again.output, again.output


def test_apply_speaks_the_plans_version_unless_told_another(project: Path) -> None:
    made = hubprops("plan", "--sandbox", "--api-version", "v3", "-o", "plan.json")
    assert made.exit_code == 0, made.output
    refused = hubprops("apply", "plan.json", "--sandbox", "--api-version", "2026-09")
    assert refused.exit_code == 1
    assert "made with HubSpot API version v3" in refused.output
    assert "2026-09" in refused.output
    assert "Traceback" not in refused.output
    applied = hubprops("apply", "plan.json", "--sandbox")  # the default: the plan's version
    assert applied.exit_code == 0, applied.output
    portal = next(iter(load_lock("hubprops.lock.json").portals.values()))
    assert portal.last_sync is not None and portal.last_sync.api_version == "v3"


def test_2026_09_refuses_a_removed_field_naming_file_and_line(project: Path) -> None:
    folder = project / "defs"
    folder.mkdir()
    (folder / "deals.yaml").write_text(
        "objectType: deals\n"
        "properties:\n"
        "  - name: amount_band\n"
        "    label: Amount band\n"
        "    type: number\n"
        "    fieldType: number\n"
        "    groupName: dealinformation\n"
        "  - name: margin\n"
        "    label: Margin\n"
        "    type: number\n"
        "    fieldType: number\n"
        "    groupName: dealinformation\n"
        "    numberDisplayHint: percentage\n"
    )
    result = hubprops("plan", "--sandbox", "-d", "defs", "--api-version", "2026-09")
    assert result.exit_code == 1, result.output
    assert "deals.yaml:8" in result.output
    assert "numberDisplayHint" in result.output and "2026-09" in result.output
    assert "Traceback" not in result.output
    ok = hubprops("plan", "--sandbox", "-d", "defs", "--api-version", "2026-03")
    assert ok.exit_code == 0, ok.output
