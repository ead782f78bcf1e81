"""Golden plan scenarios: every folder of tests/cases/plan/ (see its README.md).

``HUBPROPS_UPDATE_GOLDEN=1`` rewrites the expected files instead of comparing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from hubprops.definitions.loader import load_definitions
from hubprops.errors import PlanError
from hubprops.fsutil import dumps_pretty
from hubprops.lock.file import load_lock
from hubprops.models import RemoteObject, RemoteState
from hubprops.plan.file import decode, encode
from hubprops.plan.planner import plan
from hubprops.plan.types import PlanOptions
from hubprops.render.plan import render_plan_markdown, render_plan_text

CASES = Path(__file__).resolve().parent.parent / "cases" / "plan"
CREATED_AT = "2024-06-01T12:00:00Z"
API_BASE = "https://api.hubapi.com"
UPDATE = os.environ.get("HUBPROPS_UPDATE_GOLDEN") == "1"


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "definitions").is_dir())


def load_remote(path: Path) -> RemoteState:
    raw = json.loads(path.read_text(encoding="utf-8"))
    objects = {
        t: RemoteObject(
            object_type=t,
            properties={p["name"]: p for p in o.get("properties", [])},
            groups={g["name"]: g for g in o.get("groups", [])},
        )
        for t, o in raw["objects"].items()
    }
    return RemoteState(portal_id=raw["portalId"], objects=objects)


def run_case(folder: Path) -> dict[str, Any] | str:
    """The encoded plan of a case, or the message of the PlanError it raises."""
    options_file = folder / "options.json"
    options = PlanOptions.model_validate(
        json.loads(options_file.read_text()) if options_file.exists() else {}
    )
    definitions = load_definitions("definitions").definitions
    lock = load_lock(folder / "lock.json")
    try:
        made = plan(
            definitions,
            load_remote(folder / "remote.json"),
            lock,
            options=options,
            api_base=API_BASE,
            created_at=CREATED_AT,
        )
    except PlanError as exc:
        return str(exc) + "\n"
    return encode(made)


def check(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run with HUBPROPS_UPDATE_GOLDEN=1 to write it"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", case_dirs(), ids=lambda p: p.name)
def test_case(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)  # so that file:line in messages read definitions/<file>
    result = run_case(folder)
    if isinstance(result, str):
        check(folder / "expected_error.txt", result)
        assert not (folder / "expected.txt").exists()
        return
    assert not (folder / "expected_error.txt").exists(), "the plan was expected to fail"
    check(folder / "expected.txt", render_plan_text(result))
    check(folder / "expected.md", render_plan_markdown(result))
    shown = {k: v for k, v in result.items() if k not in ("hubprops_version", "checksum")}
    check(folder / "expected.json", dumps_pretty(shown))
    # what show prints comes from the same encoded plan, read back
    assert encode(decode(json.loads(json.dumps(result)))) == result


def test_cases_exist() -> None:
    names = {p.name for p in case_dirs()}
    assert {"fresh_portal", "no_changes", "updates", "destructive_blocked"} <= names
