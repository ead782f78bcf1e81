from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import hubprops.cli
from hubprops import __version__
from hubprops.cli import COMMANDS, main
from hubprops.cli._common import error_boundary

REPO = Path(__file__).resolve().parents[2]


def test_version_prints_package_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_a_usage_error_exits_1_not_2() -> None:
    result = CliRunner().invoke(main, ["plan", "--detailed-exitcode", "--no-such-option"])
    assert result.exit_code == 1
    assert "No such option '--no-such-option'" in result.output


def test_help_lists_existing_commands_only() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "HubSpot CRM property definitions as code" in result.output
    listed = result.output.split("Commands:", 1)[1].split()
    for name in COMMANDS:
        assert name in listed
    assert "no-such-command" not in listed


def test_every_command_module_is_registered_and_every_entry_has_a_module() -> None:
    """Adding a command is adding its module and one COMMANDS line: neither without the other."""
    folder = Path(hubprops.cli.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
    assert modules == set(COMMANDS.values())
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert isinstance(command, click.Command) and command.name == name


def test_abort_inside_a_command_is_not_an_unexpected_error() -> None:
    @click.command()
    @error_boundary
    def prompt_then_abort() -> int:
        raise click.Abort()

    result = CliRunner().invoke(prompt_then_abort)
    assert result.exit_code == 1
    assert "unexpected error" not in result.output
    assert "Aborted!" in result.output


def test_bare_hubprops_prints_help_and_exits_0() -> None:
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0
    assert "Usage: " in result.output and "Commands:" in result.output
    assert "_HUBPROPS_COMPLETE=bash_source" in result.output  # shell completion documented


def test_a_mistyped_command_names_the_nearest() -> None:
    result = CliRunner().invoke(main, ["plann"])
    assert result.exit_code == 1
    assert "No such command 'plann'. Did you mean 'plan'?" in result.output


def test_terraform_single_dash_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    monkeypatch.chdir(tmp_path)
    planned = CliRunner().invoke(
        main, ["plan", "--sandbox", "-out=plan.json", "-detailed-exitcode"]
    )
    assert planned.exit_code == 2, planned.output
    assert (tmp_path / "plan.json").is_file()
    assert not list(tmp_path.glob("ut=*"))
    typo = CliRunner().invoke(main, ["plan", "--sandbox", "-outt=plan2.json"])
    assert typo.exit_code == 1
    assert "no such option: -outt (did you mean --out?)" in typo.output
    assert not list(tmp_path.glob("*plan2.json"))
    applied = CliRunner().invoke(main, ["apply", "--sandbox", "-auto-approve"])
    assert applied.exit_code == 0, applied.output
    assert "Apply complete" in applied.output


def test_option_help_reads_correctly() -> None:
    plan_help = CliRunner().invoke(main, ["plan", "--help"]).output
    assert "repeatable" in plan_help.split("--object")[1].split("--")[0]
    assert "markdown" in plan_help and "pull-request comment" in plan_help
    assert "no longer define" in " ".join(plan_help.split())


def _process(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m hubprops ARGS``: the console entry, ``hubprops.cli.run``."""
    return subprocess.run(
        [sys.executable, "-m", "hubprops", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_console_entry_flushes_everything_and_keeps_exit_codes(tmp_path: Path) -> None:
    """``run`` ends a one-shot command with os._exit: a long output through a pipe must still
    arrive whole, and every exit code must survive."""
    folder = tmp_path / "definitions"
    folder.mkdir()
    props = "\n".join(
        f"  - {{name: p_{i:04d}, label: Property {i}, type: string, fieldType: text, "
        f"groupName: contactinformation}}"
        for i in range(900)
    )
    (folder / "contacts.yaml").write_text(f"objectType: contacts\nproperties:\n{props}\n")
    shown = _process(tmp_path, "plan", "--sandbox", "--format", "json", "--detailed-exitcode")
    assert shown.returncode == 2, shown.stderr
    plan = json.loads(shown.stdout)  # ~0.5 MB through the pipe, complete
    assert plan["summary"]["create"] == 900
    (folder / "contacts.yaml").write_text("objectType: contacts\nproperties: 3\n")
    bad = _process(tmp_path, "validate")
    assert bad.returncode == 1 and "contacts.yaml:2:1" in bad.stdout
    assert _process(tmp_path, "--version").returncode == 0


def test_long_running_commands_exit_normally() -> None:
    from hubprops.cli import _command

    assert _command(["--no-color", "sandbox", "--port", "0"]) == "sandbox"
    assert _command(["serve", "--sandbox"]) == "serve"
    assert _command(["plan", "-d", "serve"]) == "plan"
    assert _command(["--help"]) is None
