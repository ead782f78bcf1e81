"""Tests for ``hubprops validate`` (hubprops/cli/validate.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from tests.helpers.cli import run_reader_leaves_early

REPO = Path(__file__).resolve().parents[2]
LOCATED = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["validate", *args])


@pytest.fixture()
def at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.usefixtures("at_repo")
def test_repo_definitions_are_valid_by_default() -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert result.output == (
        "definitions/ is valid: 2 files, 2 object types, 40 properties, 3 groups\n"
    )


@pytest.mark.usefixtures("at_repo")
def test_invalid_example_prints_one_located_line_per_planted_problem() -> None:
    result = run("-d", "examples/invalid")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    located = [LOCATED.match(line) for line in lines[:-1]]
    assert all(located), lines
    assert lines[-1] == "examples/invalid/ is invalid: 7 error(s)"
    found = [(m["file"], int(m["line"]), m["message"]) for m in located if m]
    assert found == sorted(found, key=lambda f: (f[0], f[1]))
    expected = [
        ("examples/invalid/broken.yaml", 10, "invalid YAML: "),
        ("examples/invalid/contacts.yaml", 11, "properties[0].type: 'text' is not a valid type"),
        (
            "examples/invalid/contacts.yaml",
            19,
            "properties[1].fieldType: 'select' is not valid for type 'string'",
        ),
        (
            "examples/invalid/contacts.yaml",
            23,
            "properties[2].options: an enumeration property needs options",
        ),
        (
            "examples/invalid/contacts.yaml",
            38,
            "properties[3].options[2].value: duplicate option value 'grass'",
        ),
        (
            "examples/invalid/contacts.yaml",
            41,
            "properties[4].name: 'Event-Start-Date' is not a valid name",
        ),
        (
            "examples/invalid/more_contacts.yaml",
            8,
            "properties[0].name: property 'delivery_window' of contacts is defined twice: "
            "first at examples/invalid/contacts.yaml:48",
        ),
    ]
    assert len(found) == len(expected)
    for (file, line, message), (want_file, want_line, want_start) in zip(
        found, expected, strict=True
    ):
        assert (file, line) == (want_file, want_line)
        assert message.startswith(want_start), message


@pytest.mark.usefixtures("at_repo")
def test_basic_example_is_valid() -> None:
    result = run("-d", "examples/basic")
    assert result.exit_code == 0
    assert result.output.startswith("examples/basic/ is valid: 1 file, 1 object type, 3 prop")


def test_warnings_are_printed_but_do_not_fail(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "objectType: contacts\nproperties:\n  - name: a\n    label: A\n"
        "    type: string\n    fieldType: text\n    groupName: nowhere\n"
    )
    result = run("-d", str(tmp_path))
    assert result.exit_code == 0
    warning, success = result.output.splitlines()
    assert warning.endswith(
        "c.yaml:7:5: warning: properties[0].groupName: group 'nowhere' is "
        "neither declared under groups nor a HubSpot default group of contacts "
        "(analyticsinformation, contactinformation, conversioninformation, "
        "emailinformation, sales_properties, socialmediainformation); HubSpot "
        "rejects a property whose group does not exist"
    )
    assert success == f"{tmp_path}/ is valid: 1 file, 1 object type, 1 property, 0 groups"


@pytest.mark.usefixtures("at_repo")
def test_json_format_lists_the_diagnostics() -> None:
    result = run("-d", "examples/invalid", "--format", "json")
    assert result.exit_code == 1
    diagnostics = json.loads(result.output)
    assert len(diagnostics) == 7
    assert diagnostics[1] == {
        "file": "examples/invalid/contacts.yaml",
        "line": 11,
        "column": 5,
        "path": "properties[0].type",
        "message": diagnostics[1]["message"],
        "severity": "error",
    }


@pytest.mark.usefixtures("at_repo")
def test_json_format_of_valid_definitions_is_an_empty_list() -> None:
    result = run("--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == []


def test_missing_folder_exits_1_with_a_clear_message(tmp_path: Path) -> None:
    result = run("-d", str(tmp_path / "missing"))
    assert result.exit_code == 1
    assert "no such directory" in result.output
    assert "Traceback" not in result.output


def test_needs_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("HUBPROPS_API_BASE", "http://127.0.0.1:9")  # nothing listens: no network
    result = run("-d", str(REPO / "definitions"))
    assert result.exit_code == 0


def test_invalid_definitions_still_exit_1_when_the_reader_leaves_early(tmp_path: Path) -> None:
    # `hubprops validate | head -1` under `set -o pipefail` must not turn invalid into valid.
    names = "".join(f"  - name: Bad{i}\n" for i in range(3000))  # far more than a pipe buffers
    (tmp_path / "c.yaml").write_text(f"objectType: contacts\nproperties:\n{names}")
    first, err, code = run_reader_leaves_early(tmp_path, "validate", "-d", ".")
    assert code == 1
    assert first.startswith(b"c.yaml:3:5: properties[0].name: 'Bad0' is not a valid name")
    assert b"Traceback" not in err


def test_empty_dir_option_means_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.yaml").write_text("objectType: contacts\n")
    result = run("-d", "")
    assert result.exit_code == 0
    assert result.output == "./ is valid: 1 file, 1 object type, 0 properties, 0 groups\n"


def test_unusable_folder_path_exits_1_without_please_report(tmp_path: Path) -> None:
    result = run("-d", str(tmp_path / ("a" * 5000)))
    assert result.exit_code == 1
    assert "cannot read this folder" in result.output
    assert "please report" not in result.output


@pytest.mark.usefixtures("at_repo")
def test_files_and_several_dirs_are_checked_together() -> None:
    files = run("definitions/contacts.yaml", "definitions/leads.yaml")
    assert files.exit_code == 0, files.output
    assert files.output.startswith("definitions/contacts.yaml, definitions/leads.yaml are valid")
    # the same property defined in two places is caught across -d folders and files
    both = run("-d", "examples/basic", "definitions/contacts.yaml")
    assert both.exit_code == 1
    assert "defined twice" in both.output
    # a file named twice (folder and file) is loaded once
    once = run("-d", "definitions", "definitions/contacts.yaml")
    assert once.exit_code == 0, once.output
    assert "2 files" in once.output


@pytest.mark.usefixtures("at_repo")
def test_every_missing_path_is_reported() -> None:
    result = run("-d", "nope1", "nope2.yaml")
    assert result.exit_code == 1
    assert "nope1: no such directory" in result.output
    assert "nope2.yaml: no such directory" in result.output
