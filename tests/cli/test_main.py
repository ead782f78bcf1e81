from __future__ import annotations

import click
from click.testing import CliRunner

from hubprops import __version__
from hubprops.cli import main
from hubprops.cli._common import error_boundary


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
    assert "Usage:" in result.output
    assert "HubSpot CRM property definitions as code" in result.output


def test_abort_inside_a_command_is_not_an_unexpected_error() -> None:
    @click.command()
    @error_boundary
    def prompt_then_abort() -> int:
        raise click.Abort()

    result = CliRunner().invoke(prompt_then_abort)
    assert result.exit_code == 1
    assert "unexpected error" not in result.output
    assert "Aborted!" in result.output
