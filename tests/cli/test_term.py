"""Terminal habits (hubprops/cli/_term.py): colour only on a terminal and never with NO_COLOR or
--no-color; HUBPROPS_LOG request logs on stderr without the token."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hubprops.cli import main

REPO = Path(__file__).resolve().parents[2]
ESC = b"\x1b["


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def on_a_terminal(cwd: Path, *args: str, no_color: str | None = None) -> bytes:
    """Run ``hubprops ARGS`` with stdout and stderr on a pseudo-terminal; return what it shows."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PYTHONPATH"] = str(REPO)
    if no_color is not None:
        env["NO_COLOR"] = no_color
    leader, follower = os.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "hubprops", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    ) as proc:
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        assert proc.wait(timeout=60) == 0, output.decode(errors="replace")
    os.close(leader)
    return output


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")
def test_colour_on_a_terminal_unless_no_color(project: Path) -> None:
    coloured = on_a_terminal(project, "plan", "--sandbox")
    assert ESC in coloured and b"Plan: 40 to create" in coloured
    plain = on_a_terminal(project, "plan", "--sandbox", no_color="1")
    assert ESC not in plain and b"Plan: 40 to create" in plain
    flag = on_a_terminal(project, "plan", "--sandbox", "--no-color")
    assert ESC not in flag and b"Plan: 40 to create" in flag
    terraform = on_a_terminal(project, "-no-color", "plan", "--sandbox")
    assert ESC not in terraform


def test_no_colour_without_a_terminal(project: Path) -> None:
    piped = subprocess.run(
        [sys.executable, "-m", "hubprops", "plan", "--sandbox"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        check=True,
    )
    assert ESC not in piped.stdout and ESC not in piped.stderr


def test_hubprops_log_info_logs_each_request_without_the_token(project: Path) -> None:
    token = "pat-na1-secret-0123456789"
    env = {"HUBPROPS_LOG": "info", "HUBSPOT_ACCESS_TOKEN": token}
    result = CliRunner().invoke(main, ["plan", "--sandbox"], env=env)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if " request " in line]
    assert any(
        "method=GET path=/crm/v3/properties/contacts status=200 duration_ms=" in line
        for line in lines
    ), result.stderr
    assert all("INFO hubprops.http" in line for line in lines)
    assert token not in result.output
    # off again without the variable (no handler left behind)
    quiet = CliRunner().invoke(main, ["plan", "--sandbox"])
    assert " request " not in quiet.stderr


def test_hubprops_log_debug_adds_the_query_and_rejects_unknown_levels(project: Path) -> None:
    debug = CliRunner().invoke(main, ["plan", "--sandbox"], env={"HUBPROPS_LOG": "debug"})
    assert "query=" in debug.stderr
    loud = CliRunner().invoke(main, ["plan", "--sandbox"], env={"HUBPROPS_LOG": "loud"})
    assert loud.exit_code == 0
    assert "HUBPROPS_LOG='loud' is not debug or info" in loud.stderr


def test_object_typo_is_refused_before_any_request(project: Path) -> None:
    result = CliRunner().invoke(
        main, ["plan", "--sandbox", "--object", "contact"], env={"HUBPROPS_LOG": "info"}
    )
    assert result.exit_code == 1
    assert "unknown object type 'contact'; did you mean 'contacts'?" in result.stderr
    assert " request " not in result.stderr
