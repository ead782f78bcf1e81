"""``hubprops apply`` (hubprops/cli/apply.py) on the sandbox (``--sandbox`` in a temp folder)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.lock.guard import acquire, guard_path, read_holder, running_holder
from hubprops.sandbox import Sandbox
from tests.helpers.apply import REPO, lock_errors, many, prop, write_definitions

GROUP = {"name": "ops", "label": "Ops"}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp working folder holding a copy of the repo's definitions."""
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hubprops(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def sandbox_state() -> Sandbox:
    return Sandbox(state_file=".hubprops/sandbox.json")


def test_full_cycle_plan_apply_replan_status(project: Path) -> None:
    planned = hubprops("plan", "--sandbox", "-o", "plan.json")
    assert planned.exit_code == 0, planned.output
    applied = hubprops("apply", "--sandbox", "plan.json")
    assert applied.exit_code == 0, applied.output
    assert "Apply complete:" in applied.output
    assert "0 errors" in applied.output
    again = hubprops("plan", "--sandbox", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes." in again.output
    lock = json.loads((project / "hubprops.lock.json").read_text())
    assert lock_errors(lock) == []
    status = hubprops("status", "--format", "json")
    assert status.exit_code == 0
    data = json.loads(status.output)
    assert data["last_sync"]["status"] == "completed"
    assert data["contacts"]["status"] == "completed"
    assert data["leads"]["properties_synced"] == 25
    # the guard is released
    assert read_holder(guard_path(project / "hubprops.lock.json")) is None
    assert running_holder(project / "hubprops.lock.json") is None


def test_without_plan_file_auto_approve_plans_shows_and_applies(project: Path) -> None:
    result = hubprops("apply", "--sandbox", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "Plan:" in result.output
    assert "Apply complete:" in result.output
    assert hubprops("plan", "--sandbox", "--detailed-exitcode").exit_code == 0
    nothing = hubprops("apply", "--sandbox", "--auto-approve")
    assert nothing.exit_code == 0
    assert "No changes." in nothing.output


def test_format_json_prints_the_sync_result_in_the_original_shape(project: Path) -> None:
    result = hubprops("apply", "--sandbox", "--auto-approve", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Plan: 40 to create" in result.stderr  # the plan goes to stderr, stdout is JSON
    data = json.loads(result.stdout)
    assert data["sync_status"] == "completed"
    assert data["contacts"]["synced_properties"] == 12  # 15 defined, 3 HubSpot-defined unchanged
    assert data["leads"]["synced_properties"] == 25
    assert data["leads"]["failed_properties"] == 0
    first = data["contacts"]["properties"][0]
    assert first["sync_status"] == "created"
    assert first["hubspot_property_id"] == f"0-1/{first['name']}"
    assert data["summary"]["total_failed"] == 0
    assert data["summary"]["created"] == 40  # 37 properties + 3 groups
    nothing = hubprops("apply", "--sandbox", "--auto-approve", "--format", "json")
    assert nothing.exit_code == 0
    assert json.loads(nothing.stdout)["summary"]["total_synced"] == 0


def test_refuses_to_prompt_without_a_terminal(project: Path) -> None:
    result = hubprops("apply", "--sandbox", input="y\n")
    assert result.exit_code == 1
    assert "--auto-approve" in result.output
    assert "not a terminal" in result.output
    assert not (project / ".hubprops" / "sandbox.json").exists() or not any(
        p["name"] == "what_service_do_you_need_" for p in sandbox_state().properties("contacts")
    )


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")
@pytest.mark.parametrize("answer", ["n", "y", "ctrl-c", "eof"])
def test_prompt_on_a_terminal(project: Path, answer: str) -> None:
    exe = Path(sys.executable).with_name("hubprops")
    if not exe.exists():
        pytest.skip("the hubprops console script is not installed next to this python")
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        [str(exe), "apply", "--sandbox"], stdin=follower, stdout=follower, stderr=follower
    )
    os.close(follower)
    output = b""
    answered = False
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if not answered and b"Apply these changes? [y/N]" in output:
            if answer == "ctrl-c":
                proc.send_signal(signal.SIGINT)
            elif answer == "eof":
                os.write(leader, b"\x04")
            else:
                os.write(leader, answer.encode() + b"\n")
            answered = True
    code = proc.wait(timeout=60)
    os.close(leader)
    text = output.decode(errors="replace")
    assert answered, text
    created = any(
        p["name"] == "what_service_do_you_need_" for p in sandbox_state().properties("contacts")
    )
    if answer == "y":
        assert code == 0, text
        assert "Apply complete" in text
        assert created
    else:
        assert code == (130 if answer == "ctrl-c" else 1), text
        assert "Apply cancelled" in text
        assert "unexpected error" not in text
        assert not created


def test_edited_plan_is_refused(project: Path) -> None:
    assert hubprops("plan", "--sandbox", "-o", "plan.json").exit_code == 0
    data = json.loads(Path("plan.json").read_text())
    change = next(c for c in data["changes"] if c.get("payload") and "label" in c["payload"])
    change["payload"]["label"] = "Sneaky edit"
    Path("plan.json").write_text(json.dumps(data, indent=2, sort_keys=True))
    result = hubprops("apply", "--sandbox", "plan.json")
    assert result.exit_code == 1
    assert "edited" in result.output
    assert "Traceback" not in result.output
    assert not Path("hubprops.lock.json").exists()


def test_stale_plan_is_refused_and_names_what_moved(project: Path) -> None:
    defs = write_definitions(project / "defs", "contacts", [prop("alpha", "ops")], [GROUP])
    assert hubprops("apply", "--sandbox", "--auto-approve", "-d", str(defs)).exit_code == 0
    write_definitions(defs, "contacts", [prop("alpha", "ops", "Alpha v2")], [GROUP])
    assert hubprops("plan", "--sandbox", "-d", str(defs), "-o", "plan.json").exit_code == 0
    sandbox_state().put_property("contacts", {"name": "alpha", "label": "Edited in HubSpot"})
    result = hubprops("apply", "--sandbox", "plan.json")
    assert result.exit_code == 1
    assert "stale" in result.output
    assert "alpha" in result.output
    label = next(p for p in sandbox_state().properties("contacts") if p["name"] == "alpha")["label"]
    assert label == "Edited in HubSpot"


def test_plan_for_another_portal_is_refused(project: Path) -> None:
    assert hubprops("plan", "--sandbox", "-o", "plan.json").exit_code == 0
    result = hubprops("apply", "--sandbox", "--portal", "999", "plan.json")
    assert result.exit_code == 1
    assert "999" in result.output
    assert str(Sandbox().portal_id) in result.output


@pytest.mark.parametrize(
    "option", [["--prune"], ["--allow-destructive"], ["--object", "leads"], ["-d", "definitions"]]
)
def test_plan_shaping_options_with_a_saved_plan_are_refused(
    project: Path, option: list[str]
) -> None:
    assert hubprops("plan", "--sandbox", "-o", "plan.json").exit_code == 0
    result = hubprops("apply", "--sandbox", "plan.json", *option)
    assert result.exit_code == 1
    assert "cannot be used with a saved plan" in result.output
    assert option[0] in result.output


def test_sandbox_plan_without_sandbox_flag_says_so(project: Path) -> None:
    assert hubprops("plan", "--sandbox", "-o", "plan.json").exit_code == 0
    result = hubprops("apply", "plan.json")
    assert result.exit_code == 1
    assert "--sandbox" in result.output


def test_second_apply_while_one_runs_fails_at_once(project: Path) -> None:
    with acquire(project / "hubprops.lock.json"):
        result = hubprops("apply", "--sandbox", "--auto-approve")
    assert result.exit_code == 1
    assert "another apply is running" in result.output
    assert f"pid {os.getpid()}" in result.output
    assert socket.gethostname() in result.output


def test_partial_failure_exits_1_and_lists_hubspots_message(project: Path) -> None:
    defs = project / "defs"
    write_definitions(
        defs,
        "contacts",
        [prop("a", "fresh"), *many("c", 3, "ops")],
        [GROUP, {"name": "fresh", "label": "Fresh"}],
    )
    assert hubprops("plan", "--sandbox", "-d", str(defs), "-o", "plan.json").exit_code == 0
    sandbox_state().put_group("contacts", {"name": "fresh", "label": "Taken", "displayOrder": -1})
    result = hubprops("apply", "--sandbox", "plan.json")
    assert result.exit_code == 1, result.output
    assert "Apply partial:" in result.output
    assert "fresh" in result.output
    assert "group 'fresh' was not created" in result.output
    rest = hubprops("plan", "--sandbox", "-d", str(defs), "--format", "json")
    names = sorted(c["name"] for c in json.loads(rest.output)["changes"])
    assert names == ["a", "fresh"]


def test_other_lock_file(project: Path) -> None:
    result = hubprops("apply", "--sandbox", "--auto-approve", "--lock", "staging.lock.json")
    assert result.exit_code == 0, result.output
    assert Path("staging.lock.json").exists()
    assert not Path("hubprops.lock.json").exists()


def test_object_option_limits_apply_to_those_object_types(project: Path) -> None:
    result = hubprops("apply", "--sandbox", "--auto-approve", "--object", "leads")
    assert result.exit_code == 0, result.output
    lock = json.loads(Path("hubprops.lock.json").read_text())
    (portal,) = lock["portals"].values()
    assert set(portal["objects"]) == {"leads"}
    assert portal["last_sync"]["object_types"] == ["leads"]
    contacts = [p["name"] for p in sandbox_state().properties("contacts")]
    assert "what_service_do_you_need_" not in contacts


def test_apply_with_no_changes_closes_a_cut_off_apply(project: Path) -> None:
    assert hubprops("apply", "--sandbox", "--auto-approve").exit_code == 0
    path = Path("hubprops.lock.json")
    lock = json.loads(path.read_text())
    (portal,) = lock["portals"].values()
    for entry in [portal, *portal["objects"].values()]:
        entry["last_sync"]["status"] = "in_progress"  # as a killed apply leaves it
    path.write_text(json.dumps(lock))
    result = hubprops("apply", "--sandbox", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "Apply complete" in result.output
    data = json.loads(hubprops("status", "--format", "json").output)
    assert data["last_sync"]["status"] == "completed"
    assert data["contacts"]["status"] == data["leads"]["status"] == "completed"
    # and when nothing was cut off, a no-change apply leaves the lock alone
    before = path.read_text()
    assert hubprops("apply", "--sandbox", "--auto-approve").exit_code == 0
    assert path.read_text() == before


def test_without_a_terminal_apply_prints_progress_lines(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hubprops.cli import _applyui

    monkeypatch.setattr(_applyui, "PROGRESS_EVERY", 0.001)
    assert hubprops("plan", "--sandbox", "-o", "plan.json").exit_code == 0
    applied = hubprops("apply", "--sandbox", "plan.json")
    assert applied.exit_code == 0, applied.output
    lines = [ln for ln in applied.stderr.splitlines() if ln.startswith("Applying... ")]
    assert len(lines) >= 2, applied.stderr
    assert all(re.fullmatch(r"Applying\.\.\. \d+/40 changes, \d+s elapsed", ln) for ln in lines)
    assert any(not ln.startswith("Applying... 0/") for ln in lines), lines


def test_reapplying_an_applied_plan_exits_0_and_a_partial_one_is_stale(project: Path) -> None:
    assert hubprops("plan", "--sandbox", "-o", "all.json").exit_code == 0
    assert hubprops("plan", "--sandbox", "--object", "contacts", "-o", "c.json").exit_code == 0
    assert hubprops("apply", "--sandbox", "c.json").exit_code == 0
    again = hubprops("apply", "--sandbox", "c.json")
    assert again.exit_code == 0, again.output
    assert again.stdout == "This plan is already applied.\n"
    assert "Applying" not in again.stderr
    partly = hubprops("apply", "--sandbox", "all.json")  # contacts done, leads not
    assert partly.exit_code == 1
    assert "stale" in partly.stderr
