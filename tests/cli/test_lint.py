"""Tests for ``hubprops lint`` (hubprops/cli/lint.py) and the lint gate of ``hubprops plan``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft7Validator  # type: ignore[import-untyped]

from hubprops.cli import main

REPO = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = json.loads((REPO / "tests/render/sarif-schema-2.1.0.json").read_text("utf-8"))

CONTACTS = """\
objectType: contacts
properties:
  - name: event_date
    label: Event Date
    type: string
    fieldType: text
    groupName: contactinformation
    description: When the event starts.
  - name: notes
    label: Notes
    type: string
    fieldType: text
    groupName: contactinformation
    description: Free text from the form.
    hidden: true
    formField: true
"""
LEADS = """\
objectType: contacts
properties:
  - name: event_day
    label: event date
    type: date
    fieldType: date
    groupName: contactinformation
    description: The same thing, twice.
"""


def hubprops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "definitions" / "more.yaml").write_text(LEADS, encoding="utf-8")
    return tmp_path


def test_repo_definitions_pass_with_the_repo_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = hubprops("lint")
    assert result.exit_code == 0, result.output
    assert result.stdout == "definitions/: no lint findings\n"


@pytest.mark.usefixtures("project")
def test_text_findings_exit_1_at_error_level() -> None:
    result = hubprops("lint")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[:3] == [
        "definitions/contacts.yaml:3:5: warning: type-by-name: 'event_date' sounds like a date "
        "but is a string (type: date)",
        "definitions/contacts.yaml:9:5: hidden-form-field: 'notes' is hidden but used in forms "
        "(formField: true)",
        "definitions/more.yaml:3:5: warning: duplicate-label: label 'event date' of 'event_day' "
        "reads like 'Event Date', the label of 'event_date' (definitions/contacts.yaml:3)",
    ]
    assert result.stdout.splitlines()[-1] == "definitions/: 1 error, 2 warnings"


def test_warnings_alone_exit_0(project: Path) -> None:
    (project / "hubprops.toml").write_text('[lint]\nhidden-form-field = "warning"\n')
    result = hubprops("lint")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "definitions/: 0 errors, 3 warnings"


@pytest.mark.usefixtures("project")
def test_file_arguments_limit_the_report_not_what_rules_see() -> None:
    result = hubprops("lint", "--format", "json", "definitions/more.yaml")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["file"]) for f in findings] == [
        ("duplicate-label", "definitions/more.yaml")
    ]


def test_a_file_outside_the_folder_is_linted_on_its_own(project: Path) -> None:
    (project / "extra.yaml").write_text(CONTACTS, encoding="utf-8")
    result = hubprops("lint", "--format", "json", "extra.yaml")
    assert result.exit_code == 1
    assert {f["file"] for f in json.loads(result.stdout)["findings"]} == {"extra.yaml"}


@pytest.mark.usefixtures("project")
def test_sarif_validates_against_the_sarif_schema() -> None:
    result = hubprops("lint", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert list(Draft7Validator(SARIF_SCHEMA).iter_errors(log)) == []
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [
        "type-by-name",
        "hidden-form-field",
        "duplicate-label",
    ]
    assert results[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 9


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[lint]\nmax-options = { max = "x" }\n', "error: hubprops.toml:2: lint.max-options.max:"),
        (
            "[lint]\nno-such-rule = 'error'\n",
            "error: hubprops.toml:2: unknown key 'lint.no-such-rule'",
        ),
        (
            '[lint]\n\nname-pattern = { pattern = "[" }\n',
            "error: hubprops.toml:3: lint.name-pattern",
        ),
        ('[lint]\nlabel-style = "strict"\n', "error: hubprops.toml:2: lint.label-style: 'strict'"),
    ],
)
def test_bad_configuration_is_one_located_error_and_no_lint(
    project: Path, toml: str, expected: str
) -> None:
    (project / "hubprops.toml").write_text(toml, encoding="utf-8")
    result = hubprops("lint")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(expected), result.stderr
    assert "Traceback" not in result.output


def test_suppression_needs_a_reason(project: Path) -> None:
    path = project / "definitions" / "contacts.yaml"
    path.write_text(
        CONTACTS.replace(
            "  - name: notes", "  - name: notes  # hubprops: ignore[hidden-form-field]"
        )
    )
    result = hubprops("lint")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(
        "definitions/contacts.yaml:9:18: suppression of hidden-form-field gives no reason"
    )
    path.write_text(
        CONTACTS.replace(
            "  - name: notes",
            "  - name: notes  # hubprops: ignore[hidden-form-field] the form team",
        )
    )
    result = hubprops("lint")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "definitions/: 0 errors, 2 warnings, 1 suppressed"


def test_option_value_renamed_reads_the_lock(project: Path) -> None:
    (project / "definitions" / "more.yaml").unlink()
    (project / "definitions" / "contacts.yaml").write_text(
        "objectType: contacts\nproperties:\n  - name: size\n    label: Size\n"
        "    type: enumeration\n    fieldType: select\n    groupName: contactinformation\n"
        "    description: Event size.\n    options:\n"
        "      - { label: Small, value: small_event }\n"
    )
    lock = {
        "format_version": 1,
        "portals": {
            "1": {
                "objects": {
                    "contacts": {
                        "properties": {
                            "size": {
                                "id": "0-1/size",
                                "sha256": "0" * 64,
                                "options": {"small": "Small"},
                            }
                        }
                    }
                }
            }
        },
    }
    (project / "state.lock.json").write_text(json.dumps(lock))
    result = hubprops("lint", "--lock", "state.lock.json")
    assert result.exit_code == 1
    assert "option-value-renamed: option 'Small' of 'size' changed its value from 'small'" in (
        result.stdout
    )
    assert hubprops("lint").exit_code == 0  # no lock, nothing to compare with


def test_option_value_renamed_after_a_real_apply(project: Path) -> None:
    """apply records each property's option values in the lock; a later edit that keeps a label
    but changes its value is then caught."""
    (project / "definitions" / "more.yaml").unlink()
    size = (
        "objectType: contacts\nproperties:\n  - name: size\n    label: Size\n"
        "    type: enumeration\n    fieldType: select\n    groupName: contactinformation\n"
        "    description: Event size.\n    options:\n"
        "      - { label: Small, value: %s }\n"
    )
    (project / "definitions" / "contacts.yaml").write_text(size % "small")
    applied = hubprops("apply", "--sandbox", "--auto-approve", "--no-color")
    assert applied.exit_code == 0, applied.output
    lock = json.loads((project / "hubprops.lock.json").read_text())
    recorded = next(iter(lock["portals"].values()))["objects"]["contacts"]["properties"]["size"]
    assert recorded["options"] == {"small": "Small"}
    (project / "definitions" / "contacts.yaml").write_text(size % "small_event")
    result = hubprops("lint")
    assert result.exit_code == 1
    assert "option 'Small' of 'size' changed its value from 'small'" in result.stdout


@pytest.mark.usefixtures("project")
def test_plan_runs_error_level_lint_unless_no_lint() -> None:
    blocked = hubprops("plan", "--sandbox")
    assert blocked.exit_code == 1
    assert (
        "definitions/contacts.yaml:9:5: hidden-form-field: 'notes' is hidden but used in forms"
        in blocked.stderr
    )
    assert "warning" not in blocked.stderr  # only error-level rules gate a plan
    assert "1 lint error(s) in definitions" in blocked.stderr
    assert blocked.stdout == ""
    allowed = hubprops("plan", "--sandbox", "--no-lint")
    assert allowed.exit_code == 0, allowed.output
    assert "+ property notes" in allowed.stdout


def test_errors_are_json_with_format_json(project: Path) -> None:
    (project / "hubprops.toml").write_text('[lint]\nmax-options = { max = "x" }\n')
    result = hubprops("lint", "--format", "json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error.startswith("hubprops.toml:2: lint.max-options.max: expected a whole number")
    (project / "hubprops.toml").unlink()
    (project / "definitions" / "more.yaml").write_text("objectType: contacts\nproperties: 3\n")
    data = json.loads(hubprops("lint", "--format", "json").stdout)
    assert data["diagnostics"][0].startswith("definitions/more.yaml:2:")
